import { MatchSettings } from '../runs/match-mode';
import { PollPolicy } from './poll-policy';

/** Everything WaitForDependency needs to know, read and checked from the inputs before any request. */
export interface WaitSettings {
  /** The reference list as written: one per line. */
  dependencies: string;
  /** Which run of each dependency belongs to this release. */
  match: MatchSettings;
  /** partiallySucceeded runs and succeededWithIssues stages count as success. */
  acceptPartiallySucceeded: boolean;
  /** fail: a matched run or stage that failed, was canceled, rejected or skipped fails the wait at once; wait: keep waiting for a newer matching run. */
  onDependencyFailure: 'fail' | 'wait';
  /** fail, or succeedWithIssues, when the timeout passes with dependencies unmet. */
  onTimeout: 'fail' | 'succeedWithIssues';
  /** The project references without a project part belong to. */
  project: string;
  poll: PollPolicy;
}
