import type { Host } from '../../src/ports';
import { scaledTime, timeScaleFromEnvironment } from '../../src/time-scale';
import { taskLocalize } from './localize';
import { taskLog } from './task-log';
import { taskOutputs } from './task-outputs';

/** The core's Host on the agent; `signal` comes from watchAgentSignals. */
export function taskHost(signal: AbortSignal): Host {
  const { clock, sleep } = scaledTime(timeScaleFromEnvironment());
  return { log: taskLog, localize: taskLocalize, outputs: taskOutputs(), clock, sleep, signal };
}
