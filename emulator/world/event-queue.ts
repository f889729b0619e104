/**
 * Changes waiting for their scenario time. The world applies every due change before it answers a
 * request or a test reads the state, so nothing depends on timers firing.
 */
export type Change = (at: number) => void;

interface Entry {
  at: number;
  seq: number;
  change: Change;
}

export class EventQueue {
  private entries: Entry[] = [];
  private seq = 0;

  push(at: number, change: Change): void {
    this.entries.push({ at, seq: this.seq++, change });
    // Stable order: by time, then in the order the changes were scheduled.
    this.entries.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  /**
   * Applies every change due at `now`, each with its own scheduled time; changes may schedule more.
   * A change that throws is reported and skipped, so one bad event does not stop the others.
   */
  runDue(now: number, onError: (error: unknown, at: number) => void): void {
    while (this.entries.length > 0 && this.entries[0].at <= now) {
      const next = this.entries.shift()!;
      try {
        next.change(next.at);
      } catch (error) {
        onError(error, next.at);
      }
    }
  }

  get size(): number {
    return this.entries.length;
  }

  nextAt(): number | undefined {
    return this.entries[0]?.at;
  }
}
