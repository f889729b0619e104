import assert from 'node:assert/strict';
import { ReleaseExpands, ReleaseQueryOrder, ReleaseStatus } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import type { Scenario } from '../../emulator/scenario';
import { startEmulator } from '../../emulator';
import { COMMIT, webApi } from './support';

/** Classic releases whose primary artifact is a repository (Git, GitHub) rather than a run, and release states. */
describe('emulator: release artifacts of repositories, and release states', () => {
  const scenario: Scenario = {
    projects: [
      {
        name: 'Shop',
        releaseDefinitions: [{ id: 3, name: 'Legacy Web', environments: ['Production'] }],
        releases: [
          { id: 31, definition: 'Legacy Web', artifacts: [{ alias: '_app', type: 'Git', repository: 'web', sourceVersion: COMMIT, branch: 'refs/heads/main' }] },
          { id: 32, definition: 'Legacy Web', artifacts: [{ alias: '_gh', type: 'GitHub', repository: 'contoso/web', sourceVersion: COMMIT, branch: 'main' }] },
          { id: 33, definition: 'Legacy Web', status: 'abandoned' },
          { id: 34, definition: 'Legacy Web', status: 'draft' },
        ],
      },
    ],
  };

  it('renders a Git or GitHub artifact with the commit as its version, its branch, and no sourceVersion', async () => {
    const em = await startEmulator({ scenario });
    try {
      const release = await (await webApi(em).getReleaseApi()).getRelease('Shop', 31);
      const git = release.artifacts![0];
      assert.equal(git.type, 'Git');
      assert.equal(git.definitionReference!.version.id, COMMIT);
      assert.equal(git.definitionReference!.branch.id, 'refs/heads/main');
      assert.equal(git.definitionReference!.definition.name, 'web');
      assert.equal(git.definitionReference!.sourceVersion, undefined);
      const gh = (await (await webApi(em).getReleaseApi()).getRelease('Shop', 32)).artifacts![0];
      assert.equal(gh.type, 'GitHub');
      assert.deepEqual([gh.definitionReference!.version.id, gh.definitionReference!.branch.id, gh.definitionReference!.definition.id], [COMMIT, 'main', 'contoso/web']);
    } finally {
      await em.close();
    }
  });

  it('leaves drafts and abandoned releases out of a list filtered on active, and takes a Git artifact\'s commit as its artifactVersionId', async () => {
    const em = await startEmulator({ scenario });
    try {
      const api = await webApi(em).getReleaseApi();
      const list = (status?: ReleaseStatus, artifactVersionId?: string) =>
        api.getReleases('Shop', 3, undefined, undefined, undefined, status, undefined, undefined, undefined, ReleaseQueryOrder.Descending, 50, undefined, ReleaseExpands.Artifacts, undefined, undefined, artifactVersionId).then((rs) => rs.map((r) => r.id));
      assert.deepEqual(await list(), [34, 33, 32, 31]);
      assert.deepEqual(await list(ReleaseStatus.Active), [32, 31]);
      assert.equal(em.requests.at(-1)?.query.statusFilter, '2');
      assert.deepEqual(await list(undefined, COMMIT), [32, 31]);
    } finally {
      await em.close();
    }
  });

  it('refuses a repository artifact without its commit', async () => {
    const bad: Scenario = { projects: [{ name: 'Shop', releaseDefinitions: [{ id: 3, name: 'L', environments: ['P'] }], releases: [{ id: 1, definition: 'L', artifacts: [{ alias: 'a', type: 'Git' }] }] }] };
    await assert.rejects(startEmulator({ scenario: bad }), /Git artifact 'a' needs its commit \(sourceVersion\)/);
  });
});
