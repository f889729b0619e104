import type { CycleStep, WaitRecord, WaitTarget } from './wait-record';

/** A wait record as found on a target's matched run: the record, the run it is on, and whether that run has finished. */
export interface FoundWait {
  record: WaitRecord;
  run: { kind: 'yaml' | 'release'; project: string; id: number };
  /** The run has finished (a YAML run completed; no environment of a release deploying or queued). */
  ended: boolean;
}

/** Looks up the wait record published on a target's matched run, if that run is waiting. */
export type WaitLookup = (target: WaitTarget) => Promise<FoundWait | undefined>;

/** Whether this run blocks a target that names it: true when the awaited stage (or gate) cannot be reached while this run waits. */
export type BlockedBySelf = (target: WaitTarget) => Promise<boolean>;

/**
 * Whether a wait found on a target's run still holds that target back: its waiter is alive, and the stage it waits
 * in keeps the awaited stage from running. May read that run (see wait-liveness.ts).
 */
export type HoldsBack = (target: WaitTarget, found: FoundWait) => Promise<boolean>;

/**
 * Follows the published waits from this run's own targets, a few hops deep, looking for a path back to this run.
 * Returns the cycle as text (`A@g → B → A@Deploy`), or undefined. A path is a cycle only when this run blocks the
 * target that closes it and every wait on the way still holds its target back; those checks, which may cost a
 * request each, are made only for a path that would close a cycle.
 */
export async function findDeadlock(self: WaitRecord, lookup: WaitLookup, blockedBySelf: BlockedBySelf, holdsBack: HoldsBack, maxDepth = 3): Promise<string | undefined> {
  return (await findDeadlockCycle(self, lookup, blockedBySelf, holdsBack, maxDepth))?.text;
}

/** A deadlock as findDeadlock finds it: the text, and the pipelines on the cycle in order (this run first and last). */
export interface Deadlock {
  text: string;
  cycle: CycleStep[];
}

/** findDeadlock, with the cycle's pipelines as well as its text. */
export async function findDeadlockCycle(self: WaitRecord, lookup: WaitLookup, blockedBySelf: BlockedBySelf, holdsBack: HoldsBack, maxDepth = 3): Promise<Deadlock | undefined> {
  const isSelf = (t: WaitTarget) => t.kind === (self.kind ?? 'yaml') && t.definitionId === self.definitionId && t.project.toLowerCase() === self.project.toLowerCase();
  const keyOf = (t: WaitTarget) => `${t.kind}/${t.project.toLowerCase()}/${t.definitionId}/${t.runId ?? ''}`;
  const visited = new Set<string>();
  const held = new Map<string, Promise<boolean>>();
  type Hop = { target: WaitTarget; found: FoundWait };
  const stepOf = (t: WaitTarget): CycleStep => ({ kind: t.kind, project: t.project, definitionId: t.definitionId, definitionName: t.definitionName, ...(t.stage ? { stage: t.stage } : {}), ...(t.gate ? { gate: t.gate } : {}) });
  const holds = (hop: Hop) => {
    const key = `${keyOf(hop.target)}/${(hop.target.stage ?? '').toLowerCase()}/${hop.target.gate ?? ''}`;
    if (!held.has(key)) held.set(key, holdsBack(hop.target, hop.found));
    return held.get(key)!;
  };
  const allHold = async (hops: Hop[]) => {
    for (const hop of hops) if (!(await holds(hop))) return false;
    return true;
  };

  async function walk(target: WaitTarget, path: string[], hops: Hop[], depth: number): Promise<Deadlock | undefined> {
    const key = keyOf(target);
    if (visited.has(key) || depth > maxDepth) return undefined;
    visited.add(key);
    const found = await lookup(target);
    if (!found) return undefined;
    const through = [...hops, { target, found }];
    for (const next of found.record.waitsFor) {
      // Two members waiting at the same gate for the same train is the barrier itself, not a deadlock.
      if (next.gate !== undefined && next.gate === self.gate && next.train === self.train && self.task === 'SyncGate') continue;
      const step = describeTarget(next, found.record);
      if (isSelf(next)) {
        if ((await blockedBySelf(next)) && (await allHold(through))) return { text: [...path, step].join(' → '), cycle: [start, ...through.map((h) => stepOf(h.target)), stepOf(next)] };
        continue;
      }
      const cycle = await walk(next, [...path, step], through, depth + 1);
      if (cycle) return cycle;
    }
    return undefined;
  }

  const start: CycleStep = { kind: self.kind ?? 'yaml', project: self.project, definitionId: self.definitionId, definitionName: self.definitionName, ...(self.gate ? { gate: self.gate } : {}) };
  const startText = self.gate !== undefined ? `${self.definitionName}@${self.gate}` : self.definitionName;
  for (const target of self.waitsFor) {
    const cycle = await walk(target, [startText, target.label], [], 1);
    if (cycle) return cycle;
  }
  return undefined;
}

/** `A@Deploy`, or `A (at gate g)` for a member awaited at a gate; the waiter's own gate is named when it has one. */
function describeTarget(target: WaitTarget, waiter: WaitRecord): string {
  const name = target.stage ? `${target.definitionName}@${target.stage}` : target.definitionName;
  return waiter.gate && !target.stage ? `${name} (awaited at gate ${waiter.gate})` : name;
}
