import { readJsonProperty } from '../annotations/json-property';
import { sha256Hex } from '../annotations/sha256';
import { fromTagText, TagHost, tagText } from '../annotations/tag-text';

/**
 * The marks CoordinatedRollback writes, readable in the runs' headers. On a YAML run (tags change in a PATCH body):
 *   lockstep:rollback-claim@<train>               on an invoking run: it asks to roll the train back
 *   lockstep:rollback-lead@<train>                on the invoking run that performs it (the leader)
 *   lockstep:rolled-back@<train>                  on a member's last good run that was redeployed for the train
 * On a classic release, whose tags are removed by their URL path, where the service refuses `:` (tag-text.ts):
 *   lockstep.rollback-claim@<train>               on an invoking release
 *   lockstep.rollback-lead@<train>                on the invoking release that leads
 *   lockstep.rolled-back@<train>@<env>.<attempt>  on a member's last good release, with the environment and the
 *                                                 deployment attempt it had before (releases keep no properties)
 */
export interface RollbackMarks {
  claim: string;
  lead: string;
  rolledBack: string;
  releaseRolledBack(environment: string, attemptBefore: number): string;
}

export function rollbackMarks(train: string, on: TagHost = 'build'): RollbackMarks {
  const t = tagText(train, on);
  if (on === 'release') {
    return {
      claim: `lockstep.rollback-claim@${t}`,
      lead: `lockstep.rollback-lead@${t}`,
      rolledBack: `lockstep.rolled-back@${t}`,
      releaseRolledBack: (environment: string, attemptBefore: number) => `lockstep.rolled-back@${t}@${tagText(environment, 'release')}.${attemptBefore}`,
    };
  }
  return {
    claim: `lockstep:rollback-claim@${t}`,
    lead: `lockstep:rollback-lead@${t}`,
    rolledBack: `lockstep:rolled-back@${t}`,
    // What Lockstep 0.1.0 wrote on releases; only read now (readReleaseRolledBack).
    releaseRolledBack: (environment: string, attemptBefore: number) => `lockstep:rolled-back@${t}:${tagText(environment)}~${attemptBefore}`,
  };
}

/**
 * The deployment attempt a classic ledger mark of this train and environment recorded, if the tag is one. Reads the
 * release spelling and the one Lockstep 0.1.0 wrote on releases (`lockstep:rolled-back@<train>:<env>~<attempt>`),
 * so a rollback begun by that version is still found.
 */
export function readReleaseRolledBack(tag: string, train: string, environment: string): number | undefined {
  for (const on of ['release', 'build'] as const) {
    const prefix = rollbackMarks(train, on).releaseRolledBack(environment, 0).replace(/0$/, '').toLowerCase();
    const rest = tag.toLowerCase().startsWith(prefix) ? tag.slice(prefix.length) : undefined;
    if (rest !== undefined && /^\d+$/.test(rest)) return Number(rest);
  }
  return undefined;
}

/**
 * Trains an earlier rollback undid, named by the marks it left: the rolled-back mark on its targets, the lead mark on
 * its runs — in either spelling (a run's, a release's, and 0.1.0's on releases, which was a run's).
 */
export function undoneTrains(tags: string[]): string[] {
  const trains: string[] = [];
  for (const tag of tags) {
    const run = /^lockstep:(rolled-back|rollback-lead)@([^:~]+)/i.exec(tag);
    if (run) trains.push(fromTagText(run[2]));
    const release = /^lockstep\.(rolled-back|rollback-lead)@([^@]+)/i.exec(tag);
    if (release) trains.push(fromTagText(release[2], 'release'));
  }
  return trains;
}

/** The rollback mark a tag is, in either spelling (a run's or a release's), and its train; undefined for other tags. */
export function readRollbackMark(tag: string): { mark: 'claim' | 'lead' | 'rolledBack'; train: string } | undefined {
  const run = /^lockstep:(rollback-claim|rollback-lead|rolled-back)@([^:~]+)/i.exec(tag);
  const release = run ? undefined : /^lockstep\.(rollback-claim|rollback-lead|rolled-back)@([^@]+)/i.exec(tag);
  const m = run ?? release;
  if (!m) return undefined;
  const mark = m[1].toLowerCase() === 'rollback-claim' ? 'claim' : m[1].toLowerCase() === 'rollback-lead' ? 'lead' : 'rolledBack';
  return { mark, train: fromTagText(m[2], run ? 'build' : 'release') };
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
  return `Lockstep.Rollback.${sha256Hex(train).slice(0, 20)}`;
}

export function readLedger(properties: unknown, name: string): LedgerEntry | undefined {
  return readJsonProperty<LedgerEntry>(properties, name, (e) => typeof e.attemptBefore === 'number');
}
