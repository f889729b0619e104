import * as assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { repoRoot } from '../../emulator/agent/agent-harness';

/**
 * The train view's core (src/snapshot) runs in a browser: bundled as the page bundles it (esbuild, platform browser)
 * it must hold no Node built-in, no Buffer or process, and none of azure-devops-node-api's or task-lib's code — only
 * our own modules and what they share with the tasks (semver). The bundle's size is reported.
 */
const root = repoRoot();
const entry = "export { readTrain } from './src/snapshot/read-train';\nexport { listTrains } from './src/snapshot/list-trains';\nexport { FetchSource } from './src/snapshot/fetch-source';\n";

describe('the train view core in a browser (esbuild, platform browser)', function () {
  this.timeout(30_000);
  let inputs: string[] = [];
  let code = '';

  before(async () => {
    const result = await build({
      stdin: { contents: entry, resolveDir: root, sourcefile: 'train-view-core.ts', loader: 'ts' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      minify: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    inputs = Object.keys((result.metafile as Metafile).inputs);
    code = result.outputFiles[0].text;
    const bytes = Buffer.byteLength(code);
    console.log(`      readTrain + FetchSource for the browser: ${bytes.toLocaleString('en-US')} bytes minified, ${gzipSync(code).length.toLocaleString('en-US')} gzipped, ${inputs.length} inputs`);
    for (const [file, info] of Object.entries((result.metafile as Metafile).outputs)) {
      const biggest = Object.entries(info.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, 5);
      console.log(`      largest parts of ${file}: ${biggest.map(([name, i]) => `${path.basename(name)} ${i.bytesInOutput.toLocaleString('en-US')}`).join(', ')}`);
    }
  });

  it('bundles from our own modules and semver alone: no Node built-in, node-api or task-lib', () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const foreign = inputs.filter((i) => builtins.has(i) || /^node:/.test(i) || /node_modules[\\/](azure-devops-node-api|azure-pipelines-task-lib|typed-rest-client)[\\/]/.test(i));
    assert.deepEqual(foreign, []);
    const packages = [...new Set(inputs.map((i) => /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(i)?.[1]).filter(Boolean))];
    assert.deepEqual(packages, ['semver']);
    assert.ok(inputs.some((i) => i.endsWith(path.join('src', 'snapshot', 'read-train.ts')) || i.endsWith('src/snapshot/read-train.ts')), inputs.join(', '));
  });

  it('uses no Buffer, no require and no Node-only global in the code it ships', () => {
    assert.doesNotMatch(code, /\bBuffer\b/);
    assert.doesNotMatch(code, /\brequire\(/);
    assert.doesNotMatch(code, /\b(__dirname|__filename|setImmediate)\b/);
  });
});
