/**
 * Builds the world from a scenario: projects, definitions, builds, releases, denials and events.
 * Mistakes in the scenario throw at start with the value that is wrong.
 */
import type { ScenarioClock } from '../clock';
import { guidFor } from '../ids';
import { DEFAULT_BEHAVIOUR, type BuildDefinitionInput, type ReleaseDefinitionEnvironmentInput, type ReleaseDefinitionInput, type Scenario } from '../scenario';
import { normaliseFolder } from '../folders';
import { PERMISSION_PRESETS } from '../security-namespaces';
import { createBuild } from './create-build';
import { createRelease } from './create-release';
import { leaseFromScenario } from './leases';
import type { BuildDefinitionState, ReleaseDefinitionState, StageDefinitionState } from './model';
import { EmulatorState } from './world';

export function loadScenario(scenario: Scenario, clock: ScenarioClock): EmulatorState {
  const organization = scenario.organization ?? 'lockstep';
  const world = new EmulatorState(
    clock,
    organization,
    scenario.identity ?? `Project Collection Build Service (${organization})`,
    { ...DEFAULT_BEHAVIOUR, ...(scenario.behaviour ?? {}) },
  );
  const keep = world.behaviour.retentionKeepNewest;
  if (!Number.isInteger(keep) || keep < 0) throw new Error(`Scenario: behaviour.retentionKeepNewest is ${keep}; expected a whole number, 0 or more.`);
  world.denials.push(...(scenario.permissions?.deny ?? []));
  const preset = scenario.permissions?.preset;
  if (preset !== undefined) {
    if (!(preset in PERMISSION_PRESETS)) throw new Error(`Scenario: permissions.preset '${String(preset)}' is not one of ${Object.keys(PERMISSION_PRESETS).join(', ')}.`);
    world.denials.push(...PERMISSION_PRESETS[preset].map((d) => ({ ...d })));
  }
  world.permissionEvaluation = scenario.permissions?.evaluation ?? 'answer';

  for (const p of scenario.projects ?? []) {
    const id = p.id ?? guidFor(`project/${p.name}`);
    if (world.findProject(p.name) || world.projectsById.has(id)) throw new Error(`Scenario: project '${p.name}' is defined twice.`);
    world.projectsById.set(id, { id, name: p.name, description: p.description });
    for (const d of p.buildDefinitions ?? []) world.buildDefinitionList.push(buildDefinitionOf(id, p.name, d));
    for (const d of p.releaseDefinitions ?? []) world.releaseDefinitionList.push(releaseDefinitionOf(world, id, d));
  }
  // Builds before releases: release artifacts may point at builds of any project.
  for (const p of scenario.projects ?? []) {
    const projectId = world.findProject(p.name)!.id;
    for (const b of p.builds ?? []) createBuild(world, b, 0, false, projectId);
  }
  for (const p of scenario.projects ?? []) {
    const projectId = world.findProject(p.name)!.id;
    for (const r of p.releases ?? []) createRelease(world, r, 0, projectId);
    for (const l of p.leases ?? []) leaseFromScenario(world, projectId, l);
  }
  for (const e of scenario.events ?? []) world.schedule(e);
  return world;
}

function buildDefinitionOf(projectId: string, projectName: string, d: BuildDefinitionInput): BuildDefinitionState {
  const stages = (d.stages ?? ['__default']).map((s, i, all): StageDefinitionState => {
    const input = typeof s === 'string' ? { identifier: s } : s;
    const manual = input.trigger === 'manual';
    if (manual && (input.dependsOn ?? []).length > 0) {
      // The service refuses such a pipeline when it compiles it (quoted in microsoft/Docker-Provider#1716).
      throw new Error(`Scenario: build definition '${d.name}' stage '${input.identifier}': Manually triggered stages cannot have dependencies. Please remove the dependsOn property.`);
    }
    const previous = i > 0 ? all[i - 1] : undefined;
    const dependsOn = input.dependsOn ?? (manual || !previous ? [] : [typeof previous === 'string' ? previous : previous.identifier]);
    return { identifier: input.identifier, name: input.name ?? input.identifier, dependsOn, manual };
  });
  for (const stage of stages) {
    const unknown = stage.dependsOn.find((id) => !stages.some((s) => s.identifier === id));
    if (unknown) throw new Error(`Scenario: build definition '${d.name}' stage '${stage.identifier}' depends on unknown stage '${unknown}'.`);
  }
  return {
    id: d.id,
    projectId,
    name: d.name,
    path: normaliseFolder(d.path),
    stages,
    yamlFilename: d.yamlFilename ?? 'azure-pipelines.yml',
    repository: {
      id: d.repository?.id ?? guidFor(`repository/${projectName}/${d.repository?.name ?? d.name}`),
      name: d.repository?.name ?? d.name,
      type: d.repository?.type ?? 'TfsGit',
      defaultBranch: d.repository?.defaultBranch ?? 'refs/heads/main',
    },
    revision: 1,
    createdDate: -30 * 86_400_000,
  };
}

function releaseDefinitionOf(world: EmulatorState, projectId: string, d: ReleaseDefinitionInput): ReleaseDefinitionState {
  return {
    id: d.id,
    projectId,
    name: d.name,
    path: normaliseFolder(d.path),
    environments: d.environments.map((e, index) => {
      const spec: ReleaseDefinitionEnvironmentInput = typeof e === 'string' ? { name: e } : e;
      return {
        id: spec.id ?? world.nextId('definitionEnvironment'),
        name: spec.name,
        rank: index + 1,
        executionPolicy: executionPolicyOf(d.name, spec),
      };
    }),
    revision: 1,
    createdOn: -30 * 86_400_000,
  };
}

/**
 * The queuing policy as the definition stores it (EnvironmentExecutionPolicy): concurrencyCount is the
 * number of parallel deployments (0 = unlimited); queueDepthCount 1 = "Deploy latest and cancel the
 * others", 0 = "Deploy all in sequence".
 */
function executionPolicyOf(definition: string, e: ReleaseDefinitionEnvironmentInput): { concurrencyCount: number; queueDepthCount: number } {
  const concurrency = e.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 0) {
    throw new Error(`Scenario: release definition '${definition}' environment '${e.name}' has concurrency ${concurrency}; expected a whole number, 0 = unlimited.`);
  }
  const policy = e.queuePolicy ?? 'allInSequence';
  if (policy !== 'allInSequence' && policy !== 'latestOnly') {
    throw new Error(`Scenario: release definition '${definition}' environment '${e.name}' has queuePolicy '${String(policy)}'; expected allInSequence or latestOnly.`);
  }
  return { concurrencyCount: concurrency, queueDepthCount: policy === 'latestOnly' ? 1 : 0 };
}
