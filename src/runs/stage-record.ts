import { TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';

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
