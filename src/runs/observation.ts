import type { WaitRecord } from '../waits/wait-record';

/** A run that a reference matched. */
export interface MatchedRun {
  kind: 'build' | 'release';
  id: number;
  /** The run number (YAML) or release name (classic). */
  name: string;
  webUrl: string;
}

/** What one poll saw of one reference. */
export interface Observation {
  /** met: the run (or its stage/environment) succeeded; failed: it ended otherwise; waiting: not yet. */
  verdict: 'waiting' | 'met' | 'failed';
  /** What a person reads, e.g. "run 2.3.1 (#123): stage Prod inProgress". */
  state: string;
  run?: MatchedRun;
  /** The final result word when the verdict is met or failed (succeeded, failed, canceled, rejected, skipped...). */
  result?: string;
  /** What the matched run itself waits for, when a Lockstep task in it publishes a wait (deadlock detection). */
  waiting?: WaitRecord;
  /** The matched run has finished (a YAML run completed; no environment of a release deploying or queued): a wait published on it is over. */
  runEnded?: boolean;
}

export const noMatchingRun: Observation = { verdict: 'waiting', state: 'no matching run yet' };

/** No matching run, after a search of the pipeline's history read this many of its newest runs (sameCommit). */
export function noMatchingRunAmong(searched: number): Observation {
  return { verdict: 'waiting', state: `no matching run among its ${searched} newest runs` };
}
