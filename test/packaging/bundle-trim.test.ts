import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { build } from 'esbuild';
import { repoRoot, runTaskToEnd } from '../../emulator/agent/agent-harness';
import { checkTrim, stubSource, trimPlugin, TRIMMED, TRIMMED_MARK, TrimmedModule } from '../../scripts/task-bundle-trim';

/**
 * What the task bundles leave out (scripts/task-bundle-trim.ts). That none of it is needed is shown by every test that
 * runs a bundled task: a stub that is reached writes TRIMMED_MARK, and the agent harness then fails the test whatever
 * it expected. These tests show that the stubs, the build's checks and that harness check each do their part.
 */

const root = repoRoot();
const taskNames = ['coordinated-rollback', 'sync-gate', 'wait-for-dependency'];

/** Loads a stub as CommonJS in a sandbox; `stderr` collects what it writes there. */
function loadStub(trimmed: TrimmedModule): { exports: any; stderr: string[] } {
  const stderr: string[] = [];
  const module = { exports: {} as any };
  vm.runInNewContext(stubSource(trimmed), { module, process: { stderr: { write: (text: string) => stderr.push(text) } } });
  return { exports: module.exports, stderr };
}

function read(value: any, dotted: string): any {
  return dotted.split('.').reduce((at, key) => at[key], value);
}

describe('what the task bundles leave out (scripts/task-bundle-trim.ts)', function () {
  this.timeout(60_000);

  for (const trimmed of TRIMMED) {
    it(`${trimmed.module}: its stub answers what its importer reads while loading, and fails naming the module on any use`, () => {
      const { exports, stderr } = loadStub(trimmed);
      for (const dotted of trimmed.readAtLoad ?? []) assert.equal(typeof read(exports, dotted), 'function', dotted);
      const uses: Array<[string, (m: any) => unknown]> = [
        ['a call', (m) => m()],
        ['new', (m) => new m()],
        ['a property read', (m) => m.anything],
        ['a property write', (m) => (m.anything = 1)],
        ['`in`', (m) => 'anything' in m],
        ['listing its keys', (m) => Object.keys(m)],
      ];
      const targets = [{ name: 'the module', value: exports }, ...(trimmed.readAtLoad ?? []).map((dotted) => ({ name: dotted, value: read(exports, dotted) }))];
      for (const target of targets) {
        for (const [use, touch] of uses) {
          stderr.length = 0;
          assert.throws(() => touch(target.value), (error: Error) => error.message.startsWith(`${TRIMMED_MARK} ${trimmed.module} because `), `${use} of ${target.name}`);
          assert.equal(stderr.join('').split('\n')[0], `${TRIMMED_MARK} ${trimmed.module} because ${trimmed.why}; yet the task reached it. This is a bug in Lockstep's bundling (scripts/task-bundle-trim.ts).`);
        }
      }
    });
  }

  it('every task bundle carries each stub in place of its module, and no licence of a package left out', () => {
    const leftOut = ['qs', 'underscore', 'q', 'minimatch', 'js-md4', 'des.js', 'object-inspect', 'side-channel'];
    for (const name of taskNames) {
      const bundle = fs.readFileSync(path.join(root, 'dist', 'tasks', name, 'main.js'), 'utf8');
      for (const trimmed of TRIMMED) assert.ok(bundle.includes(`${TRIMMED_MARK} ${trimmed.module} because `), `${name}: no stub for ${trimmed.module}`);
      const notices = fs.readFileSync(path.join(root, 'dist', 'tasks', name, 'ThirdPartyNotices.txt'), 'utf8');
      const listed = [...notices.matchAll(/^={72}\n(.+)@[^@\n]+\n={72}$/gm)].map((m) => m[1]);
      assert.deepEqual(listed, ['azure-devops-node-api', 'azure-pipelines-task-lib', 'semver', 'tunnel', 'typed-rest-client'], name);
      for (const pkg of leftOut) assert.ok(!listed.includes(pkg), `${name} lists ${pkg}`);
    }
  });

  it('the build refuses a bundle that a left-out module comes into by another way, and an entry that no longer applies', async () => {
    // An entry importing qs itself (as new code might): the stub replaces only typed-rest-client's require of it.
    const applied = new Set<string>();
    const result = await build({
      stdin: { contents: "require('qs'); require('typed-rest-client/Util');", resolveDir: root, loader: 'js' },
      bundle: true,
      platform: 'node',
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [trimPlugin(applied)],
    });
    assert.deepEqual([...applied], ['qs']);
    const problems = checkTrim(applied, result.metafile);
    assert.ok(problems.some((p) => /^qs\/.* is in the bundle although qs is left out/.test(p)), problems.join('\n'));
    for (const trimmed of TRIMMED.filter((t) => t.module !== 'qs')) {
      assert.ok(problems.includes(`${trimmed.module} is no longer required as listed in TRIMMED; update scripts/task-bundle-trim.ts`), trimmed.module);
    }
  });

  it('the agent harness fails a task run that reached a left-out module, whatever the task then reported', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-trim-'));
    try {
      fs.copyFileSync(path.join(root, 'dist', 'tasks', 'sync-gate', 'task.json'), path.join(dir, 'task.json'));
      const qs = TRIMMED.find((t) => t.module === 'qs')!;
      // The stub reached, its error caught and the task ended Succeeded: the harness still fails the run.
      fs.writeFileSync(
        path.join(dir, 'main.js'),
        `${stubSource(qs)}\ntry { module.exports.stringify({}); } catch {}\nconsole.log('##vso[task.complete result=Succeeded;]done');\n`,
      );
      await assert.rejects(runTaskToEnd({ taskDir: dir, inputs: {} }), (error: Error) => error.message.startsWith(`${TRIMMED_MARK} qs because `));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
