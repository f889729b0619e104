import { startEmulator } from '../emulator';
import { harnessRun, runTask } from '../emulator/agent/agent-harness';
import { running } from '../test/support/scenarios';
import { benchToken } from './bench-scenarios';
import { median, sleep } from './bench-stats';

export interface BarrierRow {
  members: number;
  /** Policy ms the last member started after the others (0: all at once). */
  lastLateMs: number;
  runs: number;
  /** Latest pass minus earliest pass, real ms, one per run. */
  skewsMs: number[];
  medianMs: number;
  maxMs: number;
}

export interface BarrierResult {
  scale: number;
  rows: BarrierRow[];
}

/**
 * Barrier skew: SyncGate@1 with every member's bundled task started at once (or the last one `lastLateMs` later), one
 * process per member, at the default 15 s interval (1 s final approach), against one emulator. A member passes when
 * it prints that the gate is open; the skew is the latest pass minus the earliest, in real ms (× scale for policy time).
 */
export async function measureBarrier(cases: Array<{ members: number; lastLateMs: number }>, runs: number, scale: number): Promise<BarrierResult> {
  const rows: BarrierRow[] = [];
  for (const { members, lastLateMs } of cases) {
    const skewsMs: number[] = [];
    for (let run = 0; run < runs; run++) skewsMs.push(await oneBarrier(members, lastLateMs, scale));
    rows.push({ members, lastLateMs, runs, skewsMs, medianMs: median(skewsMs), maxMs: Math.max(...skewsMs) });
  }
  return { scale, rows };
}

async function oneBarrier(members: number, lastLateMs: number, scale: number): Promise<number> {
  const names = Array.from({ length: members }, (_, i) => `member-${i}`);
  const trainRun = (name: string, i: number) => running(300 + i, name, { Build: 'succeeded', Gate: 'inProgress', Deploy: 'pending' }, { buildNumber: `2.3.0-${name}`, sourceVersion: harnessRun.commit });
  const e = await startEmulator({
    scenario: {
      token: benchToken,
      projects: [{ name: harnessRun.project, buildDefinitions: names.map((name, i) => ({ id: 100 + i, name, stages: ['Build', 'Gate', 'Deploy'] })), builds: names.map(trainRun) }],
    },
    timeScale: scale,
  });
  try {
    const member = (name: string, i: number) =>
      runTask({
        task: 'sync-gate',
        collectionUrl: e.collectionUrl,
        token: benchToken,
        killAfterMs: 120_000,
        inputs: { gate: 'prod', participants: names.join('\n') },
        variables: {
          'Build.BuildId': String(300 + i),
          'Build.BuildNumber': `2.3.0-${name}`,
          'Build.DefinitionName': name,
          'System.DefinitionId': String(100 + i),
          'System.StageName': 'Gate',
          'System.StageAttempt': '1',
          'System.JobId': `00000000-0000-0000-0000-${String(300 + i).padStart(12, '0')}`,
        },
        env: { LOCKSTEP_TIME_SCALE: String(scale) },
      });
    const tasks = names.slice(0, -1).map(member);
    if (lastLateMs > 0) await sleep(lastLateMs / scale);
    tasks.push(member(names.at(-1)!, members - 1));
    const passes = await Promise.all(tasks.map((t) => t.waitForLine(/^Gate 'prod' of train '\w+' is open: /, 110_000).then(() => performance.now())));
    const results = await Promise.all(tasks.map((t) => t.done));
    const failed = results.find((r) => r.result.status !== 'Succeeded');
    if (failed) throw new Error(`Barrier skew: a member ended ${failed.result.status}: ${failed.result.message}`);
    return Math.max(...passes) - Math.min(...passes);
  } finally {
    await e.close();
  }
}
