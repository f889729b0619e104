import { PollPolicy } from '../polling/poll-policy';
import { TrainMatch } from '../train/train-match';

/** Everything SyncGate needs, read and checked from its inputs before any request. */
export interface GateSettings {
  /** The gate's name, e.g. prod. */
  gate: string;
  /** The release-train id every member shares (a version, a commit, a release name). */
  train: string;
  /** How a member's run is recognised as part of the train before it arrives. */
  trainMatch: TrainMatch;
  /** The other members as written: one pipeline reference per line, without stage parts. */
  participants: string;
  /** How many members, this run included, must have arrived; 0 means every member. */
  quorum: number;
  /** fail: a member whose train run ends before arriving fails the gate at once; ignore: keep waiting. */
  onParticipantFailure: 'fail' | 'ignore';
  onTimeout: 'fail' | 'succeedWithIssues';
  project: string;
  poll: PollPolicy;
}
