import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../emulator/agent/agent-harness';

const root = repoRoot();
const generateLoc = path.join(root, 'out', 'scripts', 'generate-loc.js');
const taskNames = ['coordinated-rollback', 'sync-gate', 'wait-for-dependency'];

function runGenerateLoc(...args: string[]) {
  return spawnSync(process.execPath, [generateLoc, ...args], { encoding: 'utf8' });
}

describe('the generated localisation files', () => {
  it('are committed exactly as generate-loc writes them', () => {
    const check = runGenerateLoc('--check');
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /Localisation files of 3 tasks are up to date/);
  });

  it('fail the check, naming each drifting file, when a task.json changes without `npm run gen`', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-loc-'));
    try {
      for (const name of taskNames) {
        for (const entry of ['task.json', 'task.loc.json', 'Strings']) {
          fs.cpSync(path.join(root, 'tasks', name, entry), path.join(copy, 'tasks', name, entry), { recursive: true });
        }
      }
      const taskJson = path.join(copy, 'tasks', 'sync-gate', 'task.json');
      const task = JSON.parse(fs.readFileSync(taskJson, 'utf8'));
      task.inputs[0].label = 'Gate';
      fs.writeFileSync(taskJson, JSON.stringify(task, null, 2) + '\n');

      const check = runGenerateLoc('--check', '--root', copy);
      assert.equal(check.status, 1);
      assert.match(check.stderr, /tasks\/sync-gate\/Strings\/resources\.resjson\/en-US\/resources\.resjson is not what generate-loc writes/);
      assert.doesNotMatch(check.stderr, /task\.loc\.json|wait-for-dependency|coordinated-rollback/);

      assert.equal(runGenerateLoc('--root', copy).status, 0);
      assert.equal(runGenerateLoc('--check', '--root', copy).status, 0);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('point every label, help text, group name and message at an English string in resources.resjson', () => {
    for (const name of taskNames) {
      const dir = path.join(root, 'tasks', name);
      const loc = fs.readFileSync(path.join(dir, 'task.loc.json'), 'utf8');
      const strings = JSON.parse(fs.readFileSync(path.join(dir, 'Strings', 'resources.resjson', 'en-US', 'resources.resjson'), 'utf8'));
      const keys = [...loc.matchAll(/"ms-resource:(loc\.[^"]+)"/g)].map((m) => m[1]);
      assert.ok(keys.length > 40, `${name}: only ${keys.length} resource keys`);
      for (const key of keys) assert.equal(typeof strings[key], 'string', `${name}: ${key} has no string`);
      assert.deepEqual(Object.keys(strings).sort(), [...new Set(keys)].sort(), `${name}: resjson and task.loc.json disagree`);
    }
  });
});
