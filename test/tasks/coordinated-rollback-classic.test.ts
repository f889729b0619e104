import assert from 'node:assert/strict';
import type { Emulator } from '../../emulator';
import type { Scenario } from '../../emulator/scenario';
import { isPathSafeTag } from '../../src/annotations/tag-text';
import { rollbackMarks } from '../../src/rollback/ledger-marks';
import { emulatorPerTest } from '../support/emulator-per-test';
import { failedTrain, goodRunId, jobToken, previous, retries, SCALE, train } from '../support/rollback-train';
import { runTask } from '../../emulator/agent/agent-harness';

/**
 * CoordinatedRollback@1 invoked from a classic release, as the agent runs it, against the emulator with the service's
 * path rule on: the release claims, leads and leaves with marks it can remove by their URL path (test/support/rollback-train.ts).
 */
describe('CoordinatedRollback@1 from a classic release, under the service\'s path rule (bundled task, emulator)', function () {
  this.timeout(40_000);
  const start = emulatorPerTest(SCALE);

  /** web (YAML) failed its smoke test; Legacy Web's train release, Release-31, runs its Rollback environment now. */
  function classicTrain(): Scenario {
    const scenario = failedTrain();
    scenario.projects[0].releaseDefinitions = [{ id: 3, name: 'Legacy Web', environments: ['Production', 'Rollback'] }];
    scenario.projects[0].releases = [
      { id: 30, definition: 'Legacy Web', name: 'Release-30', artifacts: [{ alias: 'web', isPrimary: true, sourceVersion: previous }], environments: [{ name: 'Production', status: 'succeeded' }] },
      { id: 31, definition: 'Legacy Web', name: 'Release-31', artifacts: [{ alias: 'web', isPrimary: true, sourceVersion: train }], environments: [{ name: 'Production', status: 'succeeded' }, { name: 'Rollback', status: 'inProgress' }] },
    ];
    return scenario;
  }

  function rollbackFromRelease(e: Emulator) {
    return runTask({
      task: 'coordinated-rollback',
      collectionUrl: e.collectionUrl,
      token: jobToken,
      host: 'release',
      inputs: { participants: 'release:Legacy Web@Production\nweb@Prod' },
      variables: {
        'Release.ReleaseId': '31',
        'Release.ReleaseName': 'Release-31',
        'Release.DefinitionId': '3',
        'Release.DefinitionName': 'Legacy Web',
        'Release.EnvironmentName': 'Rollback',
        'Build.SourceVersion': train,
      },
      env: { LOCKSTEP_TIME_SCALE: String(SCALE) },
    });
  }

  it('claims, leads and leaves its claim on its own release with marks safe in a URL path, and marks the release it redeployed', async () => {
    const e = await start(classicTrain());
    const r = await rollbackFromRelease(e).done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    const marks = rollbackMarks(train, 'release');
    // The claim went by its path; the lead mark stays as the record of who did it.
    assert.deepEqual(e.state.release(31)!.tags.filter((t) => t.startsWith('lockstep')), [marks.lead]);
    assert.ok(e.requests.some((q) => q.route === 'release.tags.delete' && q.status === 200 && decodeURIComponent(q.path).endsWith(`/tags/${marks.claim}`)), 'claim removed by its path');
    assert.deepEqual(e.state.release(30)!.tags, [marks.releaseRolledBack('Production', 1)]);
    assert.ok([marks.claim, marks.lead, marks.releaseRolledBack('Production', 1)].every(isPathSafeTag));
    assert.deepEqual(e.requests.filter((q) => q.status === 400).map((q) => `${q.method} ${q.path}`), []);
    assert.deepEqual(retries(e), [goodRunId('web')]);
    assert.equal(e.requests.filter((q) => q.route === 'release.environments.update' && q.path.includes('/releases/30/')).length, 1);
  });
});
