import * as path from 'node:path';
import * as tl from 'azure-pipelines-task-lib/task';
import { describeError } from '../../src/errors';
import type { Host } from '../../src/ports';
import { watchAgentSignals } from './cancellation';
import { hostText, taskLocalize } from './localize';
import { taskHost } from './task-host';

/** How a task's work ended when it did not throw; `message` is already rendered. */
export interface TaskOutcome {
  result: 'Succeeded' | 'SucceededWithIssues' | 'Failed';
  message?: string;
}

const results = {
  Succeeded: tl.TaskResult.Succeeded,
  SucceededWithIssues: tl.TaskResult.SucceededWithIssues,
  Failed: tl.TaskResult.Failed,
} as const;

/**
 * The one top of every task: loads the task's messages, hands `work` a Host whose signal follows the agent's stop
 * signals, reports exactly one result and exits. An error becomes a Failed result with its message alone; the stack
 * goes to the debug log only when system.debug is true.
 */
export function runTask(work: (host: Host) => Promise<TaskOutcome | void>): void {
  // In the bundle __dirname is the task's folder, beside task.json and Strings/.
  tl.setResourcePath(path.join(__dirname, 'task.json'));

  let reported = false;
  const report = (result: tl.TaskResult, message: string) => {
    if (reported) return;
    reported = true;
    cancellation.dispose();
    tl.setResult(result, message);
    exitAfterOutput(result === tl.TaskResult.Failed ? 1 : 0);
  };

  const cancellation = watchAgentSignals(
    {
      onStopRequested: (signal) => console.log(hostText('Info_CancelRequested', signal)),
      onStillRunning: (signal, graceMs) => {
        tl.warning(hostText('Warning_ForcedExit', graceMs, signal));
        report(tl.TaskResult.Failed, hostText('Error_CanceledByAgent', signal));
      },
    },
    (signal) => hostText('Error_CanceledByAgent', signal),
  );

  Promise.resolve()
    .then(() => work(taskHost(cancellation.signal)))
    .then(
      (outcome) => report(results[outcome?.result ?? 'Succeeded'], outcome?.message ?? ''),
      (error: unknown) => {
        if (isDebug() && error instanceof Error && error.stack) tl.debug(error.stack);
        // task-lib's TaskResult.Cancelled is written "Cancelled", which the agent's task.complete does not accept
        // ("Canceled"): a canceled task reports Failed, with a message that says it was canceled.
        report(tl.TaskResult.Failed, describeError(error, taskLocalize) || String(error));
      },
    );
}

function isDebug(): boolean {
  return (tl.getVariable('System.Debug') ?? '').toLowerCase() === 'true';
}

/**
 * Exits once everything written so far has reached the agent. Exiting at once matters: an idle keep-alive socket
 * or a forgotten timer would otherwise hold the step open until the job times out.
 */
function exitAfterOutput(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
