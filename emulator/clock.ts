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
