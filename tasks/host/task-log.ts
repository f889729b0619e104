import * as tl from 'azure-pipelines-task-lib/task';
import type { Log } from '../../src/ports';

/**
 * The core's Log on the agent: info is a plain log line, warn a warning issue (yellow, counted on the run),
 * debug a line the agent shows only with system.debug=true.
 */
export const taskLog: Log = {
  info: (message) => console.log(neutraliseCommands(message)),
  warn: (message) => tl.warning(message),
  debug: (message) => tl.debug(message),
};

/**
 * The agent runs any line that contains `##vso[` (or starts with `##[`) as a logging command, and log lines carry
 * text from other pipelines (run names, branches, tags). Break those markers so that text can only ever be read.
 * warn and debug need no help: task-lib writes the message after its own command's `]`.
 */
export function neutraliseCommands(text: string): string {
  return text.replace(/##vso\[/gi, '##vso\u200b[').replace(/^##\[/gm, '##\u200b[');
}
