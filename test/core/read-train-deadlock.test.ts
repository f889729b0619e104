import assert from 'node:assert/strict';
import { harnessRun } from '../../emulator/agent/agent-harness';
import type { BuildInput } from '../../emulator/scenario';
import type { WaitRecord } from '../../src/waits/wait-record';
import { emulatorPerTest } from '../support/emulator-per-test';
import { gateWaitDeadlock, api, jobToken, webInBuild, SCALE, trainRun, trainScenario, web } from '../support/gate-task';
import { member, readTrainOf } from '../support/train-view-source';

/**
 * Deadlocks in the train view's reader: the cycle the tasks found and recorded (their history made by running the
 * bundled SyncGate and WaitForDependency), and a cycle of live waits the tasks have not reported yet — found by the
 * tasks' own walk (deadlock.ts) over what the read already holds.
 */
const commit = harnessRun.commit;

describe('readTrain: deadlocks (bundled tasks, FetchSource over HTTP, emulator)', function () {
  this.timeout(40_000);
  const start = emulatorPerTest(SCALE);

  it('draws the cycle the tasks found — api at its gate waits for web, whose Build waits for api@Deploy — once, from either side', async () => {
    const e = await start(trainScenario([api, web], [trainRun(api), trainRun(web, webInBuild)]));
    const { gate: a, wait: w } = await gateWaitDeadlock(e);
    const [ra, rw] = await Promise.all([a.done, w.done]);
    assert.match(ra.result.message, /^Deadlock: /);
    assert.match(rw.result.message, /^Deadlock: /);
    for (const origin of [api.buildId, web.buildId]) {
      const { snapshot } = await readTrainOf(e, jobToken, origin);
      assert.deepEqual(snapshot.deadlocks.map((c) => c.slice(0, -1).sort()), [['api', 'web']], JSON.stringify(snapshot.deadlocks));
      const cycle = snapshot.deadlocks[0];
      assert.equal(cycle[0], cycle[cycle.length - 1], 'drawn as a cycle: A → B → A');
      for (const label of ['api', 'web']) {
        const step = member(snapshot, label).step!;
        assert.equal(step.state, 'deadlock');
        assert.match(step.next!, /^deadlock: /);
      }
    }
  });

  it('finds a cycle of live waits on its own, by the tasks\' rule, before any task reports it', async () => {
    // svc-a's App waits for svc-b@Deploy; svc-b's Wait waits for svc-a@Deploy, which comes after App: a cycle.
    const wait = (self: { id: number; name: string }, stage: string, other: { id: number; name: string }): WaitRecord => ({
      task: 'WaitForDependency', kind: 'yaml', project: 'Shop', definitionId: self.id, definitionName: self.name, stage, since: '2026-11-27T08:00:00.000Z',
      match: { mode: 'sameCommit', commit, branch: 'refs/heads/main' },
      waitsFor: [{ label: `${other.name}@Deploy`, kind: 'yaml', project: 'Shop', definitionId: other.id, definitionName: other.name, stage: 'Deploy' }],
    });
    const a = { id: 21, name: 'svc-a' };
    const b = { id: 22, name: 'svc-b' };
    const run = (id: number, who: typeof a, stages: BuildInput['stages'], record: WaitRecord): BuildInput => ({ id, definition: who.name, buildNumber: `2.3.${id}`, sourceVersion: commit, sourceBranch: 'refs/heads/main', status: 'inProgress', queueTime: -60_000, stages, properties: { 'Lockstep.Waiting': JSON.stringify(record) } });
    const e = await start({
      token: jobToken,
      projects: [
        {
          name: 'Shop',
          buildDefinitions: [{ id: a.id, name: a.name, stages: ['Build', 'App', 'Deploy'] }, { id: b.id, name: b.name, stages: ['Wait', 'Deploy'] }],
          builds: [
            run(301, a, [{ identifier: 'Build', result: 'succeeded' }, { identifier: 'App', state: 'inProgress' }, { identifier: 'Deploy' }], wait(a, 'App', b)),
            run(302, b, [{ identifier: 'Wait', state: 'inProgress' }, { identifier: 'Deploy' }], wait(b, 'Wait', a)),
          ],
        },
      ],
    });
    const { snapshot, routes } = await readTrainOf(e, jobToken, 301);
    assert.deepEqual(snapshot.deadlocks, [['svc-a', 'svc-b', 'svc-a']]);
    assert.equal(routes.length, 3 + 1 + 1, 'the cycle costs no request of its own');
    assert.equal(member(snapshot, 'svc-a').step?.state, 'waitingOnPeer');

    // svc-b's wait has ended: no cycle.
    e.state.build(302)!.properties['Lockstep.Waiting'] = { $type: 'System.String', $value: JSON.stringify({ ...wait(b, 'Wait', a), ended: { at: '2026-11-27T08:01:00.000Z', outcome: 'timedOut' } }) };
    assert.deepEqual((await readTrainOf(e, jobToken, 301)).snapshot.deadlocks, []);
  });
});
