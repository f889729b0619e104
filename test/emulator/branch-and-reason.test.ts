import * as assert from 'node:assert/strict';
import type { IBuildApi } from 'azure-devops-node-api/BuildApi';
import { BuildReason } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import type { Scenario } from '../../emulator';
import { START, webApi, withEmulator } from './support';

/** Runs of one pipeline from a pull request, a feature branch, a tag, a schedule and by hand. */
function historyScenario(): Scenario {
  return {
    startDate: START,
    projects: [{
      name: 'Shop',
      buildDefinitions: [{ id: 12, name: 'api', stages: ['Build', 'Prod'] }],
      builds: [
        { id: 401, definition: 'api', reason: 'manual', queueTime: -9_000_000 },
        {
          id: 402, definition: 'api', reason: 'pullRequest', queueTime: -8_000_000,
          pullRequest: { number: 7, sourceBranch: 'refs/heads/feature/login', title: 'Log in with SSO' },
        },
        { id: 403, definition: 'api', reason: 'individualCI', sourceBranch: 'refs/heads/feature/login', queueTime: -7_000_000 },
        { id: 404, definition: 'api', reason: 'individualCI', sourceBranch: 'refs/tags/v2.3.0', queueTime: -6_000_000 },
        { id: 405, definition: 'api', reason: 'schedule', queueTime: -5_000_000 },
        { id: 406, definition: 'api', reason: 'batchedCI', queueTime: -4_000_000 },
      ],
    }],
  };
}

function ids(build: IBuildApi, f: { reasonFilter?: BuildReason; branchName?: string }): Promise<number[]> {
  return build.getBuilds('Shop', undefined, undefined, undefined, undefined, undefined, undefined, f.reasonFilter,
    undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, f.branchName)
    .then((builds) => builds.map((b) => b.id!).sort());
}

describe('emulator: where runs came from (branch and reason)', () => {
  it('renders a pull request run as the service does: refs/pull/N/merge, pr.* triggerInfo, system.pullRequest.* parameters', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const pr = await build.getBuild('Shop', 402);
    assert.equal(pr.reason, BuildReason.PullRequest);
    assert.equal(pr.sourceBranch, 'refs/pull/7/merge');
    assert.deepEqual(
      [pr.triggerInfo!['pr.number'], pr.triggerInfo!['pr.sourceBranch'], pr.triggerInfo!['pr.title'], pr.triggerInfo!['pr.isFork']],
      ['7', 'refs/heads/feature/login', 'Log in with SSO', 'False'],
    );
    const parameters = JSON.parse(pr.parameters!) as Record<string, string>;
    assert.equal(parameters['system.pullRequest.pullRequestNumber'], '7');
    assert.equal(parameters['system.pullRequest.targetBranch'], 'refs/heads/main');

    const tag = await build.getBuild('Shop', 404);
    assert.deepEqual([tag.reason, tag.sourceBranch, tag.triggerInfo!['ci.sourceBranch']], [BuildReason.IndividualCI, 'refs/tags/v2.3.0', 'refs/tags/v2.3.0']);
    const scheduled = await build.getBuild('Shop', 405);
    assert.deepEqual([scheduled.reason, scheduled.triggerInfo], [BuildReason.Schedule, {}]);
  }, { scenario: historyScenario() }));

  it('filters by branchName, exactly or with a wildcard', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    assert.deepEqual(await ids(build, { branchName: 'refs/pull/7/merge' }), [402]);
    assert.deepEqual(await ids(build, { branchName: 'refs/tags/v2.3.0' }), [404]);
    assert.deepEqual(await ids(build, { branchName: 'refs/heads/feature/*' }), [403]);
    assert.deepEqual(await ids(build, { branchName: 'refs/heads/main' }), [401, 405, 406]);
    assert.equal(em.requests.at(-1)?.query.branchName, 'refs/heads/main');
  }, { scenario: historyScenario() }));

  it('filters by reasonFilter as a flags number', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    assert.deepEqual(await ids(build, { reasonFilter: BuildReason.PullRequest }), [402]);
    assert.equal(em.requests.at(-1)?.query.reasonFilter, '256');
    assert.deepEqual(await ids(build, { reasonFilter: BuildReason.Schedule | BuildReason.IndividualCI }), [403, 404, 405]);
    // Triggered (1967) is a mask over manual and the triggers, not "not manual".
    assert.deepEqual(await ids(build, { reasonFilter: BuildReason.Triggered }), [401, 402, 403, 404, 405, 406]);
    assert.deepEqual(await ids(build, { reasonFilter: BuildReason.IndividualCI | BuildReason.BatchedCI }), [403, 404, 406]);
    assert.deepEqual(await ids(build, { reasonFilter: BuildReason.Manual }), [401]);
  }, { scenario: historyScenario() }));

  it('refuses a reason the service does not have, and a pull request on a run of another reason', async () => {
    const odd = historyScenario();
    odd.projects[0].builds!.push({ id: 499, definition: 'api', reason: 'nightly' });
    await assert.rejects(withEmulator(async () => undefined, { scenario: odd }), /build 499 has reason 'nightly'/);
    const mixed = historyScenario();
    mixed.projects[0].builds!.push({ id: 498, definition: 'api', reason: 'manual', pullRequest: { number: 3 } });
    await assert.rejects(withEmulator(async () => undefined, { scenario: mixed }), /build 498 has a pullRequest but reason 'manual'/);
  });
});
