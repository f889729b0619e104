import assert from 'node:assert/strict';
import type { BuildInput } from '../../emulator/scenario';
import { openApi } from '../../src/open-api';
import { estimateEta } from '../../src/polling/eta-estimate';
import { defaultEtaPolicy } from '../../src/polling/eta-policy';
import { nextCheckMs, PollSpacing } from '../../src/polling/eta-schedule';
import { defaultPollPolicy } from '../../src/polling/poll-policy';
import { waitForDependencies } from '../../src/polling/wait-for-dependencies';
import { WaitSettings } from '../../src/polling/wait-settings';
import { earlierRun } from '../support/earlier-runs';
import { emulatorPerTest } from '../support/emulator-per-test';
import { percentile } from '../../scripts/bench-stats';
import { recordingHost } from '../support/recording-host';
import { commit, running, shop } from '../support/scenarios';

const minute = 60_000;
const spacing: PollSpacing = { intervalMs: 15_000, nearMs: 5_000, farMs: 60_000 };

/** The polls a wait makes for a stage finishing at `finishMs` after it started, first poll at `firstPollMs`. */
function simulate(eta: ReturnType<typeof estimateEta>, finishMs: number, firstPollMs = 0) {
  const polls = [firstPollMs];
  while (polls.at(-1)! < finishMs) {
    const at = polls.at(-1)!;
    polls.push(at + (eta ? nextCheckMs(eta, at, spacing) : spacing.intervalMs));
  }
  return { polls: polls.length, latencyMs: polls.at(-1)! - finishMs, gaps: polls.slice(1).map((t, i) => [polls[i], t - polls[i]] as const) };
}

describe('ETA-aware polling', () => {
  describe('the estimate from earlier durations', () => {
    it('is the median, with a window of polling at most one interval apart reaching a fifth of it beyond the shortest and the longest', () => {
      const eta = estimateEta([6.5, 5.5, 6, 5.8, 6.2].map((m) => m * minute), defaultEtaPolicy)!;
      assert.equal(eta.usualMs, 6 * minute);
      assert.equal(eta.samples, 5);
      assert.equal(eta.windowStartMs, 5.5 * minute - 1.2 * minute);
      assert.equal(eta.windowEndMs, 6.5 * minute + 1.2 * minute);
      assert.equal(eta.closeMs, 1.2 * minute, 'checks close in within one and a half spreads of the usual duration, at most a fifth of it');
    });

    it('widens the window to half the spread when earlier runs vary more than that, but not the closest checks', () => {
      const eta = estimateEta([2, 6, 10, 6].map((m) => m * minute), defaultEtaPolicy)!;
      assert.equal(eta.usualMs, 6 * minute);
      assert.equal(eta.windowStartMs, 0);
      assert.equal(eta.windowEndMs, 14 * minute);
      assert.equal(eta.closeMs, 1.2 * minute, 'however wide the spread, the closest checks stay within a fifth of the usual duration');
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

  describe('the schedule', () => {
    const eta = estimateEta([5.5, 5.8, 6, 6.2, 6.5].map((m) => m * minute), defaultEtaPolicy)!;

    it('polls up to four intervals apart far from the estimate, and lands on the window start', () => {
      const { gaps } = simulate(eta, 6 * minute);
      const beforeWindow = gaps.filter(([at]) => at < eta.windowStartMs);
      assert.deepEqual(beforeWindow.slice(0, 4).map(([, gap]) => gap), [60_000, 60_000, 60_000, 60_000]);
      assert.equal(beforeWindow.at(-1)![0] + beforeWindow.at(-1)![1], eta.windowStartMs, 'the last slow gap ends where the window starts');
    });

    it('never leaves more than one interval between checks inside the window or past it, and checks every 5 s at the estimate', () => {
      for (let at = eta.windowStartMs; at < eta.windowEndMs + 10 * minute; at += 1_000) {
        const gap = nextCheckMs(eta, at, spacing);
        assert.ok(gap >= spacing.nearMs && gap <= spacing.intervalMs, `${gap} ms at ${at}`);
      }
      assert.equal(nextCheckMs(eta, eta.usualMs, spacing), 5_000);
      assert.equal(nextCheckMs(eta, eta.windowEndMs + 1, spacing), 15_000);
    });

    it('sees any finish from the window start on within one interval, in virtual time', () => {
      for (let finish = eta.windowStartMs; finish <= eta.windowEndMs + 5 * minute; finish += 997) {
        const { latencyMs } = simulate(eta, finish);
        assert.ok(latencyMs <= spacing.intervalMs, `finish at ${finish} ms seen ${latencyMs} ms late`);
      }
    });

    it('makes fewer checks than the fixed interval, at a better 95th percentile latency, for runs like the earlier ones', () => {
      const finishes = Array.from({ length: 200 }, (_, i) => (5.5 + (i / 199) * 1) * minute);
      const eta95 = percentile(finishes.map((f) => simulate(eta, f, 7_000).latencyMs), 0.95);
      const fixed95 = percentile(finishes.map((f) => simulate(undefined, f, 7_000).latencyMs), 0.95);
      const etaPolls = finishes.reduce((n, f) => n + simulate(eta, f, 7_000).polls, 0);
      const fixedPolls = finishes.reduce((n, f) => n + simulate(undefined, f, 7_000).polls, 0);
      assert.ok(eta95 <= fixed95, `p95 ${eta95} ms with the estimate, ${fixed95} ms fixed`);
      assert.ok(etaPolls < 0.8 * fixedPolls, `${etaPolls} checks with the estimate, ${fixedPolls} fixed`);
    });

    it('costs no more checks than the fixed interval, nor a worse 95th percentile, when earlier runs vary widely', () => {
      const wide = estimateEta([4, 5, 6, 7, 8].map((m) => m * minute), defaultEtaPolicy)!;
      const finishes = Array.from({ length: 200 }, (_, i) => (4 + (i / 199) * 4) * minute);
      const polls = (e?: typeof wide) => finishes.reduce((n, f) => n + simulate(e, f, 7_000).polls, 0);
      const p95 = (e?: typeof wide) => percentile(finishes.map((f) => simulate(e, f, 7_000).latencyMs), 0.95);
      assert.ok(polls(wide) < polls(), `${polls(wide)} checks with the estimate, ${polls()} fixed`);
      assert.ok(p95(wide) <= p95(), `p95 ${p95(wide)} ms with the estimate, ${p95()} ms fixed`);
    });

    it('never goes below nearMs, even right at the window start', () => {
      assert.equal(nextCheckMs(eta, eta.windowStartMs - 1, spacing), 5_000);
    });
  });

  describe('the wait (core against the emulator, virtual time)', function () {
    this.timeout(20_000);
    const start = emulatorPerTest();
    const startDate = '2026-11-27T09:00:00.000Z';
    const startAt = Date.parse(startDate);

    /** Earlier runs of api whose Prod stage took these minutes. */
    const earlier = (minutes: number[], result: 'succeeded' | 'failed' = 'succeeded') => minutes.map((m, i) => earlierRun(100 + i, 'api', m * minute, { result }));

    const settings = (timeoutMs: number): WaitSettings => ({
      dependencies: 'api@Prod',
      match: { mode: 'sameCommit', commit },
      acceptPartiallySucceeded: false,
      onDependencyFailure: 'fail',
      onTimeout: 'fail',
      project: 'Shop',
      poll: { ...defaultPollPolicy, timeoutMs },
    });

    /** The current run's Prod stage has been running a minute when the wait starts, and does not finish. */
    async function wait(history: BuildInput[], timeoutMs: number) {
      const current = running(200, 'api', { Build: 'succeeded', Prod: 'inProgress', Smoke: 'pending' });
      current.stages![1].startTime = -minute;
      const e = await start({ ...shop(['api'], [...history, current]), startDate });
      const recorded = recordingHost({ virtualTime: true, startAt });
      const api = await openApi({ collectionUrl: e.collectionUrl, token: e.token }, recorded.host);
      const outcome = await waitForDependencies(settings(timeoutMs), api, recorded.host);
      return { ...recorded, outcome, e };
    }

    it('polls slowly while the stage is far from what it usually takes, closely near it, and says so', async () => {
      const { sleeps, lines, outcome, e } = await wait(earlier([5.5, 5.8, 6, 6.2, 6.5]), 10 * minute);
      assert.equal(outcome.result, 'Failed');
      // Running 1 minute at the start; close checks from 4m18s: three slow gaps, then one interval, then closer.
      assert.deepEqual(sleeps.slice(0, 3), [60_000, 60_000, 60_000]);
      const windowStart = 4.3 * minute - minute;
      assert.equal(sleeps.slice(0, 4).reduce((a, b) => a + b, 0), windowStart);
      assert.ok(sleeps.slice(4).every((s) => s >= 5_000 && s <= 15_000), `${sleeps}`);
      assert.equal(sleeps.reduce((a, b) => a + b, 0), 10 * minute, 'the last sleep ends at the timeout, not past it');
      assert.ok(lines.includes('api@Prod: run 2.3.200 (#200): stage Prod inProgress — running 1m00s, usually 6m00s'), lines.join('\n'));
      assert.ok(lines.some((l) => /^Still waiting after 5m\d\ds for 1 of 1: api@Prod \(run 2\.3\.200 \(#200\): stage Prod inProgress — running 6m\d\ds, usually 6m00s\) — next check in \d+s$/.test(l)), lines.join('\n'));
      const timelinesOf = (id: number) => e.requests.filter((q) => q.route === 'timeline.get' && q.path.includes(`/builds/${id}/`)).length;
      assert.deepEqual([100, 101, 102, 103, 104].map(timelinesOf), [1, 1, 1, 1, 1], 'each earlier run is read once');
    });

    it('keeps the fixed interval when the earlier runs did not succeed', async () => {
      const { sleeps, lines, e } = await wait(earlier([5.5, 5.8, 6, 6.2, 6.5], 'failed'), 2 * minute);
      assert.deepEqual(sleeps, new Array(8).fill(15_000));
      assert.ok(lines.includes('api@Prod: run 2.3.200 (#200): stage Prod inProgress'));
      assert.equal(e.requests.filter((q) => q.route === 'timeline.get' && !q.path.includes('/builds/200/')).length, 0);
    });

    it('keeps the fixed interval with too few earlier runs, reading none of their timelines', async () => {
      const { sleeps, e } = await wait(earlier([6, 6]), 2 * minute);
      assert.deepEqual(sleeps, new Array(8).fill(15_000));
      assert.equal(e.requests.filter((q) => q.route === 'timeline.get' && !q.path.includes('/builds/200/')).length, 0);
    });
  });
});
