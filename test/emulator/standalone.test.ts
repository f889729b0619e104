import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as azdev from 'azure-devops-node-api';
import { shopScenario } from './support';

const MAIN = join(__dirname, '..', '..', 'emulator', 'main.js');

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve(out.slice(0, newline));
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code} before printing its URLs`)));
  });
}

describe('emulator: as its own process', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lockstep-emulator-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints its URLs and token as one JSON line, serves the client, logs requests to stderr and stops on SIGTERM', async () => {
    const file = join(dir, 'scenario.json');
    // With a byte-order mark, as an editor on Windows would save it.
    writeFileSync(file, `\uFEFF${JSON.stringify({ ...shopScenario(), organization: 'contoso' })}`);
    const child = spawn(process.execPath, [MAIN, '--scenario', file, '--time-scale', '50'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    try {
      const info = JSON.parse(await firstLine(child)) as { collectionUrl: string; releaseUrl: string; token: string };
      assert.match(info.collectionUrl, /^http:\/\/127\.0\.0\.1:\d+\/contoso$/);
      assert.equal(info.releaseUrl, info.collectionUrl.replace('/contoso', '/vsrm/contoso'));
      const web = new azdev.WebApi(info.collectionUrl, azdev.getHandlerFromToken(info.token));
      const build = await (await web.getBuildApi()).getBuild('Shop', 101);
      assert.equal(build.buildNumber, '2.2.0');
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.match(stderr, /GET \/contoso\/Shop\/_apis\/build\/builds\/101 -> 200 builds\.get/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('exits with a message naming a scenario mistake', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ projects: [{ name: 'A', builds: [{ id: 1, definition: 'missing' }] }] }));
    const child = spawn(process.execPath, [MAIN, '--scenario', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(stderr, /build 1: build definition 'missing' not found/);
  });
});
