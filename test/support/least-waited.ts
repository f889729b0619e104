import type { Emulator } from '../../emulator';

/**
 * The least a WaitForDependency task's `waitedSeconds` can say when what it waited for happened at scenario time
 * `atMs`. Its clock starts when its core does, before the core's first request — the first after the connection's
 * GET _apis/ResourceAreas — so it waited at least from that request to `atMs`. A fixed bound (`>= 15` for an event at
 * 20 s) assumed the task's process started within a poll of the emulator; on a loaded machine it may start seconds of
 * policy time later, and the bound then measured the machine, not the task.
 */
export function leastWaitedSeconds(e: Emulator, atMs: number): number {
  const connected = e.requests.findIndex((q) => q.route === 'resourceAreas');
  const coreStartedBy = e.requests[connected + 1]?.time;
  if (connected < 0 || coreStartedBy === undefined) throw new Error('The task made no request after opening its connection.');
  // 100 ms of slack for the two processes' clocks, each scaled from its own start.
  return Math.floor((atMs - coreStartedBy - 100) / 1000);
}
