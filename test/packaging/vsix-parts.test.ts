import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../emulator/agent/agent-harness';
import { MANIFESTS, partOf, vsixParts, ZIP_HEADERS, zipEntrySizes } from '../../scripts/vsix-parts';
import { readZip } from './read-zip';

const root = repoRoot();
const taskNames = ['coordinated-rollback', 'sync-gate', 'wait-for-dependency'];
const version: string = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;

describe('the .vsix by part (npm run package, scripts/vsix-parts.ts)', function () {
  this.timeout(60_000);
  const vsixPath = path.join(root, 'dist', `lockstep-parts.lockstep-${version}.vsix`);
  let stdout: string;
  let vsix: Buffer;

  before(() => {
    assert.ok(fs.existsSync(path.join(root, 'dist', 'tasks')), 'dist/tasks is missing: run `npm run build` first');
    const cli = spawnSync(process.execPath, [path.join(root, 'out', 'scripts', 'package.js'), '--publisher', 'lockstep-parts'], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    stdout = cli.stdout;
    vsix = fs.readFileSync(vsixPath);
  });
  after(() => fs.rmSync(vsixPath, { force: true }));

  it('reads each file of the .vsix with its size as readZip inflates it', () => {
    const files = readZip(vsix);
    const entries = zipEntrySizes(vsix);
    assert.deepEqual(entries.map((e) => e.name).sort(), [...files.keys()].sort());
    for (const entry of entries) {
      assert.equal(entry.bytes, files.get(entry.name)!.length, entry.name);
      assert.ok(entry.zipBytes > 0 && entry.zipBytes <= entry.bytes + 16, `${entry.name}: ${entry.zipBytes} stored for ${entry.bytes}`);
    }
  });

  it("prints a row for each task's main.js, notices, task.json, loc files and icon, each file of the web pages, each picture, overview.md and the manifests", () => {
    const rows = new Map([...stdout.matchAll(/^\| ([^|]+?) \| ([\d,]*) \| ([\d,]*) \| ([^|]+?) \| ([^|]+) \|$/gm)].map((m) => [m[1], m]));
    const expected = [
      ...taskNames.flatMap((t) => ['main.js', 'ThirdPartyNotices.txt', 'task.json', ' loc (task.loc.json, Strings/)', 'icon.png'].map((p) => `tasks/${t}/${p}`)),
      ...[...readZip(vsix).keys()].filter((f) => f.startsWith('images/') || f.startsWith('web/')),
      'overview.md',
      'LICENSE',
      MANIFESTS,
      ZIP_HEADERS,
      '**total**',
    ];
    for (const part of expected) assert.ok(rows.has(part), `no row for ${part} in:\n${stdout}`);
    assert.match(rows.get('**total**')![4], new RegExp(`^\\*\\*${vsix.length.toLocaleString('en-US')}\\*\\* \\(`));
  });

  it('counts every file once, and the parts add up to the size of the .vsix', () => {
    const parts = vsixParts(vsix);
    assert.equal(parts.reduce((n, p) => n + p.files, 0), readZip(vsix).size);
    assert.equal(parts.reduce((n, p) => n + p.zipBytes, 0), vsix.length);
    assert.equal(new Set(parts.map((p) => p.part)).size, parts.length);
    assert.equal(parts.at(-1)!.part, ZIP_HEADERS);
  });

  it('puts a file it has no part for under its top folder, so a new kind of content still shows', () => {
    assert.equal(partOf('extras/readme.txt'), 'extras/');
    assert.equal(partOf('web/train-view/main.js'), 'web/train-view/main.js');
    assert.equal(partOf('tasks/sync-gate/Strings/resources.resjson/de-DE/resources.resjson'), 'tasks/sync-gate/ loc (task.loc.json, Strings/)');
    assert.equal(partOf('tasks/sync-gate/lib/extra.js'), 'tasks/sync-gate/ other');
    assert.equal(partOf('[Content_Types].xml'), MANIFESTS);
  });
});
