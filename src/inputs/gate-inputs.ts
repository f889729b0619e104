import { InputError } from '../errors';
import { GateSettings } from '../gate/gate-settings';
import { defaultPollPolicy } from '../polling/poll-policy';
import { parsePipelineRefs } from '../refs/pipeline-ref';
import { RunContext } from '../run-context';
import { trainMatches } from '../train/train-match';
import { GetInput, InputReader } from './input-reader';

/** SyncGate@1's inputs, checked before any request (the names are task.json's). */
export function readGateInputs(get: GetInput, context: RunContext): GateSettings {
  const inputs = new InputReader(get);
  const gate = inputs.required('gate');
  const train = inputs.required('train');
  // An unexpanded macro means the variable does not exist in this run: every member would wait for "$(...)".
  if (/^\$\([^)]*\)$/.test(train)) throw new InputError('Error_TrainUnexpanded', [train]);
  const participants = inputs.required('participants');
  parsePipelineRefs(participants, { allowStage: false });
  const pollSeconds = inputs.integer('pollIntervalSeconds', defaultPollPolicy.intervalMs / 1000, { min: defaultPollPolicy.minIntervalMs / 1000 });
  const timeoutMinutes = inputs.integer('timeoutMinutes', defaultPollPolicy.timeoutMs / 60_000, { min: 1 });
  return {
    gate,
    train,
    trainMatch: inputs.oneOf('trainMatch', trainMatches, 'commit'),
    participants,
    quorum: inputs.integer('quorum', 0, { min: 0 }),
    onParticipantFailure: inputs.oneOf('onParticipantFailure', ['fail', 'ignore'] as const, 'fail'),
    onTimeout: inputs.oneOf('onTimeout', ['fail', 'succeedWithIssues'] as const, 'fail'),
    project: inputs.text('project', context.project),
    poll: { ...defaultPollPolicy, intervalMs: pollSeconds * 1000, timeoutMs: timeoutMinutes * 60_000 },
  };
}
