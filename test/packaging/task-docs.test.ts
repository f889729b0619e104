import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../emulator/agent/agent-harness';

const root = repoRoot();
const script = (name: string) => path.join(root, 'out', 'scripts', name);
const taskNames = ['coordinated-rollback', 'sync-gate', 'wait-for-dependency'];
type TaskJson = Record<string, any>;

const run = (name: string, ...args: string[]) => spawnSync(process.execPath, [script(name), ...args], { encoding: 'utf8' });

/** A copy of what the generators read and write: each task's task.json, loc files and Strings/, and docs/tasks. */
function copyOfGeneratedInputs(): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-docs-'));
  for (const name of taskNames) {
    for (const entry of ['task.json', 'task.loc.json', 'Strings']) {
      fs.cpSync(path.join(root, 'tasks', name, entry), path.join(copy, 'tasks', name, entry), { recursive: true });
    }
  }
  fs.cpSync(path.join(root, 'docs', 'tasks'), path.join(copy, 'docs', 'tasks'), { recursive: true });
  return copy;
}

describe('the generated input references (docs/tasks/<task>.inputs.md)', () => {
  it('are committed exactly as generate-task-docs writes them', () => {
    const check = run('generate-task-docs.js', '--check');
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /Input references of 3 tasks are up to date/);
  });

  it('fail the check, naming the drifting file, when a task.json changes without `npm run gen`, and `gen` puts them right', () => {
    const copy = copyOfGeneratedInputs();
    try {
      const taskJson = path.join(copy, 'tasks', 'coordinated-rollback', 'task.json');
      const task = JSON.parse(fs.readFileSync(taskJson, 'utf8'));
      task.inputs.find((i: TaskJson) => i.name === 'dryRun').helpMarkDown = 'Print the plan only.';
      fs.writeFileSync(taskJson, JSON.stringify(task, null, 2) + '\n');

      const check = run('generate-task-docs.js', '--check', '--root', copy);
      assert.equal(check.status, 1);
      assert.match(check.stderr, /docs\/tasks\/coordinated-rollback\.inputs\.md is not what generate-task-docs writes/);
      assert.doesNotMatch(check.stderr, /sync-gate|wait-for-dependency/);

      assert.equal(run('generate.js', '--root', copy).status, 0);
      assert.equal(run('generate.js', '--check', '--root', copy).status, 0);
      assert.match(fs.readFileSync(path.join(copy, 'docs', 'tasks', 'coordinated-rollback.inputs.md'), 'utf8'), /\| Print the plan only\. \|/);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('are covered by `npm run gen -- --check`, which reports loc and docs drift together', () => {
    const copy = copyOfGeneratedInputs();
    try {
      const taskJson = path.join(copy, 'tasks', 'sync-gate', 'task.json');
      const task = JSON.parse(fs.readFileSync(taskJson, 'utf8'));
      task.inputs[0].label = 'Gate';
      fs.writeFileSync(taskJson, JSON.stringify(task, null, 2) + '\n');
      const check = run('generate.js', '--check', '--root', copy);
      assert.equal(check.status, 1);
      assert.match(check.stderr, /tasks\/sync-gate\/Strings\/resources\.resjson\/en-US\/resources\.resjson is not what generate-loc writes/);
      assert.match(check.stderr, /docs\/tasks\/sync-gate\.inputs\.md is not what generate-task-docs writes/);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('list every input, its group, its options and every output variable of the task', () => {
    for (const name of taskNames) {
      const task = JSON.parse(fs.readFileSync(path.join(root, 'tasks', name, 'task.json'), 'utf8'));
      const doc = fs.readFileSync(path.join(root, 'docs', 'tasks', `${name}.inputs.md`), 'utf8');
      assert.match(doc, new RegExp(`^- task: ${task.name}@${task.version.Major}$`, 'm'), name);
      for (const group of task.groups) assert.match(doc, new RegExp(`^### ${group.displayName}$`, 'm'), `${name}: group ${group.name}`);
      for (const input of task.inputs as TaskJson[]) {
        assert.match(doc, new RegExp(`^\\| \`${input.name}\` \\| ${escape(input.label)} \\|`, 'm'), `${name}.${input.name} has no row`);
        assert.match(doc, new RegExp(`^    ${input.name}: `, 'm'), `${name}.${input.name} is not in the YAML outline`);
        for (const option of Object.keys(input.options ?? {})) assert.ok(doc.includes(`\`${option}\``), `${name}.${input.name}: option ${option}`);
      }
      for (const output of task.outputVariables as TaskJson[]) assert.match(doc, new RegExp(`^\\| \`${output.name}\` \\|`, 'm'), `${name}: output ${output.name}`);
    }
  });

  it('say when an input only shows for some choices', () => {
    const doc = fs.readFileSync(path.join(root, 'docs', 'tasks', 'wait-for-dependency.inputs.md'), 'utf8');
    assert.match(doc, /\| required; only when `match` is `runNumber`, `tag`, `versionRange` or `runId` \|/);
    assert.match(doc, /^    matchValue: '' +# required; when match is runNumber, tag, versionRange or runId$/m);
  });

  it("are linked from the README's task table", () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const name of taskNames) assert.ok(readme.includes(`(docs/tasks/${name}.inputs.md)`), `README does not link docs/tasks/${name}.inputs.md`);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
