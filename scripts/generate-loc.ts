import * as fs from 'node:fs';
import * as path from 'node:path';
import { messages as coreMessages } from '../src/messages';
import { hostMessages } from '../tasks/host/host-messages';
import { runGenerator } from './run-generator';

/**
 * Generates what each task's localisation needs from its task.json, the way Microsoft's tasks do:
 * - task.json `messages`: the host's and the core's catalogs (one source for every sentence);
 * - task.loc.json: task.json with each string replaced by an `ms-resource:loc.*` key;
 * - Strings/resources.resjson/en-US/resources.resjson: those keys with the English strings.
 *
 *   node out/scripts/generate-loc.js            write the files
 *   node out/scripts/generate-loc.js --check    exit 1, naming each file that differs from what would be written
 *   --root <dir>                                the repository root (default: this checkout)
 */

type TaskJson = Record<string, any>;

export interface GeneratedFile {
  /** Absolute path. */
  path: string;
  content: string;
}

/** Every tasks/<name> folder that holds a task.json. */
export function taskDirs(root: string): string[] {
  const tasks = path.join(root, 'tasks');
  return fs
    .readdirSync(tasks, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(tasks, entry.name, 'task.json')))
    .map((entry) => path.join(tasks, entry.name))
    .sort();
}

/** The messages every task carries: the host's sentences, then the core's. */
export function catalog(): Record<string, string> {
  const clash = Object.keys(hostMessages).filter((key) => key in coreMessages);
  if (clash.length > 0) throw new Error(`Message keys defined by both the host and the core: ${clash.join(', ')}`);
  return { ...hostMessages, ...coreMessages };
}

/** The three files generate-loc owns in one task folder, as they should be. */
export function generatedFiles(taskDir: string): GeneratedFile[] {
  const task: TaskJson = { ...readJson(path.join(taskDir, 'task.json')), messages: catalog() };
  return [
    { path: path.join(taskDir, 'task.json'), content: toJson(task) },
    { path: path.join(taskDir, 'task.loc.json'), content: toJson(locJson(task)) },
    { path: path.join(taskDir, 'Strings', 'resources.resjson', 'en-US', 'resources.resjson'), content: toJson(resources(task)) },
  ];
}

/** task.json with every displayed string replaced by its resource key. */
export function locJson(task: TaskJson): TaskJson {
  const loc: TaskJson = structuredClone(task);
  loc.friendlyName = 'ms-resource:loc.friendlyName';
  loc.helpMarkDown = 'ms-resource:loc.helpMarkDown';
  loc.description = 'ms-resource:loc.description';
  loc.instanceNameFormat = 'ms-resource:loc.instanceNameFormat';
  if ('releaseNotes' in loc) loc.releaseNotes = 'ms-resource:loc.releaseNotes';
  for (const group of loc.groups ?? []) {
    if (group.name) group.displayName = `ms-resource:loc.group.displayName.${group.name}`;
  }
  for (const input of loc.inputs ?? []) {
    if (!input.name) continue;
    input.label = `ms-resource:loc.input.label.${input.name}`;
    if (input.helpMarkDown) input.helpMarkDown = `ms-resource:loc.input.help.${input.name}`;
  }
  for (const key of Object.keys(loc.messages ?? {})) loc.messages[key] = `ms-resource:loc.messages.${key}`;
  return loc;
}

/** The English strings under the keys locJson uses. */
export function resources(task: TaskJson): Record<string, string> {
  const res: Record<string, string> = {};
  for (const key of ['friendlyName', 'helpMarkDown', 'description', 'instanceNameFormat', 'releaseNotes']) {
    if (key in task) res[`loc.${key}`] = task[key];
  }
  for (const group of task.groups ?? []) {
    if (group.name) res[`loc.group.displayName.${group.name}`] = group.displayName;
  }
  for (const input of task.inputs ?? []) {
    if (!input.name) continue;
    res[`loc.input.label.${input.name}`] = input.label;
    if (input.helpMarkDown) res[`loc.input.help.${input.name}`] = input.helpMarkDown;
  }
  for (const [key, text] of Object.entries(task.messages ?? {})) res[`loc.messages.${key}`] = text as string;
  return res;
}

/** The generated files that differ from what is on disk (or are missing), as paths relative to root. */
export function findLocDrift(root: string): string[] {
  const drift: string[] = [];
  for (const dir of taskDirs(root)) {
    for (const file of generatedFiles(dir)) {
      const onDisk = fs.existsSync(file.path) ? fs.readFileSync(file.path, 'utf8').replace(/\r\n/g, '\n') : undefined;
      if (onDisk !== file.content) drift.push(path.relative(root, file.path).split(path.sep).join('/'));
    }
  }
  return drift;
}

/** Writes every generated file; returns the paths (relative to root) that changed. */
export function writeLocFiles(root: string): string[] {
  const changed = findLocDrift(root);
  for (const dir of taskDirs(root)) {
    for (const file of generatedFiles(dir)) {
      fs.mkdirSync(path.dirname(file.path), { recursive: true });
      fs.writeFileSync(file.path, file.content);
    }
  }
  return changed;
}

function readJson(file: string): TaskJson {
  return JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
}

function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

if (require.main === module) {
  process.exitCode = runGenerator({ name: 'generate-loc', what: 'Localisation files', findDrift: findLocDrift, write: writeLocFiles, count: (root) => taskDirs(root).length }, process.argv.slice(2));
}
