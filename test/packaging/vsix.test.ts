import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { packageExtension } from '../../scripts/package';
import { repoRoot, runTaskToEnd } from '../../emulator/agent/agent-harness';
import { readZip } from './read-zip';
import { taskValidator } from './task-schema';

const root = repoRoot();
const taskNames = ['coordinated-rollback', 'sync-gate', 'wait-for-dependency'];
const version: string = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;

describe('the packaged extension (npm run package)', function () {
  this.timeout(60_000);
  let vsix: Map<string, Buffer>;
  let tfxOutput: string;
  const made: string[] = [];

  before(() => {
    assert.ok(fs.existsSync(path.join(root, 'dist', 'tasks')), 'dist/tasks is missing: run `npm run build` first');
    const result = packageExtension('lockstep-test');
    made.push(result.vsixPath);
    tfxOutput = result.tfxOutput;
    vsix = readZip(fs.readFileSync(result.vsixPath));
    console.log(`      ${path.basename(result.vsixPath)}: ${result.bytes.toLocaleString('en-US')} bytes, ${vsix.size} files`);
    for (const name of taskNames) {
      const files = [...vsix].filter(([file]) => file.startsWith(`tasks/${name}/`));
      const bytes = files.reduce((sum, [, data]) => sum + data.length, 0);
      console.log(`      tasks/${name}: ${files.length} files, ${bytes.toLocaleString('en-US')} bytes`);
    }
    const page = [...vsix].filter(([file]) => file.startsWith('web/train-view/') && /\.(html|css|js)$/.test(file));
    const raw = page.reduce((sum, [, data]) => sum + data.length, 0);
    const zipped = page.reduce((sum, [, data]) => sum + zlib.deflateRawSync(data, { level: 9 }).length, 0);
    console.log(`      web/train-view (html + css + js): ${raw.toLocaleString('en-US')} bytes, about ${zipped.toLocaleString('en-US')} zipped`);
  });
  after(() => made.forEach((file) => fs.rmSync(file, { force: true })));

  it('is created by tfx without a single warning', () => {
    assert.match(tfxOutput, /Completed operation: create extension/);
    assert.doesNotMatch(tfxOutput, /warn/i);
  });

  it('holds every picture overview.md shows', () => {
    const overview = fs.readFileSync(path.join(root, 'overview.md'), 'utf8');
    const pictures = [...overview.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    assert.ok(pictures.length >= 2, 'overview.md shows the train and the summary tabs');
    for (const picture of pictures) assert.ok(vsix.has(picture), `${picture} is not in the .vsix`);
  });

  it('holds the three tasks, the icons, overview.md and LICENSE', () => {
    for (const file of ['extension.vsixmanifest', 'extension.vsomanifest', 'overview.md', 'LICENSE', 'images/extension-icon.png']) {
      assert.ok(vsix.has(file), `${file} is missing`);
    }
    for (const name of taskNames) {
      for (const file of ['task.json', 'task.loc.json', 'main.js', 'icon.png', 'Strings/resources.resjson/en-US/resources.resjson']) {
        assert.ok(vsix.has(`tasks/${name}/${file}`), `tasks/${name}/${file} is missing`);
      }
    }
    assert.equal([...vsix.keys()].some((file) => file.includes('node_modules')), false);
  });

  it('contributes the three tasks, each pointing at a folder whose task.json validates and whose targets exist', () => {
    const manifest = JSON.parse(vsix.get('extension.vsomanifest')!.toString('utf8'));
    const validate = taskValidator();
    const tasks = manifest.contributions.filter((c: { targets: string[] }) => c.targets.includes('ms.vss-distributed-task.tasks'));
    const folders = tasks.map((c: { type: string; properties: { name: string } }) => {
      assert.equal(c.type, 'ms.vss-distributed-task.task');
      return c.properties.name;
    });
    assert.deepEqual(folders.sort(), taskNames.map((name) => `tasks/${name}`));
    for (const folder of folders) {
      const task = JSON.parse(vsix.get(`${folder}/task.json`)!.toString('utf8'));
      assert.deepEqual(validate(task), [], `${folder}/task.json`);
      for (const handler of Object.values(task.execution) as { target: string }[]) {
        assert.ok(vsix.has(`${folder}/${handler.target}`), `${folder}/${handler.target} is missing`);
      }
    }
  });

  it('contributes the live train view three times — a tab on runs that ran a Lockstep task, a hub under Pipelines, a tab on classic releases — each opening the packaged page', () => {
    const manifest = JSON.parse(vsix.get('extension.vsomanifest')!.toString('utf8'));
    const views = manifest.contributions.filter((c: { type: string }) => c.type !== 'ms.vss-distributed-task.task');
    const shape = views.map((c: { id: string; type: string; targets: string[]; properties: Record<string, unknown> }) => [c.id, c.type, c.targets, c.properties.name]);
    assert.deepEqual(shape, [
      ['train-run-tab', 'ms.vss-build-web.build-results-tab', ['ms.vss-build-web.build-results-view'], 'Release train'],
      ['train-hub', 'ms.vss-web.hub', ['ms.vss-build-web.build-release-hub-group'], 'Release trains'],
      ['train-release-tab', 'ms.vss-web.tab', ['ms.vss-releaseManagement-web.release-details-view'], 'Release train'],
    ]);
    for (const view of views) {
      assert.equal(view.properties.uri, 'web/train-view/train-view.html', view.id);
      assert.ok(vsix.has(view.properties.uri), `${view.id}: ${view.properties.uri} is not in the .vsix`);
    }
    const taskIds = taskNames.map((name) => JSON.parse(vsix.get(`tasks/${name}/task.json`)!.toString('utf8')).id).sort();
    assert.deepEqual([...views[0].properties.supportsTasks].sort(), taskIds, 'the run tab shows only on runs of a Lockstep task');
    const icon = String(views[1].properties.icon).replace(/^asset:\/\//, '');
    assert.ok(vsix.has(icon), `the hub's icon ${icon} is not in the .vsix`);
  });

  it('serves the page, its script, its style and the hub icon as addressable files (the CDN serves only those)', () => {
    const xml = vsix.get('extension.vsixmanifest')!.toString('utf8');
    for (const file of ['web/train-view/train-view.html', 'web/train-view/train-view.css', 'web/train-view/main.js', 'images/train-hub-icon.png']) {
      assert.ok(vsix.has(file), `${file} is missing`);
      assert.match(xml, new RegExp(`<Asset [^>]*Path="${file.replace(/[.]/g, '\\.')}"[^>]*Addressable="true"`), `${file} is not addressable`);
    }
    const html = vsix.get('web/train-view/train-view.html')!.toString('utf8');
    for (const [, file] of html.matchAll(/(?:src|href)="([^"]+)"/g)) assert.ok(vsix.has(`web/train-view/${file}`), `the page loads ${file}, which is not beside it`);
  });

  it('asks for read access to builds and releases only', () => {
    const manifest = JSON.parse(vsix.get('extension.vsomanifest')!.toString('utf8'));
    assert.deepEqual(manifest.scopes, ['vso.build', 'vso.release']);
  });

  it('names the publisher it was given, the icon, the overview and the licence in its vsixmanifest', () => {
    const xml = vsix.get('extension.vsixmanifest')!.toString('utf8');
    assert.match(xml, new RegExp(`<Identity [^>]*Id="lockstep"[^>]*Version="${version.replace(/\./g, '\\.')}"[^>]*Publisher="lockstep-test"`));
    assert.match(xml, /Type="Microsoft\.VisualStudio\.Services\.Icons\.Default"[^>]*Path="images\/extension-icon\.png"/);
    assert.match(xml, /Type="Microsoft\.VisualStudio\.Services\.Content\.Details"[^>]*Path="overview\.md"/);
    assert.match(xml, /Type="Microsoft\.VisualStudio\.Services\.Content\.License"[^>]*Path="LICENSE"/);
  });

  it('lists the category, tags, preview flag and branding in its vsixmanifest, private', () => {
    const xml = vsix.get('extension.vsixmanifest')!.toString('utf8');
    assert.match(xml, /<Categories>Azure Pipelines<\/Categories>/);
    assert.match(xml, /<Tags>release,release train,[^<]*rollback[^<]*<\/Tags>/);
    assert.match(xml, /<GalleryFlags>Preview<\/GalleryFlags>/);
    assert.match(xml, /Id="Microsoft\.VisualStudio\.Services\.Branding\.Color" Value="#243a5e"/);
    assert.doesNotMatch(xml, /Public/);
  });

  it('ships tasks that run straight out of the .vsix', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-vsix-'));
    try {
      for (const [file, data] of vsix) {
        if (!file.startsWith('tasks/sync-gate/')) continue;
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), data);
      }
      const run = await runTaskToEnd({ taskDir: path.join(dir, 'tasks', 'sync-gate'), inputs: {} });
      assert.equal(run.result.message, "Input 'gate' is required.");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes the publisher from LOCKSTEP_PUBLISHER on the command line and prints the size', () => {
    const cli = spawnSync(process.execPath, [path.join(root, 'out', 'scripts', 'package.js')], {
      encoding: 'utf8',
      env: { ...process.env, LOCKSTEP_PUBLISHER: 'lockstep-env' },
    });
    const file = path.join(root, 'dist', `lockstep-env.lockstep-${version}.vsix`);
    made.push(file);
    assert.equal(cli.status, 0, cli.stderr);
    assert.ok(cli.stdout.includes(`lockstep-env.lockstep-${version}.vsix: `), cli.stdout);
    assert.ok(fs.existsSync(file));
  });

  it("packages where tfx cannot guess content types with the `file` command, as on a bare Linux agent", function () {
    if (process.platform === 'win32') this.skip();
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-bin-'));
    try {
      fs.symlinkSync(process.execPath, path.join(bin, 'node'));
      const cli = spawnSync(path.join(bin, 'node'), [path.join(root, 'out', 'scripts', 'package.js'), '--publisher', 'lockstep-nofile'], {
        encoding: 'utf8',
        env: { PATH: bin },
      });
      made.push(path.join(root, 'dist', `lockstep-nofile.lockstep-${version}.vsix`));
      assert.equal(cli.status, 0, cli.stderr);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  it('refuses a publisher id the Marketplace would refuse', () => {
    const cli = spawnSync(process.execPath, [path.join(root, 'out', 'scripts', 'package.js'), '--publisher', 'not a publisher'], { encoding: 'utf8' });
    assert.equal(cli.status, 1);
    assert.match(cli.stderr, /Publisher 'not a publisher' is not a valid publisher id/);
  });
});
