import type { Build, TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import type { MatchedRun, Observation } from './observation';
import { latestStage } from './stage-record';
import { BuildResult, BuildStatus, TaskResult, TimelineRecordState } from './wire-enums';

/** Stage results that end a stage without success. */
const stageFailures = new Set(['failed', 'canceled', 'skipped', 'abandoned']);

export function matchedBuild(build: Build, collectionUrl: string, project: string): MatchedRun {
  const web = (build._links as { web?: { href?: string } } | undefined)?.web?.href;
  return {
    kind: 'build',
    id: build.id!,
    name: build.buildNumber ?? String(build.id),
    webUrl: web ?? `${collectionUrl}/${encodeURIComponent(project)}/_build/results?buildId=${build.id}`,
  };
}

/** The verdict on a YAML run as a whole (no stage condition). */
export function observeBuild(build: Build, run: MatchedRun, acceptPartiallySucceeded: boolean): Observation {
  const name = runName(run);
  const status = enumName(BuildStatus, build.status);
  if (status !== 'completed') return { verdict: 'waiting', state: `${name} ${status}`, run };
  const result = enumName(BuildResult, build.result);
  const met = result === 'succeeded' || (result === 'partiallySucceeded' && acceptPartiallySucceeded);
  return { verdict: met ? 'met' : 'failed', state: `${name} ${result}`, run, result };
}

/**
 * The verdict on one stage of a YAML run, from its timeline. A retried stage has a record per attempt;
 * the latest attempt decides. In a finished run, a stage absent from the timeline never ran and counts as skipped,
 * while a stage still pending there waits for a person to start it (see waitsForPerson) and fails nothing.
 */
export function observeStage(build: Build, records: TimelineRecord[], stage: string, run: MatchedRun, acceptPartiallySucceeded: boolean): Observation {
  const name = `${runName(run)}: stage ${stage}`;
  const record = latestStage(records, stage);
  const buildDone = enumName(BuildStatus, build.status) === 'completed';
  if (!record) {
    if (buildDone) return { verdict: 'failed', state: `${name} did not run`, run, result: 'skipped' };
    return { verdict: 'waiting', state: `${name} not started`, run };
  }
  const state = enumName(TimelineRecordState, record.state);
  if (state !== 'completed') {
    if (buildDone && waitsForPerson(record)) return { verdict: 'waiting', state: `${runName(run)}: ${startedByPerson([stage])}`, run };
    // A stage caught running when its run finished will not go on.
    if (buildDone) return { verdict: 'failed', state: `${name} did not run`, run, result: 'skipped' };
    return { verdict: 'waiting', state: `${name} ${state}`, run };
  }
  const result = enumName(TaskResult, record.result);
  const met = result === 'succeeded' || (result === 'succeededWithIssues' && acceptPartiallySucceeded);
  if (met) return { verdict: 'met', state: `${name} ${result}`, run, result };
  return { verdict: stageFailures.has(result) || result === 'succeededWithIssues' ? 'failed' : 'waiting', state: `${name} ${result}`, run, result };
}

/** How stages a person can still start read in a state line: "stage Prod waits to be started by a person". */
export function startedByPerson(stages: string[]): string {
  return stages.length === 1 ? `stage ${stages[0]} waits to be started by a person` : `stages ${stages.join(', ')} wait to be started by a person`;
}

/**
 * A stage a person can still start: its record still pending, without a result, in a run that has finished. The run
 * completes while only manual stages (`trigger: manual`) and the stages after them remain; a person may start one at
 * any time, which puts the run back in progress. A stage the run passed over (a condition, a failure before it)
 * completes as skipped instead, and a stage the timeline does not have never ran: both did not run.
 */
export function waitsForPerson(record: TimelineRecord): boolean {
  return enumName(TimelineRecordState, record.state) === 'pending' && (record.result === undefined || record.result === null);
}

function runName(run: MatchedRun): string {
  return `run ${run.name} (#${run.id})`;
}

/** The client turns enum strings into numbers; turn them back into the service's camelCase words. */
export function enumName(enumeration: Readonly<Record<number, string>>, value: unknown): string {
  if (typeof value === 'string') return value.charAt(0).toLowerCase() + value.slice(1);
  const key = typeof value === 'number' ? enumeration[value] : undefined;
  return typeof key === 'string' ? key.charAt(0).toLowerCase() + key.slice(1) : 'unknown';
}
