import type { Emulator } from '../../emulator';
import type { BuildInput, ProjectInput, Scenario } from '../../emulator/scenario';
import { harnessRun, runTask, TaskRunOptions } from '../../emulator/agent/agent-harness';

/**
 * The bundled SyncGate@1 as a step of the members' own runs of a train, run by the agent harness against the
 * emulator: one task process per member run, all at gate 'prod' of the train of harnessRun.commit, in project Shop.
 */

/** How many times faster policy time runs, in the emulator and in the task alike (a 5 s poll interval is 0.25 s). */
export const SCALE = 20;

/** A job's OAuth token is a JWT, sent as Bearer; the emulator answers only to it. */
export const jobToken = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.lockstep-gate-token.c2lnbmF0dXJl';

/** A YAML member of the train: its pipeline and its run of the train. */
export interface Member {
  name: string;
  definitionId: number;
  buildId: number;
}
export const api: Member = { name: 'api', definitionId: 11, buildId: 101 };
export const web: Member = { name: 'web', definitionId: 12, buildId: 102 };
export const db: Member = { name: 'db', definitionId: 13, buildId: 103 };

/** Member m's run of the train's commit (number 2.3.0-<member>), in progress in its Gate stage, Build done, Deploy to come. */
export function trainRun(m: Member, extra: Partial<BuildInput> = {}): BuildInput {
  return {
    id: m.buildId,
    definition: m.name,
    buildNumber: `2.3.0-${m.name}`,
    sourceVersion: harnessRun.commit,
    status: 'inProgress',
    queueTime: -60_000,
    stages: [
      { identifier: 'Build', state: 'completed', result: 'succeeded' },
      { identifier: 'Gate', state: 'inProgress' },
      { identifier: 'Deploy', state: 'pending' },
    ],
    ...extra,
  };
}

/** Project Shop with the members' YAML pipelines, each with stages Build, Gate, Deploy, and the given runs. */
export function trainProject(members: Member[], builds: BuildInput[]): ProjectInput {
  return {
    name: 'Shop',
    buildDefinitions: members.map((m) => ({ id: m.definitionId, name: m.name, stages: ['Build', 'Gate', 'Deploy'] })),
    builds,
  };
}

/** A scenario answering to the job token with trainProject(members, builds) as its one project. */
export function trainScenario(members: Member[], builds: BuildInput[], extra: Partial<Scenario> = {}): Scenario {
  return { token: jobToken, projects: [trainProject(members, builds)], ...extra };
}

/**
 * Member m's SyncGate step at gate 'prod', in the Gate stage (attempt 1) of its run of the train, polling every 5 s
 * unless the inputs say otherwise, with policy time `scale` times faster. The inputs name the participants; `options`
 * override the token, add variables (another stage attempt) and env.
 */
export function gateTask(e: Emulator, m: Member, inputs: Record<string, string>, options: Partial<TaskRunOptions> = {}, scale = SCALE) {
  return runTask({
    task: 'sync-gate',
    collectionUrl: e.collectionUrl,
    token: jobToken,
    ...options,
    inputs: { gate: 'prod', pollIntervalSeconds: '5', ...inputs },
    variables: {
      'Build.BuildId': String(m.buildId),
      'Build.BuildNumber': `2.3.0-${m.name}`,
      'Build.DefinitionName': m.name,
      'System.DefinitionId': String(m.definitionId),
      'System.StageName': 'Gate',
      'System.StageAttempt': '1',
      'System.JobId': `00000000-0000-0000-0000-${String(m.buildId).padStart(12, '0')}`,
      ...options.variables,
    },
    env: { LOCKSTEP_TIME_SCALE: String(scale), ...options.env },
  });
}

/**
 * A deadlock between a gate and a wait: web's run is still in Build, where it waits (WaitForDependency) for
 * api@Deploy, which comes after the gate where api waits for web. Starts api's gate, waits for it to arrive, then
 * web's wait; both end on the cycle.
 */
export const webInBuild: Partial<BuildInput> = {
  stages: [{ identifier: 'Build', state: 'inProgress' }, { identifier: 'Gate', state: 'pending' }, { identifier: 'Deploy', state: 'pending' }],
};

export async function gateWaitDeadlock(e: Emulator, scale = SCALE) {
  const gate = gateTask(e, api, { participants: 'api\nweb' }, {}, scale);
  await gate.waitForLine(/^Arrived at gate/);
  const wait = runTask({
    task: 'wait-for-dependency',
    collectionUrl: e.collectionUrl,
    token: jobToken,
    inputs: { dependencies: 'api@Deploy', pollIntervalSeconds: '5' },
    variables: { 'Build.BuildId': String(web.buildId), 'Build.DefinitionName': 'web', 'System.DefinitionId': String(web.definitionId), 'System.StageName': 'Build' },
    env: { LOCKSTEP_TIME_SCALE: String(scale) },
  });
  return { gate, wait };
}

/**
 * Shop with api and web (their train runs) and the classic pipeline Legacy Web (QA, Staging, Production): Release-30
 * deployed an older commit everywhere; Release-31 is the train's, deploying Production.
 */
export function classicTrainScenario(token = jobToken): Scenario {
  return {
    token,
    projects: [
      {
        ...trainProject([api, web], [trainRun(api), trainRun(web)]),
        releaseDefinitions: [{ id: 3, name: 'Legacy Web', environments: ['QA', 'Staging', 'Production'] }],
        releases: [
          { id: 30, definition: 'Legacy Web', name: 'Release-30', artifacts: [{ alias: '_web', isPrimary: true, sourceVersion: 'b'.repeat(40) }], environments: [{ name: 'QA', status: 'succeeded' }, { name: 'Staging', status: 'succeeded' }, { name: 'Production', status: 'succeeded' }] },
          { id: 31, definition: 'Legacy Web', name: 'Release-31', artifacts: [{ alias: '_web', isPrimary: true, sourceVersion: harnessRun.commit }], environments: [{ name: 'QA', status: 'succeeded' }, { name: 'Staging', status: 'succeeded' }, { name: 'Production', status: 'inProgress' }] },
        ],
      },
    ],
  };
}

/** The classic member's SyncGate step in Release-31's Production, with api, web and Legacy Web as the train. */
export function classicGateTask(e: Emulator, scale = SCALE) {
  return runTask({
    task: 'sync-gate',
    collectionUrl: e.collectionUrl,
    token: jobToken,
    host: 'release',
    inputs: { gate: 'prod', participants: 'api\nweb\nrelease:Legacy Web', pollIntervalSeconds: '5', timeoutMinutes: '30' },
    variables: { 'Release.ReleaseId': '31', 'Release.ReleaseName': 'Release-31', 'Release.DefinitionId': '3', 'Release.DefinitionName': 'Legacy Web', 'Release.EnvironmentName': 'Production', 'Release.AttemptNumber': '1', 'Build.BuildId': '' },
    env: { LOCKSTEP_TIME_SCALE: String(scale) },
  });
}

/** api and web's train, with markup where anyone who can queue a run puts text: api's run number and Gate stage's name, web's run number. */
export function markupTrainScenario(markup: string): Scenario {
  const scenario = trainScenario([api, web], [trainRun(api, { buildNumber: `2.3.0 ${markup}` }), trainRun(web, { buildNumber: '<b>web</b>' })]);
  scenario.projects[0].buildDefinitions![0].stages = ['Build', { identifier: 'Gate', name: `Gate ${markup}` }, 'Deploy'];
  return scenario;
}
