import { readJsonProperty } from '../annotations/json-property';
import type { MatchSettings } from '../runs/match-mode';
import type { PipelineIdentity } from '../refs/pipeline-identity';

/**
 * What a waiting Lockstep task publishes on its own run (build property `Lockstep.Waiting`) while it waits, and
 * rewrites with `ended` when the wait is over: where it waits and for what. Other waiting tasks read it to find waits
 * that form a cycle across pipelines (a deadlock), which no single pipeline can see on its own; the train view reads
 * it to show who waits (and waited) on whom.
 */
export interface WaitRecord {
  task: 'SyncGate' | 'WaitForDependency';
  /** The waiting run's kind: a YAML (build) run, or a classic release; absent in records of earlier versions (yaml). */
  kind?: 'yaml' | 'release';
  /** The waiting run's pipeline, as a target would name it. */
  project: string;
  definitionId: number;
  definitionName: string;
  /** The stage (or classic environment) the task runs in. */
  stage?: string;
  /**
   * Which attempt of that stage (System.StageAttempt; Release.AttemptNumber) and the job's timeline record id
   * (System.JobId): what tells a live wait from one a killed waiter left behind (see wait-liveness.ts). Absent in
   * records of earlier versions.
   */
  stageAttempt?: number;
  jobId?: string;
  /** For SyncGate: the gate and train it waits at. */
  gate?: string;
  train?: string;
  waitsFor: WaitTarget[];
  /** ISO time the wait started. */
  since: string;
  /**
   * Set when this wait ended on a deadlock it found. The record then stays on the run, so that the other waits of
   * the cycle, polling later, still see the cycle and fail too instead of waiting for a run that has given up.
   */
  deadlock?: string;
  /** With deadlock: the cycle's pipelines in order, from this run's back to it (the train view draws it). */
  cycle?: CycleStep[];
  /**
   * How the task recognised its targets' runs (a train's runs), so that the train view finds the same runs. The
   * branch is this run's: its runs come first where several match (deciding-run.ts). Absent in earlier records.
   */
  match?: MatchSettings;
  /** SyncGate: how many members, this one included, must arrive for the gate to open (the quorum, or all). */
  needed?: number;
  /** ISO time the wait gives up (its timeout). */
  timeoutAt?: string;
  /**
   * Set when the wait is over; the record then no longer counts as a wait (deadlock detection ignores it) unless
   * `deadlock` is set. Earlier versions removed the record instead.
   */
  ended?: { at: string; outcome: WaitOutcome };
}

/**
 * How a wait ended: met (WaitForDependency: everything it awaited succeeded), passed (SyncGate: the gate opened),
 * failed (what it waited on failed, or the task failed), timedOut, canceled, deadlock (it found a cycle), withdrawn
 * (SyncGate: it left the gate because another member failed, left or died).
 */
export const waitOutcomes = ['met', 'passed', 'failed', 'timedOut', 'canceled', 'deadlock', 'withdrawn'] as const;
export type WaitOutcome = (typeof waitOutcomes)[number];

/** One pipeline on a deadlock's cycle, with the stage (or gate) it is awaited at. */
export interface CycleStep extends PipelineIdentity {
  stage?: string;
  gate?: string;
}

/** One thing a waiting task waits for. */
export interface WaitTarget extends PipelineIdentity {
  /** As the waiting task names it (its reference, or member label). */
  label: string;
  /** A stage or environment of the target's run, when only that is awaited. */
  stage?: string;
  /** A gate (and train) the target must arrive at. */
  gate?: string;
  train?: string;
  /** The target's matched run, when one matched. */
  runId?: number;
}

export const waitPropertyName = 'Lockstep.Waiting';

export function readWaitRecord(properties: unknown): WaitRecord | undefined {
  return readJsonProperty<WaitRecord>(properties, waitPropertyName, (r) => Array.isArray(r.waitsFor));
}
