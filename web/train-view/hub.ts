import type { FetchSource } from '../../src/snapshot/fetch-source';
import { listTrains, type TrainSummary } from '../../src/snapshot/list-trains';
import type { Origin } from '../../src/snapshot/origin';
import { el } from './dom';
import { navigation } from './host-services';
import { renderTrainList } from './render-train-list';
import type { Timers } from './refresher';
import type { RunSurface } from './surface';
import type { View } from './view';

/**
 * The "Release trains" hub. Which train to show is in the host page's query string, so a link is shareable:
 * `?train=<id>` (as the list names it), or `?run=<build id>` / `?release=<release id>` for the train of that run.
 * Without one it lists the project's trains (listTrains: two requests) and writes the one chosen into the query
 * string through the host navigation service; a run's id can be typed in as well. A train named in the link that is
 * not listed yet (none of its runs has recorded anything so far) is looked for again every `relistMs` while the
 * page is visible, and opened as soon as it is there; the list on screen is left as it is meanwhile.
 */
export async function openHub(project: string, source: FetchSource, view: View, timers: Timers, relistMs = 12_000, hidden: () => boolean = () => document.hidden): Promise<RunSurface> {
  const nav = await navigation();
  const query = await nav.getQueryParams();
  const direct = surfaceFromQuery(project, query);
  if (direct) return direct;
  const list = await listTrains(source, project);
  const wanted = query['train'];
  const named = wanted ? list.trains.find((t) => t.train === wanted) : undefined;
  if (named) return fromOrigin(named.origin);
  return new Promise((resolve) => {
    let done = false;
    let timer: unknown;
    const chose = (surface: RunSurface, parameters?: Record<string, string>) => {
      if (done) return;
      done = true;
      timers.clearTimeout(timer);
      if (parameters) nav.setQueryParams(parameters);
      resolve(surface);
    };
    const lookAgain = async () => {
      if (done) return;
      if (!hidden()) {
        const found = (await listTrains(source, project).catch(() => undefined))?.trains.find((t) => t.train === wanted);
        if (found) return chose(fromOrigin(found.origin));
      }
      timer = timers.setTimeout(() => void lookAgain(), relistMs);
    };
    const listed = renderTrainList(project, list, timers.now(), (train: TrainSummary) => chose(fromOrigin(train.origin), { train: train.train }), wanted);
    view.prompt(el('div', null, listed, runForm(project, (surface) => chose(surface, { [surface.kind === 'release' ? 'release' : 'run']: String(surface.id) }))));
    listed.querySelector('button')?.focus();
    if (wanted) timer = timers.setTimeout(() => void lookAgain(), relistMs);
  });
}

export function surfaceFromQuery(project: string, query: Record<string, string | undefined>): RunSurface | undefined {
  const id = (text: string | undefined) => (text && /^[1-9]\d{0,9}$/.test(text) ? Number(text) : undefined);
  const run = id(query['run']);
  if (run !== undefined) return { kind: 'build', project, id: run };
  const release = id(query['release']);
  if (release !== undefined) return { kind: 'release', project, id: release };
  return undefined;
}

function fromOrigin(origin: Origin): RunSurface {
  return { kind: origin.kind, project: origin.project, id: origin.id };
}

/** Opens the train of a run or release typed in by its id. */
function runForm(project: string, chosen: (surface: RunSurface) => void): HTMLElement {
  const input = el('input', { attrs: { id: 'run-id', type: 'text', inputmode: 'numeric', autocomplete: 'off', 'aria-describedby': 'run-help' } });
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
    el('h2', null, 'Open the train of a run'),
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
    const surface = surfaceFromQuery(project, { [kind.value === 'release' ? 'release' : 'run']: input.value.trim() });
    if (!surface) {
      problem.textContent = `'${input.value}' is not a run id: a whole number such as 1234.`;
      input.focus();
      return;
    }
    chosen(surface);
  });
  return form;
}
