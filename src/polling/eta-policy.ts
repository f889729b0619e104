/**
 * ETA-aware polling as data. Every poll reads the builds list at the fixed interval; with history, the timeline of a
 * run whose awaited stage has not started is read only every `farFactor` intervals while the run is far from where
 * that stage usually starts. Whatever the history, a running stage's timeline is read every poll.
 */
export interface EtaPolicy {
  /** Earlier successful runs read per dependency: the newest, among the runs each poll already lists. */
  historyRuns: number;
  /** Fewer earlier durations than this give no estimate, and every poll reads the timeline. */
  minSamples: number;
  /** Far from the awaited stage, its run's timeline is read at most this many poll intervals apart. */
  farFactor: number;
  /**
   * How far before the shortest earlier duration "far" ends, as a fraction of the usual (median) one; at least half
   * the spread of the earlier durations. A run faster than any before still has its timeline read every poll in time.
   */
  marginFraction: number;
}

export const defaultEtaPolicy: EtaPolicy = {
  historyRuns: 5,
  minSamples: 3,
  farFactor: 4,
  marginFraction: 0.2,
};
