import { english } from '../../src/messages';
import { Host, realSleep, Sleep, systemClock } from '../../src/ports';

/**
 * A host that keeps everything the core says, for assertions. With `virtualTime`, sleeping advances a
 * virtual clock at once, so a 60-minute wait runs in milliseconds (the emulator still answers over HTTP).
 */
export function recordingHost(options: { virtualTime?: boolean; startAt?: number } = {}) {
  const lines: string[] = [];
  const outputs: Record<string, string> = {};
  const progress: Array<{ fraction: number; text: string }> = [];
  const summaries: Array<{ title: string; markdown: string }> = [];
  const sleeps: number[] = [];
  const abort = new AbortController();
  let now = options.startAt ?? Date.parse('2026-11-27T09:00:00Z');

  const clock = options.virtualTime ? { now: () => now } : systemClock;
  const sleep: Sleep = options.virtualTime
    ? async (ms, signal) => {
        if (signal?.aborted) throw signal.reason;
        sleeps.push(ms);
        now += ms;
        await new Promise((r) => setImmediate(r));
      }
    : async (ms, signal) => {
        sleeps.push(ms);
        await realSleep(ms, signal);
      };

  const host: Host = {
    log: {
      info: (m) => lines.push(m),
      warn: (m) => lines.push(`warning: ${m}`),
      debug: (m) => lines.push(`debug: ${m}`),
    },
    localize: english,
    outputs: {
      setVariable: (name, value) => (outputs[name] = value),
      setProgress: (fraction, text) => progress.push({ fraction, text }),
      attachSummary: (title, markdown) => summaries.push({ title, markdown }),
    },
    clock,
    sleep,
    signal: abort.signal,
  };
  return { host, lines, outputs, progress, summaries, sleeps, cancel: (reason = new Error('canceled')) => abort.abort(reason) };
}
