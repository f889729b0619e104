import type { StepSnapshot } from '../../src/snapshot/train-snapshot';
import { badge, el } from './dom';
import { lookOf, STEP_STATES } from './state-words';
import { at, since, took, words } from './time-text';

type Target = StepSnapshot['waitsFor'][number];

/** "web@Deploy", "db at gate prod", "api". */
export function targetText(target: Target): string {
  if (target.stage) return `${target.label}@${target.stage}`;
  if (target.gate) return `${target.label} at gate ${target.gate}`;
  return target.label;
}

/** The member's Lockstep step: what it waits on, since when, and what happens next. */
export function renderStep(step: StepSnapshot, now: number): HTMLElement {
  const look = lookOf(STEP_STATES, step.state);
  const open = step.waitsFor.filter((t) => !t.met);
  const met = step.waitsFor.filter((t) => t.met);
  return el(
    'div',
    { className: `step ${look.className}`, attrs: { 'data-step': step.state } },
    el('p', { className: 'step-head' }, badge(look.icon, headline(step, open, now), look.className)),
    el('p', { className: 'step-where' }, `${look.word} · `, words(step.task, step.stage ? `in stage ${step.stage}` : undefined)),
    met.length > 0 && step.state !== 'met' ? el('p', { className: 'step-met' }, `Already met: ${met.map(targetText).join(', ')}`) : null,
    step.next ? el('p', { className: 'step-next' }, el('strong', null, 'Next: '), step.next) : null,
  );
}

function headline(step: StepSnapshot, open: Target[], now: number): string {
  const list = (targets: Target[]) => targets.map(targetText).join(', ');
  const gate = step.waitsFor.find((t) => t.gate)?.gate;
  switch (step.state) {
    case 'waitingOnPeer':
      return words(`Waiting on ${list(open) || 'train members'}`, since(step.since, now));
    case 'atGate':
      return words(gate ? `At gate ${gate}` : 'At the gate', since(step.since, now), open.length > 0 ? `— waiting for ${open.map((t) => t.label).join(', ')}` : undefined);
    case 'passed':
      return words(gate ? `Passed gate ${gate}` : 'Passed the gate', at(step.endedAt, now), took(step.since, step.endedAt));
    case 'met':
      return words(`Waited on ${list(step.waitsFor) || 'train members'}: met`, at(step.endedAt, now), took(step.since, step.endedAt));
    case 'rollingBack':
      return words('Rolling back the train', since(step.since, now));
    case 'done':
      return words('Rollback finished', at(step.endedAt, now));
    default:
      return words(
        `${lookOf(STEP_STATES, step.state).word}${step.waitsFor.length > 0 ? ` waiting on ${list(step.waitsFor)}` : ''}`,
        at(step.endedAt, now),
      );
  }
}
