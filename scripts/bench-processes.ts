import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { startEmulator, type RequestLogEntry } from '../emulator';
import { currentRun, serviceNames, shopScenario, waitTask } from './bench-scenarios';
import { median, sleep } from './bench-stats';

export interface ColdStartResult {
  samples: number;
  /** Median ms from spawn to the first HTTP request the emulator logs (the tasks), or to exit (`node -e 0`). */
  bundledMs: number;
  unbundledMs: number;
  nodeMs: number;
  raw: { bundled: number[]; unbundled: number[]; node: number[] };
}

/**
 * Cold start: the bundled task, the same task from its usual-way folder, and `node -e 0`, interleaved so load on
 * the machine falls on all three alike. A task is stopped once its first request has arrived.
 */
export async function measureColdStart(usualDir: string, samples: number): Promise<ColdStartResult> {
  let onFirst: ((entry: RequestLogEntry) => void) | undefined;
  const e = await startEmulator({
    scenario: shopScenario(['svc-0'], [currentRun(200, 'svc-0')]),
    onRequest: (entry) => {
      const handler = onFirst;
      onFirst = undefined;
      handler?.(entry);
    },
  });
  const raw = { bundled: [] as number[], unbundled: [] as number[], node: [] as number[] };
  try {
    const firstRequest = async (taskDir?: string) => {
      const arrived = new Promise<RequestLogEntry>((resolve) => (onFirst = resolve));
      // The emulator runs at scale 1 here, so its log's times are milliseconds since it started.
      const run = waitTask(e.collectionUrl, { dependencies: 'svc-0@Prod' }, 1, taskDir ? { taskDir } : {});
      const spawnedAt = e.elapsedMs();
      const entry = await Promise.race([arrived, run.done.then(() => undefined)]);
      run.process.kill('SIGKILL');
      await run.done;
      if (!entry) throw new Error(`The task ended before its first request:\n${(await run.done).stdout}`);
      return entry.time - spawnedAt;
    };
    const nodeExit = () =>
      new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
        // Timed, like the tasks, from the moment spawn has returned.
        const started = performance.now();
        child.on('error', reject);
        child.on('exit', () => resolve(performance.now() - started));
      });
    for (let i = 0; i < samples; i++) {
      raw.node.push(await nodeExit());
      raw.bundled.push(await firstRequest());
      raw.unbundled.push(await firstRequest(usualDir));
    }
  } finally {
    await e.close();
  }
  return { samples, bundledMs: median(raw.bundled), unbundledMs: median(raw.unbundled), nodeMs: median(raw.node), raw };
}

/** The memory measure's time scale: see measureMemory. */
export const MEMORY_SCALE = 10;

export interface MemoryRow {
  dependencies: number;
  /** Peak resident set (VmHWM) in bytes. */
  bundledBytes: number;
  unbundledBytes: number;
}

export interface MemoryResult {
  /** Policy polls each task made before its peak was read (240 = one hour at 15 s). */
  polls: number;
  /** How much faster than real time the tasks and emulators ran. */
  scale: number;
  /** A Node process that only waits, read at the same moment. */
  nodeBytes: number;
  rows: MemoryRow[];
}

/**
 * Peak RSS of a waiting task: WaitForDependency on `dependencies` running stages (a builds list and a timeline per
 * dependency each poll) for `polls` polls at the default 15 s, bundled and from the usual-way folder, every
 * configuration at once (each against its own emulator), beside a Node process that only waits. Read from
 * /proc/<pid>/status (VmHWM) just before each is stopped; undefined where there is no /proc.
 *
 * The time scale is kept low on purpose. V8 grows its young generation only while a process allocates faster than
 * 1,000 bytes/ms (Heap::ShouldResizeNewSpace: below that it shrinks it or leaves it); a ten-stage poll allocates
 * about 0.9 MB, which a real task spreads over 15 s (~60 KB/s). At ×10 that is ~0.6 MB/s, still below V8's mark, as
 * in real time; at ×60 it is ~3.7 MB/s, and V8 grows the young generation to 32 MB that no real waiting task would —
 * that compression, not the task, made the same wait peak near 104 MB.
 */
export async function measureMemory(usualDir: string, dependencyCounts: number[], polls: number, scale = MEMORY_SCALE): Promise<MemoryResult | undefined> {
  if (!fs.existsSync('/proc/self/status')) return undefined;
  const idle = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 3_600_000)'], { stdio: 'ignore' });
  try {
    const peak = async (dependencies: number, taskDir?: string) => {
      const names = serviceNames(dependencies);
      const e = await startEmulator({ scenario: shopScenario(names, names.map((n, i) => currentRun(200 + i, n))), timeScale: scale });
      try {
        const inputs = { dependencies: names.map((n) => `${n}@Prod`).join('\n'), timeoutMinutes: '600' };
        const run = waitTask(e.collectionUrl, inputs, scale, { killAfterMs: 600_000, ...(taskDir ? { taskDir } : {}) });
        while (e.requests.filter((q) => q.route === 'builds.list' && !q.query.$top).length < polls) await sleep(200);
        const bytes = peakRss(run.process.pid!);
        run.sigint();
        await run.done;
        return bytes;
      } finally {
        await e.close();
      }
    };
    const rows = await Promise.all(
      dependencyCounts.map(async (dependencies) => {
        const [bundledBytes, unbundledBytes] = await Promise.all([peak(dependencies), peak(dependencies, usualDir)]);
        return { dependencies, bundledBytes, unbundledBytes };
      }),
    );
    return { polls, scale, nodeBytes: peakRss(idle.pid!), rows };
  } finally {
    idle.kill();
  }
}

function peakRss(pid: number): number {
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`No VmHWM in /proc/${pid}/status`);
  return Number(kb) * 1024;
}
