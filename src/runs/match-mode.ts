// semver 5.7, the copy task-lib bundles anyway (one copy per task bundle, not two); it takes the options used here.
import semver from 'semver';
import { Build, BuildReason } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { InputError } from '../errors';

export const matchModes = ['sameCommit', 'sameBranch', 'runNumber', 'tag', 'versionRange', 'latest', 'runId'] as const;
export type MatchMode = (typeof matchModes)[number];

/** Which run of a dependency belongs to "the same release" as this run. */
export interface MatchSettings {
  mode: MatchMode;
  /** runNumber: the run number / release name; tag: the tag; versionRange: a semver range; runId: run ids, comma-separated. */
  value?: string;
  /** sameCommit: this run's commit (the primary artifact's source version inside a classic release). */
  commit?: string;
  /** sameBranch: this run's branch, refs/heads/... */
  branch?: string;
}

const valueHelp: Partial<Record<MatchMode, string>> = {
  runNumber: 'the run number or release name to match',
  tag: 'the tag the run must carry',
  versionRange: 'a semver range such as ^2.3.0',
  runId: 'the run id',
};

/** Checks a match mode and its value before any request; returns the settings with the value trimmed. */
export function checkMatch(match: MatchSettings, contextNames: { commit: string; branch: string }): MatchSettings {
  const value = match.value?.trim() || undefined;
  if (valueHelp[match.mode] && !value) throw new InputError('Error_MatchValueRequired', [match.mode, valueHelp[match.mode]]);
  if (match.mode === 'versionRange' && semver.validRange(value!) === null) throw new InputError('Error_InvalidVersionRange', [value]);
  if (match.mode === 'runId' && !value!.split(',').every((v) => /^\s*\d+\s*$/.test(v) && Number(v) > 0)) throw new InputError('Error_InvalidRunId', [value]);
  if (match.mode === 'sameCommit' && !match.commit) throw new InputError('Error_NoSourceVersion', [contextNames.commit]);
  if (match.mode === 'sameBranch' && !match.branch) throw new InputError('Error_NoSourceBranch', [contextNames.branch]);
  return { ...match, value };
}

/** Server-side filters for the batched builds list; the rest is checked by buildMatches. */
export function buildFilters(match: MatchSettings): { branchName?: string; tags?: string[]; buildNumber?: string; buildIds?: number[] } {
  switch (match.mode) {
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
  return /^refs\/pull\//i.test(build.sourceBranch ?? '') || String(build.reason) === 'pullRequest' || build.reason === BuildReason.PullRequest;
}

export function releaseMatches(match: MatchSettings, release: Release): boolean {
  const artifacts = (release.artifacts ?? []).map((a) => a.definitionReference ?? {});
  switch (match.mode) {
    case 'sameCommit':
      return artifacts.some((a) => sameCommit(a.sourceVersion?.id, match.commit));
    case 'sameBranch':
      return artifacts.some((a) => a.branch?.id === match.branch || a.branches?.id === match.branch);
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
  const primary = (release.artifacts ?? []).find((a) => a.isPrimary) ?? release.artifacts?.[0];
  const branch = primary?.definitionReference?.branch?.id ?? primary?.definitionReference?.branches?.id ?? '';
  return /^refs\/pull\//i.test(branch);
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
