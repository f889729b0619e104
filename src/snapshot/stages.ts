import type { Build, TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import type { Release, ReleaseEnvironment } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { enumName, waitsForPerson } from '../runs/build-state';
import { releaseActive } from '../runs/release-state';
import { latestStages, pendingChecks } from '../runs/stage-record';
import { BuildResult, BuildStatus, EnvironmentStatus, TaskResult, TimelineRecordState } from '../runs/wire-enums';
import type { RunState, StageSnapshot } from './train-snapshot';

/** A YAML run's state: queued, running, or how it ended. */
export function buildState(build: Build): RunState {
  const status = enumName(BuildStatus, build.status);
  if (status === 'notStarted' || status === 'postponed') return 'queued';
  if (status === 'inProgress' || status === 'cancelling') return 'inProgress';
  if (status !== 'completed') return 'unknown';
  return runResults[enumName(BuildResult, build.result)] ?? 'unknown';
}

export function buildFinished(build: Build): boolean {
  return enumName(BuildStatus, build.status) === 'completed';
}

/** A YAML run's stages in order, each at its latest attempt, with the checks and approvals it waits on. */
export function buildStages(build: Build, records: TimelineRecord[]): StageSnapshot[] {
  const done = buildFinished(build);
  return latestStages(records)
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map((r) => ({
      name: r.name ?? r.identifier ?? '?',
      identifier: r.identifier ?? undefined,
      state: stageState(r, done),
      attempt: r.attempt ?? 1,
      startedAt: iso(r.startTime),
      finishedAt: iso(r.finishTime),
      pendingChecks: pendingChecks(records, r).map((c) => ({ kind: c.kind, name: c.name, since: iso(c.since) })),
    }));
}

function stageState(record: TimelineRecord, runDone: boolean): RunState {
  const state = enumName(TimelineRecordState, record.state);
  // A stage still pending in a finished run is a manual stage (or one after it): a person may still start it.
  if (state === 'pending') return runDone && waitsForPerson(record) ? 'waitsForPerson' : 'notStarted';
  if (state === 'inProgress') return 'inProgress';
  return stageResults[enumName(TaskResult, record.result)] ?? 'unknown';
}

/** A classic release's state: running while an environment deploys or is queued, else the worst of how they ended. */
export function releaseState(release: Release): RunState {
  const states = (release.environments ?? []).map(environmentState);
  if (states.includes('inProgress')) return 'inProgress';
  if (states.includes('queued')) return 'queued';
  const ended: RunState[] = states.filter((s) => s !== 'notStarted' && s !== 'unknown');
  return worst.find((s) => ended.includes(s)) ?? 'notStarted';
}

export function releaseFinished(release: Release): boolean {
  return !releaseActive(release);
}

/** A classic release's environments, in the pipeline's order, with their latest deployment attempt and pending approvals. */
export function releaseStages(release: Release): StageSnapshot[] {
  return [...(release.environments ?? [])]
    .sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0))
    .map((e) => {
      const latest = [...(e.deploySteps ?? [])].sort((a, b) => (b.attempt ?? 0) - (a.attempt ?? 0))[0];
      const state = environmentState(e);
      const approvals = (e.preDeployApprovals ?? []).filter((a) => String(a.status).toLowerCase() === 'pending' || (a.status as unknown) === 1);
      return {
        name: e.name ?? '?',
        state,
        attempt: latest?.attempt ?? 1,
        startedAt: iso(latest?.queuedOn),
        finishedAt: state === 'inProgress' || state === 'queued' || state === 'notStarted' ? undefined : iso(latest?.lastModifiedOn),
        pendingChecks: approvals.map((a) => ({ kind: 'approval', name: a.approver?.displayName, since: iso(a.createdOn) })),
      };
    });
}

function environmentState(e: ReleaseEnvironment): RunState {
  return environmentStates[enumName(EnvironmentStatus, e.status)] ?? 'unknown';
}

/** A date as the wire (text) or the client (Date) has it, as ISO text. */
export function iso(value: Date | string | undefined | null): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const runResults: Record<string, RunState> = { succeeded: 'succeeded', partiallySucceeded: 'partiallySucceeded', failed: 'failed', canceled: 'canceled' };
const stageResults: Record<string, RunState> = { succeeded: 'succeeded', succeededWithIssues: 'partiallySucceeded', failed: 'failed', canceled: 'canceled', skipped: 'skipped', abandoned: 'canceled' };
const environmentStates: Record<string, RunState> = {
  notStarted: 'notStarted',
  undefined: 'notStarted',
  queued: 'queued',
  scheduled: 'queued',
  inProgress: 'inProgress',
  succeeded: 'succeeded',
  partiallySucceeded: 'partiallySucceeded',
  rejected: 'failed',
  canceled: 'canceled',
};
/** How a finished release reads: its worst environment first. */
const worst: RunState[] = ['failed', 'canceled', 'partiallySucceeded', 'succeeded'];
