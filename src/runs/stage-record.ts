import type { TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';

/**
 * A stage's record in a run's timeline, by identifier (its YAML name) or display name. A retried stage has a record
 * per attempt: the latest attempt is the stage's state.
 */
export function latestStage(records: TimelineRecord[], stage: string): TimelineRecord | undefined {
  const wanted = stage.toLowerCase();
  return records
    .filter((r) => r.type === 'Stage' && (r.identifier?.toLowerCase() === wanted || r.name?.toLowerCase() === wanted))
    .sort((a, b) => (b.attempt ?? 1) - (a.attempt ?? 1))[0];
}

/** Every stage of a run at its latest attempt. */
export function latestStages(records: TimelineRecord[]): TimelineRecord[] {
  const latest = new Map<string, TimelineRecord>();
  for (const r of records.filter((r) => r.type === 'Stage')) {
    const key = (r.identifier ?? r.name ?? '').toLowerCase();
    const seen = latest.get(key);
    if (!seen || (r.attempt ?? 1) > (seen.attempt ?? 1)) latest.set(key, r);
  }
  return [...latest.values()];
}

/** A check or approval the stage waits on before it runs: its kind, its name, and since when. */
export interface PendingCheck {
  /** "approval", "exclusive lock", "check": from the record type Checkpoint.Approval, Checkpoint.ExclusiveLock, … */
  kind: string;
  /** Its own name, when it has one beyond its type (an approval's record is named by its type alone). */
  name?: string;
  since?: Date;
}

/**
 * The checks (approvals, exclusive locks, other checks) a stage is waiting on: records of type Checkpoint.* under the
 * stage's Checkpoint record that are still in progress. A retried stage runs its checks again, so a retry can wait here.
 */
export function pendingChecks(records: TimelineRecord[], stage: TimelineRecord): PendingCheck[] {
  const below = new Set([stage.id]);
  // Records are not in tree order: widen the set of descendants until it stops growing.
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of records) if (r.parentId && below.has(r.parentId) && !below.has(r.id)) (below.add(r.id), (grew = true));
  }
  return records
    .filter((r) => r.id !== stage.id && below.has(r.id) && /^Checkpoint\./.test(r.type ?? '') && r.state !== undefined && isInProgress(r.state))
    .map((r) => ({
      kind: (r.type ?? '').slice('Checkpoint.'.length).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase(),
      name: r.name && r.name !== r.type ? r.name : undefined,
      since: r.startTime ? new Date(r.startTime) : undefined,
    }));
}

function isInProgress(state: unknown): boolean {
  // The client turns the service's "inProgress" into TimelineRecordState.InProgress (1).
  return state === 1 || state === 'inProgress';
}
