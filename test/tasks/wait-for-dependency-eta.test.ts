import assert from 'node:assert/strict';
import type { Emulator } from '../../emulator';
import type { BuildInput, ScenarioEvent } from '../../emulator/scenario';
import { harnessRun } from '../../emulator/agent/agent-harness';
import { SCALE, waitTask } from '../support/wait-task';
import { earlierRun } from '../support/earlier-runs';
import { emulatorPerTest } from '../support/emulator-per-test';

/**
 * ETA-aware polling through the bundled WaitForDependency@1, as the agent runs it, against the emulator. Policy time
 * runs SCALE times faster in both; the times below are policy time.
 */
const minute = 60_000;
const jobToken = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.lockstep-eta-token.c2lnbmF0dXJl';

/** Earlier runs of api whose Build stage took `buildMs`, then Prod `prodMs`. */
function earlier(buildMs: number[], prodMs: number): BuildInput[] {
  return buildMs.map((ms, i) => {
    const run = earlierRun(101 + i, 'api', prodMs);
    const prodAt = run.startTime! + ms;
    return {
      ...run,
      finishTime: prodAt + prodMs,
      stages: [
        { identifier: 'Build', result: 'succeeded', startTime: run.startTime, finishTime: prodAt },
        { identifier: 'Prod', result: 'succeeded', startTime: prodAt, finishTime: prodAt + prodMs },
      ],
    };
  });
}

/** The matched run, started 10 s before the wait, with its stages as given. */
function current(stages: BuildInput['stages']): BuildInput {
  return { id: 201, definition: 'api', buildNumber: '2.3.201', sourceVersion: harnessRun.commit, status: 'inProgress', queueTime: -10_000, startTime: -10_000, stages };
}

/** Polls and timeline reads of run 201, from the first poll on (resolving the reference reads a timeline too). */
function requestsOf(e: Emulator) {
  const polled = e.requests.slice(e.requests.findIndex((q) => q.route === 'builds.list' && !q.query.$top));
  return {
    polls: polled.filter((q) => q.route === 'builds.list').map((q) => q.time),
    timelineReads: polled.filter((q) => q.route === 'timeline.get' && q.path.includes('/builds/201/')).map((q) => q.time),
    allTimelineReads: polled.filter((q) => q.route === 'timeline.get').length,
  };
}

describe('WaitForDependency@1 with earlier runs to go by (bundled task, emulator)', function () {
  this.timeout(30_000);
  const start = emulatorPerTest(SCALE);

  async function wait(builds: BuildInput[], events: ScenarioEvent[], inputs: Record<string, string> = {}) {
    const e = await start({
      token: jobToken,
      projects: [{ name: 'Shop', buildDefinitions: [{ id: 11, name: 'api', stages: ['Build', 'Prod'] }], builds }],
      events,
    });
    // No waiting run 1001 here (its wait is published to nothing): only the polling of api is looked at.
    const r = await waitTask(e, { dependencies: 'api@Prod', pollIntervalSeconds: '15', ...inputs }, { token: jobToken }).done;
    return { r, e, exitedAt: e.elapsedMs(), ...requestsOf(e) };
  }

  it('checks every interval while the stage runs, reading its timeline each time, and sees it succeed within one interval', async () => {
    const running = current([
      { identifier: 'Build', result: 'succeeded', startTime: -10_000, finishTime: 0 },
      { identifier: 'Prod', state: 'inProgress', startTime: 0 },
    ]);
    const { r, exitedAt, polls, timelineReads } = await wait([...earlier([10_000, 10_000, 10_000, 10_000, 10_000], 55_000), running], [
      { at: 60_000, build: 201, stage: 'Prod', result: 'succeeded' },
    ]);
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.ok(exitedAt - 60_000 <= 15_000 + 2_000, `exited ${exitedAt - 60_000} ms after the stage succeeded`);
    assert.ok(polls.filter((t) => t < 60_000).length >= 4, `polls at 0, 15, 30 and 45 s: ${polls}`);
    assert.equal(timelineReads.length, polls.length, 'a running stage: every poll reads its timeline');
    assert.match(r.log.find((l) => l.startsWith('api@Prod: ')) ?? '', /^api@Prod: run 2\.3\.201 \(#201\): stage Prod inProgress — running \d+s, usually 55s$/);
  });

  it('fails within one interval when the stage fails while it runs, long before its usual duration', async () => {
    const running = current([
      { identifier: 'Build', result: 'succeeded', startTime: -10_000, finishTime: 0 },
      { identifier: 'Prod', state: 'inProgress', startTime: 0 },
    ]);
    const { r, exitedAt } = await wait([...earlier([10_000, 10_000, 10_000, 10_000, 10_000], 5 * minute), running], [
      { at: 20_000, build: 201, stage: 'Prod', result: 'failed' },
    ]);
    assert.equal(r.result.status, 'Failed', r.stdout);
    assert.match(r.result.message ?? '', /stage Prod failed/);
    assert.ok(exitedAt - 20_000 <= 15_000 + 2_000, `exited ${exitedAt - 20_000} ms after the stage failed`);
  });

  // Prod usually starts about 5 minutes into the run: far from it until 3m58s.
  const slowBuild = () => earlier([5, 5.1, 5.2, 5.3, 5.4].map((m) => m * minute), 20_000);
  const buildRunning = () => current([{ identifier: 'Build', state: 'inProgress', startTime: -10_000 }, { identifier: 'Prod', state: 'pending' }]);

  it('fails within one interval when the run fails long before its awaited stage would start', async () => {
    const { r, exitedAt, polls, timelineReads } = await wait([...slowBuild(), buildRunning()], [
      { at: 40_000, build: 201, stage: 'Build', result: 'failed' },
      { at: 40_000, build: 201, status: 'completed', result: 'failed' },
    ]);
    assert.equal(r.result.status, 'Failed', r.stdout);
    assert.match(r.result.message ?? '', /stage Prod skipped/);
    assert.ok(exitedAt - 40_000 <= 15_000 + 2_000, `exited ${exitedAt - 40_000} ms after the run failed`);
    const before = (times: number[]) => times.filter((t) => t < 40_000).length;
    assert.ok(before(timelineReads) < before(polls), `far from Prod: ${timelineReads} timeline reads, polls at ${polls}`);
  });

  it('reads the timeline of a run far from its awaited stage less often than every poll, and every poll with etaPolling false', async function () {
    this.timeout(60_000);
    const events = (): ScenarioEvent[] => [
      { at: 250_000, build: 201, stage: 'Build', result: 'succeeded' },
      { at: 250_000, build: 201, stage: 'Prod', state: 'inProgress' },
      { at: 270_000, build: 201, stage: 'Prod', result: 'succeeded' },
    ];
    // The two worlds side by side, each with its own emulator: half the wall time of one after the other.
    const [on, off] = await Promise.all([
      wait([...slowBuild(), buildRunning()], events()),
      wait([...slowBuild(), buildRunning()], events(), { etaPolling: 'false' }),
    ]);
    for (const side of [on, off]) {
      assert.equal(side.r.result.status, 'Succeeded', side.r.stdout);
      assert.ok(side.exitedAt - 270_000 <= 15_000 + 2_000, `exited ${side.exitedAt - 270_000} ms after the stage succeeded`);
    }
    assert.equal(off.timelineReads.length, off.polls.length, `etaPolling false: every poll reads the timeline (${off.polls.length} polls)`);
    assert.equal(off.allTimelineReads, off.timelineReads.length, 'and no earlier run is read');
    assert.ok(Math.abs(on.polls.length - off.polls.length) <= 1, `the builds list every interval either way: ${on.polls.length} and ${off.polls.length} polls`);
    assert.ok(on.allTimelineReads < off.allTimelineReads, `${on.allTimelineReads} timeline reads (${on.timelineReads.length} of the run, 5 earlier runs) against ${off.allTimelineReads}`);
  });
});
