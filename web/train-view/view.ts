import type { TrainSnapshot } from '../../src/snapshot/train-snapshot';
import { badge, el, replaceChildren } from './dom';
import type { RefresherView } from './refresher';
import { createHeader, Header } from './render-header';
import { guarded, renderTrain } from './render-train';

/**
 * The page's two parts: the header (built once, updated in place) and the train's body, redrawn per snapshot — only
 * when its text or links changed, and keeping the keyboard focus on the same link, so a refresh never throws a
 * keyboard or screen-reader user back to the top.
 */
export interface View extends RefresherView {
  /** A line in place of the train when the page cannot read one at all (no host, no run to show). */
  fatal(text: string): void;
  /** Shows a form (the hub asking which train) in place of the train. */
  prompt(form: HTMLElement): void;
  header: Header;
}

export function createView(root: HTMLElement, now: () => number, onRefresh: () => void): View {
  const header = createHeader(onRefresh);
  const body = el('main', { attrs: { id: 'train', 'aria-labelledby': 'train-title' } });
  header.element.querySelector('h1')?.setAttribute('id', 'train-title');
  replaceChildren(root, header.element, body);
  let shown = '';

  return {
    header,
    show(snapshot: TrainSnapshot, readAtMs: number) {
      header.element.querySelector('.status-row')?.removeAttribute('hidden');
      header.show(snapshot, readAtMs, now());
      const next = guarded(() => renderTrain(snapshot, now()), 'the train', 'div');
      const signature = signatureOf(next);
      if (signature === shown) return;
      shown = signature;
      const focused = focusKey(body);
      replaceChildren(body, next);
      if (focused) refocus(body, focused);
    },
    tick() {
      header.tick(now());
    },
    mode(text) {
      header.mode(text);
    },
    error(text) {
      header.error(text);
    },
    prompt(form) {
      shown = '';
      header.element.querySelector('.status-row')?.setAttribute('hidden', '');
      replaceChildren(body, form);
    },
    fatal(text) {
      shown = '';
      replaceChildren(body, el('p', { className: 'fatal', attrs: { role: 'status' } }, badge('⚠', 'Cannot show the train:', 'st-bad'), ' ', text));
    },
  };
}

/** What a person would see and follow: the text and every link target. */
function signatureOf(element: HTMLElement): string {
  const links = [...element.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? '');
  return `${element.textContent ?? ''}\u0000${links.join('\u0000')}`;
}

function focusKey(container: HTMLElement): string | undefined {
  const active = document.activeElement;
  if (!(active instanceof HTMLAnchorElement) || !container.contains(active)) return undefined;
  return `${active.getAttribute('href')}\u0000${active.textContent}`;
}

function refocus(container: HTMLElement, key: string): void {
  const match = [...container.querySelectorAll('a')].find((a) => `${a.getAttribute('href')}\u0000${a.textContent}` === key);
  match?.focus();
}
