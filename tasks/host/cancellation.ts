/**
 * How the agent stops a task (a user cancels the run, or the job times out): SIGINT, then SIGTERM 7.5 s later,
 * then SIGKILL 2.5 s after that. On Windows it sends Ctrl+C and Ctrl+Break, which Node reports as SIGINT and SIGBREAK.
 */
const STOP_SIGNALS: NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT', 'SIGBREAK', 'SIGTERM'] : ['SIGINT', 'SIGTERM'];
const LAST_SIGNAL: NodeJS.Signals = process.platform === 'win32' ? 'SIGBREAK' : 'SIGTERM';

/** After the last polite signal, how long the task may still take to report before it exits on its own. */
export const GRACE_AFTER_LAST_SIGNAL_MS = 1500;

export interface AgentSignalHandlers {
  /** The first stop signal arrived; the returned signal is aborted right after this. */
  onStopRequested(signal: NodeJS.Signals): void;
  /** The task has not ended GRACE_AFTER_LAST_SIGNAL_MS after the last polite signal. */
  onStillRunning(signal: NodeJS.Signals, graceMs: number): void;
}

export interface Cancellation {
  /** Aborted at the first stop signal; its reason is an Error named AbortError that names the signal. */
  signal: AbortSignal;
  dispose(): void;
}

/**
 * Turns the agent's stop signals into an AbortSignal. Installing a handler also keeps Node from dying on SIGINT,
 * so the core gets the chance to stop cleanly and the task reports why it stopped.
 */
export function watchAgentSignals(handlers: AgentSignalHandlers, describe: (signal: NodeJS.Signals) => string): Cancellation {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      handlers.onStopRequested(signal);
      const reason = new Error(describe(signal));
      reason.name = 'AbortError';
      controller.abort(reason);
    }
    if (signal === LAST_SIGNAL) {
      setTimeout(() => handlers.onStillRunning(signal, GRACE_AFTER_LAST_SIGNAL_MS), GRACE_AFTER_LAST_SIGNAL_MS).unref();
    }
  };
  for (const name of STOP_SIGNALS) process.on(name, onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const name of STOP_SIGNALS) process.off(name, onSignal);
    },
  };
}
