import { defaultEtaPolicy, EtaPolicy } from './eta-policy';

/** How often and how long the core asks Azure DevOps; one object with defaults. */
export interface PollPolicy {
  /** Between two polls. */
  intervalMs: number;
  /** The least interval a user may set: each poll costs the organization's shared request budget. */
  minIntervalMs: number;
  /** The whole wait, from the task's start. */
  timeoutMs: number;
  /** How often a line says what is still awaited, when nothing changes. */
  heartbeatMs: number;
  /**
   * Between two polls once all but one of what is awaited are there (SyncGate's final approach): the last arrival
   * is seen sooner, so members pass close together, without raising the steady-state request rate.
   */
  finalApproachMs: number;
  /** Newest runs read per pipeline in each poll (one request for all pipelines of a project). */
  runsPerDefinition: number;
  /**
   * Matching runs looked at per reference and poll, newest first (this run's branch first), while the newer ones did
   * not run the awaited stage (skipped, or finished without it): the first that did decides. Each one past the first
   * may cost a timeline read (a finished run's timeline is read once and kept while it stays finished).
   */
  runsLookedAt: number;
  /** Where the newest runs hold no run of this commit (sameCommit), how far back the history is searched. */
  historySearch: HistorySearch;
  /**
   * WaitForDependency spaces some timeline reads by what earlier runs took (see EtaPolicy); absent (the etaPolling
   * input off): every poll reads every timeline it needs. Polls themselves always come at the fixed interval.
   */
  eta?: EtaPolicy;
}

/**
 * The builds list cannot filter on a commit: behind many newer runs, the runs of a commit are found by paging back
 * through one pipeline's runs, newest first, a bounded number of pages. A search that found nothing is not repeated
 * at every poll; a run it found is read again by id (one request per project) at each poll after.
 */
export interface HistorySearch {
  /** Runs per page. */
  pageSize: number;
  /** Pages read at most per pipeline and search: pageSize × pages runs back. */
  pages: number;
  /** A search that found nothing is repeated at every this-many-th poll (new runs show up in the newest runs anyway). */
  everyPolls: number;
}

export const defaultPollPolicy: PollPolicy = {
  intervalMs: 15_000,
  minIntervalMs: 5_000,
  // Under the agent's default job timeout (60 minutes), so onTimeout and the clean-up act before the job is killed.
  timeoutMs: 50 * 60_000,
  heartbeatMs: 5 * 60_000,
  finalApproachMs: 1_000,
  runsPerDefinition: 25,
  runsLookedAt: 3,
  historySearch: { pageSize: 100, pages: 5, everyPolls: 20 },
  eta: defaultEtaPolicy,
};
