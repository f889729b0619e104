import type { TrainSnapshot } from '../../src/snapshot/train-snapshot';
import { el, replaceChildren, runLink } from './dom';
import { clockTime, updatedAgo } from './time-text';

/**
 * The header, built once and updated in place (so the Refresh now button keeps its focus): the train, the run the
 * view was opened on, "updated N s ago" (ticking), the requests of the last refresh, whether it still refreshes,
 * and the last refresh's error. Screen readers hear each completed refresh once through a polite live region, not
 * the ticking seconds.
 */
export interface Header {
  element: HTMLElement;
  show(snapshot: TrainSnapshot, readAtMs: number, now: number): void;
  tick(now: number): void;
  /** "refreshing every 12 s", "paused while hidden", "stopped: every member's run has finished". */
  mode(text: string): void;
  error(text: string | undefined): void;
}

export function createHeader(onRefresh: () => void): Header {
  const title = el('h1', null, 'Release train');
  const origin = el('p', { className: 'origin' });
  const updated = el('span', { className: 'updated' }, 'reading the train…');
  const requests = el('span', { className: 'requests' });
  const modeText = el('span', { className: 'mode' });
  const button = el('button', { attrs: { type: 'button' } }, 'Refresh now');
  button.addEventListener('click', onRefresh);
  const announce = el('p', { className: 'sr-only', attrs: { 'aria-live': 'polite' } });
  const errorLine = el('p', { className: 'error', attrs: { role: 'status' } });
  const element = el('header', null, title, origin, el('div', { className: 'status-row' }, el('p', null, updated, requests, modeText), button), announce, errorLine);
  let readAt: number | undefined;

  return {
    element,
    show(snapshot, readAtMs, now) {
      readAt = readAtMs;
      replaceChildren(title, snapshot.train ? `Release train ${snapshot.train}` : 'Release train');
      const o = snapshot.origin;
      replaceChildren(origin, `Opened on ${o.kind === 'release' ? 'release' : 'run'} `, runLink(o.name, o.webUrl), ` of ${o.definitionName} (project ${o.project})`);
      requests.textContent = ` · ${snapshot.requests} request${snapshot.requests === 1 ? '' : 's'} to read it`;
      announce.textContent = `Train updated at ${clockTime(new Date(readAtMs).toISOString(), now)}.`;
      this.tick(now);
    },
    tick(now) {
      if (readAt !== undefined) updated.textContent = updatedAgo(readAt, now);
    },
    mode(text) {
      modeText.textContent = text ? ` · ${text}` : '';
    },
    error(text) {
      errorLine.textContent = text ?? '';
      errorLine.hidden = !text;
    },
  };
}
