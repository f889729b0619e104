import assert from 'node:assert/strict';
import type { TrainSnapshot } from '../../src/snapshot/train-snapshot';
import { waitFor } from '../emulator/support';
import { emulatorPerTest } from '../support/emulator-per-test';
import { failedTrain, goodRunId, jobToken, members, rollback, SCALE, train, trainRunId, writes } from '../support/rollback-train';
import { member, readTrainOf } from '../support/train-view-source';

/**
 * The train view's reader on a rollback, its history made by running the bundled CoordinatedRollback tasks in the
 * emulator (test/support/rollback-train.ts): the plan, the leader, each member's action and outcome in order, and what
 * is still to do — while it runs and once it is done.
 */
const later = (ms: number) => new Promise((r) => setTimeout(r, ms));
const outcomes = (s: TrainSnapshot) => s.rollback?.steps.map((x) => `${x.label}:${x.outcome}`).join(' ');

describe('readTrain: a rollback (bundled CoordinatedRollback, FetchSource over HTTP, emulator)', function () {
  this.timeout(40_000);
  const start = emulatorPerTest(SCALE);

  it('shows the plan and the leader while the rollback runs — done, under way, still to do — and all done at the end', async () => {
    const e = await start(failedTrain());
    const t = rollback(e, 'web');
    const seen = new Map<string, TrainSnapshot>();
    while (t.process.exitCode === null) {
      const { snapshot } = await readTrainOf(e, jobToken, trainRunId('web'));
      if (snapshot.rollback) seen.set(`${snapshot.rollback.state} ${outcomes(snapshot)}`, snapshot);
      await later(100);
    }
    const r = await t.done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    const midway = seen.get('inProgress web:done api:inProgress db-migrations:pending');
    assert.ok(midway, [...seen.keys()].join('\n'));
    assert.equal(midway.rollback!.leader, 'web');
    assert.deepEqual(midway.rollback!.claimants, ['web']);
    assert.equal(midway.rollback!.train, train);
    assert.deepEqual(midway.members.map((m) => m.label), ['web', 'api', 'db-migrations'], 'the origin, then the plan\'s members in the order they are rolled back');
    assert.deepEqual(member(midway, 'web').step, { task: 'CoordinatedRollback', state: 'rollingBack', waitsFor: [], next: 'rolls back api (retry stage Prod)' });

    const { snapshot, routes } = await readTrainOf(e, jobToken, trainRunId('web'));
    const done = snapshot.rollback!;
    assert.equal(done.state, 'done');
    assert.deepEqual(done.claimants, [], 'the leader left its claim; its lead mark stays');
    assert.equal(done.leader, 'web');
    assert.deepEqual(
      done.steps.map((s) => [s.label, s.action, s.target, s.outcome, s.message]),
      ['web', 'api', 'db-migrations'].map((m) => [m, 'retry stage Prod', `run 2.2.0 (#${goodRunId(m)})`, 'done', 'stage Prod of run 2.2.0 succeeded']),
    );
    assert.ok(done.steps.every((s) => s.at && Date.parse(s.at) > 0));
    assert.equal(member(snapshot, 'web').step?.state, 'done');
    // The members come from the plan the leader keeps: one list for them, a timeline each, and the origin's three reads.
    assert.equal(routes.length, 3 + 1 + (members.length - 1));
  });

  it('shows every member that asks, the one that leads, and the others following it, when three ask at once', async () => {
    const e = await start(failedTrain());
    // db-migrations asks first and the others once its claim is written, so it leads: started together, the lowest run
    // id leads only if all three claims land within one settle period (200 ms at x20), which a loaded machine's
    // process start-up can miss — and then no plan was on db-migrations' run to read.
    const runs = [rollback(e, 'db-migrations')];
    await waitFor(() => writes(e).some((q) => q.path.includes(`/builds/${trainRunId('db-migrations')}/`)), 20_000, 'db-migrations to claim');
    runs.push(...members.filter((m) => m !== 'db-migrations').map((m) => rollback(e, m)));
    try {
      let snapshot: TrainSnapshot | undefined;
      for (let i = 0; i < 100 && !(snapshot?.rollback?.steps.length && snapshot.rollback.claimants.length === 3); i++) {
        await later(50);
        // The lowest run id leads (db-migrations): its run keeps the plan, which names the members.
        snapshot = (await readTrainOf(e, jobToken, trainRunId('db-migrations'))).snapshot;
      }
      assert.equal(snapshot!.rollback!.leader, 'db-migrations');
      assert.deepEqual([...snapshot!.rollback!.claimants].sort(), ['api', 'db-migrations', 'web']);
      assert.equal(member(snapshot!, 'api').step?.task, 'CoordinatedRollback');
      assert.match(member(snapshot!, 'api').step!.next ?? '', /^follows the rollback led by db-migrations$/);
    } finally {
      await Promise.all(runs.map((t) => t.done));
    }
  });
});
