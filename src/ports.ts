import { Localize } from './messages';

/**
 * The small ports a host (a pipeline task, the demo, a test, the bench) hands to the core.
 * The core never imports azure-pipelines-task-lib: everything it says or sets goes through these.
 */

/** Where the core writes what a person reads in the job log. */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  /** Shown only when the host runs with diagnostics (system.debug=true on the agent). */
  debug(message: string): void;
}

/** What the core hands back to the pipeline: output variables, progress, the summary tab. */
export interface Outputs {
  setVariable(name: string, value: string): void;
  /** fraction is 0..1; the agent shows it as a percentage beside the step. */
  setProgress(fraction: number, text: string): void;
  /** Attaches a Markdown file as a summary tab of the run (Distributedtask.Core.Summary). */
  attachSummary(title: string, markdown: string): void;
}

/** Milliseconds since the epoch; injected so a 60-minute timeout can be tested in milliseconds. */
export interface Clock {
  now(): number;
}

/** Resolves after ms, or rejects with the signal's reason as soon as the signal aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const systemClock: Clock = { now: () => Date.now() };

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Everything a core operation needs from its host. */
export interface Host {
  log: Log;
  /** Renders a message of the catalog in src/messages.ts; tasks render through tl.loc, others use `english`. */
  localize: Localize;
  outputs: Outputs;
  clock: Clock;
  sleep: Sleep;
  /** Aborted when the agent cancels the job (SIGINT, then SIGTERM). */
  signal: AbortSignal;
}
