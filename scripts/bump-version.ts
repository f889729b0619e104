import * as fs from 'node:fs';
import * as path from 'node:path';
import * as semver from 'semver';
import { taskDirs, writeLocFiles } from './generate-loc';
import { writeTaskDocs } from './generate-task-docs';
import { rootArgument } from './root-argument';

/**
 * Moves the extension's version and every task's version together, then regenerates what `npm run gen` generates.
 *
 *   npm run version -- <major|minor|patch> [--task-major]     (--root <dir>: another checkout; default this one)
 *
 * The extension follows semver: package.json, package-lock.json and vss-extension.json hold the same version.
 * A task's Major is part of its name in YAML (`WaitForDependency@1`), so it changes only with --task-major; every
 * other bump still raises each task's version, because the agent never reloads a task version it has already seen:
 *
 *   extension patch  x.y.z -> x.y.(z+1)    tasks M.m.p -> M.m.(p+1)
 *   extension minor  x.y.z -> x.(y+1).0    tasks M.m.p -> M.(m+1).0
 *   extension major  x.y.z -> (x+1).0.0    tasks M.m.p -> M.(m+1).0, or (M+1).0.0 with --task-major
 *
 * So every task has one version, its Patch is the extension's patch, and CHANGELOG.md records each pairing in its
 * headings (`## 0.2.0 — tasks 1.1.0`); the bump turns the `## Unreleased` section into the new version's.
 */

export type BumpKind = 'major' | 'minor' | 'patch';
export interface TaskVersion {
  Major: number;
  Minor: number;
  Patch: number;
}

/** The tasks' version after a bump of the extension (the table above). */
export function nextTaskVersion(kind: BumpKind, current: TaskVersion, taskMajor = false): TaskVersion {
  if (kind === 'patch') return { ...current, Patch: current.Patch + 1 };
  if (kind === 'major' && taskMajor) return { Major: current.Major + 1, Minor: 0, Patch: 0 };
  return { ...current, Minor: current.Minor + 1, Patch: 0 };
}

export const taskVersionText = (v: TaskVersion) => `${v.Major}.${v.Minor}.${v.Patch}`;

const CHANGELOG_HEADING = /^## (\d+\.\d+\.\d+) — tasks (\d+\.\d+\.\d+)\s*$/gm;

/** Where the versions disagree, one sentence per problem naming the file; empty when they agree. */
export function checkVersions(root: string): string[] {
  const problems: string[] = [];
  const version = readJson(root, 'package.json').version;
  if (!/^\d+\.\d+\.\d+$/.test(version ?? '')) return [`package.json: version '${version}' is not major.minor.patch (the Marketplace takes no pre-release tags).`];
  const lock = readJson(root, 'package-lock.json');
  if (lock.version !== version || lock.packages?.['']?.version !== version) problems.push(`package-lock.json: version ${lock.version} is not package.json's ${version}.`);
  const extension = readJson(root, 'vss-extension.json').version;
  if (extension !== version) problems.push(`vss-extension.json: version ${extension} is not package.json's ${version}.`);

  const tasks = taskDirs(root).map((dir) => ({ file: `tasks/${path.basename(dir)}/task.json`, version: readJson(dir, 'task.json').version as TaskVersion }));
  const taskVersion = tasks[0].version;
  for (const task of tasks.slice(1)) {
    if (taskVersionText(task.version) !== taskVersionText(taskVersion)) {
      problems.push(`${task.file}: version ${taskVersionText(task.version)} is not ${tasks[0].file}'s ${taskVersionText(taskVersion)}; the tasks move together.`);
    }
  }
  if (taskVersion.Patch !== semver.patch(version)) {
    problems.push(`${tasks[0].file}: Patch ${taskVersion.Patch} is not the extension's patch ${semver.patch(version)} (a patch bump raises both).`);
  }

  const headings = [...fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8').matchAll(CHANGELOG_HEADING)].map((m) => ({ extension: m[1], tasks: m[2] }));
  if (headings.length === 0) {
    problems.push(`CHANGELOG.md: no heading '## ${version} — tasks ${taskVersionText(taskVersion)}'.`);
  } else if (headings[0].extension !== version || headings[0].tasks !== taskVersionText(taskVersion)) {
    problems.push(`CHANGELOG.md: the newest heading is '${headings[0].extension} — tasks ${headings[0].tasks}', not '${version} — tasks ${taskVersionText(taskVersion)}'.`);
  }
  for (let i = 1; i < headings.length; i++) {
    const [newer, older] = [headings[i - 1], headings[i]];
    if (!semver.gt(newer.extension, older.extension) || !semver.gt(newer.tasks, older.tasks)) {
      problems.push(`CHANGELOG.md: '${newer.extension} — tasks ${newer.tasks}' does not come after '${older.extension} — tasks ${older.tasks}'; both versions must rise.`);
    }
  }
  return problems;
}

export interface BumpResult {
  from: string;
  to: string;
  tasksFrom: string;
  tasksTo: string;
  /** Files rewritten, relative to root. */
  files: string[];
}

export function bumpVersions(root: string, kind: BumpKind, options: { taskMajor?: boolean } = {}): BumpResult {
  const disagreement = checkVersions(root);
  if (disagreement.length) throw new Error(`The versions disagree already; fix them first:\n  ${disagreement.join('\n  ')}`);
  const from = readJson(root, 'package.json').version as string;
  const to = semver.inc(from, kind)!;
  const dirs = taskDirs(root);
  const tasksFrom = readJson(dirs[0], 'task.json').version as TaskVersion;
  const tasksTo = nextTaskVersion(kind, tasksFrom, options.taskMajor);

  const files: string[] = [];
  const rewrite = (file: string, change: (text: string) => string) => {
    const full = path.join(root, file);
    fs.writeFileSync(full, change(fs.readFileSync(full, 'utf8')));
    files.push(file);
  };
  // package.json and vss-extension.json keep their layout: only the top-level version's text changes.
  for (const file of ['package.json', 'vss-extension.json']) rewrite(file, (text) => replaceTopLevelVersion(file, text, to));
  rewrite('package-lock.json', (text) => {
    const lock = JSON.parse(text);
    lock.version = to;
    lock.packages[''].version = to;
    return JSON.stringify(lock, null, 2) + '\n';
  });
  for (const dir of dirs) {
    rewrite(path.relative(root, path.join(dir, 'task.json')).split(path.sep).join('/'), (text) => {
      const task = JSON.parse(text.replace(/^\uFEFF/, ''));
      task.version = { ...tasksTo };
      return JSON.stringify(task, null, 2) + '\n';
    });
  }
  rewrite('CHANGELOG.md', (text) => stampChangelog(text, to, taskVersionText(tasksTo)));

  // What `npm run gen` does, in this process and for this root (task.loc.json and the input references carry the version).
  files.push(...writeLocFiles(root), ...writeTaskDocs(root));
  return { from, to, tasksFrom: taskVersionText(tasksFrom), tasksTo: taskVersionText(tasksTo), files: [...new Set(files)] };
}

function replaceTopLevelVersion(file: string, text: string, version: string): string {
  const replaced = text.replace(/^( {2}|\t)"version"(\s*:\s*)"[^"]*"/m, `$1"version"$2"${version}"`);
  if (JSON.parse(replaced).version !== version) throw new Error(`${file}: found no top-level "version" to change.`);
  return replaced;
}

/** Turns `## Unreleased` into the new version's heading (keeping an empty Unreleased above), or adds the heading. */
export function stampChangelog(text: string, version: string, tasks: string): string {
  const heading = `## ${version} — tasks ${tasks}`;
  if (/^## Unreleased[ \t]*$/m.test(text)) return text.replace(/^## Unreleased[ \t]*$/m, `## Unreleased\n\n${heading}`);
  const first = text.search(/^## /m);
  return first < 0 ? `${text.trimEnd()}\n\n${heading}\n` : `${text.slice(0, first)}${heading}\n\n${text.slice(first)}`;
}

function readJson(dir: string, file: string): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8').replace(/^\uFEFF/, ''));
}

function main(argv: string[], env: NodeJS.ProcessEnv): number {
  // `npm version` runs a script named "version" after bumping package.json alone; that is not this command.
  if (env['npm_command'] === 'version') {
    console.error('Run `npm run version -- <major|minor|patch>`, not `npm version`: it moves the extension and every task together. Undo the package.json change npm just made.');
    return 1;
  }
  const root = rootArgument(argv);
  const kinds = argv.filter((arg, i) => !arg.startsWith('--') && argv[i - 1] !== '--root');
  const unknownFlags = argv.filter((arg) => arg.startsWith('--') && arg !== '--root' && arg !== '--task-major');
  if (kinds.length !== 1 || !['major', 'minor', 'patch'].includes(kinds[0]) || unknownFlags.length) {
    console.error(`Usage: npm run version -- <major|minor|patch> [--task-major]; got '${argv.join(' ')}'.`);
    return 1;
  }
  const taskMajor = argv.includes('--task-major');
  if (taskMajor && kinds[0] !== 'major') {
    console.error('--task-major goes with a major bump of the extension: a new task major breaks every pipeline that names the old one.');
    return 1;
  }
  try {
    const result = bumpVersions(root, kinds[0] as BumpKind, { taskMajor });
    console.log(`Extension ${result.from} -> ${result.to}; tasks ${result.tasksFrom} -> ${result.tasksTo}.`);
    for (const file of result.files) console.log(`wrote ${file}`);
    console.log('Describe the changes under the new heading in CHANGELOG.md, then commit.');
    if (taskMajor) console.log(`The tasks are now @${result.tasksTo.split('.')[0]}: update every \`@${result.tasksFrom.split('.')[0]}\` in README.md, overview.md, docs/ and samples/.`);
    return 0;
  } catch (error) {
    console.error(`version: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2), process.env);
