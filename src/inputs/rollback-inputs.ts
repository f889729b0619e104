import { InputError } from '../errors';
import { defaultPollPolicy } from '../polling/poll-policy';
import { parsePipelineRefs } from '../refs/pipeline-ref';
import { RollbackSettings } from '../rollback/rollback-settings';
import { RunContext } from '../run-context';
import { trainMatches } from '../train/train-match';
import { GetInput, InputReader } from './input-reader';

/** CoordinatedRollback@1's inputs, checked before any request (the names are task.json's). */
export function readRollbackInputs(get: GetInput, context: RunContext): RollbackSettings {
  const inputs = new InputReader(get);
  const train = inputs.required('train');
  if (/^\$\([^)]*\)$/.test(train)) throw new InputError('Error_TrainUnexpanded', [train]);
  const participants = inputs.required('participants');
  for (const ref of parsePipelineRefs(participants, { allowStage: true })) {
    if (ref.stage === undefined) throw new InputError('Error_RollbackStageRequired', [ref.line, ref.text]);
  }
  const strategy = inputs.oneOf('strategy', ['redeployLastGood', 'queueRun'] as const, 'redeployLastGood');
  const timeoutMinutes = inputs.integer('timeoutMinutes', defaultPollPolicy.timeoutMs / 60_000, { min: 1 });
  return {
    train,
    trainMatch: inputs.oneOf('trainMatch', trainMatches, 'commit'),
    lastGoodBranch: branchRef(inputs.text('lastGoodBranch')),
    participants,
    strategy,
    templateParameters: strategy === 'queueRun' ? templateParameters(inputs.text('templateParameters')) : {},
    cancelInFlight: inputs.boolean('cancelInFlight', true),
    order: inputs.oneOf('order', ['reverse', 'parallel'] as const, 'reverse'),
    waitForCompletion: inputs.boolean('waitForCompletion', true),
    dryRun: inputs.boolean('dryRun', false),
    project: inputs.text('project', context.project),
    poll: { ...defaultPollPolicy, timeoutMs: timeoutMinutes * 60_000 },
    // Long enough for claims made at the same moment to see each other (docs/tasks/coordinated-rollback.md).
    settleMs: 4_000,
  };
}

/** A branch as the service names it: `main` is `refs/heads/main`; empty is none. */
function branchRef(text: string): string | undefined {
  if (!text) return undefined;
  return text.startsWith('refs/') ? text : `refs/heads/${text}`;
}

/** Template parameters travel as strings; JSON booleans and numbers become their text, as the service takes them. */
function templateParameters(text: string): Record<string, string> {
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new InputError('Error_TemplateParametersInvalid', [(e as Error).message]);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InputError('Error_TemplateParametersInvalid', [text]);
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}
