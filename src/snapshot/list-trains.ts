import type { Build } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import type { Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import type { PipelineIdentity } from '../refs/pipeline-identity';
import { waitPropertyName } from '../waits/wait-record';
import { memberKey, MemberRun } from './members';
import type { Origin } from './origin';
import { hasRecords, readRunRecords } from './run-records';
import type { SnapshotSource } from './snapshot-source';
import { SourceError } from './source-error';
import { buildFinished, buildState, iso, releaseFinished, releaseState } from './stages';
import { trainMembers } from './train-members';
import type { RunState } from './train-snapshot';

/** One train in the "Release trains" hub: its id, its runs that recorded something, and how to open it. */
export interface TrainSummary {
  /** As Lockstep records it: a gate's or rollback's train, else the commit (or value) its waits match on. */
  train: string;
  /** The run the train is opened on: its newest run that recorded something. */
  origin: Origin;
  /** One run per pipeline (the newest), newest first. */
  runs: Array<PipelineIdentity & { id: number; name: string; state: RunState; at?: string }>;
  /** Some run still going. */
  active: boolean;
  /** The newest of its runs' queue (or creation) times. */
  lastActivity?: string;
  state: 'inProgress' | 'failed' | 'succeeded';
}

export interface TrainList {
  trains: TrainSummary[];
  requests: number;
  /** Lines in place of what could not be read. */
  notices: string[];
}

/** How far back the hub looks: the project's newest runs and releases, one request each. */
export const trainListReach = { runs: 200, releases: 50 };

/**
 * The project's trains, newest first with the active ones on top, for the hub: from ONE list of the project's newest
 * runs (their tags and their wait record, the one property every Lockstep step writes) and ONE list of its newest
 * classic releases (tags), each run's train named by the same rule as the train view's (train-members.ts). A train
 * all of whose runs are older than that reach is not listed.
 */
export async function listTrains(source: SnapshotSource, project: string, reach = trainListReach): Promise<TrainList> {
  const before = source.requests;
  const notices: string[] = [];
  const [builds, releases] = await Promise.all([
    source.listBuilds(project, { top: reach.runs, properties: [waitPropertyName] }).catch((e: unknown) => (notices.push(line('runs', project, e)), [] as Build[])),
    source.listReleases(project, { top: reach.releases, activeOnly: true }).catch((e: unknown) => (notices.push(line('releases', project, e)), [] as Release[])),
  ]);
  const trains = new Map<string, TrainSummary>();
  const add = (run: MemberRun, entry: TrainSummary['runs'][number], finished: boolean) => {
    if (!hasRecords(run.runRecords!)) return;
    const train = trainMembers(run).train;
    if (!train) return;
    const summary = trains.get(train) ?? { train, origin: { kind: run.build ? 'build' : 'release', project, id: entry.id }, runs: [], active: false, state: 'succeeded' as const };
    // One run per pipeline: the newest (lists come newest first).
    if (summary.runs.some((r) => memberKey(r.kind, r.project, r.definitionId) === run.ref.key)) return;
    summary.runs.push(entry);
    summary.active ||= !finished;
    if (!summary.lastActivity || (entry.at ?? '') > summary.lastActivity) {
      summary.lastActivity = entry.at;
      summary.origin = { kind: run.build ? 'build' : 'release', project, id: entry.id };
    }
    trains.set(train, summary);
  };
  for (const build of builds) {
    const definitionId = build.definition?.id ?? -1;
    const definitionName = build.definition?.name ?? String(definitionId);
    const run: MemberRun = { ref: { key: memberKey('yaml', project, definitionId), label: definitionName, kind: 'yaml', project, definitionId, definitionName }, origin: true, build, runRecords: readRunRecords('build', build.tags, build.properties) };
    add(run, { kind: 'yaml', project, definitionId, definitionName, id: build.id!, name: build.buildNumber ?? String(build.id), state: buildState(build), at: iso(build.queueTime) }, buildFinished(build));
  }
  for (const release of releases) {
    const definitionId = release.releaseDefinition?.id ?? -1;
    const definitionName = release.releaseDefinition?.name ?? String(definitionId);
    const run: MemberRun = { ref: { key: memberKey('release', project, definitionId), label: definitionName, kind: 'release', project, definitionId, definitionName }, origin: true, release, runRecords: readRunRecords('release', release.tags) };
    add(run, { kind: 'release', project, definitionId, definitionName, id: release.id!, name: release.name ?? String(release.id), state: releaseState(release), at: iso(release.createdOn) }, releaseFinished(release));
  }
  for (const summary of trains.values()) summary.state = summary.active ? 'inProgress' : summary.runs.some((r) => failed.has(r.state)) ? 'failed' : 'succeeded';
  const order = [...trains.values()].sort((a, b) => Number(b.active) - Number(a.active) || (b.lastActivity ?? '').localeCompare(a.lastActivity ?? ''));
  return { trains: order, requests: source.requests - before, notices };
}

const failed = new Set<RunState>(['failed', 'canceled', 'partiallySucceeded']);

function line(what: 'runs' | 'releases', project: string, error: unknown): string {
  const status = error instanceof SourceError ? ` — ${error.status}` : '';
  const message = error instanceof Error ? error.message : String(error);
  return `Could not list the ${what === 'runs' ? 'newest runs' : 'newest classic releases'} of ${project}${status}: ${message}`;
}
