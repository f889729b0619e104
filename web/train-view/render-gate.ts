import type { GateSnapshot } from '../../src/snapshot/train-snapshot';
import { badge, el } from './dom';
import { GATE_STATES, lookOf } from './state-words';
import { at, words } from './time-text';

/** A gate: who has arrived (when), who is missing, the quorum, and whether it opened or was withdrawn (why). */
export function renderGate(gate: GateSnapshot, now: number, id: string): HTMLElement {
  const look = lookOf(GATE_STATES, gate.state);
  const total = gate.arrived.length + gate.missing.length;
  const quorum = gate.needed < total ? `opens when ${gate.needed} of ${total} have arrived` : `opens when all ${total} have arrived`;
  return el(
    'li',
    { className: 'gate', attrs: { 'aria-labelledby': id, 'data-gate': gate.gate } },
    el('h3', { attrs: { id } }, `Gate ${gate.gate}`, ' ', el('span', { className: 'kind' }, `train ${gate.train}`)),
    el(
      'p',
      { className: 'gate-state' },
      badge(look.icon, look.word, look.className),
      ' ',
      words(`— ${gate.arrived.length} of ${gate.needed} needed ${gate.arrived.length === 1 ? 'has' : 'have'} arrived;`, quorum, gate.state === 'open' ? `— opened ${at(gate.openedAt, now)}` : undefined),
    ),
    el(
      'div',
      { className: 'gate-lists' },
      el('h4', null, `Arrived (${gate.arrived.length})`),
      gate.arrived.length > 0
        ? el('ul', { className: 'arrived' }, ...gate.arrived.map((a) => el('li', null, words(a.label, at(a.at, now), a.open ? '— saw it open' : undefined))))
        : el('p', null, 'Nobody yet.'),
      el('h4', null, `Missing (${gate.missing.length})`),
      gate.missing.length > 0 ? el('ul', { className: 'missing' }, ...gate.missing.map((label) => el('li', null, label))) : el('p', null, 'Nobody.'),
      gate.withdrawn.length > 0 ? el('h4', null, `Left the gate (${gate.withdrawn.length})`) : null,
      gate.withdrawn.length > 0
        ? el('ul', { className: 'withdrawn' }, ...gate.withdrawn.map((w) => el('li', null, w.reason ? `${w.label}: ${w.reason}` : w.label)))
        : null,
    ),
  );
}
