/**
 * Classic releases as the release host answers them (after Microsoft's documented samples; no real
 * release GET was recorded publicly). Lists leave out environments and artifacts unless $expand
 * asks for them; a single release has both.
 */
import type { ArtifactState, DeployStepState, EnvironmentState, ReleaseDefinitionState, ReleaseState } from '../world/model';
import type { EmulatorState } from '../world/world';
import { dropUndefined } from './build';
import { guidFor } from '../ids';
import { identityId, identityRef } from './identity';
import type { Urls } from './urls';

export interface ReleaseParts {
  environments: boolean;
  artifacts: boolean;
}

export function releaseDefinitionShallow(world: EmulatorState, urls: Urls, d: ReleaseDefinitionState): Record<string, unknown> {
  const project = world.projectsById.get(d.projectId)!;
  return {
    id: d.id,
    name: d.name,
    path: d.path,
    projectReference: { id: project.id, name: project.name },
    url: urls.release(d.projectId, `definitions/${d.id}`),
    _links: {
      self: { href: urls.release(d.projectId, `definitions/${d.id}`) },
      web: { href: urls.web(d.projectId, `_release?definitionId=${d.id}`) },
    },
  };
}

function releaseShallow(urls: Urls, r: ReleaseState): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    url: urls.release(r.projectId, `releases/${r.id}`),
    _links: {
      web: { href: urls.web(r.projectId, `_release?releaseId=${r.id}&_a=release-summary`) },
      self: { href: urls.release(r.projectId, `releases/${r.id}`) },
    },
  };
}

export function renderRelease(world: EmulatorState, urls: Urls, r: ReleaseState, parts: ReleaseParts): Record<string, unknown> {
  const iso = (t: number) => world.clock.iso(t);
  const definition = world.findReleaseDefinition(r.projectId, r.definitionId)!;
  const project = world.projectsById.get(r.projectId)!;
  const primary = r.artifacts.find((a) => a.isPrimary);
  return dropUndefined({
    id: r.id,
    name: r.name,
    status: r.status,
    createdOn: iso(r.createdOn),
    modifiedOn: iso(r.modifiedOn),
    modifiedBy: identityRef(urls, r.createdBy),
    createdBy: identityRef(urls, r.createdBy),
    createdFor: identityRef(urls, r.createdBy),
    environments: parts.environments ? r.environments.map((e) => renderEnvironment(world, urls, r, e)) : undefined,
    variables: {},
    variableGroups: [],
    artifacts: parts.artifacts ? r.artifacts.map((a) => renderArtifact(world, urls, a)) : undefined,
    releaseDefinition: releaseDefinitionShallow(world, urls, definition),
    releaseDefinitionRevision: definition.revision,
    description: r.description,
    reason: r.reason,
    releaseNameFormat: 'Release-$(rev:r)',
    keepForever: false,
    definitionSnapshotRevision: 1,
    logsContainerUrl: urls.release(r.projectId, `releases/${r.id}/logs`),
    url: urls.release(r.projectId, `releases/${r.id}`),
    _links: {
      self: { href: urls.release(r.projectId, `releases/${r.id}`) },
      web: { href: urls.web(r.projectId, `_release?releaseId=${r.id}&_a=release-summary`) },
    },
    tags: [...r.tags],
    triggeringArtifactAlias: primary?.alias,
    projectReference: { id: project.id, name: project.name },
    properties: {},
  });
}

export function renderEnvironment(world: EmulatorState, urls: Urls, r: ReleaseState, e: EnvironmentState): Record<string, unknown> {
  const definition = world.findReleaseDefinition(r.projectId, r.definitionId)!;
  const automated = { rank: 1, isAutomated: true, isNotificationOn: false, id: 0 };
  return {
    id: e.id,
    releaseId: r.id,
    name: e.name,
    status: e.status,
    variables: {},
    variableGroups: [],
    preDeployApprovals: [],
    postDeployApprovals: [],
    preApprovalsSnapshot: { approvals: [automated] },
    postApprovalsSnapshot: { approvals: [automated] },
    deploySteps: e.deploySteps.map((s) => renderDeployStep(world, urls, s)),
    rank: e.rank,
    definitionEnvironmentId: e.definitionEnvironmentId,
    environmentOptions: {
      emailNotificationType: 'OnlyOnFailure',
      emailRecipients: 'release.environment.owner;release.creator',
      skipArtifactsDownload: false,
      timeoutInMinutes: 0,
      enableAccessToken: false,
      publishDeploymentStatus: true,
      badgeEnabled: false,
      autoLinkWorkItems: false,
      pullRequestDeploymentEnabled: false,
    },
    demands: [],
    conditions: [],
    createdOn: world.clock.iso(e.createdOn),
    modifiedOn: world.clock.iso(e.modifiedOn),
    workflowTasks: [],
    deployPhasesSnapshot: [],
    owner: identityRef(urls, r.createdBy),
    schedules: [],
    release: releaseShallow(urls, r),
    releaseDefinition: releaseDefinitionShallow(world, urls, definition),
    releaseCreatedBy: { id: identityId(r.createdBy), displayName: r.createdBy },
    triggerReason: r.reason === 'continuousIntegration' ? 'Continuous integration' : 'Manual',
  };
}

function renderDeployStep(world: EmulatorState, urls: Urls, s: DeployStepState): Record<string, unknown> {
  return {
    id: s.id,
    deploymentId: s.deploymentId,
    attempt: s.attempt,
    reason: s.reason,
    status: s.status,
    operationStatus: s.operationStatus,
    releaseDeployPhases: [],
    requestedBy: identityRef(urls, s.requestedFor),
    requestedFor: identityRef(urls, s.requestedFor),
    queuedOn: world.clock.iso(s.queuedOn),
    lastModifiedBy: identityRef(urls, s.requestedFor),
    lastModifiedOn: world.clock.iso(s.lastModifiedOn),
    hasStarted: s.status !== 'notDeployed',
  };
}

/** A Build artifact: every value sits in definitionReference as {id, name} pairs of strings. */
export function renderArtifact(world: EmulatorState, urls: Urls, a: ArtifactState): Record<string, unknown> {
  const project = world.projectsById.get(a.projectId);
  const pair = (id: string | number | undefined, name?: string) => ({ id: id === undefined ? '' : String(id), name: name ?? (id === undefined ? '' : String(id)) });
  if (a.type !== 'Build') return renderRepositoryArtifact(world, urls, a, pair);
  const buildUrl = a.buildId === undefined ? '' : urls.web(a.projectId, `_build/results?buildId=${a.buildId}`);
  return {
    sourceId: `${a.projectId}:${a.definitionId ?? ''}`,
    type: a.type,
    alias: a.alias,
    definitionReference: {
      artifactSourceDefinitionUrl: pair(a.definitionId === undefined ? '' : urls.web(a.projectId, `_build?definitionId=${a.definitionId}`), ''),
      branch: pair(a.branch, a.branch),
      buildUri: pair(a.buildId === undefined ? undefined : `vstfs:///Build/Build/${a.buildId}`, a.buildNumber),
      definition: pair(a.definitionId, a.definitionName),
      isMultiDefinitionType: pair('False', 'False'),
      project: pair(a.projectId, project?.name),
      requestedForId: pair(identityId(world.identity), ''),
      sourceVersion: pair(a.sourceVersion, a.sourceVersion),
      version: pair(a.buildId ?? a.buildNumber, a.buildNumber),
      artifactSourceVersionUrl: pair(buildUrl, ''),
    },
    isPrimary: a.isPrimary,
    isRetained: false,
  };
}

/**
 * A Git (Azure Repos) or GitHub artifact: the artifact version IS the commit — `definitionReference.version` holds it
 * (the agent checks that version out as the release's sources) and there is no `sourceVersion` or `buildUri`; the
 * branch sits in `branch`, the repository in `definition`. Key set after the agent's TfsGit/GitHub artifact details
 * (project, repository, branch) and issues azure-pipelines-agent#3097 / azure-cli-extensions#1691 (a Git artifact's
 * version id is the commit); no recorded release with one was found — a guess, see README.
 */
function renderRepositoryArtifact(
  world: EmulatorState,
  urls: Urls,
  a: ArtifactState,
  pair: (id: string | number | undefined, name?: string) => { id: string; name: string },
): Record<string, unknown> {
  const project = world.projectsById.get(a.projectId);
  const repository = a.repository ?? 'app';
  const repositoryId = a.type === 'GitHub' ? repository : guidFor(`repository/${a.projectId}/${repository}`);
  const commit = a.sourceVersion ?? '';
  return {
    sourceId: a.type === 'GitHub' ? `github:${repository}` : `${a.projectId}:${repositoryId}`,
    type: a.type,
    alias: a.alias,
    definitionReference: {
      branch: pair(a.branch, a.branch?.replace(/^refs\/heads\//, '')),
      definition: pair(repositoryId, repository),
      ...(a.type === 'Git' ? { project: pair(a.projectId, project?.name) } : {}),
      version: pair(commit, commit.slice(0, 7)),
      artifactSourceVersionUrl: pair(a.type === 'GitHub' ? `https://github.com/${repository}/commit/${commit}` : urls.web(a.projectId, `_git/${encodeURIComponent(repository)}/commit/${commit}`), ''),
    },
    isPrimary: a.isPrimary,
    isRetained: false,
  };
}
