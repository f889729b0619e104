// semver 5.7, the copy task-lib bundles anyway (one copy per task bundle, not two); it takes the options used here.
import semver from 'semver';
import type { Build, BuildReason } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import type { Artifact, Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { enumName } from './build-state';
import { BuildReasonFlags, ReleaseStatus } from './wire-enums';

export const matchModes = ['sameCommit', 'sameBranch', 'runNumber', 'tag', 'versionRange', 'latest', 'runId'] as const;
export type MatchMode = (typeof matchModes)[number];

/** Which run of a dependency belongs to "the same release" as this run. */
export interface MatchSettings {
  mode: MatchMode;
  /** runNumber: the run number / release name; tag: the tag; versionRange: a semver range; runId: run ids, comma-separated. */
  value?: string;
  /** sameCommit: this run's commit (the primary artifact's source version inside a classic release). */
  commit?: string;
  /**
   * This run's branch, refs/heads/...: what sameBranch matches; with sameCommit, runNumber and tag, the branch whose
   * runs come first when several runs match (see deciding-run.ts).
   */
  branch?: string;
}

/**
 * Every reason but pullRequest. BuildReason is a flags enum: All (2031) is the union of the reasons, and the builds
 * list takes a union as its reasonFilter.
 */
export const allButPullRequests = (BuildReasonFlags.all & ~BuildReasonFlags.pullRequest) as BuildReason;

/** Server-side filters for the batched builds list; the rest is checked by buildMatches. */
export function buildFilters(match: MatchSettings): { branchName?: string; tags?: string[]; buildNumber?: string; buildIds?: number[]; reasonFilter?: BuildReason } {
  switch (match.mode) {
    case 'sameCommit':
      // The list cannot filter on a commit. A pull request's run builds a merge commit no branch run shares, so a
      // run outside a pull request leaves them out on the server: a storm of them no longer pushes its commit's runs
      // out of the newest runs read. A pull request's own run keeps them (its dependencies' runs are theirs too).
      return isPullRequestBranch(match.branch) ? {} : { reasonFilter: allButPullRequests };
    case 'sameBranch':
      return { branchName: match.branch };
    case 'tag':
      return { tags: [match.value!] };
    case 'runNumber':
      return { buildNumber: match.value };
    case 'runId':
      return { buildIds: runIds(match) };
    default:
      return {};
  }
}

export function buildMatches(match: MatchSettings, build: Build): boolean {
  switch (match.mode) {
    case 'sameCommit':
      return sameCommit(build.sourceVersion, match.commit);
    case 'sameBranch':
      return build.sourceBranch === match.branch;
    case 'runNumber':
      return equalsIgnoreCase(build.buildNumber, match.value);
    case 'tag':
      return (build.tags ?? []).some((t) => equalsIgnoreCase(t, match.value));
    case 'versionRange':
      return !isPullRequestBuild(build) && inRange(match.value!, build.buildNumber, build.tags);
    case 'runId':
      return runIds(match).includes(build.id!);
    case 'latest':
      // The newest run of the pipeline's own work, not a pull request's validation build.
      return !isPullRequestBuild(build);
  }
}

/** A pull request's validation run: reason pullRequest, or a refs/pull/ branch. */
export function isPullRequestBuild(build: Build): boolean {
  return isPullRequestBranch(build.sourceBranch) || String(build.reason) === 'pullRequest' || (build.reason as unknown) === BuildReasonFlags.pullRequest;
}

function isPullRequestBranch(branch: string | undefined): boolean {
  return /^refs\/pull\//i.test(branch ?? '');
}

/**
 * A draft (never started) or abandoned release is no run of anything: it never matches. The client turns the
 * service's status words into ReleaseStatus numbers.
 */
export function isInactiveRelease(release: Release): boolean {
  const status = release.status as unknown;
  const name = enumName(ReleaseStatus, status);
  return name === 'draft' || name === 'abandoned';
}

export function releaseMatches(match: MatchSettings, release: Release): boolean {
  if (isInactiveRelease(release)) return false;
  const artifacts = (release.artifacts ?? []).map(artifactSource);
  switch (match.mode) {
    case 'sameCommit':
      return artifacts.some((a) => sameCommit(a.commit, match.commit));
    case 'sameBranch':
      return artifacts.some((a) => sameBranch(a.branch, match.branch));
    case 'runNumber':
      return equalsIgnoreCase(release.name, match.value);
    case 'tag':
      return (release.tags ?? []).some((t) => equalsIgnoreCase(t, match.value));
    case 'versionRange':
      return !isPullRequestRelease(release) && inRange(match.value!, release.name, release.tags);
    case 'runId':
      return runIds(match).includes(release.id!);
    case 'latest':
      return !isPullRequestRelease(release);
  }
}

/**
 * A run number that is a version (2.3.1, v2.3.1) or a tag v2.3.1 satisfies the range. A prerelease (2.4.0-pr.7,
 * 2.4.0-rc.1) matches only a range that asks for prereleases of its own version (`>=2.4.0-rc.0`), as semver reads ranges.
 */
function inRange(range: string, runName: string | undefined, tags: string[] | undefined): boolean {
  const versions = [runName, ...(tags ?? []).filter((t) => /^v\d/i.test(t))].map((v) => (v ? semver.clean(v, { loose: true }) : null));
  return versions.some((v) => v !== null && semver.satisfies(v, range));
}

/** A classic release of a pull request's build: its primary artifact comes from a refs/pull/ branch. */
export function isPullRequestRelease(release: Release): boolean {
  return isPullRequestBranch(releaseBranch(release));
}

/** The branch of a release's primary artifact (the first artifact when none is marked primary). */
export function releaseBranch(release: Release): string | undefined {
  const primary = (release.artifacts ?? []).find((a) => a.isPrimary) ?? release.artifacts?.[0];
  return primary ? artifactSource(primary).branch : undefined;
}

/** Release artifact types whose version is a commit of a Git repository (Azure Repos, GitHub). */
const gitArtifactTypes = new Set(['git', 'tfsgit', 'github', 'githubenterprise']);

/**
 * The commit and branch a release artifact was taken from. A Build artifact's version is a run (its id); the run's
 * commit is `definitionReference.sourceVersion`. A Git or GitHub artifact's version IS the commit
 * (`definitionReference.version`; it has no sourceVersion). Both keep the branch in `branch` (`branches` on some).
 */
export function artifactSource(artifact: Artifact): { commit?: string; branch?: string } {
  const ref = artifact.definitionReference ?? {};
  const git = gitArtifactTypes.has((artifact.type ?? '').toLowerCase());
  return {
    commit: ref.sourceVersion?.id || (git ? ref.version?.id : undefined) || undefined,
    branch: ref.branch?.id || ref.branches?.id || undefined,
  };
}

/** Branches compare with or without refs/heads/ (a Git artifact may name its branch either way), ignoring case. */
export function sameBranch(a: string | undefined, b: string | undefined): boolean {
  const bare = (branch: string) => branch.replace(/^refs\/heads\//i, '').toLowerCase();
  return !!a && !!b && bare(a) === bare(b);
}

function sameCommit(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

function equalsIgnoreCase(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

function runIds(match: MatchSettings): number[] {
  return match.value!.split(',').map((v) => Number(v.trim()));
}
