import { PollPolicy } from '../polling/poll-policy';
import { TrainMatch } from '../train/train-match';

/** Everything CoordinatedRollback needs, read and checked from its inputs before any request. */
export interface RollbackSettings {
  /** The failed release train's id (a commit, a run number, a tag). */
  train: string;
  trainMatch: TrainMatch;
  /** Look for what was live among runs of this branch (refs/heads/...); default each member's train run's branch. */
  lastGoodBranch?: string;
  /** The members in deployment order, each with the stage or environment that deploys it. */
  participants: string;
  /** redeployLastGood: re-run that stage (environment) of the member's last run before the train that succeeded it; queueRun: queue a new run at that run's commit. */
  strategy: 'redeployLastGood' | 'queueRun';
  /** For queueRun: the template parameters of the new run. */
  templateParameters: Record<string, string>;
  /** First cancel this train's runs that are still in progress (never this run). */
  cancelInFlight: boolean;
  /** reverse: last deployed first, one at a time, each awaited before the next; parallel: all at once. */
  order: 'reverse' | 'parallel';
  /** Wait until every rollback has finished, and report how each ended. */
  waitForCompletion: boolean;
  /** Print the plan and change nothing. */
  dryRun: boolean;
  project: string;
  poll: PollPolicy;
  /** How long a claimant waits for the other claims to become visible before the leader is decided. */
  settleMs: number;
}
