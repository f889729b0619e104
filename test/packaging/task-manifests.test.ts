import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { messages as coreMessages } from '../../src/messages';
import { hostMessages } from '../../tasks/host/host-messages';
import { repoRoot } from '../../emulator/agent/agent-harness';
import { draft04KeywordsIn, loadTaskSchema, taskValidator } from './task-schema';

const root = repoRoot();
const taskNames = ['coordinated-rollback', 'sync-gate', 'wait-for-dependency'] as const;
type TaskJson = Record<string, any>;
const readTask = (name: string, file = 'task.json'): TaskJson => JSON.parse(fs.readFileSync(path.join(root, 'tasks', name, file), 'utf8'));

/** The inputs the issues ask for, by task: name -> type. */
const expectedInputs: Record<(typeof taskNames)[number], Record<string, string>> = {
  'wait-for-dependency': {
    dependencies: 'multiLine',
    match: 'pickList',
    matchValue: 'string',
    acceptPartiallySucceeded: 'boolean',
    onDependencyFailure: 'pickList',
    timeoutMinutes: 'int',
    onTimeout: 'pickList',
    pollIntervalSeconds: 'int',
    etaPolling: 'boolean',
    project: 'pickList',
    connection: 'connectedService:externaltfs',
  },
  'sync-gate': {
    gate: 'string',
    participants: 'multiLine',
    quorum: 'int',
    train: 'string',
    trainMatch: 'pickList',
    onParticipantFailure: 'pickList',
    timeoutMinutes: 'int',
    onTimeout: 'pickList',
    pollIntervalSeconds: 'int',
    project: 'pickList',
    connection: 'connectedService:externaltfs',
  },
  'coordinated-rollback': {
    participants: 'multiLine',
    strategy: 'pickList',
    templateParameters: 'multiLine',
    order: 'pickList',
    dryRun: 'boolean',
    train: 'string',
    trainMatch: 'pickList',
    lastGoodBranch: 'string',
    cancelInFlight: 'boolean',
    waitForCompletion: 'boolean',
    timeoutMinutes: 'int',
    project: 'pickList',
    connection: 'connectedService:externaltfs',
  },
};

const expected = {
  'wait-for-dependency': { id: 'dea63c2b-0fdc-4e00-933a-a79a5589e5f4', name: 'WaitForDependency', outputs: ['resolvedRuns', 'waitedSeconds'] },
  'sync-gate': { id: '57afa717-dd8a-43be-a1e5-af21359d56d8', name: 'SyncGate', outputs: ['arrived', 'waitedSeconds', 'openedAt'] },
  'coordinated-rollback': { id: '997664c3-3d81-4760-8a7e-e63cb3ee50b3', name: 'CoordinatedRollback', outputs: ['plan', 'result'] },
} as const;

describe('the task manifests (tasks/*/task.json)', () => {
  it('uses a schema whose keywords mean the same in draft-04 and draft-07', () => {
    assert.deepEqual(draft04KeywordsIn(loadTaskSchema()), []);
  });

  it('validates every task.json and task.loc.json against the official task schema', () => {
    const validate = taskValidator();
    for (const name of taskNames) {
      assert.deepEqual(validate(readTask(name)), [], `${name}/task.json`);
      assert.deepEqual(validate(readTask(name, 'task.loc.json')), [], `${name}/task.loc.json`);
    }
  });

  it('rejects a task.json the schema forbids, so the validation is real', () => {
    const broken = { ...readTask('sync-gate'), name: 'Sync Gate', inputs: [{ name: 'x', label: 'X', type: 'dropdown' }] };
    assert.ok(taskValidator()(broken).length >= 2);
  });

  it('keeps the task ids, names and outputs it ships with, at major version 1 (the @1 of its name) in the Deploy category', () => {
    for (const name of taskNames) {
      const task = readTask(name);
      assert.equal(task.id, expected[name].id, name);
      assert.equal(task.name, expected[name].name, name);
      assert.equal(task.version.Major, 1, name);
      assert.equal(task.category, 'Deploy', name);
      assert.equal(task.author, 'Lockstep', name);
      assert.ok(task.friendlyName.length <= 40, `${name}: friendlyName is over 40 characters`);
      assert.ok(task.instanceNameFormat, name);
      assert.deepEqual(task.outputVariables.map((o: TaskJson) => o.name), expected[name].outputs, name);
      assert.ok(task.outputVariables.every((o: TaskJson) => o.description), `${name}: an output has no description`);
    }
  });

  it('declares exactly the inputs the issues ask for, with their types', () => {
    for (const name of taskNames) {
      const declared = Object.fromEntries(readTask(name).inputs.map((input: TaskJson) => [input.name, input.type]));
      assert.deepEqual(declared, expectedInputs[name], name);
    }
  });

  it('runs on Node 20 and Node 24 from main.js and asks for an agent that has the Node20_1 handler', () => {
    for (const name of taskNames) {
      const task = readTask(name);
      assert.deepEqual(Object.keys(task.execution).sort(), ['Node20_1', 'Node24'], name);
      assert.equal(task.execution.Node20_1.target, 'main.js', name);
      assert.equal(task.execution.Node24.target, 'main.js', name);
      assert.equal(task.minimumAgentVersion, '3.232.1', name);
    }
  });

  it('runs on agents only: in a deployment-group job one copy per target machine would wait, mark and roll back at once', () => {
    for (const name of taskNames) assert.deepEqual(readTask(name).runsOn, ['Agent'], name);
  });

  it('gives every input help, a group that exists, and a visibleRule that names inputs of the same task', () => {
    for (const name of taskNames) {
      const task = readTask(name);
      const inputs = new Map<string, TaskJson>(task.inputs.map((input: TaskJson) => [input.name, input]));
      const groups = new Set(task.groups.map((group: TaskJson) => group.name));
      assert.ok(task.helpMarkDown, `${name}: the task has no helpMarkDown`);
      for (const input of inputs.values()) {
        assert.ok(input.helpMarkDown, `${name}.${input.name} has no helpMarkDown`);
        assert.ok(groups.has(input.groupName), `${name}.${input.name} is in group '${input.groupName}', which does not exist`);
        for (const clause of (input.visibleRule ?? '').split(/&&|\|\|/).filter((c: string) => c.trim())) {
          const [, other, value] = /^\s*(\w+)\s*(?:=|!=|==|<|>|NotEndsWith|EndsWith|Contains|NotContains)\s*(.*?)\s*$/.exec(clause) ?? [];
          assert.ok(inputs.has(other), `${name}.${input.name}: visibleRule names '${other}', which is not an input`);
          const options = inputs.get(other)!.options;
          if (options) assert.ok(value in options, `${name}.${input.name}: visibleRule wants ${other} = ${value}, not one of its options`);
          if (inputs.get(other)!.type === 'boolean') assert.match(value, /^(true|false)$/, `${name}.${input.name}: visibleRule on a boolean`);
        }
      }
    }
  });

  it('defaults every fixed pick list to one of its options; a pick list without options is editable and filled by a binding', () => {
    for (const name of taskNames) {
      const task = readTask(name);
      for (const input of task.inputs.filter((i: TaskJson) => i.type === 'pickList')) {
        if (input.options) {
          assert.ok(input.defaultValue in input.options, `${name}.${input.name}: default '${input.defaultValue}' is not an option`);
        } else {
          assert.equal(input.properties?.EditableOptions, 'True', `${name}.${input.name}: a pick list without options must accept typed values`);
          assert.ok(task.dataSourceBindings?.some((b: TaskJson) => b.target === input.name), `${name}.${input.name}: no binding fills it`);
        }
      }
    }
  });

  it("carries the host's and the core's messages with their exact text", () => {
    for (const name of taskNames) {
      const messages = readTask(name).messages;
      assert.deepEqual(messages, { ...hostMessages, ...coreMessages }, name);
      for (const key of Object.keys(messages)) assert.match(key, /^(Error|Info|Warning)_[A-Za-z]+$/, `${name}: message key ${key}`);
    }
  });

  it('has a message in every task.json for each key the entry points and the host render', () => {
    const sources = [
      ...fs.readdirSync(path.join(root, 'tasks', 'host')).map((file) => path.join(root, 'tasks', 'host', file)),
      ...taskNames.map((name) => path.join(root, 'tasks', name, 'main.ts')),
    ].filter((file) => file.endsWith('.ts'));
    const used = new Set<string>();
    for (const file of sources) {
      for (const match of fs.readFileSync(file, 'utf8').matchAll(/(?:tl\.loc|hostText)\(\s*'(\w+)'/g)) used.add(match[1]);
    }
    for (const name of taskNames) {
      const messages = readTask(name).messages;
      for (const key of used) assert.ok(key in messages, `${name}/task.json has no message ${key}`);
    }
  });

  it('ships PNG icons: 32x32 or larger for the tasks, 128x128 for the extension', () => {
    const size = (file: string) => {
      const png = fs.readFileSync(path.join(root, file));
      assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${file} is not a PNG`);
      return [png.readUInt32BE(16), png.readUInt32BE(20)];
    };
    for (const name of taskNames) {
      const [width, height] = size(`tasks/${name}/icon.png`);
      assert.ok(width >= 32 && width === height, `tasks/${name}/icon.png is ${width}x${height}`);
    }
    assert.deepEqual(size('images/extension-icon.png'), [128, 128]);
  });
});

describe('the extension manifest (vss-extension.json)', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'vss-extension.json'), 'utf8'));

  it('keeps its version in step with package.json and stays private', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    assert.equal(manifest.version, pkg.version);
    assert.equal(manifest.public, false);
    assert.equal(manifest.id, 'lockstep');
    assert.ok(manifest.description.length <= 200);
    assert.deepEqual(manifest.categories, ['Azure Pipelines']);
  });

  it('describes the Marketplace listing: category, tags, preview flag, branding, overview and licence, and no link it cannot back', () => {
    assert.ok(manifest.tags.length >= 5 && manifest.tags.every((tag: string) => typeof tag === 'string' && tag.length > 0 && tag.length <= 40));
    assert.ok(manifest.tags.includes('release train') && manifest.tags.includes('rollback'));
    assert.deepEqual(manifest.galleryFlags, ['Preview']);
    assert.match(manifest.branding.color, /^#[0-9a-f]{6}$/i);
    assert.deepEqual(manifest.content, { details: { path: 'overview.md' }, license: { path: 'LICENSE' } });
    for (const file of ['overview.md', 'LICENSE']) assert.ok(fs.existsSync(path.join(root, file)), file);
    // The project has no public repository yet: a link is added with a real address, never a placeholder.
    const urls = JSON.stringify({ links: manifest.links, repository: manifest.repository }).match(/[a-z]+:\/\/[^"]*/g) ?? [];
    for (const url of urls) assert.doesNotMatch(url, /example\.|localhost|TODO|<|\{/i, url);
    if (manifest.repository) assert.equal(manifest.repository.type, 'git');
  });

  it('contributes one pipeline task per task folder and ships each folder', () => {
    // The train view's contributions (a tab, a hub, a tab) are checked in vsix.test.ts.
    const tasks = manifest.contributions.filter((c: TaskJson) => c.type === 'ms.vss-distributed-task.task');
    for (const contribution of tasks) assert.deepEqual(contribution.targets, ['ms.vss-distributed-task.tasks']);
    const folders = tasks.map((c: TaskJson) => c.properties.name).sort();
    assert.deepEqual(folders, taskNames.map((name) => `tasks/${name}`));
    const shipped = manifest.files.map((f: TaskJson) => f.path);
    for (const name of taskNames) assert.ok(shipped.includes(`tasks/${name}`), `tasks/${name} is not in files`);
  });
});
