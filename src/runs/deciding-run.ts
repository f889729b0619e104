import type { Build, TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import type { Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { enumName } from './build-state';
import { MatchMode, MatchSettings, releaseBranch, sameBranch } from './match-mode';
import { latestStage } from './stage-record';
import { BuildStatus, EnvironmentStatus, TaskResult, TimelineRecordState } from './wire-enums';

/*
 * Which of several matching runs decides: the rule, written down (docs/tasks/wait-for-dependency.md, "Which run
 * decides"; docs/tasks/sync-gate.md, "The train run"; docs/tasks/coordinated-rollback.md, "The plan").
 *
 * 1. Candidates come in order: this run's own branch first (Build.SourceBranch; a classic release: its primary
 *    artifact's branch), newest first; then the other branches' runs, newest first. Only for the modes that name one
 *    release that several runs can build — sameCommit, runNumber, tag (a tag, a scheduled run, a manual re-run of
 *    the same commit). latest and versionRange mean the newest of their kind; sameBranch and runId leave no choice.
 * 2. A candidate that did not run what is awaited is passed over, and the next one looked at: a run whose awaited
 *    stage was skipped (a condition, a failed stage before it) or that finished without running it; a classic
 *    release whose awaited environment was never deployed (notStarted); a gate member's run that finished without
 *    reaching the gate. It never hides an older matching run that is still live or succeeded.
 * 3. The first candidate not passed over decides. When every one looked at was passed over, the first decides (and
 *    says "did not run"). A poll looks at `runsLookedAt` candidates at most.
 * 4. Pull-request and prerelease runs never match versionRange or latest unless asked for; drafts and abandoned
 *    releases never match (match-mode.ts).
 */

/** The modes that name one release, which several runs on several branches can build. */
const ownBranchFirst: ReadonlySet<MatchMode> = new Set<MatchMode>(['sameCommit', 'runNumber', 'tag']);

/** Matching runs in the order they are looked at: this run's branch first, newest first within each part. */
export function orderBuilds(builds: Build[], match: MatchSettings): Build[] {
  const time = (b: Build) => new Date(b.queueTime ?? 0).getTime();
  const newest = [...builds].sort((a, b) => time(b) - time(a) || b.id! - a.id!);
  return ownBranchFirstOf(newest, match, (b) => b.sourceBranch);
}

/** Matching releases in the order they are looked at; release ids grow with creation, so the highest is the newest. */
export function orderReleases(releases: Release[], match: MatchSettings): Release[] {
  const newest = [...releases].sort((a, b) => b.id! - a.id!);
  return ownBranchFirstOf(newest, match, releaseBranch);
}

function ownBranchFirstOf<T>(newest: T[], match: MatchSettings, branchOf: (run: T) => string | undefined): T[] {
  if (!ownBranchFirst.has(match.mode) || !match.branch) return newest;
  const own = (run: T) => sameBranch(branchOf(run), match.branch);
  return [...newest.filter(own), ...newest.filter((run) => !own(run))];
}

/**
 * A run that says nothing about the stage: its latest attempt was skipped, or the run finished without the stage
 * completing (never reached, or still pending). A run in progress whose stage has not come yet is not passed over.
 */
export function didNotRunStage(build: Build, records: TimelineRecord[], stage: string): boolean {
  const record = latestStage(records, stage);
  if (record && enumName(TimelineRecordState, record.state) === 'completed') return enumName(TaskResult, record.result) === 'skipped';
  return enumName(BuildStatus, build.status) === 'completed';
}

/** A release whose awaited environment (all of them, without one) was never deployed, or is not in it at all. */
export function neverDeployed(release: Release, environment: string | undefined): boolean {
  const envs = (release.environments ?? []).filter((e) => environment === undefined || e.name?.toLowerCase() === environment.toLowerCase());
  return envs.every((e) => enumName(EnvironmentStatus, e.status) === 'notStarted');
}

/**
 * Looks at the candidates in order, at most `limit` of them, and returns the first one not passed over with what
 * was seen of it; when every one looked at was passed over, the first. undefined without candidates.
 */
export async function decidingRun<T, V>(
  candidates: T[],
  limit: number,
  look: (candidate: T) => Promise<V>,
  passedOver: (candidate: T, seen: V) => boolean,
): Promise<{ run: T; seen: V } | undefined> {
  let first: { run: T; seen: V } | undefined;
  for (const run of candidates.slice(0, Math.max(1, limit))) {
    const seen = await look(run);
    first ??= { run, seen };
    if (!passedOver(run, seen)) return { run, seen };
  }
  return first;
}
