import { el } from './dom';
import { navigation } from './host-services';
import type { RunSurface } from './surface';
import type { View } from './view';

/**
 * The "Release trains" hub: which train to show comes from the host page's query string (`?run=<build id>` or
 * `?release=<release id>`), so a link to a train is shareable; without one, the page asks for a run and writes
 * it into the query string through the host navigation service.
 */
export async function openHub(project: string, view: View): Promise<RunSurface> {
  const nav = await navigation();
  const fromUrl = surfaceFromQuery(project, await nav.getQueryParams());
  if (fromUrl) return fromUrl;
  const chosen = await askForRun(project, view);
  nav.setQueryParams({ [chosen.kind === 'release' ? 'release' : 'run']: String(chosen.id) });
  return chosen;
}

export function surfaceFromQuery(project: string, query: Record<string, string | undefined>): RunSurface | undefined {
  const id = (text: string | undefined) => (text && /^[1-9]\d{0,9}$/.test(text) ? Number(text) : undefined);
  const run = id(query['run']);
  if (run !== undefined) return { kind: 'build', project, id: run };
  const release = id(query['release']);
  if (release !== undefined) return { kind: 'release', project, id: release };
  return undefined;
}

function askForRun(project: string, view: View): Promise<RunSurface> {
  return new Promise((resolve) => {
    const input = el('input', { attrs: { id: 'run-id', type: 'text', inputmode: 'numeric', pattern: '[0-9]*', autocomplete: 'off', 'aria-describedby': 'run-help' } });
    const kind = el(
      'select',
      { attrs: { id: 'run-kind' } },
      el('option', { attrs: { value: 'build' } }, 'Pipeline run id'),
      el('option', { attrs: { value: 'release' } }, 'Classic release id'),
    );
    const problem = el('p', { className: 'error', attrs: { role: 'status' } });
    const form = el(
      'form',
      { className: 'choose' },
      el('h2', null, `Show a release train of project ${project}`),
      el('p', { attrs: { id: 'run-help' } }, 'Any member run of the train will do: its id is the number in the run\u2019s address (buildId=…, releaseId=…).'),
      el('label', { attrs: { for: 'run-kind' } }, 'Kind '),
      kind,
      ' ',
      el('label', { attrs: { for: 'run-id' } }, 'Id '),
      input,
      ' ',
      el('button', { attrs: { type: 'submit' } }, 'Show the train'),
      problem,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const chosen = surfaceFromQuery(project, { [kind.value === 'release' ? 'release' : 'run']: input.value.trim() });
      if (!chosen) {
        problem.textContent = `'${input.value}' is not a run id: a whole number such as 1234.`;
        input.focus();
        return;
      }
      resolve(chosen);
    });
    view.prompt(form);
    input.focus();
  });
}
