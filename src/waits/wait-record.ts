import { readJsonProperty } from '../annotations/json-property';
/**
 * What a waiting Lockstep task publishes on its own run (build property `Lockstep.Waiting`) while it waits,
 * and removes when it is done: where it waits and for what. Other waiting tasks read it to find waits that form a
 * cycle across pipelines (a deadlock), which no single pipeline can see on its own.
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
}

/** One thing a waiting task waits for. */
export interface WaitTarget {
  /** As the waiting task names it (its reference, or member label). */
  label: string;
  kind: 'yaml' | 'release';
  project: string;
  definitionId: number;
  definitionName: string;
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
