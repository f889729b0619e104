import type { TrainSnapshot } from '../../src/snapshot/train-snapshot';
import { badge, el } from './dom';
import { renderDeadlock } from './render-deadlock';
import { renderGate } from './render-gate';
import { renderMember } from './render-member';
import { renderRollback } from './render-rollback';

/**
 * The body of the view for one snapshot: notices, deadlocks, members, gates, the rollback — each under its heading.
 * Each member, gate and the rollback render behind their own error boundary, so one odd record shows as one line
 * and the rest of the train still shows.
 */
export function renderTrain(snapshot: TrainSnapshot, now: number): HTMLElement {
  const body = el('div', { className: 'train' });
  if (snapshot.notices.length > 0) {
    body.append(
      section('notices', 'Notices', el('ul', { className: 'notices' }, ...snapshot.notices.map((notice) => el('li', { attrs: { role: 'status' } }, badge('⚠', 'Note:', 'st-warn'), ' ', notice)))),
    );
  }
  if (snapshot.deadlocks.length > 0) {
    body.append(section('deadlocks', snapshot.deadlocks.length === 1 ? 'Deadlock' : `Deadlocks (${snapshot.deadlocks.length})`, ...snapshot.deadlocks.map((cycle) => guarded(() => renderDeadlock(cycle), 'a deadlock', 'div'))));
  }
  if (snapshot.members.length > 0) {
    body.append(
      section(
        'members',
        `Members (${snapshot.members.length})`,
        el('ul', { className: 'members' }, ...snapshot.members.map((member, i) => guarded(() => renderMember(member, now, `member-${i}`), `member ${member.label}`, 'li'))),
      ),
    );
  }
  if (snapshot.gates.length > 0) {
    body.append(
      section('gates', snapshot.gates.length === 1 ? 'Gate' : `Gates (${snapshot.gates.length})`, el('ul', { className: 'gates' }, ...snapshot.gates.map((gate, i) => guarded(() => renderGate(gate, now, `gate-${i}`), `gate ${gate.gate}`, 'li')))),
    );
  }
  const rollback = snapshot.rollback;
  if (rollback) body.append(section('rollback', 'Rollback', guarded(() => renderRollback(rollback, now), 'the rollback', 'div')));
  if (snapshot.members.length === 0 && snapshot.gates.length === 0 && !rollback && snapshot.notices.length === 0) {
    body.append(el('p', { className: 'empty', attrs: { role: 'status' } }, 'Nothing of a train is recorded on this run yet: no Lockstep step has run here, or it has not written its records.'));
  }
  return body;
}

function section(key: string, title: string, ...content: Node[]): HTMLElement {
  const id = `h-${key}`;
  return el('section', { className: `part part-${key}`, attrs: { 'aria-labelledby': id } }, el('h2', { attrs: { id } }, title), ...content);
}

/** Renders one part; a failure becomes a line naming the part, never a blank page or a stack trace. */
export function guarded(render: () => HTMLElement, what: string, tag: 'li' | 'div'): HTMLElement {
  try {
    return render();
  } catch (error) {
    return el(tag, { className: 'unreadable', attrs: { role: 'status' } }, badge('⚠', 'Not shown:', 'st-warn'), ` ${what} could not be shown (${messageOf(error)}).`);
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
