import type { Emulator } from '../../emulator';
import type { BuildInput, ProjectInput, Scenario } from '../../emulator/scenario';
import { harnessRun, runTask, TaskRunOptions } from '../../emulator/agent/agent-harness';
import { emulatorPerTest } from './emulator-per-test';
import { running } from './scenarios';

/**
 * The bundled WaitForDependency@1 as a step of a YAML run, run by the agent harness against the emulator. The waiting
 * run is run 1001 (harnessRun) of pipeline 'waiter' (id 90) in project Shop, on refs/heads/main at harnessRun.commit.
 */

/** How many times faster policy time runs, in the emulator and in the task alike (a 5 s poll interval is 0.25 s). */
export const SCALE = 20;

/** A job's OAuth token is a JWT, sent as Bearer; the emulator answers only to it. */
export const jobToken = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.lockstep-job-token.c2lnbmF0dXJl';

const waiter = { definitionId: 90, name: 'waiter' };

/**
 * The scenario with the waiting run itself on the service, as it is on a real one: run 1001 of pipeline 'waiter'
 * (id 90) in Shop, in progress in its Deploy stage. A scenario whose Shop already has run 1001 is left as it is.
 */
export function withWaiterRun(scenario: Scenario): Scenario {
  const projects = scenario.projects.map((p) =>
    p.name !== 'Shop' || (p.builds ?? []).some((b) => b.id === harnessRun.buildId)
      ? p
      : {
          ...p,
          buildDefinitions: [...(p.buildDefinitions ?? []), { id: waiter.definitionId, name: waiter.name, stages: ['Deploy'] }],
          builds: [...(p.builds ?? []), { id: harnessRun.buildId, definition: waiter.name, buildNumber: harnessRun.buildNumber, sourceVersion: harnessRun.commit, status: 'inProgress' as const, queueTime: -120_000, stages: [{ identifier: 'Deploy', state: 'inProgress' as const }] }],
        },
  );
  return { ...scenario, projects };
}

/**
 * Call inside a describe: returns `start(scenario)`, which starts a fresh emulator for the current test that answers
 * to the job token (unless the scenario names another) and has the waiting run (withWaiterRun), and closes it after.
 */
export function waiterEmulatorPerTest(scale = SCALE): (scenario: Scenario) => Promise<Emulator> {
  const startEmulator = emulatorPerTest(scale);
  return (scenario) => startEmulator(withWaiterRun({ token: jobToken, ...scenario }));
}

/**
 * The WaitForDependency step of the waiting run (pipeline 'waiter', id 90), polling every 5 s unless the inputs say
 * otherwise, with policy time `scale` times faster. `options` override the token, add variables and env, or set the
 * host.
 */
export function waitTask(e: Emulator, inputs: Record<string, string>, options: Partial<TaskRunOptions> = {}, scale = SCALE) {
  return runTask({
    task: 'wait-for-dependency',
    collectionUrl: e.collectionUrl,
    token: jobToken,
    ...options,
    variables: { 'System.DefinitionId': String(waiter.definitionId), 'Build.DefinitionName': waiter.name, ...options.variables },
    inputs: { pollIntervalSeconds: '5', ...inputs },
    env: { LOCKSTEP_TIME_SCALE: String(scale), ...options.env },
  });
}

/** Project `name` with the given YAML pipelines (ids from 11), each with stages Build, Prod (named Production), Smoke. */
export function yamlProject(pipelines: string[], builds: BuildInput[], name = 'Shop'): ProjectInput {
  return {
    name,
    buildDefinitions: pipelines.map((p, i) => ({ id: 11 + i, name: p, stages: ['Build', { identifier: 'Prod', name: 'Production' }, 'Smoke'] })),
    builds,
  };
}

/** A run of `definition` for the waiting run's commit, on main, in progress, with its stages as given. */
export function commitRun(id: number, definition: string, stages: Parameters<typeof running>[2], extra: Partial<BuildInput> = {}): BuildInput {
  return running(id, definition, stages, { sourceVersion: harnessRun.commit, ...extra });
}

/** Shop with the one pipeline api (as yamlProject gives it) and its runs as given. */
export function apiProject(builds: BuildInput[]): ProjectInput {
  return yamlProject(['api'], builds);
}

/** A run of api for the waiting run's commit, on main, in progress, with its stages as given (as commitRun). */
export function apiRun(id: number, stages: Parameters<typeof running>[2], extra: Partial<BuildInput> = {}): BuildInput {
  return commitRun(id, 'api', stages, extra);
}
