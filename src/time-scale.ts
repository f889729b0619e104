import { Clock, realSleep, Sleep, systemClock } from './ports';

/**
 * A clock and sleep that run `scale` times faster than real time: every duration of the poll and retry
 * policies (interval, timeout, heartbeat, Retry-After) shrinks alike, while what is reported stays in policy
 * time (a 60-minute timeout still says 1h00m). The tests and the demo run bundled tasks this way against an
 * emulator running at the same scale; on the agent the scale is 1.
 */
export function scaledTime(scale: number): { clock: Clock; sleep: Sleep } {
  if (!(scale > 0) || scale === 1) return { clock: systemClock, sleep: realSleep };
  const origin = Date.now();
  return {
    clock: { now: () => origin + (Date.now() - origin) * scale },
    sleep: (ms, signal) => realSleep(ms / scale, signal),
  };
}

/** LOCKSTEP_TIME_SCALE, set only by the test harness and the demo; anything else means real time. */
export function timeScaleFromEnvironment(env: NodeJS.ProcessEnv = process.env): number {
  const scale = Number(env.LOCKSTEP_TIME_SCALE);
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}
