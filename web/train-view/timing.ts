import type { Timers } from './refresher';

/**
 * The page's clock. In Azure DevOps it is real time. A test host may run it `timeScale` times faster, counting from
 * `timeOrigin` (ms; the emulator's scenario epoch, so "waiting 5m" means the same on both sides), as the tasks do
 * with LOCKSTEP_TIME_SCALE: `train-view.html?timeScale=20&timeOrigin=1764600000000`. Only the page's own address
 * carries them — in Azure DevOps that is the contribution's `uri` from vss-extension.json, which no link or user
 * sets — and a scale outside 1..1000 is ignored, so nobody can make a user's page poll the service in a tight loop.
 */
export interface TimeSettings {
  scale: number;
  originMs: number;
}

export function timeSettingsFrom(search: string, realNow: number): TimeSettings {
  const query = new URLSearchParams(search);
  const scale = Number(query.get('timeScale') ?? '1');
  const origin = Number(query.get('timeOrigin') ?? 'NaN');
  return {
    scale: Number.isFinite(scale) && scale >= 1 && scale <= 1000 ? scale : 1,
    originMs: Number.isFinite(origin) && origin > 0 ? origin : realNow,
  };
}

export function scaledTimers(settings: TimeSettings, realNow: () => number = Date.now): Timers {
  const { scale, originMs } = settings;
  return {
    now: () => (scale === 1 ? realNow() : originMs + (realNow() - originMs) * scale),
    setTimeout: (run, ms) => setTimeout(run, ms / scale),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}
