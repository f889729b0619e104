/**
 * ETA-aware polling as data: how many earlier runs the estimate rests on, and how the polls are spaced around it.
 * With history, a wait polls up to `farFactor` times its interval apart while the awaited stage is far from its
 * usual duration, one interval apart once it is near, and closer (down to the least interval, 5 s) right around it;
 * without history, at the fixed interval.
 */
export interface EtaPolicy {
  /** Earlier successful runs read per dependency: the newest, among the runs each poll already lists. */
  historyRuns: number;
  /** Fewer earlier durations than this give no estimate, and the fixed interval applies. */
  minSamples: number;
  /** Far from the estimate, polls may be this many poll intervals apart. */
  farFactor: number;
  /**
   * How far the window of checks at most one interval apart reaches beyond the shortest and the longest earlier
   * duration, as a fraction of the usual (median) one; at least half their spread. A run faster than any before is
   * still seen within one interval.
   */
  marginFraction: number;
  /**
   * Checks close in toward the least interval only this near the usual duration: `spreads` times the spread of the
   * earlier durations, kept between `least` and `most` of the usual duration — wide enough that most finishes fall in
   * it, narrow enough that a wide spread never costs more checks than the fixed interval.
   */
  close: { spreads: number; least: number; most: number };
}

export const defaultEtaPolicy: EtaPolicy = {
  historyRuns: 5,
  minSamples: 3,
  farFactor: 4,
  marginFraction: 0.2,
  close: { spreads: 1.5, least: 0.1, most: 0.2 },
};
