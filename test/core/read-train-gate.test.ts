import assert from 'node:assert/strict';
import { harnessRun } from '../../emulator/agent/agent-harness';
import { emulatorPerTest } from '../support/emulator-per-test';
import { api, db, gateTask, jobToken, markupTrainScenario, SCALE, trainRun, trainScenario, web } from '../support/gate-task';
import { member, readTrainOf } from '../support/train-view-source';

/**
 * The train view's reader on a train at a SyncGate, its history made by running the bundled SyncGate tasks in the
 * emulator, read over HTTP through FetchSource (Node 20's fetch) as the page reads it.
 */
const commit = harnessRun.commit;
const pending = (id: string) => ({ identifier: id, state: 'pending' as const });

describe('readTrain: a train at its gate (bundled SyncGate tasks, FetchSource over HTTP, emulator)', function () {
  this.timeout(40_000);
  const start = emulatorPerTest(SCALE);

  it('shows a gate half full mid-flight — who arrived and when, who is missing, what each waiting member waits on — in 6 requests for 3 members', async () => {
    const e = await start(trainScenario([api, web, db], [trainRun(api), trainRun(web), trainRun(db, { stages: [{ identifier: 'Build', state: 'inProgress' }, pending('Gate'), pending('Deploy')] })]));
    const tasks = [api, web].map((m) => gateTask(e, m, { participants: 'api\nweb\ndb', timeoutMinutes: '30' }));
    await Promise.all(tasks.map((t) => t.waitForLine(/^Arrived at gate/)));
    try {
      const reads = [];
      for (let i = 0; i < 3; i++) reads.push(await readTrainOf(e, jobToken, api.buildId));
      const { snapshot, routes } = reads[2];
      console.log(`      3 members: ${snapshot.requests} requests, ${reads.map((r) => `${r.ms.toFixed(0)} ms`).join(', ')} per read (first, second, third)`);
      assert.deepEqual(snapshot.origin, { kind: 'build', project: 'Shop', id: api.buildId, name: '2.3.0-api', definitionId: api.definitionId, definitionName: 'api', webUrl: snapshot.origin.webUrl });
      assert.match(snapshot.origin.webUrl, /_build\/results\?buildId=101$/);
      assert.equal(snapshot.train, commit);
      assert.deepEqual(snapshot.members.map((m) => [m.label, m.run?.id, m.run?.state]), [['api', 101, 'inProgress'], ['web', 102, 'inProgress'], ['db', 103, 'inProgress']]);
      assert.deepEqual(member(snapshot, 'db').stages.map((s) => [s.name, s.state]), [['Build', 'inProgress'], ['Gate', 'notStarted'], ['Deploy', 'notStarted']]);
      assert.deepEqual(member(snapshot, 'api').stages.map((s) => [s.name, s.state, s.attempt]), [['Build', 'succeeded', 1], ['Gate', 'inProgress', 1], ['Deploy', 'notStarted', 1]]);

      assert.equal(snapshot.gates.length, 1);
      const gate = snapshot.gates[0];
      assert.deepEqual({ ...gate, arrived: gate.arrived.map((a) => [a.label, a.open]) }, { gate: 'prod', train: commit, needed: 3, arrived: [['api', false], ['web', false]], missing: ['db'], state: 'waiting', withdrawn: [] });
      for (const a of gate.arrived) assert.ok(a.at && Date.parse(a.at) > 0, `${a.label} arrived at ${a.at}`);

      const step = member(snapshot, 'api').step!;
      assert.deepEqual({ ...step, since: undefined, next: undefined }, { task: 'SyncGate', stage: 'Gate', state: 'atGate', since: undefined, next: undefined, waitsFor: [{ label: 'web', gate: 'prod', met: true }, { label: 'db', gate: 'prod', met: false }] });
      assert.match(step.next!, /^gate prod opens when 1 more arrives: db; leaves the gate at \d{4}-\d\d-\d\d \d\d:\d\d UTC unless it opens$/);
      assert.equal(member(snapshot, 'web').step?.state, 'atGate');
      assert.equal(member(snapshot, 'db').step, undefined, 'db has not run a Lockstep task yet');
      assert.deepEqual([snapshot.deadlocks, snapshot.rollback, snapshot.settled, snapshot.notices], [[], undefined, false, []]);

      // The origin: its run, all its properties, its timeline; one list for the members' runs; a timeline each.
      assert.deepEqual(routes.sort(), ['builds.get', 'builds.list', 'builds.properties.get', 'timeline.get', 'timeline.get', 'timeline.get']);
      assert.equal(snapshot.requests, 6);
    } finally {
      tasks.forEach((t) => t.sigint());
      await Promise.all(tasks.map((t) => t.done));
    }
  });

  it('shows the gate open once the last member arrives, when it opened, and every member passed', async () => {
    const e = await start(trainScenario([api, web], [trainRun(api), trainRun(web)]));
    const results = await Promise.all([api, web].map((m) => gateTask(e, m, { participants: 'api\nweb' }).done));
    results.forEach((r) => assert.equal(r.result.status, 'Succeeded', r.stdout));
    const { snapshot } = await readTrainOf(e, jobToken, web.buildId);
    const gate = snapshot.gates[0];
    assert.equal(gate.state, 'open');
    assert.deepEqual(gate.arrived.map((a) => [a.label, a.open]), [['web', true], ['api', true]]);
    assert.equal(gate.openedAt, results.map((r) => r.outputs.openedAt).sort()[0]);
    for (const label of ['api', 'web']) {
      const step = member(snapshot, label).step!;
      assert.equal(step.state, 'passed');
      assert.ok(step.endedAt && Date.parse(step.endedAt) >= Date.parse(step.since!));
    }
    assert.equal(snapshot.settled, false, 'the members\' runs go on after the gate');
  });

  it('shows a member that timed out at the gate as withdrawn, with its own reason, and the gate as left', async () => {
    const e = await start(trainScenario([api, web, db], [trainRun(api), trainRun(web), trainRun(db)]));
    const r = await gateTask(e, api, { participants: 'api\nweb\ndb', timeoutMinutes: '1' }).done;
    assert.equal(r.result.status, 'Failed', r.stdout);
    const { snapshot } = await readTrainOf(e, jobToken, api.buildId);
    const gate = snapshot.gates[0];
    assert.equal(gate.state, 'withdrawn');
    assert.deepEqual(gate.arrived, []);
    assert.deepEqual(gate.missing, ['api', 'web', 'db']);
    assert.deepEqual(gate.withdrawn, [{ label: 'api', reason: r.result.message }]);
    const step = member(snapshot, 'api').step!;
    assert.equal(step.state, 'timedOut');
    assert.equal(step.next, r.result.message);
  });

  it('hands run names, stage names, gates and trains with markup through as plain text, exactly as written', async () => {
    const markup = '<img src=x onerror="alert(1)">';
    const gateName = '<script>alert("gate")</script>';
    const e = await start(markupTrainScenario(markup));
    const t = gateTask(e, api, { participants: 'api\nweb', gate: gateName, timeoutMinutes: '30' });
    await t.waitForLine(/^Arrived at gate/);
    try {
      const { snapshot } = await readTrainOf(e, jobToken, api.buildId);
      assert.equal(snapshot.origin.name, `2.3.0 ${markup}`);
      assert.equal(member(snapshot, 'web').run?.name, '<b>web</b>');
      assert.equal(member(snapshot, 'api').stages[1].name, `Gate ${markup}`);
      assert.equal(snapshot.gates[0].gate, gateName);
      assert.ok(e.state.build(api.buildId)!.tags.some((tag) => tag.includes('<script>')), 'the tag itself carries the markup');
    } finally {
      t.sigint();
      await t.done;
    }
  });
});
