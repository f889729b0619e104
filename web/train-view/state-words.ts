import type { GateSnapshot, RollbackSnapshot, RunState, StepSnapshot } from '../../src/snapshot/train-snapshot';

/**
 * How each state is shown: an icon, a word and a CSS class (the class only adds colour and shape; the icon and the
 * word carry the meaning, so the state reads the same without colour, in high contrast and to a screen reader).
 * Policy as data: one table per kind of state.
 */
export interface StateLook {
  icon: string;
  word: string;
  className: string;
}

export const RUN_STATES: Record<RunState, StateLook> = {
  notStarted: { icon: '○', word: 'Not started', className: 'st-idle' },
  queued: { icon: '◷', word: 'Queued', className: 'st-queued' },
  inProgress: { icon: '▶', word: 'Running', className: 'st-running' },
  succeeded: { icon: '✓', word: 'Succeeded', className: 'st-ok' },
  partiallySucceeded: { icon: '!', word: 'Partially succeeded', className: 'st-warn' },
  failed: { icon: '✗', word: 'Failed', className: 'st-bad' },
  canceled: { icon: '⊘', word: 'Canceled', className: 'st-bad' },
  skipped: { icon: '↷', word: 'Skipped', className: 'st-idle' },
  waitsForPerson: { icon: '☐', word: 'Waiting for a person to start it', className: 'st-person' },
  unknown: { icon: '?', word: 'Unknown', className: 'st-idle' },
};

/** A Lockstep step. Waiting on a train peer has its own look, apart from queued and from approvals and checks. */
export const STEP_STATES: Record<StepSnapshot['state'], StateLook> = {
  waitingOnPeer: { icon: '⇢', word: 'Waiting on a train peer', className: 'st-peer' },
  atGate: { icon: '‖', word: 'At the gate', className: 'st-peer' },
  passed: { icon: '✓', word: 'Passed the gate', className: 'st-ok' },
  met: { icon: '✓', word: 'Wait met', className: 'st-ok' },
  failed: { icon: '✗', word: 'Failed', className: 'st-bad' },
  timedOut: { icon: '✗', word: 'Timed out', className: 'st-bad' },
  canceled: { icon: '⊘', word: 'Canceled', className: 'st-bad' },
  deadlock: { icon: '⟲', word: 'Deadlock', className: 'st-bad' },
  withdrawn: { icon: '↩', word: 'Left the gate', className: 'st-warn' },
  rollingBack: { icon: '↺', word: 'Rolling back', className: 'st-running' },
  done: { icon: '✓', word: 'Done', className: 'st-ok' },
};

export const GATE_STATES: Record<GateSnapshot['state'], StateLook> = {
  waiting: { icon: '‖', word: 'Waiting for members', className: 'st-peer' },
  open: { icon: '✓', word: 'Open', className: 'st-ok' },
  withdrawn: { icon: '↩', word: 'Withdrawn', className: 'st-warn' },
};

export const ROLLBACK_STATES: Record<RollbackSnapshot['state'], StateLook> = {
  planned: { icon: '○', word: 'Planned', className: 'st-idle' },
  inProgress: { icon: '↺', word: 'In progress', className: 'st-running' },
  done: { icon: '✓', word: 'Done', className: 'st-ok' },
  failed: { icon: '✗', word: 'Failed', className: 'st-bad' },
};

export const ROLLBACK_OUTCOMES: Record<RollbackSnapshot['steps'][number]['outcome'], StateLook> = {
  pending: { icon: '○', word: 'To do', className: 'st-idle' },
  inProgress: { icon: '↺', word: 'In progress', className: 'st-running' },
  done: { icon: '✓', word: 'Done', className: 'st-ok' },
  failed: { icon: '✗', word: 'Failed', className: 'st-bad' },
  skipped: { icon: '↷', word: 'Skipped', className: 'st-idle' },
};

/** An approval or check a stage waits on: a person or a service, not the train. */
export const CHECK_LOOK: StateLook = { icon: '☐', word: 'Waiting for', className: 'st-person' };

/** A state not in the tables (a newer reader than this page): shown as the word it is. */
export function lookOf<K extends string>(table: Record<K, StateLook>, state: string): StateLook {
  return (table as Record<string, StateLook>)[state] ?? { icon: '?', word: state, className: 'st-idle' };
}
