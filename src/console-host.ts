import { english } from './messages';
import { Host, realSleep, systemClock } from './ports';

/**
 * A host for running the core outside the agent (the demo, the bench): lines to the console,
 * outputs and summaries kept in memory, cancellation on Ctrl+C.
 */
export function consoleHost(options: { prefix?: string; debug?: boolean; signal?: AbortSignal } = {}) {
  const prefix = options.prefix ?? '';
  const outputs: Record<string, string> = {};
  const summaries: Array<{ title: string; markdown: string }> = [];
  const host: Host = {
    log: {
      info: (m) => console.log(`${prefix}${m}`),
      warn: (m) => console.log(`${prefix}warning: ${m}`),
      debug: (m) => options.debug && console.log(`${prefix}debug: ${m}`),
    },
    localize: english,
    outputs: {
      setVariable: (name, value) => (outputs[name] = value),
      setProgress: () => undefined,
      attachSummary: (title, markdown) => summaries.push({ title, markdown }),
    },
    clock: systemClock,
    sleep: realSleep,
    signal: options.signal ?? new AbortController().signal,
  };
  return { host, outputs, summaries };
}
