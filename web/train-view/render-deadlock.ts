import { el } from './dom';

/**
 * A deadlock as the cycle it is: each member in order with an arrow to the one it waits on, back to the first
 * (api → web → api), so a person sees which wait to break.
 */
export function renderDeadlock(cycle: string[]): HTMLElement {
  const closed = cycle.length > 0 && cycle[cycle.length - 1] !== cycle[0] ? [...cycle, cycle[0]] : cycle;
  const text = closed.join(' → ');
  const list = el('ol', { className: 'cycle', attrs: { 'aria-label': `Deadlock: ${text}` } });
  closed.forEach((label, i) => {
    list.append(el('li', null, label, i < closed.length - 1 ? el('span', { className: 'arrow', attrs: { 'aria-hidden': 'true' } }, ' → ') : null));
  });
  return el(
    'div',
    { className: 'deadlock st-bad' },
    el('p', null, el('strong', null, el('span', { attrs: { 'aria-hidden': 'true' } }, '⟲ '), 'Deadlock'), ' — each waits on the next; none can go on until one of these waits is removed or its run canceled:'),
    list,
  );
}
