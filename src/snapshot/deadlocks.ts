import { findDeadlockCycle, FoundWait } from '../waits/deadlock';
import { blocks } from '../waits/self-blocker';
import { waitHoldsOn } from '../waits/wait-liveness';
import type { CycleStep, WaitTarget } from '../waits/wait-record';
import { FindMember, MemberRun, runOf } from './members';

/**
 * Deadlock cycles among the members, as member labels in order (A → B → A). The tasks' own walk (deadlock.ts) runs
 * from each member whose wait still counts, over what this read already holds — the members' wait records, runs,
 * timelines and tags — so it costs no request, and the view and the tasks never disagree on what a cycle is. A cycle
 * a task found and recorded on its run (its wait ended on it) is drawn too, after its runs have stopped.
 */
export async function deadlocksOf(runs: MemberRun[], find: FindMember): Promise<string[][]> {
  const cycles = new Map<string, string[]>();
  const add = (steps: CycleStep[]) => {
    const labels = steps.map((s) => find(s)?.ref.label ?? s.definitionName);
    if (!cycles.has(cycleKey(labels))) cycles.set(cycleKey(labels), labels);
  };
  const lookup = async (target: WaitTarget): Promise<FoundWait | undefined> => {
    const m = find(target);
    const run = m && runOf(m);
    const record = m?.runRecords?.wait;
    return run && record ? { record, run: { kind: run.kind, project: run.project, id: run.id }, ended: run.finished } : undefined;
  };
  const holds = async (target: WaitTarget, found: FoundWait) => {
    const m = find(target);
    return waitHoldsOn(target, found, { records: m?.records, release: m?.release });
  };
  for (const m of runs) {
    const wait = m.runRecords?.wait;
    const run = runOf(m);
    if (!wait || !run) continue;
    if (wait.cycle?.length) add(wait.cycle);
    if (wait.ended && !wait.deadlock) continue;
    const own = { kind: run.kind === 'release' ? ('release' as const) : ('build' as const), stage: wait.stage, tags: (m.build?.tags ?? m.release?.tags) ?? [], records: m.records ?? [], release: m.release ?? null, done: run.finished };
    const found = await findDeadlockCycle(wait, lookup, async (target) => blocks(own, target), holds);
    if (found) add(found.cycle);
  }
  return [...cycles.values()];
}

/** The same cycle found from another of its members is the same cycle: key it by its smallest rotation. */
function cycleKey(labels: string[]): string {
  const ring = labels.slice(0, -1);
  const rotations = ring.map((_, i) => [...ring.slice(i), ...ring.slice(0, i)].join('\u0000'));
  return rotations.sort()[0] ?? '';
}
