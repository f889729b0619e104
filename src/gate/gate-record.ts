import { readJsonProperty } from '../annotations/json-property';
import { sha256Hex } from '../annotations/sha256';

/**
 * What a YAML member keeps on its own run (a build property) about its presence at one gate for one train.
 * The tags say the same to a person; this adds what tells a live arrival from a stale one: the stage attempt and
 * the job that wrote it. A retried stage runs as a new attempt, so a record of an earlier attempt no longer counts.
 */
export interface GateRecord {
  gate: string;
  train: string;
  state: 'arrived' | 'open' | 'withdrawn';
  /** The stage the gate runs in, and which attempt of it. */
  stage?: string;
  stageAttempt?: number;
  /** The job's timeline record id. */
  jobId?: string;
  /** ISO time of arrival. */
  arrivedAt: string;
  /** ISO time the gate opened, when state is open. */
  openedAt?: string;
  /** Why the member left, when state is withdrawn: its own final message (a timeout names who was missing). */
  reason?: string;
}

/** One property per gate and train, so that two gates of one run never overwrite each other's record. */
export function gatePropertyName(gate: string, train: string): string {
  const digest = sha256Hex(`${gate}\u0000${train}`).slice(0, 20);
  return `Lockstep.Gate.${digest}`;
}

/** A build property's value as the client returns it ({$type, $value} on the wire), parsed as a record. */
export function readGateRecord(properties: unknown, name: string): GateRecord | undefined {
  return readJsonProperty<GateRecord>(properties, name, (r) => typeof r.state === 'string');
}
