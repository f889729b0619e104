import { EtaPolicy } from './eta-policy';

/** What a dependency's earlier runs say about how long something takes: its awaited stage, or the way to it. */
export interface EtaEstimate {
  /** The median earlier duration: what it usually takes. */
  usualMs: number;
  /**
   * The shortest earlier duration less a margin: before this, it is far from done (and, for the way to a stage, the
   * stage far from starting).
   */
  windowStartMs: number;
  /** How many earlier durations the estimate rests on. */
  samples: number;
}

/** The estimate from earlier durations (ms); undefined when there are too few to go by. */
export function estimateEta(durations: number[], policy: EtaPolicy): EtaEstimate | undefined {
  const sorted = durations.filter((d) => Number.isFinite(d) && d >= 0).sort((a, b) => a - b);
  if (sorted.length === 0 || sorted.length < policy.minSamples) return undefined;
  const middle = Math.floor(sorted.length / 2);
  const usualMs = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  const shortest = sorted[0];
  const longest = sorted[sorted.length - 1];
  const margin = Math.max(policy.marginFraction * usualMs, (longest - shortest) / 2);
  return { usualMs, windowStartMs: Math.max(0, shortest - margin), samples: sorted.length };
}
