import { fromTagText, tagText } from '../annotations/tag-text';

/**
 * How a member's presence at a gate shows on its run, in tags a person can read in the run's header.
 *
 * On a YAML run (tags change in a PATCH body; the run's record names the stage attempt):
 *   lockstep:prod@2.3.0                    arrived at gate `prod` for train `2.3.0` (withdrawn by removing it)
 *   lockstep:prod@2.3.0:open               saw the gate open and passed
 *
 * On a classic release (a tag is removed by its URL path, where the service refuses `:`; a release keeps no
 * properties, so the tag itself says which environment and which deployment attempt arrived):
 *   lockstep.prod@2.3.0@Production.1       environment Production, deployment attempt 1, arrived
 *   lockstep.prod@2.3.0@Production.1@open  that attempt saw the gate open and passed
 * A redeploy is a new attempt: it arrives again, and marks of earlier attempts no longer count.
 */
export interface GateMarks {
  arrived: string;
  open: string;
}

/** Where a mark is written: a YAML run, or a classic release's environment at one deployment attempt. */
export type GateMarkHost = { kind: 'build' } | { kind: 'release'; environment: string; attempt: number };

export function gateMarks(gate: string, train: string, on: GateMarkHost = { kind: 'build' }): GateMarks {
  if (on.kind === 'release') {
    const arrived = `${releasePrefix(gate, train)}${tagText(on.environment, 'release')}.${on.attempt}`;
    return { arrived, open: `${arrived}@open` };
  }
  const arrived = `lockstep:${tagText(gate)}@${tagText(train)}`;
  return { arrived, open: `${arrived}:open` };
}

/** One mark of a gate and train found on a run; a release's names its environment and attempt. */
export interface GateMark {
  tag: string;
  open: boolean;
  environment?: string;
  attempt?: number;
}

/** The marks of this gate and train among a run's tags (compared without regard to case, as the service does). */
export function readGateMarks(tags: string[] | undefined, gate: string, train: string, kind: 'build' | 'release'): GateMark[] {
  const found: GateMark[] = [];
  if (kind === 'build') {
    const marks = gateMarks(gate, train);
    for (const tag of tags ?? []) {
      const t = tag.toLowerCase();
      if (t === marks.arrived.toLowerCase() || t === marks.open.toLowerCase()) found.push({ tag, open: t === marks.open.toLowerCase() });
    }
    return found;
  }
  const prefix = releasePrefix(gate, train).toLowerCase();
  for (const tag of tags ?? []) {
    if (!tag.toLowerCase().startsWith(prefix)) continue;
    const m = /^([^@]+)\.(\d+)(@open)?$/i.exec(tag.slice(prefix.length));
    if (m) found.push({ tag, open: m[3] !== undefined, environment: fromTagText(m[1], 'release'), attempt: Number(m[2]) });
  }
  return found;
}

/**
 * Any gate mark among a run's tags, whatever its gate and train (the train view finds the gates a run is at so).
 * The rollback's marks share the spelling (`lockstep:rollback-claim@<train>`): those names are not gates.
 */
export function parseGateMark(tag: string, kind: 'build' | 'release'): (GateMark & { gate: string; train: string }) | undefined {
  const m = kind === 'build' ? /^lockstep:([^@:]+)@([^:@]+)(:open)?$/i.exec(tag) : /^lockstep\.([^@]+)@([^@]+)@([^@]+)\.(\d+)(@open)?$/i.exec(tag);
  if (!m || rollbackMarkNames.has(m[1].toLowerCase())) return undefined;
  const on = kind === 'build' ? 'build' : 'release';
  const mark = { tag, gate: fromTagText(m[1], on), train: fromTagText(m[2], on) };
  if (kind === 'build') return { ...mark, open: m[3] !== undefined };
  return { ...mark, open: m[5] !== undefined, environment: fromTagText(m[3], 'release'), attempt: Number(m[4]) };
}

const rollbackMarkNames = new Set(['rollback-claim', 'rollback-lead', 'rolled-back']);

function releasePrefix(gate: string, train: string): string {
  return `lockstep.${tagText(gate, 'release')}@${tagText(train, 'release')}@`;
}
