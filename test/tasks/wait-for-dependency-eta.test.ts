import assert from 'node:assert/strict';
import type { BuildInput } from '../../emulator/scenario';
import { harnessRun, runTask } from '../../emulator/agent/agent-harness';
import { earlierRun } from '../support/earlier-runs';
import { emulatorPerTest } from '../support/emulator-per-test';

/**
 * ETA-aware polling through the bundled WaitForDependency@1, as the agent runs it, against the emulator. Policy time
 * runs SCALE times faster in both; the times below are policy time.
 */
const SCALE = 20;
const jobToken = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.lockstep-eta-token.c2lnbmF0dXJl';

describe('WaitForDependency@1 with earlier runs to go by (bundled task, emulator)', function () {
  this.timeout(30_000);
  const start = emulatorPerTest(SCALE);

  it('checks rarely while the stage is far from its usual minute, closely near it, and still sees it succeed within one interval', async () => {
    const history = [55_000, 58_000, 60_000, 62_000, 65_000].map((ms, i) => earlierRun(101 + i, 'api', ms));
    const current: BuildInput = {
      id: 201,
      definition: 'api',
      buildNumber: '2.3.201',
      sourceVersion: harnessRun.commit,
      status: 'inProgress',
      queueTime: -10_000,
      stages: [
        { identifier: 'Build', result: 'succeeded', startTime: -10_000, finishTime: 0 },
        { identifier: 'Prod', state: 'inProgress', startTime: 0 },
      ],
    };
    const e = await start({
      token: jobToken,
      projects: [{ name: 'Shop', buildDefinitions: [{ id: 11, name: 'api', stages: ['Build', 'Prod'] }], builds: [...history, current] }],
      events: [{ at: 60_000, build: 201, stage: 'Prod', result: 'succeeded' }],
    });
    const r = await runTask({
      task: 'wait-for-dependency',
      collectionUrl: e.collectionUrl,
      token: jobToken,
      inputs: { dependencies: 'api@Prod', pollIntervalSeconds: '15' },
      env: { LOCKSTEP_TIME_SCALE: String(SCALE) },
    }).done;
    const exitedAt = e.elapsedMs();

    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.ok(exitedAt - 60_000 <= 15_000 + 2_000, `exited ${exitedAt - 60_000} ms after the stage succeeded`);
    const polls = e.requests.filter((q) => q.route === 'builds.list' && !q.query.$top).map((q) => q.time);
    const before = polls.filter((t) => t < 60_000);
    // Fixed 15 s polling would check at 0, 15, 30 and 45 s; the estimate (usually 1m, close checks from 43 s) skips the middle.
    assert.ok(before.length <= 3, `${before.length} polls before the stage succeeded: ${polls}`);
    assert.ok(polls[1] - polls[0] >= 30_000, `the first two polls ${polls[1] - polls[0]} ms apart`);
    assert.match(r.log.find((l) => l.startsWith('api@Prod: ')) ?? '', /^api@Prod: run 2\.3\.201 \(#201\): stage Prod inProgress — running \d+s, usually 1m00s$/);
    const timelinesOf = (id: number) => e.requests.filter((q) => q.route === 'timeline.get' && q.path.includes(`/builds/${id}/`)).length;
    assert.deepEqual([101, 102, 103, 104, 105].map(timelinesOf), [1, 1, 1, 1, 1], 'each earlier run is read once');
  });
});
