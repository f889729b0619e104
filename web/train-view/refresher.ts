import type { TrainSnapshot } from '../../src/snapshot/train-snapshot';

/**
 * Keeps the view live: reads the train every 12 s while the page is visible, pauses while it is hidden, backs off on
 * throttling and server faults (Retry-After when the service gives one, else doubling up to 2 min), and stops once
 * every member's run has finished. "Refresh now" reads at once. Host-agnostic: time and visibility are ports, so a
 * test runs it on a fast clock and the page wires the document. No DOM types here.
 */
export interface RefreshPolicy {
  /** Between two reads of a train that is still moving. */
  intervalMs: number;
  /** How often "updated N s ago" is rewritten. */
  tickMs: number;
  /** Cap of the wait after failed reads (doubling from intervalMs). */
  maxBackoffMs: number;
}

export const REFRESH_POLICY: RefreshPolicy = { intervalMs: 12_000, tickMs: 1_000, maxBackoffMs: 120_000 };

/** Time as the refresher sees it; the page may run it faster than real time (see timing.ts). */
export interface Timers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface Visibility {
  hidden(): boolean;
  onChange(listener: () => void): void;
}

export interface RefresherView {
  show(snapshot: TrainSnapshot, readAtMs: number): void;
  tick(): void;
  mode(text: string): void;
  /** The last read's failure, in a line; undefined clears it. */
  error(text: string | undefined): void;
}

export type RefreshState = 'idle' | 'reading' | 'waiting' | 'paused' | 'settled';

export class Refresher {
  private state: RefreshState = 'idle';
  private timer: unknown;
  private ticker: unknown;
  private failures = 0;
  private lastReadAt: number | undefined;
  /** When the next read is due (a hidden page reads on its return once this has passed). */
  private dueAt = 0;
  /** Reads done, for tests and the bench. */
  reads = 0;

  constructor(
    private readonly read: () => Promise<TrainSnapshot>,
    private readonly view: RefresherView,
    private readonly timers: Timers,
    private readonly visibility: Visibility,
    private readonly policy: RefreshPolicy = REFRESH_POLICY,
  ) {
    visibility.onChange(() => this.visibilityChanged());
  }

  get current(): RefreshState {
    return this.state;
  }

  start(): void {
    this.startTicking();
    void this.readNow();
  }

  /** The Refresh now button: reads at once, also after the train settled (it stays stopped if still settled). */
  refreshNow(): void {
    if (this.state === 'reading') return;
    this.failures = 0;
    void this.readNow();
  }

  private async readNow(): Promise<void> {
    this.clearTimer();
    this.state = 'reading';
    this.view.mode('refreshing…');
    let snapshot: TrainSnapshot;
    try {
      snapshot = await this.read();
    } catch (error) {
      this.failed(error);
      return;
    }
    this.reads++;
    this.failures = 0;
    this.lastReadAt = this.timers.now();
    this.view.error(undefined);
    this.view.show(snapshot, this.lastReadAt);
    if (snapshot.settled) {
      this.state = 'settled';
      this.view.mode("stopped: every member's run has finished");
      return;
    }
    this.schedule(this.policy.intervalMs);
  }

  private failed(error: unknown): void {
    this.failures++;
    const doubled = Math.min(this.policy.maxBackoffMs, this.policy.intervalMs * 2 ** this.failures);
    const retryAfter = retryAfterMs(error);
    const wait = retryAfter !== undefined ? Math.max(retryAfter, this.policy.intervalMs) : throttledOrFault(error) ? doubled : this.policy.intervalMs;
    this.view.error(`The last refresh failed: ${describe(error)} Trying again in ${Math.round(wait / 1000)} s.`);
    this.schedule(wait);
  }

  private schedule(ms: number): void {
    this.dueAt = this.timers.now() + ms;
    if (this.visibility.hidden()) {
      this.pause();
      return;
    }
    this.state = 'waiting';
    this.view.mode(`refreshing every ${Math.round(this.policy.intervalMs / 1000)} s`);
    this.timer = this.timers.setTimeout(() => void this.readNow(), ms);
  }

  private pause(): void {
    this.clearTimer();
    this.stopTicking();
    this.state = 'paused';
    this.view.mode('paused while the page is hidden');
  }

  private visibilityChanged(): void {
    if (this.visibility.hidden()) {
      if (this.state === 'waiting') this.pause();
      else this.stopTicking();
      return;
    }
    this.startTicking();
    if (this.state !== 'paused') return;
    const left = this.dueAt - this.timers.now();
    if (left <= 0) void this.readNow();
    else this.schedule(left);
  }

  private startTicking(): void {
    if (this.ticker !== undefined) return;
    const tick = () => {
      this.view.tick();
      this.ticker = this.timers.setTimeout(tick, this.policy.tickMs);
    };
    this.ticker = this.timers.setTimeout(tick, this.policy.tickMs);
  }

  private stopTicking(): void {
    if (this.ticker !== undefined) this.timers.clearTimeout(this.ticker);
    this.ticker = undefined;
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Stops every timer (the page is going away). */
  stop(): void {
    this.clearTimer();
    this.stopTicking();
    this.state = 'idle';
  }
}

/** The HTTP status an error carries, if any (the source's typed errors carry one). */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

function throttledOrFault(error: unknown): boolean {
  const status = statusOf(error);
  return status === 429 || (status !== undefined && status >= 500);
}

/** Retry-After as the source read it from the response, in ms. */
export function retryAfterMs(error: unknown): number | undefined {
  const value = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof value === 'number' && value >= 0 ? value : undefined;
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
