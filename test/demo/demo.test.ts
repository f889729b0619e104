import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../../emulator/agent/agent-harness';

/** `npm start` without the build: the demo as a newcomer runs it, each scenario in its own process. */
function demo(args: string[]): Promise<{ code: number | null; out: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot(), 'out', 'scripts', 'demo', 'main.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, ms: Date.now() - started }));
  });
}

describe('npm start: the release train on the embedded emulator', function () {
  this.timeout(120_000);

  it('lists its scenarios with --help', async () => {
    const r = await demo(['--help']);
    assert.equal(r.code, 0);
    for (const name of ['rollback', 'happy', 'deadlock', 'timeout', 'throttling']) assert.match(r.out, new RegExp(`^  ${name} +\\S`, 'm'));
  });

  it('refuses an unknown scenario, naming the ones it has', async () => {
    const r = await demo(['--scenario', 'chaos']);
    assert.equal(r.code, 2);
    assert.match(r.out, /Unknown scenario 'chaos'\. Scenarios: rollback, happy, deadlock, timeout, throttling\./);
  });

  it('runs every scenario to its expected end in under a minute each, the default one showing waiting, gate, failure and rollback', async () => {
    const names = ['rollback', 'happy', 'deadlock', 'timeout', 'throttling'];
    const runs = await Promise.all(names.map((n) => demo(n === 'rollback' ? [] : ['--scenario', n])));
    runs.forEach((r, i) => {
      assert.equal(r.code, 0, `${names[i]}:\n${r.out}`);
      assert.match(r.out, /✔ The scenario went as expected\. Wall time/);
      assert.ok(r.ms < 60_000, `${names[i]} took ${r.ms} ms`);
      console.log(`      ${names[i]}: ${(r.ms / 1000).toFixed(1)} s`);
    });
    const story = runs[0].out;
    assert.match(story, /api +Prod +waiting +wait-for-dependency: db-migrations@Prod: run 2\.3\.0 \(#211\): stage Prod/);
    assert.match(story, /sync-gate: .*arrived/);
    assert.match(story, /web +Smoke +running +smoke test/);
    assert.match(story, /\| ↩️ `db-migrations@Prod` \| .* \| rolledBack: stage Prod of run 2\.2\.0 succeeded \|/);
    assert.match(story, /\| ↩️ `release:Legacy Web@Production` \| .* \| rolledBack: Production of release Release-30 succeeded \|/);
    // The first line is where to watch the live train view; the page it frames is served from another origin.
    const first = story.split('\n')[0];
    assert.match(first, /^Watch the train live in a browser: http:\/\/127\.0\.0\.1:\d+\/host\?surface=hub&project=Shop&train=3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39$/);
    assert.match(runs[2].out, /Deadlock: (api|web) → /);
    assert.match(runs[4].out, /requests to the emulator \(\d+ answered 429, \d+ answered 503\)/, 'the storm happened and was waited out');
  });
});
