import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tl from 'azure-pipelines-task-lib/task';
import type { Outputs } from '../../src/ports';

/** The attachment type the agent shows as a tab on the run's summary page. */
export const SUMMARY_ATTACHMENT_TYPE = 'Distributedtask.Core.Summary';

/** The core's Outputs on the agent: output variables, the step's progress, Markdown summary tabs. */
export function taskOutputs(): Outputs {
  let summaries = 0;
  return {
    setVariable: (name, value) => tl.setVariable(name, value, false, true),
    setProgress: (fraction, text) => {
      const percent = Math.round(Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0)) * 100);
      tl.setProgress(percent, text);
    },
    attachSummary: (title, markdown) => {
      // The agent uploads the file when the step ends, so it has to outlive the task: Agent.TempDirectory does.
      const dir = tl.getVariable('Agent.TempDirectory') || os.tmpdir();
      const file = path.join(dir, `lockstep-summary-${process.pid}-${++summaries}.md`);
      fs.writeFileSync(file, markdown, 'utf8');
      tl.addAttachment(SUMMARY_ATTACHMENT_TYPE, title, file);
    },
  };
}
