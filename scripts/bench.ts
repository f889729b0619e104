import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EconomyRow, measureApiEconomy } from './bench-api';
import { measureBarrier } from './bench-barrier';
import { measureLatency } from './bench-latency';
import { measureColdStart, measureMemory } from './bench-processes';
import { BenchRow, renderTable, writeReadmeSection } from './bench-report';
import { measureSize } from './bench-size';
import { measureView } from './bench-view';
import { count, kb, ratio, seconds } from './bench-stats';
import { renderVsixParts } from './vsix-parts';

/**
 * npm run bench: what a user pays for waiting, each figure beside its baseline from the same run, against the
 * in-process emulator. Prints one table, writes bench/results.json and the README's performance figures.
 * Not part of npm test; takes a few minutes.
 */

const root = path.resolve(__dirname, '..', '..');
const INTERVAL_MS = 15_000;
const targets = {
  vsixBytes: 600 * 1024,
  requestsPerPoll: 1,
  p95LatencyMs: INTERVAL_MS + 1_000,
  skewMs: 2_000,
  skewMembers: 25,
  peakRssBytes: 80 * 1024 * 1024,
};

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadBefore = os.loadavg()[0];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-bench-'));
  const step = (what: string) => process.stderr.write(`bench: ${what}…\n`);
  try {
    step('task size (.vsix, each task bundled and the usual way)');
    const size = measureSize(root, work);
    const usualWait = size.usualDirs['wait-for-dependency'];
    step('cold start');
    const cold = await measureColdStart(usualWait, 15);
    step('API economy');
    const api = await measureApiEconomy([1, 10, 50]);
    step('detection latency (80 waits, about a minute)');
    const latency = await measureLatency(40, 10);
    step('barrier skew');
    const barrier = await measureBarrier([3, 10, 25].map((members) => ({ members, lastLateMs: 0 })).concat({ members: 25, lastLateMs: 30_000 }), 5, 5);
    step('the live train view (first render in headless Chromium, 3 and 25 members)');
    const view = await measureView([3, 25], 5);
    step('peak memory (an hour of polling at ×10, about six minutes)');
    const memory = await measureMemory(usualWait, [1, 10], 240);
    const loadAfter = os.loadavg()[0];

    const rows: BenchRow[] = [];
    rows.push({
      measure: '.vsix (3 tasks)',
      lockstep: `${kb(size.vsixBytes)}: task folders ${kb(size.tasks.reduce((n, t) => n + t.bundled.zipBytes, 0))} zipped, images/ ${kb(size.imagesZipBytes)}`,
      baseline: `${kb(size.usualVsixBytes)} (tasks as out/ + production node_modules)`,
      ratio: ratio(size.vsixBytes, size.usualVsixBytes),
      target: '≤ 600 KB',
      met: size.vsixBytes <= targets.vsixBytes,
    });
    for (const t of size.tasks) {
      rows.push({
        measure: `task folder ${t.task}: files, bytes (zipped)`,
        lockstep: `${t.bundled.files} files, ${kb(t.bundled.bytes)} (${kb(t.bundled.zipBytes)})`,
        baseline: `${count(t.usual.files)} files, ${kb(t.usual.bytes)} (${kb(t.usual.zipBytes)})`,
        ratio: ratio(t.bundled.zipBytes, t.usual.zipBytes),
      });
    }
    rows.push({
      measure: `cold start, spawn → first request (median of ${cold.samples})`,
      lockstep: `${Math.round(cold.bundledMs)} ms`,
      baseline: `${Math.round(cold.unbundledMs)} ms unbundled (out/ + node_modules)`,
      ratio: ratio(cold.bundledMs, cold.unbundledMs),
    });
    rows.push({
      measure: 'cold start beside bare Node',
      lockstep: `${Math.round(cold.bundledMs)} ms`,
      baseline: `${Math.round(cold.nodeMs)} ms \`node -e 0\` (spawn → exit)`,
      ratio: ratio(cold.bundledMs, cold.nodeMs),
    });
    for (const r of api) rows.push(economyRow(r));
    rows.push({
      measure: `detection latency, fixed 15 s (no history): median · p95, ${latency.runs} runs`,
      lockstep: `${seconds(latency.fixed.medianMs)} · ${seconds(latency.fixed.p95Ms)}`,
      baseline: 'the interval: 15 s',
      ratio: ratio(latency.fixed.p95Ms, INTERVAL_MS),
      target: 'p95 ≤ 16 s',
      met: latency.fixed.p95Ms <= targets.p95LatencyMs,
    });
    rows.push({
      measure: `detection latency, ETA-aware: median · p95, ${latency.runs} runs`,
      lockstep: `${seconds(latency.eta.medianMs)} · ${seconds(latency.eta.p95Ms)}`,
      baseline: `${seconds(latency.fixed.medianMs)} · ${seconds(latency.fixed.p95Ms)} fixed 15 s`,
      ratio: ratio(latency.eta.p95Ms, latency.fixed.p95Ms),
      target: 'p95 ≤ 16 s',
      met: latency.eta.p95Ms <= targets.p95LatencyMs,
    });
    const etaAim = latency.eta.requestsPerHour < latency.fixed.requestsPerHour && latency.eta.p95Ms <= latency.fixed.p95Ms;
    rows.push({
      measure: 'requests per waiting hour, ETA-aware (same waits)',
      lockstep: `${Math.round(latency.eta.requestsPerHour)} (${Math.round(latency.eta.requestsPerRun)} per wait)`,
      baseline: `${Math.round(latency.fixed.requestsPerHour)} (${Math.round(latency.fixed.requestsPerRun)} per wait) fixed 15 s`,
      ratio: ratio(latency.eta.requestsPerHour, latency.fixed.requestsPerHour),
      target: 'fewer, at equal or better p95',
      met: etaAim,
    });
    for (const b of barrier.rows) {
      rows.push({
        measure: `SyncGate skew, ${b.members} members${b.lastLateMs ? `, the last started ${b.lastLateMs / 1000} s after the others` : ' started at once'}: median · max of ${b.runs}`,
        lockstep: `${seconds(b.medianMs * barrier.scale)} · ${seconds(b.maxMs * barrier.scale)} (real ${Math.round(b.medianMs)} · ${Math.round(b.maxMs)} ms at ×${barrier.scale})`,
        baseline: 'one interval: 15 s',
        ratio: ratio(b.maxMs * barrier.scale, INTERVAL_MS),
        ...(b.members === targets.skewMembers ? { target: '≤ 2 s at 25 members', met: b.maxMs * barrier.scale <= targets.skewMs } : {}),
      });
    }
    for (const v of view) {
      rows.push({
        measure: `train view, ${v.members} members: first render (host page opened → every member drawn) · requests · reader alone, median of ${v.samples}`,
        lockstep: `${Math.round(v.firstRenderMs)} ms · ${v.requests} requests (+${v.preflights} CORS preflights, cached after) · ${Math.round(v.readMs)} ms`,
        baseline: 'opening each member\'s run page in turn',
        ratio: '—',
        ...(v.members === 25 ? { target: '< 1 s, < 30 requests', met: v.firstRenderMs < 1_000 && v.requests < 30 } : {}),
      });
    }
    for (const m of memory?.rows ?? []) {
      rows.push({
        measure: `peak RSS waiting on ${m.dependencies} stage${m.dependencies === 1 ? '' : 's'}, ${memory!.polls} polls (1 h, run at ×${memory!.scale})`,
        lockstep: kb(m.bundledBytes),
        baseline: `${kb(m.unbundledBytes)} unbundled; idle Node ${kb(memory!.nodeBytes)}`,
        ratio: ratio(m.bundledBytes, m.unbundledBytes),
        target: '≤ 80 MB',
        met: m.bundledBytes <= targets.peakRssBytes,
      });
    }

    const table = renderTable(rows);
    console.log(table);
    const partsTable = renderVsixParts(size.parts);
    console.log(`\n${partsTable}`);

    const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.release()}`, loadBefore, loadAfter };
    const commit = git(['rev-parse', '--short', 'HEAD']) + (git(['status', '--porcelain', '--untracked-files=no']) ? ' with local changes' : '');
    const verdicts = targetVerdicts(size.vsixBytes, api, latency, barrier, memory);
    fs.mkdirSync(path.join(root, 'bench'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'bench', 'results.json'),
      `${JSON.stringify({ generatedAt: startedAt.toISOString(), commit, machine, targets: verdicts, rows, measured: { size: { ...size, usualDirs: undefined }, coldStart: cold, api, latency, barrier, memory } }, null, 2)}\n`,
    );
    writeReadmeSection(path.join(root, 'README.md'), readmeSection(startedAt, commit, machine, table, verdicts, partsTable));
    process.stderr.write(`bench: wrote bench/results.json and README.md's figures (${Math.round((Date.now() - startedAt.getTime()) / 1000)} s)\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function economyRow(r: EconomyRow): BenchRow {
  const what = `${r.dependencies} YAML dependenc${r.dependencies === 1 ? 'y' : 'ies'}, ${r.stages ? 'each with a stage' : 'no stage'}`;
  return {
    measure: `requests per poll · per waiting hour: ${what}`,
    lockstep: `${r.lockstep.perPoll} · ${count(r.lockstep.perHour)}`,
    baseline: `${r.baseline.perPoll} · ${count(r.baseline.perHour)} (${r.stages ? 'latest run + its timeline' : 'latest run'} per dependency per poll)`,
    ratio: ratio(r.lockstep.perHour, r.baseline.perHour),
    ...(r.stages ? {} : { target: '1 per poll per project', met: r.lockstep.perPoll === targets.requestsPerPoll }),
  };
}

interface Verdict {
  target: string;
  measured: string;
  met: boolean;
}

function targetVerdicts(
  vsixBytes: number,
  api: EconomyRow[],
  latency: Awaited<ReturnType<typeof measureLatency>>,
  barrier: Awaited<ReturnType<typeof measureBarrier>>,
  memory: Awaited<ReturnType<typeof measureMemory>>,
): Verdict[] {
  const plain = api.filter((r) => !r.stages);
  const gates = barrier.rows.filter((b) => b.members === targets.skewMembers);
  const verdicts: Verdict[] = [
    { target: '.vsix ≤ 600 KB', measured: kb(vsixBytes), met: vsixBytes <= targets.vsixBytes },
    {
      target: 'one request per poll per project for any number of YAML dependencies without stage conditions',
      measured: plain.map((r) => `${r.lockstep.perPoll} with ${r.dependencies}`).join(', '),
      met: plain.every((r) => r.lockstep.perPoll === targets.requestsPerPoll),
    },
    {
      target: 'p95 detection latency ≤ poll interval + 1 s (16 s at the default 15 s)',
      measured: `${seconds(latency.fixed.p95Ms)} fixed, ${seconds(latency.eta.p95Ms)} ETA-aware`,
      met: Math.max(latency.fixed.p95Ms, latency.eta.p95Ms) <= targets.p95LatencyMs,
    },
    {
      target: 'SyncGate skew ≤ 2 s at 25 members',
      measured: gates
        .map((g) => `${seconds(g.maxMs * barrier.scale)} at most (median ${seconds(g.medianMs * barrier.scale)}) ${g.lastLateMs ? `with the last ${g.lastLateMs / 1000} s late` : 'started at once'}`)
        .join('; '),
      met: gates.every((g) => g.maxMs * barrier.scale <= targets.skewMs),
    },
  ];
  if (memory) {
    verdicts.push({
      target: 'peak RSS of a waiting task ≤ 80 MB',
      measured: memory.rows.map((m) => `${kb(m.bundledBytes)} on ${m.dependencies} stage${m.dependencies === 1 ? '' : 's'}`).join(', ') + ` after ${memory.polls} polls`,
      met: memory.rows.every((m) => m.bundledBytes <= targets.peakRssBytes),
    });
  }
  verdicts.push({
    target: 'aim: ETA-aware polling makes fewer requests per hour than fixed 15 s polling at equal or better p95',
    measured: `${Math.round(latency.eta.requestsPerHour)} vs ${Math.round(latency.fixed.requestsPerHour)} requests per hour at p95 ${seconds(latency.eta.p95Ms)} vs ${seconds(latency.fixed.p95Ms)}`,
    met: latency.eta.requestsPerHour < latency.fixed.requestsPerHour && latency.eta.p95Ms <= latency.fixed.p95Ms,
  });
  return verdicts;
}

function readmeSection(at: Date, commit: string, machine: { cpus: number; cpu: string; node: string; loadBefore: number }, table: string, verdicts: Verdict[], partsTable: string): string {
  return [
    `Measured by \`npm run bench\` on ${at.toISOString().slice(0, 10)} at commit ${commit}: ${machine.cpus} × ${machine.cpu}, Node ${machine.node}, ` +
      `load average ${machine.loadBefore.toFixed(1)} at the start. Ratios are Lockstep ÷ baseline, both from the same run.`,
    '',
    table,
    '',
    'Targets:',
    '',
    ...verdicts.map((v) => `- ${v.met ? '✅ met' : '❌ **missed**'}: ${v.target} — ${v.measured}`),
    '',
    'The .vsix by part (bytes as shipped, and as stored in the .vsix):',
    '',
    partsTable,
  ].join('\n');
}

function git(args: string[]): string {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : 'unknown';
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
