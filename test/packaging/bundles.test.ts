import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, runTaskToEnd, type TaskName } from '../../emulator/agent/agent-harness';
import { filesWithSizes, isolatedCopy, removeIsolatedCopy } from './isolated-copy';

const root = repoRoot();
const dist = path.join(root, 'dist', 'tasks');

describe('the bundled tasks (dist/tasks, after npm run build)', function () {
  this.timeout(20_000);
  const copies: string[] = [];
  const copyOf = (task: TaskName) => {
    const copy = isolatedCopy(path.join(dist, task));
    copies.push(copy);
    return copy;
  };

  before(() => {
    assert.ok(fs.existsSync(dist), 'dist/tasks is missing: run `npm run build` first');
  });
  after(() => copies.forEach(removeIsolatedCopy));

  it('ship main.js, task.json, task.loc.json, Strings, icon.png and notices, and no node_modules', () => {
    for (const task of ['wait-for-dependency', 'sync-gate', 'coordinated-rollback']) {
      const files = filesWithSizes(path.join(dist, task));
      const names = files.map((f) => f.path).sort();
      assert.deepEqual(names, [
        'Strings/resources.resjson/en-US/resources.resjson',
        'ThirdPartyNotices.txt',
        'icon.png',
        'main.js',
        'task.json',
        'task.loc.json',
      ]);
      const total = files.reduce((sum, f) => sum + f.bytes, 0);
      console.log(`      dist/tasks/${task}: ${files.length} files, ${total.toLocaleString('en-US')} bytes (main.js ${files.find((f) => f.path === 'main.js')!.bytes.toLocaleString('en-US')})`);
    }
  });

  it("carry task-lib's own messages inside main.js, so nothing of task-lib sits beside it", () => {
    const bundle = fs.readFileSync(path.join(dist, 'sync-gate', 'main.js'), 'utf8');
    assert.ok(bundle.includes('Input required: %s'), 'LIB_InputRequired is not in the bundle');
    assert.equal(fs.existsSync(path.join(dist, 'sync-gate', 'lib.json')), false);
  });

  for (const [task, id] of [['wait-for-dependency', 'WaitForDependency@1'], ['sync-gate', 'SyncGate@1'], ['coordinated-rollback', 'CoordinatedRollback@1']] as const) {
  it(`${id} runs from a folder with no node_modules and, given no inputs, fails with one clear message`, async () => {
    const run = await runTaskToEnd({ taskDir: copyOf(task), inputs: {}, applyDefaults: false });
    assert.equal(run.result.status, 'Failed');
    assert.ok(run.result.message.length > 10, `message: '${run.result.message}'`);
    assert.doesNotMatch(run.result.message, /Cannot find module|LIB_|Error_/);
    assert.equal(run.commands.filter((c) => c.command === 'task.complete').length, 1);
    assert.notEqual(run.exitCode, 0);
    assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at /, 'no stack trace');
  });
  }

  it("fall back to English when the agent's culture has no strings of its own", async () => {
    const run = await runTaskToEnd({ taskDir: copyOf('sync-gate'), inputs: {}, variables: { 'System.Culture': 'de-DE' } });
    assert.equal(run.result.message, "Input 'gate' is required.");
  });
});
