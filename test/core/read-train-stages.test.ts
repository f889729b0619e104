import assert from 'node:assert/strict';
import { harnessRun } from '../../emulator/agent/agent-harness';
import { jobToken, waiterEmulatorPerTest, waitTask } from '../support/wait-task';
import { member, readTrainOf } from '../support/train-view-source';

/**
 * Stages as the train view's reader shows them, besides waiting on a train peer: a manual stage waiting to be started
 * by a person, and a retried stage waiting for an approval (its pending check, since when) — the waiting run's
 * history made by the bundled WaitForDependency in the emulator.
 */
const commit = harnessRun.commit;

describe('readTrain: stages that wait for a person or an approval (bundled WaitForDependency, FetchSource over HTTP, emulator)', function () {
  this.timeout(30_000);
  const start = waiterEmulatorPerTest();

  it('tells a manual stage waiting for a person and a stage waiting for an approval from a wait on a peer', async () => {
    const e = await start({
      behaviour: { stageRetryApproval: true },
      projects: [
        {
          name: 'Shop',
          buildDefinitions: [
            { id: 11, name: 'api', stages: ['Build', { identifier: 'Prod', trigger: 'manual' }] },
            { id: 12, name: 'web', stages: ['Build', 'Prod'] },
          ],
          builds: [
            { id: 201, definition: 'api', buildNumber: '2.3.201', sourceVersion: commit, sourceBranch: 'refs/heads/main', status: 'completed', result: 'succeeded', queueTime: -60_000 },
            { id: 202, definition: 'web', buildNumber: '2.3.202', sourceVersion: commit, sourceBranch: 'refs/heads/main', status: 'completed', result: 'failed', queueTime: -60_000, stages: [{ identifier: 'Build', result: 'succeeded' }, { identifier: 'Prod', result: 'failed' }] },
          ],
        },
      ],
    });
    // Someone retries web's Prod; the retry waits for an approval.
    const retried = await fetch(`${e.collectionUrl}/Shop/_apis/build/builds/202/stages/Prod?api-version=7.1`, { method: 'PATCH', headers: { Authorization: `Bearer ${jobToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ state: 1, forceRetryAllJobs: true }) });
    assert.equal(retried.status, 204);
    const t = waitTask(e, { dependencies: 'api@Prod\nweb@Prod', timeoutMinutes: '30' });
    await t.waitForLine(/^Waiting for 2 dependencies/);
    try {
      const { snapshot } = await readTrainOf(e, jobToken, harnessRun.buildId);
      const api = member(snapshot, 'api');
      assert.equal(api.run?.state, 'succeeded');
      assert.deepEqual(api.stages.map((s) => [s.name, s.state]), [['Build', 'succeeded'], ['Prod', 'waitsForPerson']]);
      const web = member(snapshot, 'web');
      assert.equal(web.run?.state, 'inProgress');
      const prod = web.stages.find((s) => s.name === 'Prod')!;
      assert.deepEqual([prod.state, prod.attempt], ['notStarted', 2]);
      assert.equal(prod.pendingChecks.length, 1);
      assert.equal(prod.pendingChecks[0].kind, 'approval');
      assert.ok(prod.pendingChecks[0].since && Date.parse(prod.pendingChecks[0].since) > 0);
      const step = member(snapshot, 'waiter').step!;
      assert.equal(step.state, 'waitingOnPeer');
      assert.deepEqual(step.waitsFor.map((w) => [w.label, w.met]), [['api', false], ['web', false]]);
      assert.equal(snapshot.settled, false);
    } finally {
      t.sigint();
      await t.done;
    }
  });
});
