import * as tl from 'azure-pipelines-task-lib/task';
import type { Localize } from '../../src/messages';
import type { HostMessageKey } from './host-messages';

/** The core's Localize on the agent: task.json messages, in the culture the agent runs in (system.culture). */
export const taskLocalize: Localize = (key, ...args) => tl.loc(key, ...args);

/** Renders one of the host's own messages. */
export function hostText(key: HostMessageKey, ...args: unknown[]): string {
  return tl.loc(key, ...args);
}
