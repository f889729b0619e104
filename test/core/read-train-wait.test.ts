import assert from 'node:assert/strict';
import { harnessRun } from '../../emulator/agent/agent-harness';
import type { BuildInput } from '../../emulator/scenario';
import { commitRun, jobToken, waiterEmulatorPerTest, waitTask, yamlProject } from '../support/wait-task';
import { member, readTrainOf } from '../support/train-view-source';

/**
 * The train view's reader on a run waiting in WaitForDependency — one member waiting on others — with its history
 * made by running the bundled task in the emulator; and a 25-member train, whose requests and time per read are
 * reported (not asserted on time).
 */
const waiterRun = harnessRun.buildId;

describe('readTrain: a run waiting on its dependencies (bundled WaitForDependency, FetchSource over HTTP, emulator)', function () {
  this.timeout(40_000);
  const start = waiterEmulatorPerTest();

  it('shows what the waiting member waits on, what is met, what happens next — and, once the wait is over, that it was met', async () => {
    const e = await start({
      projects: [yamlProject(['api', 'web'], [commitRun(201, 'api', { Build: 'succeeded', Prod: 'inProgress', Smoke: 'pending' }), commitRun(202, 'web', { Build: 'succeeded', Prod: 'succeeded', Smoke: 'inProgress' })])],
      events: [{ at: 40_000, build: 201, stage: 'Prod', result: 'succeeded' }],
    });
    const t = waitTask(e, { dependencies: 'api@Prod\nweb@Prod', timeoutMinutes: '30' });
    await t.waitForLine(/^Waiting for 2 dependencies/);
    const { snapshot, routes } = await readTrainOf(e, jobToken, waiterRun);
    assert.equal(snapshot.train, harnessRun.commit, 'a wait names no train: what it matches on');
    assert.deepEqual(snapshot.members.map((m) => [m.label, m.run?.id]), [['waiter', waiterRun], ['api', 201], ['web', 202]]);
    const step = member(snapshot, 'waiter').step!;
    assert.equal(step.task, 'WaitForDependency');
    assert.equal(step.state, 'waitingOnPeer');
    assert.equal(step.stage, 'Deploy');
    assert.deepEqual(step.waitsFor, [{ label: 'api', stage: 'Prod', met: false }, { label: 'web', stage: 'Prod', met: true }]);
    assert.match(step.next!, /^passes when api@Prod succeeds; fails at \d{4}-\d\d-\d\d \d\d:\d\d UTC unless it does$/);
    assert.deepEqual(member(snapshot, 'api').stages.map((s) => [s.identifier, s.name, s.state]), [['Build', 'Build', 'succeeded'], ['Prod', 'Production', 'inProgress'], ['Smoke', 'Smoke', 'notStarted']]);
    assert.equal(routes.length, 3 + 1 + 2);

    const r = await t.done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    const after = (await readTrainOf(e, jobToken, waiterRun)).snapshot;
    const ended = member(after, 'waiter').step!;
    assert.equal(ended.state, 'met');
    assert.ok(ended.endedAt);
    assert.deepEqual(ended.waitsFor.map((w) => w.met), [true, true]);
    assert.equal(ended.next, undefined);
  });

  it('shows the run of the commit the task went by, not a newer scheduled run of it that skipped Prod, nor a run of another branch', async () => {
    const e = await start({
      projects: [
        yamlProject(['api'], [
          commitRun(201, 'api', { Build: 'succeeded', Prod: 'inProgress', Smoke: 'pending' }, { queueTime: -300_000 }),
          // Newer runs of the same commit: a nightly on main whose condition skipped Prod, and one of a release branch.
          commitRun(202, 'api', { Build: 'succeeded', Prod: 'skipped', Smoke: 'skipped' }, { status: 'completed', result: 'succeeded', reason: 'schedule', queueTime: -120_000 }),
          commitRun(203, 'api', { Build: 'succeeded', Prod: 'failed' }, { status: 'completed', result: 'failed', sourceBranch: 'refs/heads/release/2.3', queueTime: -60_000 }),
        ]),
      ],
    });
    const t = waitTask(e, { dependencies: 'api@Prod', timeoutMinutes: '30' });
    await t.waitForLine(/^Waiting for 1 dependencies/);
    try {
      const { snapshot } = await readTrainOf(e, jobToken, waiterRun);
      assert.equal(member(snapshot, 'api').run?.id, 201);
      assert.deepEqual(member(snapshot, 'api').stages.map((s) => [s.identifier, s.state]), [['Build', 'succeeded'], ['Prod', 'inProgress'], ['Smoke', 'notStarted']]);
      assert.deepEqual(member(snapshot, 'waiter').step?.waitsFor, [{ label: 'api', stage: 'Prod', met: false }]);
    } finally {
      t.sigint();
      await t.done;
    }
  });

  it('reads a 25-member train in one project in 28 requests: 3 for the origin, 1 list, a timeline per member run', async () => {
    const names = Array.from({ length: 24 }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`);
    const builds: BuildInput[] = names.map((n, i) => commitRun(300 + i, n, { Build: 'succeeded', Prod: i % 3 === 0 ? 'succeeded' : 'inProgress', Smoke: 'pending' }));
    // Older runs of other commits, as a real history has them.
    builds.push(...names.map((n, i) => ({ ...commitRun(400 + i, n, { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }), sourceVersion: 'a'.repeat(40), status: 'completed' as const, queueTime: -3_600_000 })));
    const e = await start({ projects: [yamlProject(names, builds)] });
    const t = waitTask(e, { dependencies: names.map((n) => `${n}@Prod`).join('\n'), timeoutMinutes: '30' });
    await t.waitForLine(/^Waiting for 24 dependencies/);
    try {
      const reads = [];
      for (let i = 0; i < 3; i++) reads.push(await readTrainOf(e, jobToken, waiterRun));
      const { snapshot, routes } = reads[2];
      assert.equal(snapshot.members.length, 25);
      assert.ok(snapshot.members.slice(1).every((m, i) => m.run?.id === 300 + i && m.stages.length === 3), 'each member\'s train run, not an older run');
      assert.deepEqual(member(snapshot, 'waiter').step!.waitsFor.filter((w) => w.met).map((w) => w.label), names.filter((_, i) => i % 3 === 0));
      assert.equal(snapshot.requests, 28);
      assert.deepEqual(routes.filter((r) => r !== 'timeline.get').sort(), ['builds.get', 'builds.list', 'builds.properties.get']);
      console.log(`      25 members: ${snapshot.requests} requests, ${reads.map((r) => `${r.ms.toFixed(0)} ms`).join(', ')} per read (first, second, third)`);
    } finally {
      t.sigint();
      await t.done;
    }
  });
});
