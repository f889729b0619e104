import { GateMark, parseGateMark } from '../gate/gate-marks';
import { GateRecord, readGateRecord } from '../gate/gate-record';
import { readRollbackMark } from '../rollback/ledger-marks';
import { readRollbackRecords, RollbackRecord } from '../rollback/rollback-record';
import { readWaitRecord, WaitRecord } from '../waits/wait-record';
import { readWaitRecordFromTags } from '../waits/wait-tags';

/** Everything Lockstep recorded on one run: read from its tags and (a YAML run's) build properties. */
export interface RunRecords {
  /** The published wait (ended ones too). */
  wait?: WaitRecord;
  /** The gates it is (or was) at, by their marks and records. */
  gates: GateOnRun[];
  /** Trains it asks to roll back (claim), leads the rollback of (lead). */
  rollbacks: Array<{ train: string; claim: boolean; lead: boolean }>;
  /** Rollback records it keeps as a leader. */
  plans: RollbackRecord[];
}

export interface GateOnRun {
  gate: string;
  train: string;
  marks: GateMark[];
  record?: GateRecord;
}

/** A run's records. `properties` as the wire (or the client) has them; absent for a classic release. */
export function readRunRecords(kind: 'build' | 'release', tags: string[] | undefined, properties?: unknown): RunRecords {
  const all = tags ?? [];
  const gates = new Map<string, GateOnRun>();
  const gateOf = (gate: string, train: string) => {
    const key = `${gate}\u0000${train}`;
    if (!gates.has(key)) gates.set(key, { gate, train, marks: [] });
    return gates.get(key)!;
  };
  for (const tag of all) {
    const mark = parseGateMark(tag, kind);
    if (mark) gateOf(mark.gate, mark.train).marks.push({ tag: mark.tag, open: mark.open, environment: mark.environment, attempt: mark.attempt });
  }
  for (const name of Object.keys((properties ?? {}) as Record<string, unknown>).filter((n) => /^Lockstep\.Gate\./i.test(n))) {
    const record = readGateRecord(properties, name);
    if (record) gateOf(record.gate, record.train).record = record;
  }
  const rollbacks = new Map<string, { train: string; claim: boolean; lead: boolean }>();
  for (const tag of all) {
    const mark = readRollbackMark(tag);
    if (!mark || mark.mark === 'rolledBack') continue;
    const entry = rollbacks.get(mark.train) ?? { train: mark.train, claim: false, lead: false };
    entry[mark.mark] = true;
    rollbacks.set(mark.train, entry);
  }
  return {
    wait: kind === 'release' ? readWaitRecordFromTags(all) : readWaitRecord(properties),
    gates: [...gates.values()],
    rollbacks: [...rollbacks.values()],
    plans: kind === 'build' ? readRollbackRecords(properties) : [],
  };
}

/** Whether anything Lockstep writes is on the run. */
export function hasRecords(r: RunRecords): boolean {
  return r.wait !== undefined || r.gates.length > 0 || r.rollbacks.length > 0 || r.plans.length > 0;
}
