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
  /** Newest runs read per pipeline in each poll; the matching run must be among them. */
  runsPerDefinition: number;
  /**
   * WaitForDependency spaces some timeline reads by what earlier runs took (see EtaPolicy); absent (the etaPolling
   * input off): every poll reads every timeline it needs. Polls themselves always come at the fixed interval.
   */
  eta?: EtaPolicy;
}

export const defaultPollPolicy: PollPolicy = {
  intervalMs: 15_000,
  minIntervalMs: 5_000,
  // Under the agent's default job timeout (60 minutes), so onTimeout and the clean-up act before the job is killed.
  timeoutMs: 50 * 60_000,
  heartbeatMs: 5 * 60_000,
  finalApproachMs: 1_000,
  runsPerDefinition: 25,
  eta: defaultEtaPolicy,
};
