import { createHash } from 'node:crypto';
import * as tl from 'azure-pipelines-task-lib/task';
import { LockstepError } from '../../../src/errors';
import { InputReader } from '../../../src/inputs/input-reader';
import { readConnection } from '../../../tasks/host/connection';
import { readRunContext } from '../../../tasks/host/run-context';
import { runTask } from '../../../tasks/host/run-task';
import { getTaskInput } from '../../../tasks/host/task-inputs';

/**
 * A task that exercises tasks/host through its ports, for the host tests: bundled like a real task and run by the
 * agent harness. The `mode` input picks what it does.
 */
runTask(async (host) => {
  const mode = tl.getInput('mode', true)!;
  switch (mode) {
    case 'outputs':
      host.log.info('an info line');
      host.log.warn('a warning');
      host.log.debug('a debug line');
      host.outputs.setVariable('answer', '42; with ] and %');
      host.outputs.setProgress(0.5, 'half way');
      host.outputs.setProgress(1.7, 'past the end');
      host.outputs.attachSummary('Lockstep', '# Summary\n\nAll done.\n');
      return;
    case 'issues':
      return { result: 'SucceededWithIssues', message: 'done, with issues' };
    case 'failed-outcome':
      return { result: 'Failed', message: 'the core says no' };
    case 'connection': {
      const connection = readConnection();
      const tokenSha256 = createHash('sha256').update(connection.token).digest('hex');
      host.outputs.setVariable('connection', JSON.stringify({ ...connection, token: undefined, tokenSha256 }));
      return;
    }
    case 'context':
      host.outputs.setVariable('context', JSON.stringify(readRunContext()));
      return;
    case 'inputs':
      new InputReader(getTaskInput).integer('pollIntervalSeconds', 15, { min: 5 });
      return;
    case 'lib-string':
      // task-lib's own message (LIB_InputRequired), which must resolve without its lib.json beside the bundle.
      tl.getInput('absent', true);
      return;
    case 'echo-inputs':
      for (const name of tl.getInput('names', true)!.split(',')) host.outputs.setVariable(name, getTaskInput(name) ?? '<unset>');
      return;
    case 'core-error':
      throw new LockstepError('Error_PipelineNotFound', ['api-servce', 'Shop', " Did you mean 'api-service'?"]);
    case 'throw':
      throw new Error('boom from the probe');
    case 'inject':
      host.log.info('branch ##vso[task.setvariable variable=pwned;isOutput=true]yes');
      host.log.info('##[error]not an error');
      return;
    case 'wait':
      host.log.info('waiting');
      await host.sleep(60_000, host.signal);
      return;
    case 'ignore-cancel':
      host.log.info('waiting, deaf to the signal');
      await new Promise((resolve) => setTimeout(resolve, 60_000));
      return;
    default:
      throw new Error(`unknown mode ${mode}`);
  }
});
