import assert from 'node:assert/strict';
import type { TrainSnapshot } from '../../src/snapshot/train-snapshot';
import { REFRESH_POLICY, Refresher, RefresherView, Timers, Visibility } from '../../web/train-view/refresher';

/**
 * The refresh loop of the live train view on a virtual clock (the page's Timers port): when it reads, when it
 * waits, pauses and stops. The loop has no DOM; the page wires document.visibilityState and real timers to it, and
 * the browser tests (train-view.test.ts) watch the packaged page do the same against the emulator.
 */
class VirtualTime implements Timers {
  private nowMs = 0;
  private next = 1;
  private readonly pending = new Map<number, { at: number; run: () => void }>();
  now = () => this.nowMs;
  setTimeout = (run: () => void, ms: number) => {
    const id = this.next++;
    this.pending.set(id, { at: this.nowMs + ms, run });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.pending.delete(handle as number);
  };
  /** Runs every timer due within ms, in time order, letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.nowMs + ms;
    for (;;) {
      await settle();
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.nowMs = due[1].at;
      due[1].run();
    }
    this.nowMs = end;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

class Page implements Visibility {
  isHidden = false;
  private listener: (() => void) | undefined;
  hidden = () => this.isHidden;
  onChange = (listener: () => void) => {
    this.listener = listener;
  };
  set(hidden: boolean) {
    this.isHidden = hidden;
    this.listener?.();
  }
}

function recordingView() {
  const seen = { shown: [] as number[], modes: [] as string[], errors: [] as Array<string | undefined>, ticks: 0 };
  const view: RefresherView = {
    show: (_snapshot, readAtMs) => seen.shown.push(readAtMs),
    tick: () => seen.ticks++,
    mode: (text) => seen.modes.push(text),
    error: (text) => seen.errors.push(text),
  };
  return { view, seen };
}

function snapshot(settled = false): TrainSnapshot {
  return {
    origin: { kind: 'build', project: 'Shop', id: 1, name: '1', definitionId: 1, definitionName: 'api', webUrl: 'https://example.test/1' },
    members: [],
    gates: [],
    deadlocks: [],
    readAt: new Date(0).toISOString(),
    requests: 3,
    settled,
    notices: [],
  };
}

const interval = REFRESH_POLICY.intervalMs;

function setUp(read: () => Promise<TrainSnapshot>) {
  const time = new VirtualTime();
  const page = new Page();
  const { view, seen } = recordingView();
  const refresher = new Refresher(read, view, time, page);
  return { time, page, seen, refresher };
}

describe('the live train view refresh loop', () => {
  it('reads at once, then every 12 s, and ticks "updated N s ago" every second', async () => {
    const { time, seen, refresher } = setUp(async () => snapshot());
    refresher.start();
    await time.advance(0);
    assert.deepEqual(seen.shown, [0]);
    await time.advance(interval * 3);
    assert.deepEqual(seen.shown, [0, interval, 2 * interval, 3 * interval]);
    assert.equal(seen.ticks, (interval * 3) / 1000);
    assert.equal(seen.modes.at(-1), 'refreshing every 12 s');
  });

  it('stops reading once the snapshot says every run has finished, and says so', async () => {
    let reads = 0;
    const { time, seen, refresher } = setUp(async () => snapshot(++reads >= 2));
    refresher.start();
    await time.advance(interval * 10);
    assert.equal(reads, 2);
    assert.equal(refresher.current, 'settled');
    assert.equal(seen.modes.at(-1), "stopped: every member's run has finished");
  });

  it('reads no more while the page is hidden, and reads at once on return when a read was due', async () => {
    let reads = 0;
    const { time, page, seen, refresher } = setUp(async () => (reads++, snapshot()));
    refresher.start();
    await time.advance(5_000);
    page.set(true);
    await time.advance(interval * 10);
    assert.equal(reads, 1);
    assert.equal(refresher.current, 'paused');
    assert.equal(seen.modes.at(-1), 'paused while the page is hidden');
    const ticksWhileHidden = seen.ticks;
    await time.advance(interval);
    assert.equal(seen.ticks, ticksWhileHidden, 'no ticking while hidden');
    page.set(false);
    await time.advance(0);
    assert.equal(reads, 2);
  });

  it('on return before the next read is due, waits only for what is left of the interval', async () => {
    let reads = 0;
    const { time, page, refresher } = setUp(async () => (reads++, snapshot()));
    refresher.start();
    await time.advance(2_000);
    page.set(true);
    await time.advance(3_000);
    page.set(false);
    await time.advance(interval - 5_000 - 1);
    assert.equal(reads, 1);
    await time.advance(1);
    assert.equal(reads, 2);
  });

  it('backs off on 429 and 5xx, doubling from 24 s up to 2 min, and returns to 12 s after a success', async () => {
    const at: number[] = [];
    let failing = true;
    const time = new VirtualTime();
    const { view, seen } = recordingView();
    const refresher = new Refresher(
      async () => {
        at.push(time.now());
        if (failing) throw Object.assign(new Error('Azure DevOps answered 503'), { status: 503 });
        return snapshot();
      },
      view,
      time,
      new Page(),
    );
    refresher.start();
    await time.advance(600_000);
    const gaps = at.slice(1, 7).map((t, i) => t - at[i]);
    assert.deepEqual(gaps, [24_000, 48_000, 96_000, 120_000, 120_000, 120_000]);
    assert.match(seen.errors.at(-1)!, /^The last refresh failed: Azure DevOps answered 503\. Trying again in 120 s\.$/);
    failing = false;
    const before = at.length;
    await time.advance(120_000 + 3 * interval);
    const after = at.slice(before).map((t, i, all) => (i === 0 ? 0 : t - all[i - 1])).slice(1);
    assert.ok(after.length >= 3);
    assert.ok(after.every((gap) => gap === interval), `gaps after the success: ${after.join(', ')}`);
    assert.equal(seen.errors.at(-1), undefined, 'the error line is cleared');
  });

  it("waits as long as Retry-After asks on a 429", async () => {
    const at: number[] = [];
    const time = new VirtualTime();
    const refresher = new Refresher(
      async () => {
        at.push(time.now());
        if (at.length === 1) throw Object.assign(new Error('throttled'), { status: 429, retryAfterMs: 45_000 });
        return snapshot();
      },
      recordingView().view,
      time,
      new Page(),
    );
    refresher.start();
    await time.advance(60_000);
    assert.equal(at[1] - at[0], 45_000);
  });

  it('reads at once on Refresh now, also after the train settled, and only once while a read is under way', async () => {
    let reads = 0;
    let release: () => void = () => {};
    const time = new VirtualTime();
    const refresher = new Refresher(
      () => {
        reads++;
        return reads === 2 ? new Promise((resolve) => (release = () => resolve(snapshot(true)))) : Promise.resolve(snapshot(true));
      },
      recordingView().view,
      time,
      new Page(),
    );
    refresher.start();
    await time.advance(0);
    assert.equal(refresher.current, 'settled');
    refresher.refreshNow();
    refresher.refreshNow();
    await time.advance(0);
    assert.equal(reads, 2);
    release();
    await time.advance(interval * 5);
    assert.equal(reads, 2);
    assert.equal(refresher.current, 'settled');
  });
});
