import assert from 'node:assert/strict';
import { emulatorPerTest } from '../support/emulator-per-test';
import { failedTrain, goodRunId, members, previous, retries, rollback, run, SCALE, train, trainRunId } from '../support/rollback-train';

/**
 * Which of a member's runs of the train is the one that deployed it, for CoordinatedRollback@1 (issue 13, case 3;
 * src/runs/deciding-run.ts), through the bundled task against the emulator (test/support/rollback-train.ts).
 */
describe('CoordinatedRollback@1: which train run deployed a member (bundled tasks, emulator)', function () {
  this.timeout(40_000);
  const start = emulatorPerTest(SCALE);

  it('rolls back a member whose newer scheduled run of the train\'s commit skipped Prod: the run that deployed it decides', async () => {
    const nightly = run('api', 250, train, { Build: 'succeeded', Prod: 'skipped', Smoke: 'skipped' }, { buildNumber: 'nightly', reason: 'schedule', queueTime: -60_000 });
    const e = await start(
      failedTrain({
        api: [
          run('api', goodRunId('api'), previous, { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }),
          run('api', trainRunId('api'), train, { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }),
          nightly,
        ],
      }),
    );
    const r = await rollback(e, 'web').done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.deepEqual(JSON.parse(r.outputs.result), members.map((m) => ({ member: `${m}@Prod`, status: 'rolledBack', reason: 'stage Prod of run 2.2.0 succeeded' })));
    assert.deepEqual(retries(e), [goodRunId('web'), goodRunId('api'), goodRunId('db-migrations')]);
    assert.ok(r.log.some((l) => l === `  api@Prod: train run 2.3.0 (#${trainRunId('api')}) → retry stage Prod of run 2.2.0 (#${goodRunId('api')})`), r.stdout);
  });
});
