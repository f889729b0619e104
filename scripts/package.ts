import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderVsixParts, vsixParts } from './vsix-parts';

/**
 * Packages the extension: stages vss-extension.json, overview.md, LICENSE, images/, the bundled dist/tasks/* and
 * the bundled web pages dist/web/* (the live train view), then runs tfx-cli's `extension create`. Any tfx warning
 * fails the packaging: tfx only warns about a broken task.json, so a warning is a defect to fix, not noise.
 *
 *   npm run package -- [--publisher <id>]      (or LOCKSTEP_PUBLISHER; default lockstep-dev)
 *   writes dist/<publisher>.lockstep-<version>.vsix and prints its size by part (scripts/vsix-parts.ts)
 */

const root = path.resolve(__dirname, '..', '..');
const STAGED = ['vss-extension.json', 'overview.md', 'LICENSE', 'images'];

export interface PackageResult {
  vsixPath: string;
  bytes: number;
  /** Everything tfx printed. */
  tfxOutput: string;
}

/** The publisher id from `--publisher`, LOCKSTEP_PUBLISHER, or the development default. */
export function publisherFrom(argv: string[], env: NodeJS.ProcessEnv): string {
  const flag = argv.indexOf('--publisher');
  const publisher = (flag >= 0 ? argv[flag + 1] : undefined) ?? env['LOCKSTEP_PUBLISHER'] ?? 'lockstep-dev';
  // The Marketplace's rule for publisher ids: letters, digits and dashes, starting with a letter or digit.
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(publisher)) throw new Error(`Publisher '${publisher}' is not a valid publisher id (letters, digits and '-').`);
  return publisher;
}

export function packageExtension(publisher: string): PackageResult {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'vss-extension.json'), 'utf8'));
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  if (manifest.version !== pkg.version) {
    throw new Error(`vss-extension.json has version ${manifest.version} but package.json has ${pkg.version}; keep them in step.`);
  }
  const tasks = path.join(root, 'dist', 'tasks');
  if (!fs.existsSync(tasks)) throw new Error('dist/tasks is missing; run `npm run build` first.');
  const web = path.join(root, 'dist', 'web');
  if (!fs.existsSync(web)) throw new Error('dist/web is missing; run `npm run build` first.');

  // A folder of its own: tests that package run side by side (mocha --parallel).
  const stage = fs.mkdtempSync(path.join(root, 'dist', 'stage-'));
  for (const entry of STAGED) fs.cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
  fs.cpSync(tasks, path.join(stage, 'tasks'), { recursive: true });
  fs.cpSync(web, path.join(stage, 'web'), { recursive: true });

  const vsixPath = path.join(root, 'dist', `${publisher}.${manifest.id}-${manifest.version}.vsix`);
  fs.rmSync(vsixPath, { force: true });
  // tfx-cli's own entry point run by this Node: node_modules/.bin/tfx is a shell script on Windows.
  const tfx = path.join(root, 'node_modules', 'tfx-cli', '_build', 'tfx-cli.js');
  const args = [
    tfx, 'extension', 'create',
    '--root', stage,
    '--manifest-globs', 'vss-extension.json',
    '--publisher', publisher,
    '--output-path', vsixPath,
    '--no-prompt', '--no-color',
  ];
  const run = spawnSync(process.execPath, args, { cwd: stage, encoding: 'utf8', timeout: 120_000 });
  const tfxOutput = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  if (run.status !== 0 || !fs.existsSync(vsixPath)) {
    throw new Error(`tfx extension create failed (exit ${run.status ?? run.signal}):\n${tfxOutput}`);
  }
  if (/warning/i.test(tfxOutput)) throw new Error(`tfx extension create warned; fix the cause:\n${tfxOutput}`);
  fs.rmSync(stage, { recursive: true, force: true });
  return { vsixPath, bytes: fs.statSync(vsixPath).size, tfxOutput };
}

function main(): number {
  try {
    const result = packageExtension(publisherFrom(process.argv.slice(2), process.env));
    console.log(`${path.relative(root, result.vsixPath)}: ${result.bytes.toLocaleString('en-US')} bytes`);
    console.log(`\n${renderVsixParts(vsixParts(fs.readFileSync(result.vsixPath)))}`);
    return 0;
  } catch (error) {
    console.error(`package: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main();
