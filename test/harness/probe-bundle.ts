import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from '../../emulator/agent/agent-harness';

/**
 * Bundles host-probe/main.ts the way scripts/bundle.mjs bundles a task, into a temp folder with a real task's
 * task.json and Strings/ (so every host and core message resolves). Returns the folder; remove it when done.
 */
export async function bundleHostProbe(): Promise<string> {
  const root = repoRoot();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-probe-'));
  await build({
    entryPoints: [path.join(root, 'test', 'harness', 'host-probe', 'main.ts')],
    outfile: path.join(dir, 'main.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
  });
  const source = path.join(root, 'tasks', 'sync-gate');
  for (const entry of ['task.json', 'Strings']) fs.cpSync(path.join(source, entry), path.join(dir, entry), { recursive: true });
  return dir;
}
