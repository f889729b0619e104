import type { Emulator } from '../../emulator';
import type { BuildInput, Scenario } from '../../emulator/scenario';
import { harnessRun, runTask, TaskRunOptions } from '../../emulator/agent/agent-harness';

/**
 * CoordinatedRollback@1 as the agent runs it, from the members' own runs, against the emulator.
 * Policy time runs SCALE times faster (a 15 s poll is 0.75 s; a stage retry of 20 s takes 1 s).
 */
export const SCALE = 20;
export const train = harnessRun.commit;
export const previous = 'bbbb000000000000000000000000000000000002';
export const jobToken = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.lockstep-rollback-token.c2lnbmF0dXJl';
export const members = ['db-migrations', 'api', 'web'] as const;
export const defId = (m: string) => 11 + members.indexOf(m as (typeof members)[number]);
export const goodRunId = (m: string) => 100 + defId(m);
export const trainRunId = (m: string) => 200 + defId(m);

type StageResult = 'succeeded' | 'failed' | 'skipped' | 'pending' | 'inProgress';

export function run(m: string, id: number, commit: string, stages: Record<string, StageResult>, extra: Partial<BuildInput> = {}): BuildInput {
  return {
    id,
    definition: m,
    buildNumber: commit === train ? '2.3.0' : '2.2.0',
    sourceVersion: commit,
    sourceBranch: 'refs/heads/main',
    status: 'completed',
    result: Object.values(stages).includes('failed') ? 'failed' : 'succeeded',
    queueTime: commit === train ? -600_000 + id : -86_400_000 + id,
    stages: Object.entries(stages).map(([identifier, s]) =>
      s === 'pending' || s === 'inProgress' ? { identifier, state: s } : { identifier, state: 'completed', result: s },
    ),
    ...extra,
  };
}

/** db and api deployed 2.3.0 to Prod; web's smoke test failed and its rollback stage runs now. */
export function failedTrain(overrides: Partial<Record<string, BuildInput[]>> = {}, extra: Partial<Scenario> = {}): Scenario {
  const builds = members.flatMap(
    (m) =>
      overrides[m] ?? [
        run(m, goodRunId(m), previous, { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }),
        run(m, trainRunId(m), train, { Build: 'succeeded', Prod: 'succeeded', Smoke: m === 'web' ? 'failed' : 'succeeded', Rollback: 'inProgress' }, { status: 'inProgress', result: undefined }),
      ],
  );
  return {
    token: jobToken,
    behaviour: { stageRetryMs: 20_000, queuedRunMs: 5_000, redeployMs: 20_000 },
    projects: [{ name: 'Shop', buildDefinitions: members.map((m) => ({ id: defId(m), name: m, stages: ['Build', 'Prod', 'Smoke', 'Rollback'] })), builds }],
    ...extra,
  };
}

export const participants = 'db-migrations@Prod\napi@Prod\nweb@Prod';

/** The rollback step in member `m`'s run of the train. */
export function rollback(e: Emulator, m: string, inputs: Record<string, string> = {}, options: Partial<TaskRunOptions> = {}) {
  return runTask({
    task: 'coordinated-rollback',
    collectionUrl: e.collectionUrl,
    token: jobToken,
    ...options,
    inputs: { participants, ...inputs },
    variables: {
      'Build.BuildId': String(trainRunId(m)),
      'Build.BuildNumber': '2.3.0',
      'Build.DefinitionName': m,
      'System.DefinitionId': String(defId(m)),
      'System.StageName': 'Rollback',
      ...options.variables,
    },
    env: { LOCKSTEP_TIME_SCALE: String(SCALE), ...options.env },
  });
}

/** Requests that change something: the permission evaluation is a POST that only reads. */
export const writes = (e: Emulator) => e.requests.filter((q) => !['GET', 'OPTIONS'].includes(q.method) && q.route !== 'security.permissionEvaluationBatch');
/** The runs whose stage was retried, in order. */
export const retries = (e: Emulator) => e.requests.filter((q) => q.route === 'stages.update' && q.status < 300).map((q) => Number(/builds\/(\d+)\//.exec(q.path)![1]));
