import { Build, BuildResult, BuildStatus, TimelineRecordState } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { EnvironmentStatus, Release, ReleaseEnvironment, ReleaseStatus } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { AzureDevOps } from '../client/azure-devops';
import { enumName, matchedBuild, startedByPerson, waitsForPerson } from '../runs/build-state';
import type { HistorySearch } from '../polling/poll-policy';
import { decidingRun, neverDeployed, orderReleases } from '../runs/deciding-run';
import { MatchingBuilds } from '../runs/matching-builds';
import { MatchSettings, releaseMatches } from '../runs/match-mode';
import { MatchedRun } from '../runs/observation';
import { matchedRelease } from '../runs/release-state';
import { latestStage, latestStages } from '../runs/stage-record';
import { ensureProperties } from '../runs/build-properties';
import { readWaitRecordFromTags } from '../waits/wait-tags';
import { readWaitRecord, WaitRecord, waitPropertyName } from '../waits/wait-record';
import { GateMember } from './gate-member';
import { gateMarks, GateMarks, readGateMarks } from './gate-marks';
import { gatePropertyName, GateRecord, readGateRecord } from './gate-record';
import { FinishedTimelines } from '../runs/finished-timelines';

/** What one poll saw of one other member. */
export interface MemberView {
  member: GateMember;
  /** The member's train run, once one exists. */
  run?: MatchedRun;
  /**
   * How the train run ended, when it has: succeeded, failed, canceled, rejected... For a classic release that
   * arrived, how the environment that arrived ended; for one that did not, how the release ended (see viewRelease).
   */
  endedAs?: string;
  /**
   * Stages of a finished train run that has not arrived which a person can still start (a `trigger: manual` stage,
   * and those after it): the member can still arrive, so it is not gone.
   */
  manualStages?: string[];
  arrival: 'none' | 'arrived' | 'open';
  /** A classic release's environment that arrived (the one its mark names). */
  environment?: string;
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
/** A person can still start a deployment that has not started, as a manual stage: it neither ends nor fails the release. */
const startableEnvironment = new Set(['notStarted', 'undefined']);
/** How a release that ended without arriving reads: its worst environment first. */
const endings = ['rejected', 'canceled', 'partiallySucceeded', 'succeeded'];

/**
 * Reads every other member's train run at the cost of one builds-list request per project (tags and Lockstep's
 * properties ride along) and one releases-list request per classic member. Of several train runs of a member, the
 * one that decides follows deciding-run.ts: this run's branch first, newest first, and a run that finished without
 * reaching the gate (no mark, no record: a scheduled run whose gate stage a condition skipped) hides no older one.
 */
export class MemberObserver {
  private readonly marks: GateMarks;
  private readonly recordName: string;
  private readonly builds: MatchingBuilds;
  /** Finished train runs' timelines, kept while each run stays finished as it was. */
  private readonly finishedTimelines: FinishedTimelines;

  constructor(
    private readonly api: AzureDevOps,
    private readonly gate: string,
    private readonly train: string,
    private readonly match: MatchSettings,
    private readonly runsPerDefinition: number,
    search: HistorySearch,
  ) {
    this.marks = gateMarks(gate, train);
    this.recordName = gatePropertyName(gate, train);
    this.finishedTimelines = new FinishedTimelines(api);
    this.builds = new MatchingBuilds(api, { match, runsPerDefinition, properties: [this.recordName, waitPropertyName], search });
  }

  async observe(members: GateMember[]): Promise<MemberView[]> {
    const others = members.filter((m) => !m.self);
    const views = new Map<GateMember, MemberView>();
    const yamlByProject = new Map<string, GateMember[]>();
    for (const m of others.filter((m) => m.kind === 'yaml')) yamlByProject.set(m.project.toLowerCase(), [...(yamlByProject.get(m.project.toLowerCase()) ?? []), m]);
    await Promise.all([
      ...[...yamlByProject.values()].map(async (group) => {
        const project = group[0].project;
        const pipelines = await this.builds.find(project, [...new Set(group.map((m) => m.definitionId))]);
        await Promise.all(
          group.map(async (m) => {
            // Every candidate is in the list already: looking at an older one costs no request (but where the list
            // leaves properties out, the GET of its record).
            const decision = await decidingRun(
              pipelines.get(m.definitionId)!.matching,
              Number.POSITIVE_INFINITY,
              async (build) => {
                await ensureProperties(this.api, project, [build], [this.recordName, waitPropertyName]);
                return this.withManualStages(this.viewBuild(m, build));
              },
              (_build, view) => finishedWithoutArriving(view),
            );
            views.set(m, decision?.seen ?? this.viewBuild(m, undefined));
          }),
        );
      }),
      ...others
        .filter((m) => m.kind === 'release')
        .map(async (m) => {
          const tags = this.match.mode === 'tag' ? [this.match.value!] : undefined;
          // Drafts and abandoned releases never match: the service leaves them out.
          const releases = await this.api.listReleases(m.project, m.definitionId, this.runsPerDefinition, tags, ReleaseStatus.Active);
          const matching = orderReleases(releases.filter((r) => releaseMatches(this.match, r)), this.match);
          // A release none of whose environments was ever deployed has not set out for the gate either.
          const decision = await decidingRun(
            matching,
            matching.length,
            async (release) => this.viewRelease(m, await this.withDeploySteps(m, release)),
            (release, view) => finishedWithoutArriving(view) || (view.arrival === 'none' && neverDeployed(release, undefined)),
          );
          views.set(m, decision?.seen ?? this.viewRelease(m, undefined));
        }),
    ]);
    return others.map((m) => views.get(m)!);
  }

  /**
   * An arrival counts only while it is live: the record's stage attempt is the stage's latest attempt (a retried
   * stage is a new attempt that must arrive again) and, unless it passed an open gate, that attempt still runs. A
   * classic release's view already holds only marks of its environments' latest deployment attempts (viewRelease).
   */
  async isLive(view: MemberView): Promise<boolean> {
    if (view.arrival === 'none') return false;
    if (view.member.kind === 'release') return view.arrival === 'open' || view.endedAs === undefined;
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
    const records = await this.finishedTimelines.read(view.member.project, view.build);
    const stages = latestStages(records).filter(waitsForPerson).sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
    if (stages.length === 0) return view;
    const names = stages.map((r) => r.identifier ?? r.name ?? '?');
    return { ...view, manualStages: names, state: `run ${view.run!.name} (#${view.run!.id}) completed; ${startedByPerson(names)}` };
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

  /**
   * A classic release at the gate. Its marks name the environment and deployment attempt that wrote them; only a
   * mark of an environment's latest attempt counts (a redeploy is a new attempt that must arrive again). Open: that
   * attempt passed. Arrived: live while that environment deploys; once it has ended the member is gone, and endedAs
   * says how. Not arrived: the release has ended only when it was abandoned, or when every environment has finished
   * — one not started may still be deployed by a person, and an environment that failed elsewhere in the release
   * (QA rejected while the gate runs in Production) ends nothing.
   */
  /** A mark is judged by its environment's deployment attempts: read the release itself where the list left them out. */
  private async withDeploySteps(member: GateMember, release: Release): Promise<Release> {
    const marked = readGateMarks(release.tags, this.gate, this.train, 'release');
    const stepsLeftOut = marked.some((mark) => {
      const env = environmentOf(release, mark.environment!);
      return env !== undefined && env.deploySteps === undefined;
    });
    return stepsLeftOut ? ((await this.api.getRelease(member.project, release.id!)) ?? release) : release;
  }

  private viewRelease(member: GateMember, release: Release | undefined): MemberView {
    if (!release) return { member, arrival: 'none', state: 'no train release yet' };
    const run = matchedRelease(release, this.api.clients.releaseUrl, member.project);
    const where = `release ${run.name} (#${run.id})`;
    const waiting = readWaitRecordFromTags(release.tags);
    const current = readGateMarks(release.tags, this.gate, this.train, 'release').flatMap((mark) => {
      const env = environmentOf(release, mark.environment!);
      return env && mark.attempt === latestAttempt(env) ? [{ mark, env, status: enumName(EnvironmentStatus, env.status) }] : [];
    });
    const open = current.find((c) => c.mark.open);
    if (open) return { member, run, arrival: 'open', environment: open.env.name, state: `${where} passed the gate in ${open.env.name}`, release, waiting };
    const arrived = current.find((c) => activeEnvironment.has(c.status)) ?? current[0];
    if (arrived) {
      const endedAs = activeEnvironment.has(arrived.status) ? undefined : arrived.status;
      const state = endedAs ? `${where} arrived in ${arrived.env.name}, which then ended ${endedAs}` : `${where} arrived in ${arrived.env.name}`;
      return { member, run, endedAs, arrival: 'arrived', environment: arrived.env.name, state, release, waiting };
    }
    const statuses = (release.environments ?? []).map((e) => enumName(EnvironmentStatus, e.status));
    const finished = statuses.length > 0 && !statuses.some((s) => activeEnvironment.has(s) || startableEnvironment.has(s));
    const endedAs =
      enumName(ReleaseStatus, release.status) === 'abandoned' ? 'abandoned' : finished ? (endings.find((e) => statuses.includes(e)) ?? statuses[0]) : undefined;
    const state = endedAs ? `${where} ${endedAs}` : `${where} not arrived`;
    return { member, run, endedAs, arrival: 'none', state, release, waiting };
  }
}

function environmentOf(release: Release, name: string): ReleaseEnvironment | undefined {
  return release.environments?.find((e) => e.name?.toLowerCase() === name.toLowerCase());
}

/** The environment's latest deployment attempt; 0 before it ever deployed. */
function latestAttempt(env: ReleaseEnvironment): number {
  return Math.max(0, ...(env.deploySteps ?? []).map((s) => s.attempt ?? 1));
}

/**
 * A train run that ended without ever reaching the gate: no arrival mark, no record of its own (a member that
 * arrived and left keeps one). It says nothing about the member's train, so it hides no older train run.
 */
function finishedWithoutArriving(view: MemberView): boolean {
  return view.arrival === 'none' && view.endedAs !== undefined && view.record === undefined && !view.manualStages?.length;
}
