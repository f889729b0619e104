import { startEmulator } from '../emulator';
import { earlierRun } from '../test/support/earlier-runs';
import { currentRun, minute, shopScenario, waitTask } from './bench-scenarios';
import { median, normal, percentile, seededRandom, sleep } from './bench-stats';

export interface LatencySide {
  /** Policy ms from the emulator marking the stage succeeded to the task's exit, one per run. */
  latenciesMs: number[];
  medianMs: number;
  p95Ms: number;
  /** Every request of every run, over the runs' policy time waited, per hour. */
  requestsPerHour: number;
  requestsPerRun: number;
}

export interface LatencyResult {
  runs: number;
  scale: number;
  /** The usual duration of the awaited stage, and its spread, in policy ms. */
  stageMs: { mean: number; sd: number };
  eta: LatencySide;
  fixed: LatencySide;
}

const STAGE_MEAN = 6 * minute;
const STAGE_SD = 0.1 * STAGE_MEAN;
/** The stage starts this long (policy) after the wait: the task first sees it pending. */
const PROD_STARTS_AT = 20_000;

/**
 * Detection latency at the default 15 s interval, with and without ETA-aware polling, in pairs: run i of both sides
 * awaits a Prod stage of the same drawn duration after five earlier runs of the same drawn durations — which succeeded
 * (an estimate) or failed (no history: the fixed interval). Each run has its own emulator, started just before its
 * task, so the two clocks agree within a start-up; the runs overlap, their starts spread out.
 */
export async function measureLatency(runs: number, scale: number): Promise<LatencyResult> {
  const random = seededRandom(7);
  const draws = Array.from({ length: runs }, () => ({
    history: Array.from({ length: 5 }, () => normal(random, STAGE_MEAN, STAGE_SD)),
    stageMs: normal(random, STAGE_MEAN, STAGE_SD),
  }));
  const started: Array<Promise<{ side: 'eta' | 'fixed'; latencyMs: number; requests: number; waitedMs: number }>> = [];
  for (const draw of draws) {
    for (const side of ['eta', 'fixed'] as const) {
      started.push(oneRun(draw.history, draw.stageMs, side === 'eta' ? 'succeeded' : 'failed', scale).then((r) => ({ side, ...r })));
      await sleep(250);
    }
  }
  const results = await Promise.all(started);
  const side = (name: 'eta' | 'fixed'): LatencySide => {
    const mine = results.filter((r) => r.side === name);
    const latenciesMs = mine.map((r) => r.latencyMs);
    const requests = mine.reduce((n, r) => n + r.requests, 0);
    const waited = mine.reduce((n, r) => n + r.waitedMs, 0);
    return { latenciesMs, medianMs: median(latenciesMs), p95Ms: percentile(latenciesMs, 0.95), requestsPerHour: (requests / waited) * 3_600_000, requestsPerRun: requests / mine.length };
  };
  return { runs, scale, stageMs: { mean: STAGE_MEAN, sd: STAGE_SD }, eta: side('eta'), fixed: side('fixed') };
}

async function oneRun(history: number[], stageMs: number, historyResult: 'succeeded' | 'failed', scale: number) {
  const succeededAt = PROD_STARTS_AT + stageMs;
  const builds = [...history.map((ms, i) => earlierRun(100 + i, 'api', ms, { result: historyResult })), currentRun(200, 'api', 'pending')];
  const e = await startEmulator({
    scenario: shopScenario(['api'], builds, {
      events: [
        { at: PROD_STARTS_AT, build: 200, stage: 'Prod', state: 'inProgress' },
        { at: succeededAt, build: 200, stage: 'Prod', result: 'succeeded' },
      ],
    }),
    timeScale: scale,
  });
  try {
    const r = await waitTask(e.collectionUrl, { dependencies: 'api@Prod' }, scale).done;
    const exitedAt = e.elapsedMs();
    if (r.result.status !== 'Succeeded') throw new Error(`Detection latency: the wait ended ${r.result.status}: ${r.result.message}\n${r.stdout}`);
    return { latencyMs: exitedAt - succeededAt, requests: e.requests.length, waitedMs: exitedAt };
  } finally {
    await e.close();
  }
}
