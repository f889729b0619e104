import { EtaPolicy } from './eta-policy';

/** What a dependency's earlier runs say about how long its awaited stage (or whole run) takes. */
export interface EtaEstimate {
  /** The median earlier duration: what the stage usually takes. */
  usualMs: number;
  /** From this running time on, polls come at most one interval apart. */
  windowStartMs: number;
  /** Past this running time the stage is late: the fixed interval again. */
  windowEndMs: number;
  /** Within this distance of usualMs, polls close in toward the least interval. */
  closeMs: number;
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
  return {
    usualMs,
    windowStartMs: Math.max(0, shortest - margin),
    windowEndMs: longest + margin,
    closeMs: Math.min(Math.max(policy.close.spreads * (longest - shortest), policy.close.least * usualMs), policy.close.most * usualMs),
    samples: sorted.length,
  };
}
