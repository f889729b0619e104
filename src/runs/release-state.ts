import type { Release, ReleaseEnvironment } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { enumName } from './build-state';
import type { MatchedRun, Observation } from './observation';
import { EnvironmentStatus } from './wire-enums';

/** A failed deployment shows as rejected in the Release API; canceled is its own status. */
const environmentFailures = new Set(['rejected', 'canceled']);

export function matchedRelease(release: Release, releaseUrl: string, project: string): MatchedRun {
  const web = (release._links as { web?: { href?: string } } | undefined)?.web?.href;
  return {
    kind: 'release',
    id: release.id!,
    name: release.name ?? String(release.id),
    webUrl: web ?? `${releaseUrl}/${encodeURIComponent(project)}/_releaseProgress?releaseId=${release.id}`,
  };
}

/**
 * The verdict on a classic release: on one environment when the reference names one,
 * otherwise on all of its environments (every one must succeed).
 */
export function observeRelease(release: Release, environment: string | undefined, run: MatchedRun, acceptPartiallySucceeded: boolean): Observation {
  const envs = (release.environments ?? []).filter((e) => environment === undefined || e.name?.toLowerCase() === environment.toLowerCase());
  const label = `release ${run.name} (#${run.id})`;
  if (envs.length === 0) return { verdict: 'waiting', state: `${label}: environment ${environment} not in this release`, run };
  const states = envs.map((e) => ({ env: e, status: status(e) }));
  const describe = states.map((s) => `${s.env.name} ${s.status}`).join(', ');
  const failed = states.find((s) => environmentFailures.has(s.status) || (s.status === 'partiallySucceeded' && !acceptPartiallySucceeded));
  if (failed) return { verdict: 'failed', state: `${label}: ${describe}`, run, result: failed.status };
  const met = states.every((s) => s.status === 'succeeded' || (s.status === 'partiallySucceeded' && acceptPartiallySucceeded));
  if (met) return { verdict: 'met', state: `${label}: ${describe}`, run, result: 'succeeded' };
  return { verdict: 'waiting', state: `${label}: ${describe}`, run };
}

function status(env: ReleaseEnvironment): string {
  return enumName(EnvironmentStatus, env.status);
}

/** Whether any environment of the release is deploying or waiting to (queued, scheduled): the release has not finished. */
export function releaseActive(release: Release): boolean {
  return (release.environments ?? []).some((e) => ['inProgress', 'queued', 'scheduled'].includes(status(e)));
}
