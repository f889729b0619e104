import { Build, BuildQueryOrder, TaskResult, TimelineRecord, TimelineRecordState } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { AzureDevOps } from '../client/azure-devops';
import { ResolvedRef } from '../refs/resolved-ref';
import { DeploymentStatus, Release, ReleaseStatus } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { enumName } from '../runs/build-state';
import { buildMatches, isPullRequestBuild, isPullRequestRelease, releaseMatches } from '../runs/match-mode';
import { utcMinute } from '../report/utc-minute';
import { latestStage } from '../runs/stage-record';
import { TrainMatch, trainRunMatch } from '../train/train-match';
import { undoneTrains } from './ledger-marks';

/** How far back the history of one member is read: pages of this many runs, at most this many runs in all. */
export const historyBounds = { pageSize: 50, maxRuns: 200 };

/** What was live on a member before a train deployed it: a run, and the attempt of its stage that put it there. */
export interface LiveBuild {
  build: Build;
  /** The stage attempt whose success made this run live (a retry by an earlier rollback is attempt 2 or more). */
  attempt: number;
  liveSince: Date;
  /** Why it is the target, for the plan: "live since 2026-11-30 14:02, stage Prod attempt 2 — rollback of train 2.3.0". */
  why: string;
}

/** The train that is being rolled back, as the history walk needs it. */
export interface TrainInHistory {
  train: string;
  trainMatch: TrainMatch;
  /** The member's run of the train, when it has one (it is never a target). */
  run?: Build;
  /** When the train first started deploying the member (its stage's first attempt); undefined before it has. */
  deployedAt?: number;
}

/**
 * The member's run that was live just before the train deployed it: the most recent SUCCESSFUL completion of its
 * deploy stage — any attempt, a retry made by an earlier rollback included — that finished before the train's own
 * deploy, among runs of the branch (pull-request runs never count, nor runs of trains an earlier rollback undid).
 *
 * Runs come newest-finished first (a retry moves a run's finish time, so an old run put back by a rollback comes
 * early), a page at a time: once a run finished no later than the best completion found, no later run can beat it,
 * and the walk stops. It reads at most historyBounds.maxRuns runs.
 */
export async function liveBefore(member: ResolvedRef, train: TrainInHistory, branch: string | undefined, api: AzureDevOps): Promise<{ target?: LiveBuild; examined: number; truncated: boolean }> {
  const stage = member.stage!;
  const cutoff = train.deployedAt ?? Infinity;
  const undone = new Set<string>();
  let best: LiveBuild | undefined;
  let examined = 0;
  let token: string | undefined;
  do {
    const page = await api.listBuildsPage(member.project, member.definitionId, branch, historyBounds.pageSize, token, BuildQueryOrder.FinishTimeDescending);
    token = page.continuationToken;
    for (const build of page.builds) {
      examined++;
      for (const t of undoneTrains(build.tags ?? [])) undone.add(t);
      const finished = build.finishTime ? new Date(build.finishTime).getTime() : Infinity;
      if (best && finished <= best.liveSince.getTime()) return { target: best, examined, truncated: false };
      if (!isCandidate(build, train, undone)) continue;
      const found = await successBefore(member.project, build, stage, cutoff, api);
      if (found && (!best || found.at > best.liveSince.getTime())) {
        best = { build, attempt: found.attempt, liveSince: new Date(found.at), why: describe(found, stage, build, train) };
      }
      if (examined >= historyBounds.maxRuns) return { target: best, examined, truncated: token !== undefined };
    }
  } while (token);
  return { target: best, examined, truncated: false };
}

function isCandidate(build: Build, train: TrainInHistory, undone: Set<string>): boolean {
  if (build.id === train.run?.id || isPullRequestBuild(build)) return false;
  if (buildMatches(trainRunMatch(train.train, train.trainMatch), build)) return false;
  for (const t of undone) if (t !== train.train && buildMatches(trainRunMatch(t, train.trainMatch), build)) return false;
  return true;
}

interface Success {
  attempt: number;
  at: number;
  /** The earlier rollback that made this attempt, when the run carries its mark. */
  byRollbackOf?: string;
}

/** The latest successful attempt of the stage that finished before the cutoff; earlier attempts are read only when the latest does not qualify. */
async function successBefore(project: string, build: Build, stage: string, cutoff: number, api: AzureDevOps): Promise<Success | undefined> {
  const records = (await api.getTimeline(project, build.id!))?.records ?? [];
  const latest = latestStage(records, stage);
  if (!latest) return undefined;
  const rolledBackBy = undoneTrains(build.tags ?? []).at(-1);
  const byRollbackOf = (attempt: number) => (attempt > 1 && rolledBackBy ? rolledBackBy : undefined);
  const qualifies = (r: TimelineRecord) => r.state === TimelineRecordState.Completed && r.result === TaskResult.Succeeded && r.finishTime !== undefined && new Date(r.finishTime).getTime() < cutoff;
  if (qualifies(latest)) return { attempt: latest.attempt ?? 1, at: new Date(latest.finishTime!).getTime(), byRollbackOf: byRollbackOf(latest.attempt ?? 1) };
  for (const previous of [...(latest.previousAttempts ?? [])].sort((a, b) => (b.attempt ?? 0) - (a.attempt ?? 0))) {
    if (!previous.timelineId) continue;
    const earlier = (await api.getTimeline(project, build.id!, previous.timelineId))?.records ?? [];
    const record = earlier.find((r) => r.id === previous.recordId) ?? latestStage(earlier, stage);
    if (record && qualifies(record)) return { attempt: previous.attempt ?? record.attempt ?? 1, at: new Date(record.finishTime!).getTime(), byRollbackOf: byRollbackOf(previous.attempt ?? 1) };
  }
  return undefined;
}

function describe(found: Success, stage: string, build: Build, train: TrainInHistory): string {
  const since = utcMinute(found.at);
  const how = found.byRollbackOf ? ` — rollback of train ${found.byRollbackOf}` : found.attempt > 1 ? ' — a retry' : '';
  const before = train.deployedAt === undefined ? '' : ', before this train deployed it';
  return `live since ${since} UTC${before}: stage ${stage} attempt ${found.attempt} of run ${build.buildNumber ?? build.id}${how}`;
}

/** What was live in a classic member's environment before the train deployed it. */
export interface LiveRelease {
  release: Release;
  environmentId: number;
  attempt: number;
  liveSince: Date;
  why: string;
}

/**
 * The classic counterpart, from the environment's deployment history (its deploy steps): the release whose
 * environment last deployed successfully — any attempt, a redeploy by an earlier rollback included — before the
 * train's first deployment of it started; releases of a pull-request artifact, drafts and abandoned releases, and
 * releases of trains an earlier rollback undid never count. Reads the releases the list holds (the newest
 * `historyBounds.maxRuns`), and a release's own GET only where the list left its deploy steps out.
 */
export async function liveReleaseBefore(releases: Release[], environment: string, train: TrainInHistory & { release?: Release }, project: string, api: AzureDevOps): Promise<LiveRelease | undefined> {
  const envOf = (r: Release) => (r.environments ?? []).find((e) => e.name?.toLowerCase() === environment.toLowerCase());
  const trainSteps = train.release ? (envOf(train.release)?.deploySteps ?? []) : [];
  const first = [...trainSteps].sort((a, b) => (a.attempt ?? 0) - (b.attempt ?? 0))[0];
  const cutoff = first?.queuedOn ? new Date(first.queuedOn).getTime() : Infinity;
  const undone = new Set(releases.flatMap((r) => undoneTrains(r.tags ?? [])));
  const match = trainRunMatch(train.train, train.trainMatch);
  let best: LiveRelease | undefined;
  for (const candidate of [...releases].sort((a, b) => b.id! - a.id!)) {
    if (candidate.id === train.release?.id || releaseMatches(match, candidate)) continue;
    if ([...undone].some((t) => t !== train.train && releaseMatches(trainRunMatch(t, train.trainMatch), candidate))) continue;
    if (enumName(ReleaseStatus, candidate.status) !== 'active') continue;
    if (isPullRequestRelease(candidate)) continue;
    let env = envOf(candidate);
    if (env && env.deploySteps === undefined) env = envOf((await api.getRelease(project, candidate.id!)) ?? candidate);
    for (const step of env?.deploySteps ?? []) {
      const status = enumName(DeploymentStatus, step.status);
      const at = step.lastModifiedOn ? new Date(step.lastModifiedOn).getTime() : undefined;
      if ((status !== 'succeeded' && status !== 'partiallySucceeded') || at === undefined || at >= cutoff) continue;
      if (best && at <= best.liveSince.getTime()) continue;
      const byRollbackOf = (step.attempt ?? 1) > 1 ? undoneTrains(candidate.tags ?? []).at(-1) : undefined;
      const since = utcMinute(at);
      const how = byRollbackOf ? ` — rollback of train ${byRollbackOf}` : (step.attempt ?? 1) > 1 ? ' — a redeploy' : '';
      const before = train.deployedAt === undefined && cutoff === Infinity ? '' : ', before this train deployed it';
      best = {
        release: candidate,
        environmentId: env!.id!,
        attempt: step.attempt ?? 1,
        liveSince: new Date(at),
        why: `live since ${since} UTC${before}: ${environment} attempt ${step.attempt ?? 1} of release ${candidate.name ?? candidate.id}${how}`,
      };
    }
  }
  return best;
}
