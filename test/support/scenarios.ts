import type { BuildInput, Scenario } from '../../emulator/scenario';

export const commit = 'c0ffee0000000000000000000000000000000001';
export const otherCommit = 'dead000000000000000000000000000000000002';

/** Project Shop with the given YAML pipelines (ids from 11), each with stages Build, Prod, Smoke. */
export function shop(pipelines: string[], builds: BuildInput[] = [], extra: Partial<Scenario> = {}): Scenario {
  return {
    projects: [
      {
        name: 'Shop',
        buildDefinitions: pipelines.map((name, i) => ({ id: 11 + i, name, stages: ['Build', { identifier: 'Prod', name: 'Production' }, 'Smoke'] })),
        builds,
      },
    ],
    ...extra,
  };
}

/** A run of `definition` for `commit`, in progress, with its stages as given. */
export function running(id: number, definition: string, stages: Record<string, 'pending' | 'inProgress' | 'succeeded' | 'failed' | 'canceled' | 'skipped'>, extra: Partial<BuildInput> = {}): BuildInput {
  return {
    id,
    definition,
    buildNumber: `2.3.${id}`,
    sourceVersion: commit,
    sourceBranch: 'refs/heads/main',
    status: 'inProgress',
    queueTime: -60_000 + id,
    stages: Object.entries(stages).map(([identifier, s]) =>
      s === 'pending' || s === 'inProgress' ? { identifier, state: s } : { identifier, state: 'completed' as const, result: s },
    ),
    ...extra,
  };
}
