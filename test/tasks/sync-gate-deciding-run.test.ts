import assert from 'node:assert/strict';
import type { Emulator } from '../../emulator';
import { emulatorPerTest } from '../support/emulator-per-test';
import { api, gateTask, Member, SCALE, trainRun as memberTrainRun, trainScenario, web } from '../support/gate-task';
import type { BuildInput, Scenario } from '../../emulator/scenario';
import { gateMarks } from '../../src/gate/gate-marks';
import { harnessRun } from '../../emulator/agent/agent-harness';

/**
 * Which of a member's several train runs counts at the gate (issue 13, case 3; src/runs/deciding-run.ts), through
 * the bundled SyncGate@1, one task process per member run. Policy time runs SCALE times faster.
 */
const commit = harnessRun.commit;

/** A member's train run on main, started by CI, in progress, heading for its Gate stage. */
const trainRun = (m: Member, extra: Partial<BuildInput> = {}): BuildInput => memberTrainRun(m, { sourceBranch: 'refs/heads/main', reason: 'individualCI', ...extra });

const shop = (builds: BuildInput[]): Scenario => trainScenario([api, web], builds);

describe('SyncGate@1: which of a member\'s train runs counts (bundled tasks, emulator)', function () {
  this.timeout(40_000);
  const start = emulatorPerTest(SCALE);

  const gate = (e: Emulator, m: Member) => gateTask(e, m, { participants: 'api\nweb', timeoutMinutes: '1' });

  it('does not fail a healthy train on a newer scheduled run of the same commit that skipped the gate stage', async () => {
    // The nightly run built the train's commit too; a branch condition skipped its Gate and Deploy, and it finished.
    const nightly = trainRun(web, {
      id: 112,
      buildNumber: 'nightly',
      reason: 'schedule',
      status: 'completed',
      result: 'succeeded',
      queueTime: -10_000,
      stages: [
        { identifier: 'Build', state: 'completed', result: 'succeeded' },
        { identifier: 'Gate', state: 'completed', result: 'skipped' },
        { identifier: 'Deploy', state: 'completed', result: 'skipped' },
      ],
    });
    const e = await start(shop([trainRun(api), trainRun(web), nightly]));
    const [a, w] = await Promise.all([gate(e, api).done, gate(e, web).done]);
    for (const r of [a, w]) assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.ok(!a.log.some((l) => l.includes('#112')), 'the scheduled run never stands for web');
    assert.deepEqual(JSON.parse(a.outputs.arrived).map((x: { member: string; runId: number }) => [x.member, x.runId]).sort(), [['api', 101], ['web', 102]]);
    for (const id of [101, 102]) assert.ok(e.state.build(id)!.tags.includes(gateMarks('prod', commit).open));
  });

  it('still fails fast when the only train run of a member ended before arriving', async () => {
    const e = await start(shop([trainRun(api), trainRun(web, { status: 'completed', result: 'failed', stages: [{ identifier: 'Build', state: 'completed', result: 'failed' }, { identifier: 'Gate', state: 'completed', result: 'skipped' }, { identifier: 'Deploy', state: 'completed', result: 'skipped' }] })]));
    const r = await gate(e, api).done;
    assert.equal(r.result.status, 'Failed');
    assert.match(r.result.message, /^web: its train run 2\.3\.0-web ended failed before arriving at gate 'prod'/);
  });
});
