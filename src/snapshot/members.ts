import type { Build, TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import type { Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { readGateMarks } from '../gate/gate-marks';
import { gatePropertyName, readGateRecord } from '../gate/gate-record';
import { waitsForPerson } from '../runs/build-state';
import { decidingRun, didNotRunStage, neverDeployed, orderBuilds, orderReleases } from '../runs/deciding-run';
import { buildFilters, buildMatches, MatchSettings, releaseMatches } from '../runs/match-mode';
import { latestStages } from '../runs/stage-record';
import { readRunRecords, RunRecords } from './run-records';
import type { SnapshotSource } from './snapshot-source';
import { buildFinished, releaseFinished } from './stages';
import { unreadableLine } from './unreadable';
import type { PipelineIdentity } from '../refs/pipeline-identity';

/** A member of the train as the records name it, and how the train awaits it (which decides its train run). */
export interface MemberRef extends PipelineIdentity {
  key: string;
  label: string;
  /** The stage (environment) awaited of it, or the gate it is awaited at. */
  stage?: string;
  gate?: { gate: string; train: string };
}

/** What one read found of a member: its train run (the origin's own run for the origin), its timeline and records. */
export interface MemberRun {
  ref: MemberRef;
  origin: boolean;
  build?: Build;
  release?: Release;
  /** The YAML run's timeline records. */
  records?: TimelineRecord[];
  runRecords?: RunRecords;
  /** Why no run is shown: none matches yet, or it could not be read (then `unreadable`). */
  noRun?: string;
  unreadable?: string;
}

export interface MemberReadOptions {
  match: MatchSettings;
  /** Build properties asked for with each run: the records a member may carry. */
  properties: string[];
  runsPerDefinition: number;
  runsLookedAt: number;
}

export function memberKey(kind: string, project: string, definitionId: number): string {
  return `${kind}/${project.toLowerCase()}/${definitionId}`;
}

/**
 * Finds each member's train run as the tasks do (match-mode.ts, deciding-run.ts) — ONE builds list per project for
 * its YAML members, ONE releases list per classic member — then reads the timeline of each YAML member's run.
 * A member that cannot be read (403), or whose run vanished (404), gets a line in its place.
 */
export async function readMembers(source: SnapshotSource, refs: MemberRef[], options: MemberReadOptions): Promise<MemberRun[]> {
  const byProject = new Map<string, MemberRef[]>();
  for (const r of refs.filter((r) => r.kind === 'yaml')) byProject.set(r.project.toLowerCase(), [...(byProject.get(r.project.toLowerCase()) ?? []), r]);
  const runs = new Map<MemberRef, MemberRun>();
  await Promise.all([
    ...[...byProject.values()].map(async (group) => {
      for (const run of await readYamlGroup(source, group, options)) runs.set(run.ref, run);
    }),
    ...refs.filter((r) => r.kind === 'release').map(async (ref) => runs.set(ref, await readReleaseMember(source, ref, options))),
  ]);
  return refs.map((r) => runs.get(r)!);
}

async function readYamlGroup(source: SnapshotSource, group: MemberRef[], options: MemberReadOptions): Promise<MemberRun[]> {
  const { match } = options;
  const project = group[0].project;
  let builds: Build[];
  try {
    builds = await source.listBuilds(project, { definitions: [...new Set(group.map((m) => m.definitionId))], maxPerDefinition: options.runsPerDefinition, properties: options.properties, ...buildFilters(match) });
  } catch (error) {
    return group.map((ref) => ({ ref, origin: false, unreadable: unreadableLine(error, ref) }));
  }
  return Promise.all(
    group.map(async (ref): Promise<MemberRun> => {
      const matching = orderBuilds(builds.filter((b) => b.definition?.id === ref.definitionId && buildMatches(match, b)), match);
      const timelines = new Map<number, Promise<TimelineRecord[]>>();
      // The run last asked about: a 404 then means it vanished after the list named it (retention, a person).
      let asked: number | undefined;
      const timeline = (b: Build) => {
        asked = b.id;
        if (!timelines.has(b.id!)) timelines.set(b.id!, source.getTimeline(project, b.id!));
        return timelines.get(b.id!)!;
      };
      try {
        const decision = await decidingRun(matching, ref.stage !== undefined ? options.runsLookedAt : matching.length, async (b) => (needsTimeline(ref, b) ? timeline(b) : undefined), (b, records) => passedOver(ref, b, records));
        if (!decision) return { ref, origin: false, noRun: noRunLine(ref, builds, options.runsPerDefinition) };
        const build = decision.run;
        // Where the list leaves properties out, the run's own properties say what it recorded.
        asked = build.id;
        const properties = build.properties ?? (await source.getBuildProperties(project, build.id!));
        const records = decision.seen ?? (await timeline(build));
        return { ref, origin: false, build, records, runRecords: readRunRecords('build', build.tags, properties) };
      } catch (error) {
        return { ref, origin: false, unreadable: unreadableLine(error, ref, asked) };
      }
    }),
  );
}

/**
 * Why a member shows no run. The builds list leaves out, without a word, the runs of a pipeline the identity may not
 * read (View builds denied on it): a pipeline with no run in the answer at all may be one.
 */
function noRunLine(ref: MemberRef, builds: Build[], runsPerDefinition: number): string {
  if (builds.some((b) => b.definition?.id === ref.definitionId)) return `no run of ${ref.definitionName} matches the train among its newest ${runsPerDefinition} runs`;
  return `no run of ${ref.definitionName} to be seen: none matches the train yet, or this identity may not read its runs (View builds on pipeline ${ref.definitionName} in ${ref.project})`;
}

/** The timeline decides whether a candidate is passed over only for a stage awaited, and for a gate member's finished run. */
function needsTimeline(ref: MemberRef, build: Build): boolean {
  if (ref.stage !== undefined) return true;
  return ref.gate !== undefined && buildFinished(build) && !arrivedAtGate(ref, build);
}

/** deciding-run.ts: a run that did not run the awaited stage, or a gate member's run that finished without reaching the gate. */
function passedOver(ref: MemberRef, build: Build, records: TimelineRecord[] | undefined): boolean {
  if (ref.stage !== undefined) return didNotRunStage(build, records ?? [], ref.stage);
  if (ref.gate === undefined || !buildFinished(build) || arrivedAtGate(ref, build)) return false;
  return !latestStages(records ?? []).some(waitsForPerson);
}

function arrivedAtGate(ref: MemberRef, build: Build): boolean {
  const { gate, train } = ref.gate!;
  return readGateMarks(build.tags, gate, train, 'build').length > 0 || readGateRecord(build.properties, gatePropertyName(gate, train)) !== undefined;
}

async function readReleaseMember(source: SnapshotSource, ref: MemberRef, options: MemberReadOptions): Promise<MemberRun> {
  const { match } = options;
  try {
    const releases = await source.listReleases(ref.project, { definitionId: ref.definitionId, top: options.runsPerDefinition, tags: match.mode === 'tag' ? [match.value!] : undefined, activeOnly: true });
    const matching = orderReleases(releases.filter((r) => releaseMatches(match, r)), match);
    const decision = await decidingRun(matching, matching.length, async (r) => r, (r) => {
      if (ref.gate) return readGateMarks(r.tags, ref.gate.gate, ref.gate.train, 'release').length === 0 && neverDeployed(r, undefined);
      return neverDeployed(r, ref.stage);
    });
    if (!decision) return { ref, origin: false, noRun: `no release of ${ref.definitionName} matches the train among its newest ${options.runsPerDefinition}` };
    return { ref, origin: false, release: decision.run, runRecords: readRunRecords('release', decision.run.tags) };
  } catch (error) {
    return { ref, origin: false, unreadable: unreadableLine(error, ref) };
  }
}

/** The member a target (or cycle step, or plan step) names, among those read. */
export type FindMember = (target: { kind: 'yaml' | 'release'; project: string; definitionId: number }) => MemberRun | undefined;

export function memberFinder(runs: MemberRun[]): FindMember {
  const byKey = new Map(runs.map((r) => [r.ref.key, r]));
  return (t) => byKey.get(memberKey(t.kind, t.project, t.definitionId));
}

/** A member's run id, what it is (YAML run or release), and whether it has finished. */
export function runOf(run: MemberRun): { kind: 'yaml' | 'release'; project: string; id: number; finished: boolean } | undefined {
  if (run.build) return { kind: 'yaml', project: run.ref.project, id: run.build.id!, finished: buildFinished(run.build) };
  if (run.release) return { kind: 'release', project: run.ref.project, id: run.release.id!, finished: releaseFinished(run.release) };
  return undefined;
}
