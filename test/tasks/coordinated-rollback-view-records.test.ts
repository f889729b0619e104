import assert from 'node:assert/strict';
import type { Emulator } from '../../emulator';
import { rollbackRecordName, RollbackRecord } from '../../src/rollback/rollback-record';
import { emulatorPerTest } from '../support/emulator-per-test';
import { defId, failedTrain, goodRunId, previous, rollback, run, SCALE, train, trainRunId } from '../support/rollback-train';

/**
 * What CoordinatedRollback@1's leader leaves on its run for the train view (issue 14), through the bundled task
 * against the emulator: the plan and each step's outcome, written when it starts leading and once per step.
 */
const planOn = (e: Emulator, buildId: number): RollbackRecord | undefined => {
  const value = e.state.build(buildId)!.properties[rollbackRecordName(train)]?.$value;
  return value === undefined ? undefined : JSON.parse(String(value));
};
const planWrites = (e: Emulator, buildId: number) =>
  e.requests.filter((q) => q.route === 'builds.properties.update' && q.path.includes(`/builds/${buildId}/`) && JSON.stringify(q.body).includes(rollbackRecordName(train)));
const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('CoordinatedRollback@1 records for the train view (bundled task, emulator)', function () {
  this.timeout(40_000);
  const start = emulatorPerTest(SCALE);

  it('keeps the plan on the leader\'s run, each step\'s outcome written as it is known: once at the start and once per step', async () => {
    const e = await start(failedTrain());
    const t = rollback(e, 'web');
    const leader = trainRunId('web');
    // While the rollback goes on: the plan is there, web (first in reverse order) done before api is.
    const seen: string[] = [];
    while (t.process.exitCode === null) {
      const plan = planOn(e, leader);
      if (plan) seen.push(plan.steps.map((s) => s.outcome).join(','));
      await later(50);
    }
    const r = await t.done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    seen.push(planOn(e, leader)!.steps.map((s) => s.outcome).join(','));
    assert.deepEqual([...new Set(seen)], ['pending,pending,pending', 'done,pending,pending', 'done,done,pending', 'done,done,done']);
    const plan = planOn(e, leader)!;
    assert.equal(plan.train, train);
    assert.deepEqual(plan.leader, { kind: 'build', project: 'Shop', runId: leader, definitionName: 'web' });
    assert.equal(plan.state, 'done');
    assert.equal(plan.order, 'reverse');
    assert.deepEqual(plan.match, { mode: 'sameCommit', commit: train });
    assert.deepEqual(
      plan.steps.map((s) => [s.label, s.definitionId, s.action, s.target?.id, s.trainRun?.id, s.outcome, s.message]),
      ['web', 'api', 'db-migrations'].map((m) => [`${m}@Prod`, defId(m), 'retryStage', goodRunId(m), trainRunId(m), 'done', 'stage Prod of run 2.2.0 succeeded']),
    );
    assert.ok(plan.steps.every((s) => Date.parse(s.at!) >= Date.parse(plan.steps[0].at!)));
    assert.equal(planWrites(e, leader).length, 1 + 3);
    assert.equal(planOn(e, trainRunId('api')), undefined, 'only the leader keeps one');
  });

  it('records a skipped member and one with nothing to go back to from the start, and the members a failed step leaves undone', async () => {
    const e = await start(
      failedTrain(
        {
          'db-migrations': [run('db-migrations', trainRunId('db-migrations'), train, { Build: 'succeeded', Prod: 'succeeded' })],
          api: [run('api', goodRunId('api'), previous, { Build: 'succeeded', Prod: 'succeeded' }), run('api', trainRunId('api'), train, { Build: 'succeeded', Prod: 'skipped' })],
        },
        { behaviour: { stageRetryMs: 20_000, stageRetryResult: 'canceled' } },
      ),
    );
    const r = await rollback(e, 'web').done;
    assert.equal(r.result.status, 'Failed', r.stdout);
    const plan = planOn(e, trainRunId('web'))!;
    assert.equal(plan.state, 'failed');
    assert.deepEqual(
      plan.steps.map((s) => [s.label, s.action, s.outcome]),
      [['web@Prod', 'retryStage', 'failed'], ['api@Prod', 'skip', 'skipped'], ['db-migrations@Prod', 'none', 'failed']],
    );
    assert.match(plan.steps[0].message!, /canceled before it finished/);
    assert.equal(plan.steps[1].message, 'stage Prod was skipped in this train');
    assert.equal(plan.steps[2].message, 'no earlier run whose stage Prod succeeded');
    assert.equal(planWrites(e, trainRunId('web')).length, 1 + 1);
  });
});
