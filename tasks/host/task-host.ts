import { realSleep, systemClock, type Host } from '../../src/ports';
import { taskLocalize } from './localize';
import { taskLog } from './task-log';
import { taskOutputs } from './task-outputs';

/** The core's Host on the agent; `signal` comes from watchAgentSignals. */
export function taskHost(signal: AbortSignal): Host {
  return { log: taskLog, localize: taskLocalize, outputs: taskOutputs(), clock: systemClock, sleep: realSleep, signal };
}
