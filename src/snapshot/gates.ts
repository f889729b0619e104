import type { Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { GateMark, readGateMarks } from '../gate/gate-marks';
import type { GateRecord } from '../gate/gate-record';
import { FindMember, MemberRun, runOf } from './members';
import type { GateSnapshot } from './train-snapshot';

/**
 * The gates the origin run is (or was) at, each as the tasks count it: who arrived and when, who is missing, how
 * many are needed, whether it opened or the origin left it (and why each member that left did). An arrival counts
 * while its run goes on, or once it has passed (member-observer.ts); a classic release's, only its environment's
 * latest deployment attempt.
 */
export function gatesOf(origin: MemberRun, members: MemberRun[], find: FindMember): GateSnapshot[] {
  const wait = origin.runRecords?.wait;
  const pairs = new Map<string, { gate: string; train: string }>();
  if (wait?.task === 'SyncGate' && wait.gate !== undefined && wait.train !== undefined) pairs.set(`${wait.gate}\u0000${wait.train}`, { gate: wait.gate, train: wait.train });
  for (const g of origin.runRecords?.gates ?? []) pairs.set(`${g.gate}\u0000${g.train}`, { gate: g.gate, train: g.train });
  return [...pairs.values()].map(({ gate, train }) => {
    const sameGate = wait?.task === 'SyncGate' && wait.gate === gate && wait.train === train;
    // The members are the ones the origin's wait at this gate named; without it (a later wait replaced it), those
    // members of the train that have a mark or record of this gate.
    const participants = sameGate
      ? [origin, ...wait.waitsFor.map((t) => find(t)).filter((m): m is MemberRun => m !== undefined)]
      : [origin, ...members.filter((m) => !m.origin && presence(m, gate, train).marks.length + (presence(m, gate, train).record ? 1 : 0) > 0)];
    const seen = participants.map((m) => ({ m, ...presence(m, gate, train) }));
    const live = seen.filter((s) => s.marks.some((k) => k.open) || (s.marks.length > 0 && !runOf(s.m)?.finished));
    const opened = seen.map((s) => s.record?.openedAt).filter((t): t is string => t !== undefined).sort()[0];
    const anyOpen = seen.some((s) => s.marks.some((k) => k.open));
    const originLeft = seen[0].record?.state === 'withdrawn' || (sameGate && wait.ended !== undefined && wait.ended.outcome !== 'passed');
    return {
      gate,
      train,
      needed: (sameGate ? wait.needed : undefined) ?? participants.length,
      arrived: live.map((s) => ({ label: s.m.ref.label, at: s.record?.arrivedAt ?? s.since, open: s.marks.some((k) => k.open) })),
      missing: seen.filter((s) => !live.includes(s)).map((s) => s.m.ref.label),
      state: anyOpen ? 'open' : originLeft ? 'withdrawn' : 'waiting',
      ...(opened ? { openedAt: opened } : {}),
      withdrawn: seen.filter((s) => s.left).map((s) => ({ label: s.m.ref.label, ...(s.reason ? { reason: s.reason } : {}) })),
    };
  });
}

/** A member's presence at one gate: its current marks, its record, and whether and why it left. */
function presence(m: MemberRun, gate: string, train: string): { marks: GateMark[]; record?: GateRecord; since?: string; left: boolean; reason?: string } {
  const record = m.runRecords?.gates.find((g) => g.gate === gate && g.train === train)?.record;
  const wait = m.runRecords?.wait;
  const ownWait = wait?.task === 'SyncGate' && wait.gate === gate && wait.train === train ? wait : undefined;
  const marks = m.build ? readGateMarks(m.build.tags, gate, train, 'build') : m.release ? currentReleaseMarks(m.release, gate, train) : [];
  // A release keeps no gate record: its wait, which starts at arrival, says when it arrived and whether it left.
  const leftRelease = m.release !== undefined && marks.length === 0 && ownWait?.ended !== undefined && ownWait.ended.outcome !== 'passed';
  return { marks, record, since: ownWait?.since, left: record?.state === 'withdrawn' || leftRelease, reason: record?.reason };
}

/** A release's marks of its environments' latest deployment attempts (all of them where the answer lists no attempts). */
function currentReleaseMarks(release: Release, gate: string, train: string): GateMark[] {
  return readGateMarks(release.tags, gate, train, 'release').filter((mark) => {
    const env = release.environments?.find((e) => e.name?.toLowerCase() === mark.environment?.toLowerCase());
    if (!env?.deploySteps?.length) return true;
    return mark.attempt === Math.max(...env.deploySteps.map((s) => s.attempt ?? 1));
  });
}
