import { defaultPollPolicy } from '../polling/poll-policy';
import { WaitSettings } from '../polling/wait-settings';
import { parsePipelineRefs } from '../refs/pipeline-ref';
import { RunContext } from '../run-context';
import { matchModes } from '../runs/match-mode';
import { checkMatch } from './check-match';
import { GetInput, InputReader } from './input-reader';

/** WaitForDependency@1's inputs, checked before any request (the names are task.json's). */
export function readWaitInputs(get: GetInput, context: RunContext): WaitSettings {
  const inputs = new InputReader(get);
  const dependencies = inputs.required('dependencies');
  // Parse now so a malformed line fails before the connection is even opened.
  parsePipelineRefs(dependencies, { allowStage: true });
  const match = checkMatch(
    {
      mode: inputs.oneOf('match', matchModes, 'sameCommit'),
      value: inputs.text('matchValue'),
      commit: context.commit,
      branch: context.branch,
    },
    { commit: context.commitVariable, branch: context.branchVariable },
  );
  const pollSeconds = inputs.integer('pollIntervalSeconds', defaultPollPolicy.intervalMs / 1000, { min: defaultPollPolicy.minIntervalMs / 1000 });
  const timeoutMinutes = inputs.integer('timeoutMinutes', defaultPollPolicy.timeoutMs / 60_000, { min: 1 });
  return {
    dependencies,
    match,
    acceptPartiallySucceeded: inputs.boolean('acceptPartiallySucceeded', false),
    onDependencyFailure: inputs.oneOf('onDependencyFailure', ['fail', 'wait'] as const, 'fail'),
    onTimeout: inputs.oneOf('onTimeout', ['fail', 'succeedWithIssues'] as const, 'fail'),
    project: inputs.text('project', context.project),
    poll: {
      ...defaultPollPolicy,
      intervalMs: pollSeconds * 1000,
      timeoutMs: timeoutMinutes * 60_000,
      eta: inputs.boolean('etaPolling', true) ? defaultPollPolicy.eta : undefined,
    },
  };
}
