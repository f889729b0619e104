/** Shared pieces of the emulator tests: a scenario, a started emulator, the real client. */
import * as azdev from 'azure-devops-node-api';
import { startEmulator, type Emulator, type EmulatorOptions, type Scenario } from '../../emulator';

export const START = '2026-03-02T09:00:00.000Z';
export const COMMIT = '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39';
export const OLD_COMMIT = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d';

/** Two projects; Shop has YAML pipelines in folders, builds in every state, and a classic release. */
export function shopScenario(): Scenario {
  return {
    startDate: START,
    projects: [
      {
        name: 'Shop',
        id: '6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c',
        buildDefinitions: [
          { id: 11, name: 'db-migrations', path: '\\data', stages: ['Build', 'Deploy_Prod'] },
          { id: 12, name: 'api', path: '\\team\\svc', stages: ['Build', { identifier: 'Prod', name: 'Production' }] },
          { id: 13, name: 'web', stages: ['Build', 'Test', 'Prod'] },
        ],
        releaseDefinitions: [
          { id: 3, name: 'Legacy Web', path: '\\legacy', environments: ['Staging', 'Production'] },
          { id: 4, name: 'Docs', environments: ['Production'] },
        ],
        builds: [
          { id: 101, definition: 'api', buildNumber: '2.2.0', sourceVersion: OLD_COMMIT, queueTime: -7_200_000, tags: ['release'], reason: 'individualCI' },
          { id: 102, definition: 'api', buildNumber: '2.2.1', sourceVersion: OLD_COMMIT, queueTime: -5_400_000, result: 'failed' },
          {
            id: 103, definition: 'web', buildNumber: '2.3.0-rc.1', sourceBranch: 'refs/heads/release/2.3', sourceVersion: COMMIT,
            queueTime: -3_600_000, tags: ['rc', 'web'], properties: { train: '2.3', attempt: 1 },
          },
          {
            id: 201, definition: 'db-migrations', buildNumber: '2.3.0', sourceVersion: COMMIT, status: 'inProgress', queueTime: -60_000,
            stages: [{ identifier: 'Build', result: 'succeeded' }, { identifier: 'Deploy_Prod', state: 'inProgress' }],
          },
          {
            id: 202, definition: 'api', buildNumber: '2.3.0', sourceVersion: COMMIT, status: 'inProgress', queueTime: -50_000,
            requestedFor: 'Dana Developer',
            stages: [{ identifier: 'Build', state: 'inProgress' }, { identifier: 'Prod', state: 'pending' }],
          },
          { id: 203, definition: 'web', buildNumber: '2.3.0', sourceVersion: COMMIT, status: 'notStarted', queueTime: -10_000 },
          {
            id: 204, definition: 'web', buildNumber: '2.3.1', sourceVersion: COMMIT, result: 'failed', queueTime: -1_800_000,
            stages: [{ identifier: 'Build', result: 'succeeded' }, { identifier: 'Test', result: 'failed' }, { identifier: 'Prod', result: 'skipped' }],
          },
        ],
        releases: [
          {
            id: 31, definition: 'Legacy Web', tags: ['train-2.3'], createdOn: -120_000,
            artifacts: [{ alias: 'web', buildId: 103 }],
            environments: [{ name: 'Staging', status: 'succeeded' }, { name: 'Production', status: 'inProgress' }],
          },
          {
            id: 30, definition: 'Legacy Web', createdOn: -86_000_000,
            artifacts: [{ alias: 'web', buildNumber: '2.2.0', sourceVersion: OLD_COMMIT, branch: 'refs/heads/main', definition: 'web' }],
            environments: [{ name: 'Staging', status: 'succeeded' }, { name: 'Production', status: 'succeeded' }],
          },
          { id: 40, definition: 'Docs', createdOn: -40_000, artifacts: [{ alias: 'docs', buildId: 101 }] },
        ],
      },
      { name: 'Other Project', buildDefinitions: [{ id: 11, name: 'tools' }], builds: [{ id: 900, definition: 'tools' }] },
    ],
  };
}

/** Runs fn against a fresh emulator and closes it afterwards. */
export async function withEmulator<T>(
  fn: (em: Emulator) => Promise<T>, options: Partial<EmulatorOptions> = {},
): Promise<T> {
  const em = await startEmulator({ scenario: shopScenario(), timeScale: 1, ...options });
  try {
    return await fn(em);
  } finally {
    await em.close();
  }
}

export function webApi(em: Emulator, token = em.token, options?: object): azdev.WebApi {
  return new azdev.WebApi(em.collectionUrl, azdev.getHandlerFromToken(token), options);
}

/** Waits (polling every 10 ms) until check returns true. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A raw request through fetch, for what the client hides (headers, bodies of 401/404). */
export async function raw(em: Emulator, method: string, path: string, init: { token?: string | null; body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...(init.headers ?? {}) };
  const token = init.token === undefined ? em.token : init.token;
  if (token !== null) headers.Authorization = `Basic ${Buffer.from(`:${token}`).toString('base64')}`;
  if (init.body !== undefined) headers['Content-Type'] ??= 'application/json';
  const base = em.collectionUrl.replace(/\/lockstep$/, '');
  return fetch(`${base}${path}`, { method, headers, body: init.body });
}
