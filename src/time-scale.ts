import { Clock, realSleep, Sleep, systemClock } from './ports';

/**
 * A clock and sleep that run `scale` times faster than real time: every duration of the poll and retry
 * policies (interval, timeout, heartbeat, Retry-After) shrinks alike, while what is reported stays in policy
 * time (a 60-minute timeout still says 1h00m). The tests and the demo run bundled tasks this way against an
 * emulator running at the same scale; on the agent the scale is 1.
 */
export function scaledTime(scale: number): { clock: Clock; sleep: Sleep } {
  if (!(scale > 0) || scale === 1) return { clock: systemClock, sleep: realSleep };
  const origin = scaledTimeOrigin(Date.now());
  return {
    clock: { now: () => origin + (Date.now() - origin) * scale },
    sleep: (ms, signal) => realSleep(ms / scale, signal),
  };
}

/**
 * Where a scaled clock starts counting: the last whole second of real time. At an integer scale, whole seconds of
 * policy time then fall at the same real instants in every process that started this way — the tasks and the
 * emulator alike — as whole seconds do on agents whose clocks are synchronised (SyncGate's final approach checks on
 * them).
 */
export function scaledTimeOrigin(realNowMs: number): number {
  return Math.floor(realNowMs / 1000) * 1000;
}

/** LOCKSTEP_TIME_SCALE, set only by the test harness and the demo; anything else means real time. */
export function timeScaleFromEnvironment(env: NodeJS.ProcessEnv = process.env): number {
  const scale = Number(env.LOCKSTEP_TIME_SCALE);
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}
