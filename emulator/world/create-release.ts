/**
 * Turns a scenario release (or a create request) into a ReleaseState with every default filled in.
 */
import type { ArtifactInput, ReleaseInput } from '../scenario';
import type { ArtifactState, EnvironmentState, ReleaseState } from './model';
import { setEnvironmentStatus } from './release-lifecycle';
import { addTags } from './tags';
import type { EmulatorState } from './world';

const DAY_MS = 86_400_000;

export function createRelease(world: EmulatorState, input: ReleaseInput, at: number, projectId?: string): ReleaseState {
  if (world.releasesById.has(input.id)) throw new Error(`Scenario: release ${input.id} exists already.`);
  const project = projectId ?? (input.project ? world.findProject(input.project)?.id : undefined);
  if (input.project && !project) throw new Error(`Scenario: release ${input.id}: project '${input.project}' not found.`);
  const definition = world.findReleaseDefinition(project, input.definition);
  if (!definition) throw new Error(`Scenario: release ${input.id}: release definition '${input.definition}' not found.`);

  const createdOn = input.createdOn ?? (at > 0 ? at : -DAY_MS + input.id * 10);
  const release: ReleaseState = {
    id: input.id,
    projectId: definition.projectId,
    definitionId: definition.id,
    name: input.name ?? `Release-${input.id}`,
    status: input.status ?? 'active',
    description: input.description ?? '',
    reason: input.reason ?? 'manual',
    createdBy: input.createdBy ?? world.identity,
    createdOn,
    modifiedOn: createdOn,
    artifacts: (input.artifacts ?? []).map((a, i) => artifactOf(world, definition.projectId, a, i, input.id)),
    tags: [],
    environments: [],
  };
  addTags(release.tags, input.tags ?? []);
  release.environments = definition.environments.map((d): EnvironmentState => ({
    id: world.nextId('environment'),
    definitionEnvironmentId: d.id,
    name: d.name,
    rank: d.rank,
    status: 'notStarted',
    createdOn,
    modifiedOn: createdOn,
    deploySteps: [],
    log: [],
  }));
  for (const wanted of input.environments ?? []) {
    const env = release.environments.find((e) => e.name.toLowerCase() === wanted.name.toLowerCase());
    if (!env) throw new Error(`Scenario: release ${input.id}: environment '${wanted.name}' is not in its definition.`);
    const attempt = wanted.attempt ?? 1;
    if (!Number.isInteger(attempt) || attempt < 1) throw new Error(`Scenario: release ${input.id}: environment '${wanted.name}' has attempt ${attempt}; expected a whole number, 1 or more.`);
    if ((!wanted.status || wanted.status === 'notStarted') && attempt > 1) {
      throw new Error(`Scenario: release ${input.id}: environment '${wanted.name}' has attempt ${attempt} but was never deployed (status notStarted).`);
    }
    // Earlier attempts: deployments that succeeded, each closed before the next (a redeploy) started.
    for (let earlier = 1; earlier < attempt; earlier++) {
      setEnvironmentStatus(world, release, env, 'inProgress', createdOn);
      setEnvironmentStatus(world, release, env, 'succeeded', createdOn);
    }
    if (wanted.status && wanted.status !== 'notStarted') {
      // A finished deployment needs a started one first, so it has an attempt to close.
      if (wanted.status !== 'inProgress' && wanted.status !== 'queued') {
        setEnvironmentStatus(world, release, env, 'inProgress', createdOn);
      }
      setEnvironmentStatus(world, release, env, wanted.status, createdOn);
    }
  }
  release.modifiedOn = createdOn;
  world.releasesById.set(release.id, release);
  return release;
}

function artifactOf(world: EmulatorState, projectId: string, input: ArtifactInput, index: number, releaseId: number): ArtifactState {
  if (input.type === 'Git' || input.type === 'GitHub') {
    if (!input.sourceVersion) throw new Error(`Scenario: release ${releaseId}: ${input.type} artifact '${input.alias}' needs its commit (sourceVersion).`);
    return {
      alias: input.alias,
      type: input.type,
      isPrimary: input.isPrimary ?? index === 0,
      sourceVersion: input.sourceVersion,
      branch: input.branch,
      repository: input.repository ?? 'app',
      projectId,
    };
  }
  const build = input.buildId !== undefined ? world.buildsById.get(input.buildId) : undefined;
  if (input.buildId !== undefined && !build) {
    throw new Error(`Scenario: release ${releaseId}: artifact '${input.alias}' names build ${input.buildId}, which does not exist.`);
  }
  const definition = input.definition !== undefined
    ? world.findBuildDefinition(undefined, input.definition)
    : build && world.findBuildDefinition(build.projectId, build.definitionId);
  if (input.definition !== undefined && !definition) {
    throw new Error(`Scenario: release ${releaseId}: artifact '${input.alias}' names build definition '${input.definition}', which does not exist.`);
  }
  return {
    alias: input.alias,
    type: 'Build',
    isPrimary: input.isPrimary ?? index === 0,
    buildId: input.buildId ?? build?.id,
    buildNumber: input.buildNumber ?? build?.buildNumber,
    sourceVersion: input.sourceVersion ?? build?.sourceVersion,
    branch: input.branch ?? build?.sourceBranch,
    definitionId: definition?.id,
    definitionName: definition?.name,
    projectId: definition?.projectId ?? build?.projectId ?? projectId,
  };
}
