import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * `npm run gen`: runs every generator with the same arguments, each in its own process, and all of them even when
 * one reports drift, so `npm run gen -- --check` names every drifting file at once.
 *   generate-loc          task.json messages, task.loc.json, Strings/ (from src/messages.ts and the host's messages)
 *   generate-task-docs    docs/tasks/<task>.inputs.md (from each task.json)
 * The order matters: the docs are read from the task.json that generate-loc has just written.
 */
export const generators = ['generate-loc.js', 'generate-task-docs.js'];

function main(argv: string[]): number {
  let status = 0;
  for (const script of generators) {
    const run = spawnSync(process.execPath, [path.join(__dirname, script), ...argv], { stdio: 'inherit' });
    status = Math.max(status, run.status ?? 1);
  }
  return status;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
