import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkVersions, nextTaskVersion, stampChangelog } from '../../scripts/bump-version';
import { repoRoot } from '../../emulator/agent/agent-harness';

const root = repoRoot();
const taskNames = ['coordinated-rollback', 'sync-gate', 'wait-for-dependency'];
const bumpScript = path.join(root, 'out', 'scripts', 'bump-version.js');
type Json = Record<string, any>;

/** The files `npm run version` reads and writes, copied out of the working tree. */
function copyOfVersionedFiles(): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-version-'));
  for (const file of ['package.json', 'package-lock.json', 'vss-extension.json', 'CHANGELOG.md', 'docs/tasks']) {
    fs.cpSync(path.join(root, file), path.join(copy, file), { recursive: true });
  }
  for (const name of taskNames) {
    for (const entry of ['task.json', 'task.loc.json', 'Strings']) {
      fs.cpSync(path.join(root, 'tasks', name, entry), path.join(copy, 'tasks', name, entry), { recursive: true });
    }
  }
  return copy;
}

function bump(copy: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const { npm_command: _ignored, ...inherited } = process.env;
  return spawnSync(process.execPath, [bumpScript, ...args, '--root', copy], { encoding: 'utf8', env: { ...inherited, ...env } });
}

function versionsIn(copy: string) {
  const json = (file: string): Json => JSON.parse(fs.readFileSync(path.join(copy, file), 'utf8'));
  const tasks = taskNames.map((name) => json(`tasks/${name}/task.json`).version);
  const locs = taskNames.map((name) => json(`tasks/${name}/task.loc.json`).version);
  const lock = json('package-lock.json');
  return {
    extension: [json('package.json').version, json('vss-extension.json').version, lock.version, lock.packages[''].version],
    tasks: [...tasks, ...locs].map((v: Json) => `${v.Major}.${v.Minor}.${v.Patch}`),
  };
}

const same = (n: number, value: string) => Array<string>(n).fill(value);

describe('the versions (npm run version)', () => {
  it('agree in package.json, package-lock.json, vss-extension.json, every task.json and the newest CHANGELOG.md heading', () => {
    assert.deepEqual(checkVersions(root), []);
  });

  it('map extension bumps to task bumps: patch to Patch, minor and major to Minor, and Major only when asked', () => {
    const v = { Major: 1, Minor: 4, Patch: 2 };
    assert.deepEqual(nextTaskVersion('patch', v), { Major: 1, Minor: 4, Patch: 3 });
    assert.deepEqual(nextTaskVersion('minor', v), { Major: 1, Minor: 5, Patch: 0 });
    assert.deepEqual(nextTaskVersion('major', v), { Major: 1, Minor: 5, Patch: 0 });
    assert.deepEqual(nextTaskVersion('major', v, true), { Major: 2, Minor: 0, Patch: 0 });
  });

  it('bump everything together in a copy of the repository, stamp CHANGELOG.md and regenerate the loc files and input references', () => {
    const copy = copyOfVersionedFiles();
    try {
      const start = versionsIn(copy);
      const [major, minor, patch] = start.extension[0].split('.').map(Number);
      const task = start.tasks[0].split('.').map(Number);
      const steps: [string[], string, string][] = [
        [['patch'], `${major}.${minor}.${patch + 1}`, `${task[0]}.${task[1]}.${task[2] + 1}`],
        [['minor'], `${major}.${minor + 1}.0`, `${task[0]}.${task[1] + 1}.0`],
        [['major'], `${major + 1}.0.0`, `${task[0]}.${task[1] + 2}.0`],
        [['major', '--task-major'], `${major + 2}.0.0`, `${task[0] + 1}.0.0`],
      ];
      for (const [args, extension, tasks] of steps) {
        const run = bump(copy, args);
        assert.equal(run.status, 0, run.stderr);
        assert.match(run.stdout, new RegExp(`tasks [\\d.]+ -> ${tasks.replace(/\./g, '\\.')}\\.`));
        assert.deepEqual(versionsIn(copy), { extension: same(4, extension), tasks: same(6, tasks) }, args.join(' '));
        assert.deepEqual(checkVersions(copy), [], args.join(' '));
        const check = spawnSync(process.execPath, [path.join(root, 'out', 'scripts', 'generate.js'), '--check', '--root', copy], { encoding: 'utf8' });
        assert.equal(check.status, 0, check.stderr);
        assert.match(fs.readFileSync(path.join(copy, 'docs', 'tasks', 'sync-gate.inputs.md'), 'utf8'), new RegExp(`\\(version ${tasks.replace(/\./g, '\\.')}\\)`));
      }
      assert.match(bump(copy, ['major', '--task-major']).stdout, /update every `@\d+`/);
      const changelog = fs.readFileSync(path.join(copy, 'CHANGELOG.md'), 'utf8');
      assert.match(changelog, new RegExp(`## Unreleased\\n\\n## ${major + 3}\\.0\\.0 — tasks ${task[0] + 2}\\.0\\.0\\n\\n## ${major + 2}\\.0\\.0 — tasks`));
      const vss = fs.readFileSync(path.join(copy, 'vss-extension.json'), 'utf8');
      assert.equal(vss.replace(/"version": "[^"]*"/, '"version": "X"'), fs.readFileSync(path.join(root, 'vss-extension.json'), 'utf8').replace(/"version": "[^"]*"/, '"version": "X"'), 'vss-extension.json kept its layout');
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('refuse to bump when the files already disagree, naming the file, and change nothing', () => {
    const copy = copyOfVersionedFiles();
    try {
      const vss = path.join(copy, 'vss-extension.json');
      fs.writeFileSync(vss, fs.readFileSync(vss, 'utf8').replace(/"version": "[^"]*"/, '"version": "9.9.9"'));
      const before = versionsIn(copy);
      const run = bump(copy, ['minor']);
      assert.equal(run.status, 1);
      assert.match(run.stderr, /vss-extension\.json: version 9\.9\.9 is not package\.json's/);
      assert.deepEqual(versionsIn(copy), before);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('name what disagrees: a task left behind, a patch out of step, a CHANGELOG heading that does not rise', () => {
    const copy = copyOfVersionedFiles();
    try {
      const taskFile = path.join(copy, 'tasks', 'sync-gate', 'task.json');
      const task = JSON.parse(fs.readFileSync(taskFile, 'utf8'));
      task.version.Minor += 1;
      fs.writeFileSync(taskFile, JSON.stringify(task, null, 2) + '\n');
      assert.match(checkVersions(copy).join('\n'), /tasks\/sync-gate\/task\.json: version \S+ is not tasks\/coordinated-rollback\/task\.json's/);
      fs.cpSync(path.join(root, 'tasks', 'sync-gate', 'task.json'), taskFile);

      const changelog = path.join(copy, 'CHANGELOG.md');
      fs.writeFileSync(changelog, stampChangelog(fs.readFileSync(changelog, 'utf8'), '0.0.9', '1.0.0'));
      assert.match(checkVersions(copy).join('\n'), /CHANGELOG\.md: the newest heading is '0\.0\.9 — tasks 1\.0\.0'/);
      assert.match(checkVersions(copy).join('\n'), /does not come after/);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('explain the usage for a missing or unknown bump, and refuse to run as the hook of `npm version`', () => {
    const copy = copyOfVersionedFiles();
    try {
      for (const args of [[], ['huge'], ['patch', 'minor'], ['minor', '--task-major'], ['patch', '--force']]) {
        const run = bump(copy, args);
        assert.equal(run.status, 1, args.join(' '));
        assert.match(run.stderr, /Usage: npm run version -- <major\|minor\|patch>|--task-major goes with a major bump/, args.join(' '));
      }
      const hook = bump(copy, ['patch'], { npm_command: 'version' });
      assert.equal(hook.status, 1);
      assert.match(hook.stderr, /Run `npm run version -- <major\|minor\|patch>`, not `npm version`/);
      assert.deepEqual(checkVersions(copy), []);
      assert.deepEqual(versionsIn(copy), versionsIn(root));
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
