import type { Scenario } from '../emulator/scenario';

/** The commit the whole train is built from. */
export const trainCommit = '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39';
const previousCommit = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d';

/** Three YAML pipelines and one classic release of project Shop, mid-deployment of one commit. */
export const sampleTrain: Scenario = {
  organization: 'lockstep',
  projects: [
    {
      name: 'Shop',
      buildDefinitions: [
        { id: 11, name: 'db-migrations', stages: ['Build', 'Deploy_Prod'] },
        { id: 12, name: 'api', stages: ['Build', { identifier: 'Prod', name: 'Production' }] },
        { id: 13, name: 'web', stages: ['Build', 'Prod'] },
      ],
      releaseDefinitions: [{ id: 3, name: 'Legacy Web', environments: ['Staging', 'Production'] }],
      builds: [
        { id: 101, definition: 'db-migrations', buildNumber: '2.2.0', sourceVersion: previousCommit, queueTime: -3_600_000 },
        { id: 102, definition: 'api', buildNumber: '2.2.0', sourceVersion: previousCommit, queueTime: -3_600_000 },
        {
          id: 201,
          definition: 'db-migrations',
          buildNumber: '2.3.0',
          sourceVersion: trainCommit,
          status: 'inProgress',
          queueTime: -60_000,
          stages: [
            { identifier: 'Build', state: 'completed', result: 'succeeded' },
            { identifier: 'Deploy_Prod', state: 'inProgress' },
          ],
        },
        {
          id: 202,
          definition: 'api',
          buildNumber: '2.3.0',
          sourceVersion: trainCommit,
          status: 'inProgress',
          queueTime: -50_000,
          stages: [
            { identifier: 'Build', state: 'inProgress' },
            { identifier: 'Prod', name: 'Production', state: 'pending' },
          ],
        },
      ],
      releases: [
        {
          id: 31,
          definition: 'Legacy Web',
          name: 'Release-31',
          artifacts: [{ alias: 'web-legacy', isPrimary: true, buildNumber: '2.3.0', sourceVersion: trainCommit, branch: 'refs/heads/main' }],
          environments: [{ name: 'Staging', status: 'succeeded' }, { name: 'Production', status: 'inProgress' }],
        },
      ],
    },
  ],
  events: [
    { at: 1_000, build: 202, stage: 'Build', result: 'succeeded' },
    { at: 1_200, build: 202, stage: 'Prod', state: 'inProgress' },
    { at: 1_500, build: 201, stage: 'Deploy_Prod', result: 'succeeded' },
    { at: 1_600, build: 201, status: 'completed', result: 'succeeded' },
    { at: 3_500, build: 202, stage: 'Prod', result: 'succeeded' },
    { at: 4_000, release: 31, environment: 'Production', status: 'succeeded' },
  ],
};
