import { fromTagText, tagText } from '../annotations/tag-text';

/**
 * How a member's presence at a gate shows on its run, in tags a person can read in the run's header:
 *   lockstep:prod@2.3.0         arrived at gate `prod` for train `2.3.0` (withdrawn by removing it)
 *   lockstep:prod@2.3.0:open    saw the gate open and passed
 */
export interface GateMarks {
  arrived: string;
  open: string;
}

export function gateMarks(gate: string, train: string): GateMarks {
  const arrived = `lockstep:${tagText(gate)}@${tagText(train)}`;
  return { arrived, open: `${arrived}:open` };
}

/** The (gate, train) of a Lockstep gate tag, or undefined for any other tag. */
export function readGateTag(tag: string): { gate: string; train: string; open: boolean } | undefined {
  const m = /^lockstep:([^:@]+)@([^:@]+)(:open)?$/.exec(tag);
  return m ? { gate: fromTagText(m[1]), train: fromTagText(m[2]), open: m[3] !== undefined } : undefined;
}
