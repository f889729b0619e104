import { Build, BuildStatus, TaskResult, TimelineRecord, TimelineRecordState } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { EnvironmentStatus, Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { AzureDevOps } from '../client/azure-devops';
import { ResolvedRef } from '../refs/resolved-ref';
import { enumName, matchedBuild } from '../runs/build-state';
import { buildMatches, MatchSettings, releaseMatches } from '../runs/match-mode';
import { decidingRun, didNotRunStage, neverDeployed, orderBuilds, orderReleases } from '../runs/deciding-run';
import { MatchedRun } from '../runs/observation';
import { matchedRelease } from '../runs/release-state';
import { latestStage } from '../runs/stage-record';
import { TrainMatch } from '../train/train-match';
import { historyBounds, liveBefore, liveReleaseBefore } from './live-before';

/** One member's line of the plan. */
export interface PlanEntry {
  member: ResolvedRef;
  /** The member's run of the failed train. */
  trainRun?: MatchedRun;
  /** Whether that run is still in progress (a candidate for cancelInFlight). */
  trainRunInProgress: boolean;
  /** What was live on the member before the train deployed it: what it goes back to. */
  lastGood?: MatchedRun & { commit?: string; branch?: string; environmentId?: number; why?: string };
  action: 'retryStage' | 'redeployEnvironment' | 'queueRun' | 'skip' | 'none';
  /** Why skip (never deployed in this train) or none (nothing to go back to). */
  reason?: string;
  /** What will be done, as a person reads it. */
  describe: string;
  /** Readiness only: the train has not deployed this member yet; the entry says what a rollback would do once it has. */
  prospective?: boolean;
  /**
   * When the train last deployed the member (its stage's latest attempt finished, or started): a rollback that ended
   * before it has been deployed over — someone ran the switch again — and is due again.
   */
  trainDeployedLastAt?: number;
  /** Set when the retry is issued: the attempts of the target run's later stages, to see whether the retry ran them again. */
  laterStagesBefore?: Map<string, string>;
}

/** How the plan is made. */
export interface PlanOptions {
  strategy: 'redeployLastGood' | 'queueRun';
  runsPerDefinition: number;
  /** A member's train runs looked at, newest first, while the newer ones did not run its stage (deciding-run.ts). */
  runsLookedAt: number;
  /** The train being rolled back, as its runs are recognised (earlier trains' runs are recognised the same way). */
  train: { id: string; match: TrainMatch };
  /** Look for what was live among runs of this branch; default the branch of the member's train run. */
  branch?: string;
  /**
   * The readiness check: plan members the train has not deployed yet as if it had (their target is the last good
   * run before the train), so the check can verify now what a rollback would need later.
   */
  prospective?: boolean;
}

/** A stage that ran in the train: anything but not started, and skipped is reported as its own reason. */
const startedStates = new Set(['inProgress', 'completed']);

/**
 * Works out, for each member in deployment order, its train run, whether the train deployed it, and the last good
 * run to go back to. Only reads. Every invocation for the same train computes the same plan.
 */
export async function makePlan(members: ResolvedRef[], train: MatchSettings, api: AzureDevOps, options: PlanOptions): Promise<PlanEntry[]> {
  const plan: PlanEntry[] = [];
  for (const member of members) {
    plan.push(member.kind === 'release' ? await planRelease(member, train, api, options) : await planYaml(member, train, api, options));
  }
  return plan;
}

async function planYaml(member: ResolvedRef, train: MatchSettings, api: AzureDevOps, options: PlanOptions): Promise<PlanEntry> {
  const stage = member.stage!;
  const { strategy, prospective } = options;
  const builds = await api.listBuilds(member.project, { definitionIds: [member.definitionId], maxPerDefinition: options.runsPerDefinition });
  // A newer run of the train that did not run the stage (a scheduled run a condition kept from deploying) is not the
  // run that deployed the member: the one that did decides (deciding-run.ts).
  const decision = await decidingRun(
    orderBuilds(builds.filter((b) => buildMatches(train, b)), train),
    options.runsLookedAt,
    async (build) => (await api.getTimeline(member.project, build.id!))?.records ?? [],
    (build, records) => didNotRunStage(build, records, stage),
  );
  const trainBuild = decision?.run;
  let notDeployed: string | undefined;
  let trainRun: MatchedRun | undefined;
  let trainStage: TimelineRecord | undefined;
  let inProgress = false;
  if (!trainBuild) {
    notDeployed = 'no run of this train';
  } else {
    trainRun = matchedBuild(trainBuild, api.clients.collectionUrl, member.project);
    inProgress = trainBuild.status !== BuildStatus.Completed;
    trainStage = latestStage(decision.seen, stage);
    const trainState = trainStage ? enumName(TimelineRecordState, trainStage.state) : 'pending';
    if (!startedStates.has(trainState)) notDeployed = `stage ${stage} never started in this train`;
    else if (trainStage && enumName(TaskResult, trainStage.result) === 'skipped') notDeployed = `stage ${stage} was skipped in this train`;
  }
  if (notDeployed && !prospective) return { ...skip(member, notDeployed), trainRun, trainRunInProgress: inProgress };

  const deployedAt = notDeployed || !trainBuild || !trainStage ? undefined : await firstAttemptStart(member.project, trainBuild, trainStage, api);
  const branch = options.branch ?? trainBuild?.sourceBranch;
  const live = await liveBefore(member, { train: options.train.id, trainMatch: options.train.match, run: trainBuild, deployedAt }, branch, api);
  if (!live.target) {
    const bound = live.truncated ? ` among the ${live.examined} most recent runs${branch ? ` of ${branch}` : ''}` : '';
    return { member, trainRun, trainRunInProgress: inProgress, action: 'none', reason: `no earlier run whose stage ${stage} succeeded${bound}`, describe: 'nothing to go back to' };
  }
  const trainDeployedLastAt = trainStage ? timeOf(trainStage.finishTime ?? trainStage.startTime) : undefined;
  const candidate = live.target.build;
  const lastGood = { ...matchedBuild(candidate, api.clients.collectionUrl, member.project), commit: candidate.sourceVersion, branch: candidate.sourceBranch, why: live.target.why };
  const queueRun = strategy === 'queueRun';
  return {
    member,
    trainRun,
    trainRunInProgress: inProgress,
    lastGood,
    trainDeployedLastAt,
    ...(notDeployed ? { prospective: true, reason: notDeployed } : {}),
    action: queueRun ? 'queueRun' : 'retryStage',
    describe: queueRun
      ? `queue ${member.definitionName} at ${lastGood.commit?.slice(0, 7)} (commit of run ${lastGood.name}, #${lastGood.id})`
      : `retry stage ${stage} of run ${lastGood.name} (#${lastGood.id})`,
  };
}

function timeOf(date: Date | undefined): number | undefined {
  return date ? new Date(date).getTime() : undefined;
}

/** When the train first started deploying the member: its stage's first attempt (an earlier attempt's timeline when retried). */
async function firstAttemptStart(project: string, build: Build, stage: TimelineRecord, api: AzureDevOps): Promise<number | undefined> {
  const first = [...(stage.previousAttempts ?? [])].sort((a, b) => (a.attempt ?? 0) - (b.attempt ?? 0))[0];
  let record: TimelineRecord | undefined = stage;
  if (first?.timelineId) {
    const records = (await api.getTimeline(project, build.id!, first.timelineId))?.records ?? [];
    record = records.find((r) => r.id === first.recordId) ?? stage;
  }
  return record.startTime ? new Date(record.startTime).getTime() : undefined;
}

async function planRelease(member: ResolvedRef, train: MatchSettings, api: AzureDevOps, options: PlanOptions): Promise<PlanEntry> {
  const environment = member.stage!;
  // The releases list pages at most 100 at a time: a classic history is read that far back.
  const releases = await api.listReleases(member.project, member.definitionId, Math.min(100, historyBounds.maxRuns));
  // A newer release of the train that never deployed the environment is not the one that deployed the member.
  const matching = orderReleases(releases.filter((r) => releaseMatches(train, r)), train);
  const trainRelease = (await decidingRun(matching, matching.length, async (r) => r, (r) => neverDeployed(r, environment)))?.run;
  const trainRun = trainRelease && matchedRelease(trainRelease, api.clients.releaseUrl, member.project);
  const status = trainRelease && environmentStatus(trainRelease, environment);
  const inProgress = (trainRelease?.environments ?? []).some((e) => ['inProgress', 'queued'].includes(enumName(EnvironmentStatus, e.status)));
  const notDeployed = !trainRelease ? 'no release of this train' : status === 'notStarted' || status === undefined ? `environment ${environment} never deployed in this train` : undefined;
  if (notDeployed && !options.prospective) return { ...skip(member, notDeployed), trainRun, trainRunInProgress: inProgress };
  const live = await liveReleaseBefore(releases, environment, { train: options.train.id, trainMatch: options.train.match, release: trainRelease }, member.project, api);
  if (!live) return { member, trainRun, trainRunInProgress: inProgress, action: 'none', reason: `no earlier release whose environment ${environment} succeeded`, describe: 'nothing to go back to' };
  const lastGood = { ...matchedRelease(live.release, api.clients.releaseUrl, member.project), environmentId: live.environmentId, why: live.why };
  return {
    member,
    trainRun,
    trainRunInProgress: inProgress,
    lastGood,
    ...(notDeployed ? { prospective: true, reason: notDeployed } : {}),
    action: 'redeployEnvironment',
    describe: `redeploy ${environment} of release ${lastGood.name} (#${lastGood.id})`,
  };
}

export function environmentStatus(release: Release, environment: string): string | undefined {
  const env = (release.environments ?? []).find((e) => e.name?.toLowerCase() === environment.toLowerCase());
  return env ? enumName(EnvironmentStatus, env.status) : undefined;
}

function skip(member: ResolvedRef, reason: string): PlanEntry {
  return { member, trainRunInProgress: false, action: 'skip', reason, describe: `skip: ${reason}` };
}
