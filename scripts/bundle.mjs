// Bundles every task for shipping: tasks/<name>/main.ts -> dist/tasks/<name>/main.js (esbuild, one file, no
// node_modules), with what the agent and task-lib read beside it at run time; and every web page of the extension:
// web/<page>/main.ts -> dist/web/<page>/main.js beside its html and css. Run after tsc (npm run build).
import { build } from 'esbuild';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Copied from tasks/<name>/ when present. task-lib reads task.json and Strings/ through tl.setResourcePath. */
const SHIPPED_BESIDE_BUNDLE = ['task.json', 'task.loc.json', 'Strings', 'icon.png'];

function fail(message) {
  console.error(`bundle: ${message}`);
  process.exit(1);
}

// Shipping stale task.loc.json or resjson would show old labels and messages; generate-loc owns them.
const { findLocDrift } = require(path.join(root, 'out', 'scripts', 'generate-loc.js'));
const drift = findLocDrift(root);
if (drift.length > 0) fail(`generated localisation files are stale: ${drift.join(', ')}. Run \`npm run gen\`.`);

// What the task bundles leave out, why, and the checks that it stays dead: scripts/task-bundle-trim.ts.
const { trimPlugin, checkTrim } = require(path.join(root, 'out', 'scripts', 'task-bundle-trim.js'));

// task-lib 5.x compiles its own strings (lib.json + Strings/) into lib-resource.js, so the bundle carries them and
// nothing of task-lib needs to sit beside main.js. Older versions read lib.json from their folder at run time.
if (!fs.existsSync(path.join(root, 'node_modules', 'azure-pipelines-task-lib', 'lib-resource.js'))) {
  fail('azure-pipelines-task-lib no longer embeds its strings (lib-resource.js); ship its lib.json and Strings/ beside main.js.');
}

const taskNames = fs
  .readdirSync(path.join(root, 'tasks'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(root, 'tasks', entry.name, 'task.json')))
  .map((entry) => entry.name)
  .sort();

for (const name of taskNames) {
  const source = path.join(root, 'tasks', name);
  const target = path.join(root, 'dist', 'tasks', name);
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });

  const trimmed = new Set();
  const result = await build({
    entryPoints: [path.join(source, 'main.ts')],
    outfile: path.join(target, 'main.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    // Licences go to ThirdPartyNotices.txt in full instead.
    legalComments: 'none',
    // Strings as UTF-8 rather than \u escapes (task-lib's messages in ten languages): the same strings, fewer bytes.
    charset: 'utf8',
    metafile: true,
    logLevel: 'warning',
    plugins: [trimPlugin(trimmed)],
  });
  if (result.errors.length > 0) fail(`esbuild failed for ${name}`);
  const trimProblems = checkTrim(trimmed, result.metafile);
  if (trimProblems.length > 0) fail(`tasks/${name}: ${trimProblems.join('\n  ')}`);

  for (const entry of SHIPPED_BESIDE_BUNDLE) {
    const from = path.join(source, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(target, entry), { recursive: true });
  }
  if (!fs.existsSync(path.join(target, 'icon.png'))) fail(`tasks/${name}/icon.png is missing; run node out/scripts/make-icons.js`);
  fs.writeFileSync(path.join(target, 'ThirdPartyNotices.txt'), thirdPartyNotices(result.metafile));

  report(name, target);
}

// The extension's web pages (web/<page>/main.ts, beside its .html and .css): bundled for the browser into
// dist/web/<page>/, packaged as addressable files the Marketplace CDN serves into Azure DevOps' iframes.
const WEB_SHIPPED = /\.(html|css)$/;
const webPages = fs.existsSync(path.join(root, 'web'))
  ? fs.readdirSync(path.join(root, 'web'), { withFileTypes: true }).filter((e) => e.isDirectory() && fs.existsSync(path.join(root, 'web', e.name, 'main.ts'))).map((e) => e.name).sort()
  : [];
for (const page of webPages) {
  const source = path.join(root, 'web', page);
  const target = path.join(root, 'dist', 'web', page);
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  const result = await build({
    entryPoints: [path.join(source, 'main.ts')],
    outfile: path.join(target, 'main.js'),
    bundle: true,
    platform: 'browser',
    target: 'es2020',
    format: 'iife',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    metafile: true,
    logLevel: 'warning',
  });
  if (result.errors.length > 0) fail(`esbuild failed for web/${page}`);
  const nodeInputs = Object.keys(result.metafile.inputs).filter((input) => input.startsWith('node:') || /node_modules[\\/](azure-devops-node-api|azure-pipelines-task-lib)[\\/]/.test(input));
  if (nodeInputs.length > 0) fail(`web/${page} pulls in what only runs in Node.js: ${nodeInputs.join(', ')}`);
  for (const file of fs.readdirSync(source).filter((f) => WEB_SHIPPED.test(f))) fs.copyFileSync(path.join(source, file), path.join(target, file));
  fs.writeFileSync(path.join(target, 'ThirdPartyNotices.txt'), thirdPartyNotices(result.metafile));
  reportPage(`dist/web/${page}`, target);
}

/** The licence of every npm package that ended up in the bundle, as their licences ask. */
function thirdPartyNotices(metafile) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(input);
    if (!match) continue;
    const dir = path.resolve(root, match[1]);
    if (packages.has(dir)) continue;
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const licenceFile = fs.readdirSync(dir).find((file) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(file));
    const text = licenceFile ? fs.readFileSync(path.join(dir, licenceFile), 'utf8').trim() : `License: ${pkg.license ?? 'see the package'}`;
    packages.set(dir, { id: `${pkg.name}@${pkg.version}`, text });
  }
  const sorted = [...packages.values()].sort((a, b) => a.id.localeCompare(b.id));
  const header = 'Lockstep bundles the following npm packages into main.js. Their licences follow.\n';
  return [header, ...sorted.map((p) => `${'='.repeat(72)}\n${p.id}\n${'='.repeat(72)}\n${p.text}\n`)].join('\n');
}

function report(name, dir) {
  const files = listFiles(dir);
  const total = files.reduce((sum, file) => sum + file.bytes, 0);
  const bundle = fs.readFileSync(path.join(dir, 'main.js'));
  console.log(
    `dist/tasks/${name}: ${files.length} files, ${total.toLocaleString('en-US')} bytes ` +
      `(main.js ${bundle.length.toLocaleString('en-US')} bytes, ${zlib.gzipSync(bundle).length.toLocaleString('en-US')} gzipped)`,
  );
  for (const file of files) console.log(`  ${file.bytes.toString().padStart(9)}  ${file.path}`);
}

/** A page's size as a browser fetches it (html + css + js, raw and gzipped) and as the .vsix holds it (deflated). */
function reportPage(name, dir) {
  const files = listFiles(dir).filter((file) => /\.(html|css|js)$/.test(file.path));
  const sizes = files.map((file) => {
    const data = fs.readFileSync(path.join(dir, file.path));
    return { ...file, gzip: zlib.gzipSync(data, { level: 9 }).length, deflate: zlib.deflateRawSync(data, { level: 9 }).length };
  });
  const sum = (key) => sizes.reduce((total, file) => total + file[key], 0).toLocaleString('en-US');
  console.log(`${name}: html + css + js ${sum('bytes')} bytes, ${sum('gzip')} gzipped, ${sum('deflate')} deflated (as zipped in the .vsix)`);
  for (const file of sizes) console.log(`  ${file.bytes.toString().padStart(9)}  ${file.path} (${file.gzip} gzipped)`);
}

function listFiles(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full, relative) : [{ path: relative, bytes: fs.statSync(full).size }];
  });
}
