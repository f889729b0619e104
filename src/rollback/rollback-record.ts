import { readJsonProperty } from '../annotations/json-property';
import { sha256Hex } from '../annotations/sha256';
import type { MatchSettings } from '../runs/match-mode';
import type { PipelineIdentity } from '../refs/pipeline-identity';

/**
 * What the leader of a rollback keeps on its own run (a build property, one per train): the plan and how far each
 * member's step got, rewritten when the plan is made and after each step. The train view reads it to show the plan,
 * the leader, each member's action and outcome in order, and what is still to do. A classic release leading keeps
 * none: a release has no properties, and tags would cost a request per piece at every step.
 */
export interface RollbackRecord {
  train: string;
  /** The leading run. */
  leader: { kind: 'build'; project: string; runId: number; definitionName?: string };
  /** reverse: one step at a time, in the order of `steps`; parallel: every step at once. */
  order: 'reverse' | 'parallel';
  /** How the train's runs are recognised, as the rollback matched them. */
  match?: MatchSettings;
  /** inProgress while steps remain; done when every step is done or skipped; failed when a step failed. */
  state: 'inProgress' | 'done' | 'failed';
  /** ISO time of this write. */
  updatedAt: string;
  /** In the order they are done. */
  steps: RollbackRecordStep[];
}

export interface RollbackRecordStep extends PipelineIdentity {
  /** The participant as written (`api@Prod`). */
  label: string;
  /** The stage (YAML) or environment (classic) rolled back. */
  stage?: string;
  action: 'retryStage' | 'redeployEnvironment' | 'queueRun' | 'skip' | 'none';
  /** What will be done, as a person reads it. */
  describe: string;
  /** The member's run of the train, and the run it goes back to. */
  trainRun?: { id: number; name: string };
  target?: { id: number; name: string };
  /** pending until issued; done (rolled back) or failed; skipped when the train never deployed the member. */
  outcome: 'pending' | 'done' | 'failed' | 'skipped';
  /** ISO time the outcome was known. */
  at?: string;
  /** Why (skip, failure), or what came of it. */
  message?: string;
}

export function rollbackRecordName(train: string): string {
  return `Lockstep.Rollback.Plan.${sha256Hex(train).slice(0, 20)}`;
}

/** The rollback record of one train in a run's properties (as the client or the wire has them). */
export function readRollbackRecord(properties: unknown, train: string): RollbackRecord | undefined {
  return readJsonProperty<RollbackRecord>(properties, rollbackRecordName(train), isRollbackRecord);
}

/** Every rollback record in a run's properties, whatever its train (the name hashes the train; the record names it). */
export function readRollbackRecords(properties: unknown): RollbackRecord[] {
  const names = Object.keys((properties ?? {}) as Record<string, unknown>).filter((n) => /^Lockstep\.Rollback\.Plan\./i.test(n));
  return names.map((n) => readJsonProperty<RollbackRecord>(properties, n, isRollbackRecord)).filter((r): r is RollbackRecord => r !== undefined);
}

function isRollbackRecord(r: RollbackRecord): boolean {
  return typeof r.train === 'string' && Array.isArray(r.steps);
}

/** A record's state from its steps. */
export function rollbackState(steps: RollbackRecordStep[]): RollbackRecord['state'] {
  if (steps.some((s) => s.outcome === 'pending')) return 'inProgress';
  return steps.some((s) => s.outcome === 'failed') ? 'failed' : 'done';
}
