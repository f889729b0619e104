import { readJsonProperty } from '../annotations/json-property';
import { createHash } from 'node:crypto';
import { tagText } from '../annotations/tag-text';

/**
 * The marks CoordinatedRollback writes, readable in the runs' headers:
 *   lockstep:rollback-claim@<train>               on an invoking run: it asks to roll the train back
 *   lockstep:rollback-lead@<train>                on the invoking run that performs it (the leader)
 *   lockstep:rolled-back@<train>                  on a member's last good run that was redeployed for the train (YAML)
 *   lockstep:rolled-back@<train>:<env>~<attempt>  on a member's last good release, with the environment and the
 *                                                 deployment attempt it had before (classic releases keep no properties)
 */
export function rollbackMarks(train: string) {
  const t = tagText(train);
  return {
    claim: `lockstep:rollback-claim@${t}`,
    lead: `lockstep:rollback-lead@${t}`,
    rolledBack: `lockstep:rolled-back@${t}`,
    releaseRolledBack: (environment: string, attemptBefore: number) => `lockstep:rolled-back@${t}:${tagText(environment)}~${attemptBefore}`,
  };
}

/** On a YAML member's last good run: what was done to it for the train (the ledger entry). */
export interface LedgerEntry {
  train: string;
  stage: string;
  /** The stage's attempt before the retry; a later attempt is the rollback's. */
  attemptBefore: number;
  /** For queueRun: the run that was queued. */
  queuedRunId?: number;
  /** The invoking run that did it, and when. */
  by: number;
  at: string;
}

export function ledgerPropertyName(train: string): string {
  return `Lockstep.Rollback.${createHash('sha256').update(train).digest('hex').slice(0, 20)}`;
}

export function readLedger(properties: unknown, name: string): LedgerEntry | undefined {
  return readJsonProperty<LedgerEntry>(properties, name, (e) => typeof e.attemptBefore === 'number');
}
