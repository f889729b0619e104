import { WaitRecord, WaitTarget } from './wait-record';

/** Looks up the wait record published on a target's matched run, if that run is waiting. */
export type WaitLookup = (target: WaitTarget) => Promise<WaitRecord | undefined>;

/** Whether this run blocks a target that names it: true when the awaited stage (or gate) cannot be reached while this run waits. */
export type BlockedBySelf = (target: WaitTarget) => Promise<boolean>;

/**
 * Follows the published waits from this run's own targets, a few hops deep, looking for a path back to this run.
 * Returns the cycle as text (`A@g → B → A@Deploy`), or undefined.
 */
export async function findDeadlock(self: WaitRecord, lookup: WaitLookup, blockedBySelf: BlockedBySelf, maxDepth = 3): Promise<string | undefined> {
  const isSelf = (t: WaitTarget) => t.kind === (self.kind ?? 'yaml') && t.definitionId === self.definitionId && t.project.toLowerCase() === self.project.toLowerCase();
  const visited = new Set<string>();

  async function walk(target: WaitTarget, path: string[], depth: number): Promise<string | undefined> {
    const key = `${target.kind}/${target.project.toLowerCase()}/${target.definitionId}/${target.runId ?? ''}`;
    if (visited.has(key) || depth > maxDepth) return undefined;
    visited.add(key);
    const record = await lookup(target);
    if (!record) return undefined;
    for (const next of record.waitsFor) {
      // Two members waiting at the same gate for the same train is the barrier itself, not a deadlock.
      if (next.gate !== undefined && next.gate === self.gate && next.train === self.train && self.task === 'SyncGate') continue;
      const step = describeTarget(next, record);
      if (isSelf(next)) {
        if (await blockedBySelf(next)) return [...path, step].join(' → ');
        continue;
      }
      const found = await walk(next, [...path, step], depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  const start = self.gate !== undefined ? `${self.definitionName}@${self.gate}` : self.definitionName;
  for (const target of self.waitsFor) {
    const found = await walk(target, [start, target.label], 1);
    if (found) return found;
  }
  return undefined;
}

/** `A@Deploy`, or `A (at gate g)` for a member awaited at a gate; the waiter's own gate is named when it has one. */
function describeTarget(target: WaitTarget, waiter: WaitRecord): string {
  const name = target.stage ? `${target.definitionName}@${target.stage}` : target.definitionName;
  return waiter.gate && !target.stage ? `${name} (awaited at gate ${waiter.gate})` : name;
}
