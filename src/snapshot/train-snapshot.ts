import type { PipelineIdentity } from '../refs/pipeline-identity';

/**
 * What the live train view shows: one train as it stands at one moment, read from the runs themselves (their tags,
 * Lockstep's records, timelines and releases) by readTrain. Plain data: the view renders it, tests assert on it.
 * Every string in it may come from someone who can queue or tag a run (names, tags, stage names): render as text.
 */
export interface TrainSnapshot {
  /** The run the view was opened on (a run tab, a release tab) or chosen in the hub. */
  origin: RunRef;
  /** The train's id where one is named (a gate's or rollback's train), else what the waits matched on (a commit). */
  train?: string;
  members: MemberSnapshot[];
  gates: GateSnapshot[];
  /** Waits of one member on another that form a cycle, as member labels in order (A → B → A). */
  deadlocks: string[][];
  rollback?: RollbackSnapshot;
  /** ISO time the snapshot was read (the view says "updated N s ago" from it). */
  readAt: string;
  /** Requests this read made (the view reports it; tests and the bench assert it). */
  requests: number;
  /** True when every member's run has finished: the view stops refreshing. */
  settled: boolean;
  /** Lines in place of what could not be read (403, a vanished run, nothing recorded yet). */
  notices: string[];
}

export interface RunRef {
  kind: 'build' | 'release';
  project: string;
  id: number;
  /** Run number or release name. */
  name: string;
  /** Pipeline (definition) id and name. */
  definitionId: number;
  definitionName: string;
  webUrl: string;
}

export type RunState = 'notStarted' | 'queued' | 'inProgress' | 'succeeded' | 'partiallySucceeded' | 'failed' | 'canceled' | 'skipped' | 'waitsForPerson' | 'unknown';

export interface MemberSnapshot extends PipelineIdentity {
  /** As the train names it (a participant or dependency reference, or the pipeline's name). */
  label: string;
  /** The member's train run; absent when none matched yet. */
  run?: RunRef & { state: RunState; queuedAt?: string; startedAt?: string; finishedAt?: string };
  /** Stages (YAML) or environments (classic), in order, latest attempt each. */
  stages: StageSnapshot[];
  /** The Lockstep step the member is in, when it runs one. */
  step?: StepSnapshot;
  /** When this member could not be read: why, in one line ("No permission to read pipeline web (403)"). */
  unreadable?: string;
  /** When no train run of it is shown though it could be read: why, in one line ("no run of web matches the train …"). */
  noRun?: string;
}

export interface StageSnapshot {
  name: string;
  /** A YAML stage's identifier (what waits name: `Prod` for a stage displayed `Production`); absent for environments. */
  identifier?: string;
  state: RunState;
  attempt: number;
  startedAt?: string;
  finishedAt?: string;
  /** Approvals and checks it waits on (kind, name, since). */
  pendingChecks: Array<{ kind: string; name?: string; since?: string }>;
}

/** A member's Lockstep task and what it is doing. */
export interface StepSnapshot {
  task: 'WaitForDependency' | 'SyncGate' | 'CoordinatedRollback';
  /** The stage or environment it runs in. */
  stage?: string;
  /** waitingOnPeer: blocked by train members (not queued, not an approval); atGate: arrived, waiting for others. */
  state: 'waitingOnPeer' | 'atGate' | 'passed' | 'met' | 'failed' | 'timedOut' | 'canceled' | 'deadlock' | 'withdrawn' | 'rollingBack' | 'done';
  since?: string;
  endedAt?: string;
  /** What it waits on: member labels (with stage or gate). */
  waitsFor: Array<{ label: string; stage?: string; gate?: string; met?: boolean }>;
  /** What happens next, in words ("passes when web@Deploy succeeds"; "fails at 14:05 UTC unless …"). */
  next?: string;
}

export interface GateSnapshot {
  gate: string;
  train: string;
  /** Members needed to open (quorum or all). */
  needed: number;
  arrived: Array<{ label: string; at?: string; open: boolean }>;
  missing: string[];
  state: 'waiting' | 'open' | 'withdrawn';
  openedAt?: string;
  /** Why a member left, when one did (its own final message). */
  withdrawn: Array<{ label: string; reason?: string }>;
}

export interface RollbackSnapshot {
  train: string;
  leader?: string;
  claimants: string[];
  /** In the order they are (or were) done: reverse dependency order. */
  steps: Array<{ label: string; action: string; target?: string; outcome: 'pending' | 'inProgress' | 'done' | 'failed' | 'skipped'; at?: string; message?: string }>;
  state: 'planned' | 'inProgress' | 'done' | 'failed';
}
