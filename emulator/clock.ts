/**
 * Scenario time: milliseconds since the emulator started, multiplied by the time scale, so a
 * scenario written in real minutes can run in seconds. Dates on the wire are `epoch + scenario time`.
 */
export class ScenarioClock {
  private readonly startedAt = performance.now();

  constructor(
    readonly timeScale: number,
    /** Wall-clock ms of scenario time 0. */
    readonly epochMs: number,
  ) {}

  elapsedMs(): number {
    return Math.floor((performance.now() - this.startedAt) * this.timeScale);
  }

  /** The ISO-8601 UTC date the service would show for a scenario time. */
  iso(scenarioMs: number): string {
    return new Date(this.epochMs + scenarioMs).toISOString();
  }

  /** A wall-clock date (as clients send it) in scenario time. */
  fromDate(date: Date): number {
    return date.getTime() - this.epochMs;
  }

  /** Real milliseconds until a scenario time is reached. */
  realDelayUntil(scenarioMs: number): number {
    return Math.max(0, (scenarioMs - this.elapsedMs()) / this.timeScale);
  }
}

/**
 * The date of scenario time 0 when a scenario names none: now, as a task's scaled clock reads it. Both count scaled
 * time from the last whole second of real time (src/time-scale.ts), so at an integer scale the emulator's whole
 * seconds fall at the same real instants as every task's, and a task's clock is never ahead of the service's.
 */
export function scaledNow(timeScale: number, realNowMs = Date.now()): number {
  const wholeSecond = Math.floor(realNowMs / 1000) * 1000;
  return wholeSecond + (realNowMs - wholeSecond) * timeScale;
}
