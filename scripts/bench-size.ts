import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { filesWithSizes } from '../test/packaging/isolated-copy';
import { readZip } from '../test/packaging/read-zip';
import { packageExtension } from './package';
import { crc32 } from './crc32';
import { VsixPart, vsixParts } from './vsix-parts';

/** Files, bytes and zipped bytes of one task folder. */
export interface FolderSize {
  files: number;
  bytes: number;
  zipBytes: number;
}

export interface SizeResult {
  vsixBytes: number;
  /** The same .vsix with every task folder shipped the usual way. */
  usualVsixBytes: number;
  /** images/ (the listing's pictures) zipped on its own: what the .vsix carries besides the tasks. */
  imagesZipBytes: number;
  tasks: Array<{ task: string; bundled: FolderSize; usual: FolderSize }>;
  /** The .vsix by part (each task's main.js, notices, task.json, loc files, icon; each picture; overview.md …). */
  parts: VsixPart[];
  /** The assembled usual-way task folders, by task (the cold-start and memory runs use them). */
  usualDirs: Record<string, string>;
}

/**
 * The .vsix `npm run package` writes, and each task folder in it, beside the same tasks shipped the way common
 * extensions ship: the compiled output (out/, .js only) and the production node_modules, assembled for real in
 * `work` and zipped here (deflate, as tfx does).
 */
export function measureSize(root: string, work: string): SizeResult {
  const vsix = packageExtension('lockstep-dev');
  const tasksDir = path.join(root, 'dist', 'tasks');
  const taskNames = fs.readdirSync(tasksDir).filter((t) => fs.existsSync(path.join(tasksDir, t, 'task.json'))).sort();
  const runtime = productionPackages(root);
  const usualDirs: Record<string, string> = {};
  const tasks = taskNames.map((task) => {
    const bundledDir = path.join(tasksDir, task);
    const usualDir = path.join(work, 'usual', task);
    assembleUsualTask(root, task, bundledDir, usualDir, runtime);
    usualDirs[task] = usualDir;
    return { task, bundled: folderSize(bundledDir, path.join(work, `${task}.bundled.zip`)), usual: folderSize(usualDir, path.join(work, `${task}.usual.zip`)) };
  });

  // The usual-way .vsix: every entry of the real one outside tasks/, then the usual-way task folders.
  const entries: ZipEntry[] = [];
  for (const [name, data] of readZip(fs.readFileSync(vsix.vsixPath))) if (!name.startsWith('tasks/')) entries.push({ name, data });
  for (const task of taskNames) {
    for (const file of filesWithSizes(usualDirs[task])) entries.push({ name: `tasks/${task}/${file.path}`, data: fs.readFileSync(path.join(usualDirs[task], file.path)) });
  }
  const usualVsix = path.join(work, 'usual.vsix');
  writeZip(usualVsix, entries);
  const images = path.join(root, 'images');
  const imagesZipBytes = fs.existsSync(images) ? folderSize(images, path.join(work, 'images.zip')).zipBytes : 0;
  const parts = vsixParts(fs.readFileSync(vsix.vsixPath));
  return { vsixBytes: vsix.bytes, usualVsixBytes: fs.statSync(usualVsix).size, imagesZipBytes, tasks, parts, usualDirs };
}

/** The production dependency tree (`npm ls --omit=dev --parseable --all`), as paths below node_modules. */
function productionPackages(root: string): string[] {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const listed = spawnSync(npm, ['ls', '--omit=dev', '--parseable', '--all'], { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' });
  const marker = `${path.sep}node_modules${path.sep}`;
  const packages = (listed.stdout ?? '')
    .split(/\r?\n/)
    .filter((line) => line.includes(marker))
    .map((line) => line.slice(line.indexOf(marker) + marker.length));
  if (packages.length === 0) throw new Error(`npm ls --omit=dev listed no packages (exit ${listed.status}): ${listed.stderr}`);
  return [...new Set(packages)];
}

/**
 * A task folder as an unbundled extension ships it: task.json and its resources at the top (the entry named as
 * tasks/<task>/main.js), the compiled .js of tasks/ and src/ below, the production node_modules beside them.
 * task-lib reads task.json and Strings/ beside the file that calls setResourcePath (tasks/host/run-task.js), so a
 * copy goes there too.
 */
function assembleUsualTask(root: string, task: string, bundledDir: string, target: string, runtime: string[]): void {
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  const js = (from: string) => fs.statSync(from).isDirectory() || from.endsWith('.js');
  const out = path.join(root, 'out');
  fs.cpSync(path.join(out, 'src'), path.join(target, 'src'), { recursive: true, filter: js });
  fs.cpSync(path.join(out, 'tasks', 'host'), path.join(target, 'tasks', 'host'), { recursive: true, filter: js });
  fs.cpSync(path.join(out, 'tasks', task), path.join(target, 'tasks', task), { recursive: true, filter: js });
  const resources = ['task.json', 'task.loc.json', 'Strings', 'icon.png'].filter((f) => fs.existsSync(path.join(bundledDir, f)));
  for (const dir of [target, path.join(target, 'tasks', 'host')]) {
    for (const f of resources) fs.cpSync(path.join(bundledDir, f), path.join(dir, f), { recursive: true });
  }
  const manifestPath = path.join(target, 'task.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8').replace(/^\uFEFF/, ''));
  for (const handler of Object.values(manifest.execution ?? {}) as Array<{ target: string }>) handler.target = `tasks/${task}/main.js`;
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));

  const modules = path.join(root, 'node_modules');
  for (const pkg of runtime) {
    const from = path.join(modules, pkg);
    // A nested node_modules holds other packages, each listed (and copied) on its own when it is a production one.
    fs.cpSync(from, path.join(target, 'node_modules', pkg), {
      recursive: true,
      dereference: true,
      filter: (source) => !path.relative(from, source).split(path.sep).includes('node_modules'),
    });
  }
}

function folderSize(dir: string, zipPath: string): FolderSize {
  const files = filesWithSizes(dir);
  writeZip(zipPath, files.map((f) => ({ name: f.path, data: fs.readFileSync(path.join(dir, f.path)) })));
  return { files: files.length, bytes: files.reduce((sum, f) => sum + f.bytes, 0), zipBytes: fs.statSync(zipPath).size };
}

interface ZipEntry {
  name: string;
  data: Buffer;
}

/** A plain zip (deflated entries, no zip64): enough to weigh a folder as the Marketplace would carry it. */
function writeZip(file: string, entries: ZipEntry[]): void {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const deflated = zlib.deflateRawSync(data);
    // Deflated unless that is no smaller, as zip tools do; method 8 = deflate, 0 = stored.
    const deflate = deflated.length < data.length;
    const body = deflate ? deflated : data;
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(deflate ? 8 : 0, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(nameBytes.length, 28);
    header.writeUInt32LE(offset, 42);
    parts.push(local, nameBytes, body);
    central.push(header, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const centralBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  fs.writeFileSync(file, Buffer.concat([...parts, centralBytes, end]));
}
