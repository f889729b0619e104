import type { BuildInput, Scenario } from '../emulator/scenario';
import { harnessRun, runTask, TaskRun, TaskRunOptions } from '../emulator/agent/agent-harness';
import { running } from '../test/support/scenarios';

/** The bench's worlds: project Shop as the harness's build host describes it (its commit, its own run 1001). */

export const benchToken = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.lockstep-bench-token.c2lnbmF0dXJl';
export const minute = 60_000;

/** The waiting job's own pipeline and run, where the task publishes what it waits for. */
const ownPipeline = { id: 12, name: harnessRun.definitionName, stages: ['Deploy'] };
const ownRun: BuildInput = {
  id: harnessRun.buildId,
  definition: harnessRun.definitionName,
  buildNumber: harnessRun.buildNumber,
  sourceVersion: harnessRun.commit,
  status: 'inProgress',
  queueTime: -2 * minute,
  stages: [{ identifier: 'Deploy', state: 'inProgress' }],
};

/** `svc-0`..: pipelines with stages Build and Prod, ids from 100. */
export const serviceNames = (n: number) => Array.from({ length: n }, (_, i) => `svc-${i}`);

/** A run of this run's commit, in progress: Build done, Prod running (or pending). */
export function currentRun(id: number, definition: string, prod: 'inProgress' | 'pending' = 'inProgress'): BuildInput {
  return running(id, definition, { Build: 'succeeded', Prod: prod }, { sourceVersion: harnessRun.commit });
}

export function shopScenario(pipelines: string[], builds: BuildInput[], extra: Partial<Scenario> = {}): Scenario {
  return {
    token: benchToken,
    projects: [
      {
        name: harnessRun.project,
        buildDefinitions: [ownPipeline, ...pipelines.map((name, i) => ({ id: 100 + i, name, stages: ['Build', 'Prod'] }))],
        builds: [ownRun, ...builds],
      },
    ],
    ...extra,
  };
}

/** WaitForDependency@1 (bundled, or from `taskDir`) in a build job, as the agent runs it. */
export function waitTask(collectionUrl: string, inputs: Record<string, string>, scale: number, options: Partial<TaskRunOptions> = {}): TaskRun {
  return runTask({
    task: 'wait-for-dependency',
    collectionUrl,
    token: benchToken,
    killAfterMs: 120_000,
    ...options,
    inputs,
    env: { LOCKSTEP_TIME_SCALE: String(scale), ...options.env },
  });
}
