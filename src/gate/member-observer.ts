import { Build, BuildResult, BuildStatus, TimelineRecord, TimelineRecordState } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { EnvironmentStatus, Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { AzureDevOps } from '../client/azure-devops';
import { enumName, matchedBuild, startedByPerson, waitsForPerson } from '../runs/build-state';
import { buildFilters, buildMatches, MatchSettings, releaseMatches } from '../runs/match-mode';
import { newestBuild, newestRelease } from '../runs/newest-run';
import { MatchedRun } from '../runs/observation';
import { matchedRelease } from '../runs/release-state';
import { latestStage, latestStages } from '../runs/stage-record';
import { ensureProperties } from '../runs/build-properties';
import { readWaitRecordFromTags } from '../waits/wait-tags';
import { readWaitRecord, WaitRecord, waitPropertyName } from '../waits/wait-record';
import { GateMember } from './gate-member';
import { gateMarks, GateMarks } from './gate-marks';
import { gatePropertyName, GateRecord, readGateRecord } from './gate-record';

/** What one poll saw of one other member. */
export interface MemberView {
  member: GateMember;
  /** The member's train run, once one exists. */
  run?: MatchedRun;
  /** How the train run ended, when it has: succeeded, failed, canceled, rejected... */
  endedAs?: string;
  /**
   * Stages of a finished train run that has not arrived which a person can still start (a `trigger: manual` stage,
   * and those after it): the member can still arrive, so it is not gone.
   */
  manualStages?: string[];
  arrival: 'none' | 'arrived' | 'open';
  /** The member's own record of its arrival (YAML members). */
  record?: GateRecord;
  /** What the member's run is waiting for, if it waits in a Lockstep task. */
  waiting?: WaitRecord;
  /** What a person reads: "run 2.3.0 (#12) arrived", "no train run yet"... */
  state: string;
  build?: Build;
  release?: Release;
}

const activeEnvironment = new Set(['inProgress', 'queued', 'scheduled']);
const failedEnvironment = new Set(['rejected', 'canceled']);

/**
 * Reads every other member's train run at the cost of one builds-list request per project (tags and Lockstep's
 * properties ride along) and one releases-list request per classic member.
 */
export class MemberObserver {
  private readonly marks: GateMarks;
  private readonly recordName: string;
  /** Finished train runs' timelines, kept while each run stays finished as it was (same finish time). */
  private readonly finishedTimelines = new Map<number, { finished: string; records: TimelineRecord[] }>();

  constructor(
    private readonly api: AzureDevOps,
    gate: string,
    train: string,
    private readonly match: MatchSettings,
    private readonly runsPerDefinition: number,
  ) {
    this.marks = gateMarks(gate, train);
    this.recordName = gatePropertyName(gate, train);
  }

  async observe(members: GateMember[]): Promise<MemberView[]> {
    const others = members.filter((m) => !m.self);
    const views = new Map<GateMember, MemberView>();
    const yamlByProject = new Map<string, GateMember[]>();
    for (const m of others.filter((m) => m.kind === 'yaml')) yamlByProject.set(m.project.toLowerCase(), [...(yamlByProject.get(m.project.toLowerCase()) ?? []), m]);
    await Promise.all([
      ...[...yamlByProject.values()].map(async (group) => {
        const builds = await this.api.listBuilds(group[0].project, {
          definitionIds: group.map((m) => m.definitionId),
          maxPerDefinition: this.runsPerDefinition,
          properties: [this.recordName, waitPropertyName],
          ...buildFilters(this.match),
        });
        const trainRuns = group.map((m) => newestBuild(builds.filter((b) => b.definition?.id === m.definitionId && buildMatches(this.match, b))));
        await ensureProperties(this.api, group[0].project, trainRuns, [this.recordName, waitPropertyName]);
        await Promise.all(group.map(async (m, i) => views.set(m, await this.withManualStages(this.viewBuild(m, trainRuns[i])))));
      }),
      ...others
        .filter((m) => m.kind === 'release')
        .map(async (m) => {
          const tags = this.match.mode === 'tag' ? [this.match.value!] : undefined;
          const releases = await this.api.listReleases(m.project, m.definitionId, this.runsPerDefinition, tags);
          views.set(m, this.viewRelease(m, newestRelease(releases.filter((r) => releaseMatches(this.match, r)))));
        }),
    ]);
    return others.map((m) => views.get(m)!);
  }

  /**
   * An arrival counts only while it is live: the record's stage attempt is the stage's latest attempt (a retried
   * stage is a new attempt that must arrive again) and, unless it passed an open gate, that attempt still runs.
   */
  async isLive(view: MemberView): Promise<boolean> {
    if (view.arrival === 'none') return false;
    if (view.member.kind === 'release') {
      const active = (view.release?.environments ?? []).some((e) => activeEnvironment.has(enumName(EnvironmentStatus, e.status)));
      return view.arrival === 'open' || active;
    }
    const record = view.record;
    if (!record || record.state === 'withdrawn') return view.arrival === 'open' || view.endedAs === undefined;
    if (record.stage === undefined || record.stageAttempt === undefined) return record.state === 'open' || view.endedAs === undefined;
    const timeline = await this.api.getTimeline(view.member.project, view.run!.id);
    const stage = latestStage(timeline?.records ?? [], record.stage);
    if (!stage) return view.arrival === 'open';
    if ((stage.attempt ?? 1) !== record.stageAttempt) return false;
    return record.state === 'open' || stage.state !== TimelineRecordState.Completed;
  }

  /**
   * A member whose train run finished without arriving is gone, unless a person can still start one of its stages
   * (the gate may be in one): then it can still arrive, and says so. Costs one timeline read per such run, kept while
   * the run stays finished as it was (a manual start puts it back in progress).
   */
  private async withManualStages(view: MemberView): Promise<MemberView> {
    if (view.arrival !== 'none' || view.endedAs === undefined || !view.build) return view;
    const records = await this.finishedTimeline(view.member.project, view.build);
    const stages = latestStages(records).filter(waitsForPerson).sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
    if (stages.length === 0) return view;
    const names = stages.map((r) => r.identifier ?? r.name ?? '?');
    return { ...view, manualStages: names, state: `run ${view.run!.name} (#${view.run!.id}) completed; ${startedByPerson(names)}` };
  }

  private async finishedTimeline(project: string, build: Build): Promise<TimelineRecord[]> {
    const finished = build.finishTime ? String(new Date(build.finishTime).getTime()) : '';
    const cached = this.finishedTimelines.get(build.id!);
    if (cached && cached.finished === finished) return cached.records;
    const records = (await this.api.getTimeline(project, build.id!))?.records ?? [];
    this.finishedTimelines.set(build.id!, { finished, records });
    return records;
  }

  private viewBuild(member: GateMember, build: Build | undefined): MemberView {
    if (!build) return { member, arrival: 'none', state: 'no train run yet' };
    const run = matchedBuild(build, this.api.clients.collectionUrl, member.project);
    const tags = (build.tags ?? []).map((t) => t.toLowerCase());
    const record = readGateRecord(build.properties, this.recordName);
    const arrival = tags.includes(this.marks.open.toLowerCase()) ? 'open' : tags.includes(this.marks.arrived.toLowerCase()) ? 'arrived' : 'none';
    const endedAs = build.status === BuildStatus.Completed ? enumName(BuildResult, build.result) : undefined;
    const where = `run ${run.name} (#${run.id})`;
    const state = arrival === 'open' ? `${where} passed the gate` : arrival === 'arrived' ? `${where} arrived` : endedAs ? `${where} ${endedAs}` : `${where} ${enumName(BuildStatus, build.status)}, not arrived`;
    return { member, run, endedAs, arrival, record, waiting: readWaitRecord(build.properties), state, build };
  }

  private viewRelease(member: GateMember, release: Release | undefined): MemberView {
    if (!release) return { member, arrival: 'none', state: 'no train release yet' };
    const run = matchedRelease(release, this.api.clients.releaseUrl, member.project);
    const tags = (release.tags ?? []).map((t) => t.toLowerCase());
    const arrival = tags.includes(this.marks.open.toLowerCase()) ? 'open' : tags.includes(this.marks.arrived.toLowerCase()) ? 'arrived' : 'none';
    const statuses = (release.environments ?? []).map((e) => enumName(EnvironmentStatus, e.status));
    const failed = statuses.find((s) => failedEnvironment.has(s));
    const endedAs = failed && !statuses.some((s) => activeEnvironment.has(s)) ? failed : undefined;
    const where = `release ${run.name} (#${run.id})`;
    const state = arrival === 'open' ? `${where} passed the gate` : arrival === 'arrived' ? `${where} arrived` : endedAs ? `${where} ${endedAs}` : `${where} not arrived`;
    return { member, run, endedAs, arrival, state, release, waiting: readWaitRecordFromTags(release.tags) };
  }
}
