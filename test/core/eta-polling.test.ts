import assert from 'node:assert/strict';
import type { Emulator } from '../../emulator';
import type { BuildInput } from '../../emulator/scenario';
import { openApi } from '../../src/open-api';
import { estimateEta } from '../../src/polling/eta-estimate';
import { defaultEtaPolicy } from '../../src/polling/eta-policy';
import { skipsTimelineRead, TimelineSpacing } from '../../src/polling/eta-schedule';
import { defaultPollPolicy } from '../../src/polling/poll-policy';
import { waitForDependencies } from '../../src/polling/wait-for-dependencies';
import { WaitSettings } from '../../src/polling/wait-settings';
import { earlierRun } from '../support/earlier-runs';
import { emulatorPerTest } from '../support/emulator-per-test';
import { recordingHost } from '../support/recording-host';
import { commit, running, shop } from '../support/scenarios';

const minute = 60_000;
const spacing: TimelineSpacing = { intervalMs: 15_000, farMs: 60_000 };

describe('ETA-aware polling', () => {
  describe('the estimate from earlier durations', () => {
    it('is the median, with "far" ending a fifth of it before the shortest', () => {
      const eta = estimateEta([6.5, 5.5, 6, 5.8, 6.2].map((m) => m * minute), defaultEtaPolicy)!;
      assert.equal(eta.usualMs, 6 * minute);
      assert.equal(eta.samples, 5);
      assert.equal(eta.windowStartMs, 5.5 * minute - 1.2 * minute);
    });

    it('ends "far" half the spread before the shortest when earlier runs vary more than that', () => {
      const eta = estimateEta([2, 6, 10, 6].map((m) => m * minute), defaultEtaPolicy)!;
      assert.equal(eta.usualMs, 6 * minute);
      assert.equal(eta.windowStartMs, 0);
    });

    it('gives none with fewer earlier durations than minSamples, or none at all', () => {
      assert.equal(estimateEta([], defaultEtaPolicy), undefined);
      assert.equal(estimateEta([6 * minute, 6 * minute], defaultEtaPolicy), undefined);
      assert.ok(estimateEta([6 * minute, 6 * minute], { ...defaultEtaPolicy, minSamples: 2 }));
    });

    it('ignores durations that cannot be (negative, not a number)', () => {
      assert.equal(estimateEta([-5, Number.NaN, 6 * minute, 6 * minute], defaultEtaPolicy), undefined);
    });
  });

  describe('which polls read the timeline of a run whose awaited stage has not started', () => {
    // The stage usually starts 20m30s into its run; "far" ends a fifth of that before the earliest start: at 15m24s.
    const startsAfter = estimateEta([19.5, 20, 20.5, 21, 22].map((m) => m * minute), defaultEtaPolicy)!;

    /** The polls (every interval, from a run 1 minute old) that read the timeline, until the run is `untilMs` old. */
    function reads(untilMs: number) {
      const at: number[] = [0];
      for (let t = spacing.intervalMs; minute + t <= untilMs; t += spacing.intervalMs) {
        if (!skipsTimelineRead(startsAfter, minute + t, t - at.at(-1)!, spacing)) at.push(t);
      }
      return at;
    }

    it('reads every fourth poll while the run is far from where the stage usually starts, then every poll', () => {
      const at = reads(25 * minute);
      const far = at.filter((t) => minute + t < startsAfter.windowStartMs);
      assert.ok(far.slice(1).every((t, i) => t - far[i] === spacing.farMs), `${far}`);
      const near = at.filter((t) => minute + t >= startsAfter.windowStartMs);
      assert.ok(near.slice(1).every((t, i) => t - near[i] === spacing.intervalMs), `${near}`);
      assert.ok(near[0] - far.at(-1)! <= spacing.farMs);
      assert.equal(at.length, 15 + 39, 'fewer reads than the 97 polls of the fixed interval');
    });

    it('never skips once the run is as old as the window start, nor four intervals after the last read', () => {
      assert.equal(skipsTimelineRead(startsAfter, startsAfter.windowStartMs, 15_000, spacing), false);
      assert.equal(skipsTimelineRead(startsAfter, startsAfter.windowStartMs - 1, 15_000, spacing), true);
      assert.equal(skipsTimelineRead(startsAfter, minute, 45_000, spacing), true);
      assert.equal(skipsTimelineRead(startsAfter, minute, 60_000, spacing), false);
      assert.equal(skipsTimelineRead(startsAfter, minute, 59_000, spacing), false, 'a poll a little early still reads');
    });
  });

  describe('the wait (core against the emulator, virtual time)', function () {
    this.timeout(20_000);
    const start = emulatorPerTest();
    const startDate = '2026-11-27T09:00:00.000Z';
    const startAt = Date.parse(startDate);

    /** Earlier runs of api whose Prod stage took these minutes. */
    const earlier = (minutes: number[], result: 'succeeded' | 'failed' = 'succeeded') => minutes.map((m, i) => earlierRun(100 + i, 'api', m * minute, { result }));

    /** Earlier runs of api whose Build stage took these minutes, then Prod 6 minutes: Prod usually starts ~20 minutes in. */
    const slowBuilds = (buildMinutes: number[]): BuildInput[] =>
      buildMinutes.map((m, i) => {
        const run = earlierRun(100 + i, 'api', 6 * minute);
        const prodAt = run.startTime! + m * minute;
        return {
          ...run,
          finishTime: prodAt + 6 * minute,
          stages: [
            { identifier: 'Build', result: 'succeeded', startTime: run.startTime, finishTime: prodAt },
            { identifier: 'Prod', result: 'succeeded', startTime: prodAt, finishTime: prodAt + 6 * minute },
          ],
        };
      });

    const settings = (timeoutMs: number, eta = true): WaitSettings => ({
      dependencies: 'api@Prod',
      match: { mode: 'sameCommit', commit },
      acceptPartiallySucceeded: false,
      onDependencyFailure: 'fail',
      onTimeout: 'fail',
      project: 'Shop',
      poll: { ...defaultPollPolicy, timeoutMs, eta: eta ? defaultEtaPolicy : undefined },
    });

    /** A change to the emulated world at a policy time (ms after the wait starts): the first poll from then on can see it. */
    type Change = { atMs: number; apply: Parameters<Emulator['state']['apply']>[0] };

    /** The current run has run a minute when the wait starts. */
    async function waitFor(history: BuildInput[], current: BuildInput, options: { timeoutMs: number; eta?: boolean; changes?: Change[] }) {
      const e = await start({ ...shop(['api'], [...history, current]), startDate });
      const recorded = recordingHost({ virtualTime: true, startAt });
      const due = [...(options.changes ?? [])];
      const host = {
        ...recorded.host,
        sleep: async (ms: number, signal?: AbortSignal) => {
          await recorded.host.sleep(ms, signal);
          while (due.length > 0 && due[0].atMs <= recorded.host.clock.now() - startAt) e.state.apply(due.shift()!.apply);
        },
      };
      const api = await openApi({ collectionUrl: e.collectionUrl, token: e.token }, host);
      e.clearLog();
      const outcome = await waitForDependencies(settings(options.timeoutMs, options.eta), api, host);
      // From the first poll on: resolving the reference reads the last run's timeline once more.
      const polled = e.requests.slice(e.requests.findIndex((q) => q.route === 'builds.list' && !q.query.$top));
      const timelineReads = (id?: number) => polled.filter((q) => q.route === 'timeline.get' && (id === undefined || q.path.includes(`/builds/${id}/`))).length;
      const polls = polled.filter((q) => q.route === 'builds.list').length;
      return { ...recorded, outcome, e, timelineReads, polls };
    }

    /** The current run's Prod stage has been running a minute when the wait starts, and does not finish. */
    function prodRunning(): BuildInput {
      const current = running(200, 'api', { Build: 'succeeded', Prod: 'inProgress', Smoke: 'pending' }, { startTime: -2 * minute });
      current.stages![1].startTime = -minute;
      return current;
    }

    /** The current run's Build stage has been running a minute when the wait starts; Prod has not started. */
    const buildRunning = () => running(200, 'api', { Build: 'inProgress', Prod: 'pending', Smoke: 'pending' }, { startTime: -minute });

    it('polls every interval while the stage runs, reads its timeline every time, and says how long it usually takes', async () => {
      const { sleeps, lines, outcome, timelineReads, polls } = await waitFor(earlier([5.5, 5.8, 6, 6.2, 6.5]), prodRunning(), { timeoutMs: 10 * minute });
      assert.equal(outcome.result, 'Failed');
      assert.ok(sleeps.every((s) => s === 15_000), `${sleeps}`);
      assert.equal(sleeps.reduce((a, b) => a + b, 0), 10 * minute, 'the last sleep ends at the timeout, not past it');
      assert.equal(timelineReads(200), polls, 'a running stage: every poll reads its timeline');
      assert.ok(lines.includes('api@Prod: run 2.3.200 (#200): stage Prod inProgress — running 1m00s, usually 6m00s'), lines.join('\n'));
      assert.ok(lines.some((l) => /^Still waiting after 5m\d\ds for 1 of 1: api@Prod \(run 2\.3\.200 \(#200\): stage Prod inProgress — running 6m\d\ds, usually 6m00s\) — next check in 15s$/.test(l)), lines.join('\n'));
      assert.deepEqual([100, 101, 102, 103, 104].map((id) => timelineReads(id)), [1, 1, 1, 1, 1], 'each earlier run is read once');
    });

    it('sees a stage that fails while it runs, long before its usual duration, within one interval', async () => {
      const failsAt = 100_000;
      const { outcome, polls, timelineReads } = await waitFor(earlier([5.5, 5.8, 6, 6.2, 6.5]), prodRunning(), {
        timeoutMs: 10 * minute,
        changes: [{ atMs: failsAt, apply: { build: 200, stage: 'Prod', result: 'failed' } }],
      });
      assert.equal(outcome.result, 'Failed');
      assert.match(outcome.message!, /stage Prod failed$/);
      assert.ok(outcome.waitedMs - failsAt <= 15_000, `seen ${outcome.waitedMs - failsAt} ms after it failed`);
      assert.equal(outcome.waitedMs - failsAt, 5_000, 'at the first poll after it failed');
      assert.equal(timelineReads(200), polls);
    });

    it('sees a run that fails early, long before its awaited stage would start, within one interval', async () => {
      const failsAt = 200_000;
      const { outcome, polls, timelineReads } = await waitFor(slowBuilds([19.5, 20, 20.5, 21, 22]), buildRunning(), {
        timeoutMs: 30 * minute,
        changes: [
          { atMs: failsAt, apply: { build: 200, stage: 'Build', result: 'failed' } },
          { atMs: failsAt, apply: { build: 200, status: 'completed', result: 'failed' } },
        ],
      });
      assert.equal(outcome.result, 'Failed');
      assert.match(outcome.message!, /stage Prod skipped$/);
      assert.equal(outcome.waitedMs - failsAt, 10_000, 'at the first poll after it failed');
      assert.ok(timelineReads(200) < polls, `the run was far from Prod: ${timelineReads(200)} timeline reads in ${polls} polls`);
    });

    it('reads the timeline of a run far from its awaited stage less often with ETA-aware polling, and every poll without', async () => {
      const changes: Change[] = [
        { atMs: 19 * minute, apply: { build: 200, stage: 'Build', result: 'succeeded' } },
        { atMs: 19 * minute, apply: { build: 200, stage: 'Prod', state: 'inProgress' } },
        { atMs: 25 * minute, apply: { build: 200, stage: 'Prod', result: 'succeeded' } },
      ];
      const on = await waitFor(slowBuilds([19.5, 20, 20.5, 21, 22]), buildRunning(), { timeoutMs: 30 * minute, changes });
      const off = await waitFor(slowBuilds([19.5, 20, 20.5, 21, 22]), buildRunning(), { timeoutMs: 30 * minute, changes, eta: false });
      for (const side of [on, off]) {
        assert.equal(side.outcome.result, 'Succeeded');
        assert.equal(side.outcome.waitedMs, 25 * minute, 'Prod seen at the poll it succeeded');
        assert.ok(side.sleeps.every((s) => s === 15_000), `${side.sleeps}`);
      }
      assert.equal(on.polls, off.polls, 'the builds list every interval either way');
      assert.equal(off.timelineReads(), off.polls, 'without: every poll reads the timeline, and no earlier run is read');
      assert.equal(on.timelineReads(200), 15 + 43, 'with: every fourth poll until 14m24s (15m24s into the run), then every poll');
      assert.equal(on.timelineReads(), 15 + 43 + 5, 'and each earlier run once');
      assert.ok(on.timelineReads() < off.timelineReads());
    });

    it('keeps the fixed interval when the earlier runs did not succeed', async () => {
      const { sleeps, lines, e } = await waitFor(earlier([5.5, 5.8, 6, 6.2, 6.5], 'failed'), prodRunning(), { timeoutMs: 2 * minute });
      assert.deepEqual(sleeps, new Array(8).fill(15_000));
      assert.ok(lines.includes('api@Prod: run 2.3.200 (#200): stage Prod inProgress'));
      assert.equal(e.requests.filter((q) => q.route === 'timeline.get' && !q.path.includes('/builds/200/')).length, 0);
    });

    it('reads no earlier run\'s timeline with too few earlier runs', async () => {
      const { sleeps, e } = await waitFor(earlier([6, 6]), buildRunning(), { timeoutMs: 2 * minute });
      assert.deepEqual(sleeps, new Array(8).fill(15_000));
      assert.equal(e.requests.filter((q) => q.route === 'timeline.get' && !q.path.includes('/builds/200/')).length, 0);
    });
  });
});
