import type { Timers } from './refresher';

/**
 * The page's clock. In Azure DevOps it is real time. A test host (emulator/web-host) may hand the page
 * `lockstepTime: { scale, originMs }` in the contribution's configuration to run it `scale` times faster, counting
 * from `originMs` — the emulator's scenario epoch, so "waiting 5m" means the same on both sides — as the tasks do
 * with LOCKSTEP_TIME_SCALE. Only the host frame sets the configuration (not a URL a link could carry), and a scale
 * outside 1..1000 is ignored, so nobody can make a user's page poll the service in a tight loop.
 */
export interface TimeSettings {
  scale: number;
  originMs: number;
}

export function timeSettingsFrom(configuration: unknown, realNow: number): TimeSettings {
  const asked = (configuration as { lockstepTime?: { scale?: unknown; originMs?: unknown } } | null)?.lockstepTime;
  const scale = typeof asked?.scale === 'number' && asked.scale >= 1 && asked.scale <= 1000 ? asked.scale : 1;
  const originMs = typeof asked?.originMs === 'number' && Number.isFinite(asked.originMs) ? asked.originMs : realNow;
  return { scale, originMs };
}

export function scaledTimers(settings: TimeSettings, realNow: () => number = Date.now): Timers {
  const { scale, originMs } = settings;
  return {
    now: () => (scale === 1 ? realNow() : originMs + (realNow() - originMs) * scale),
    setTimeout: (run, ms) => setTimeout(run, ms / scale),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}
