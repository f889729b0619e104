/**
 * `npm run pictures`: the pictures of the Marketplace page (overview.md), rendered from the real outputs of a demo
 * run — the live train view and the summary tabs — with headless Chromium from Debian's packages
 * (`apt-get install chromium`). Not part of the tests: the PNGs it writes are committed in images/.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { markdownToHtml } from './markdown-html';

const root = path.resolve(__dirname, '..', '..');
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
if (!chromium) {
  console.error('No Chromium found: install it with `apt-get install chromium` (Debian), then run again.');
  process.exit(1);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-pictures-'));
const demo = spawnSync(process.execPath, [path.join(root, 'out', 'scripts', 'demo', 'main.js'), '--record', work], { encoding: 'utf8' });
if (demo.status !== 0) {
  console.error(demo.stdout, demo.stderr);
  process.exit(1);
}

const page = (body: string, style: string) => `<!doctype html><html><head><meta charset="utf-8"><style>${style}</style></head><body>${body}</body></html>`;
const summaryStyle = `body{font-family:"Segoe UI","DejaVu Sans",sans-serif;font-size:14px;color:#201f1e;margin:24px;background:#fff}
h3{font-size:18px;font-weight:600;margin:0 0 12px} table{border-collapse:collapse;margin:8px 0 20px} th,td{border:1px solid #e1dfdd;padding:6px 10px;text-align:left}
th{background:#f3f2f1;font-weight:600} code{font-family:"DejaVu Sans Mono",monospace;background:#f3f2f1;padding:1px 4px;border-radius:3px} a{color:#0078d4;text-decoration:none}`;
const boardStyle = `body{margin:0;background:#1e1e1e} pre{font-family:"DejaVu Sans Mono",monospace;font-size:13px;color:#d4d4d4;padding:18px 22px;margin:0;white-space:pre}`;

const summaries = fs.readdirSync(work).filter((f) => f.endsWith('.md'));
const pick = (pattern: RegExp) => summaries.filter((f) => pattern.test(f)).map((f) => fs.readFileSync(path.join(work, f), 'utf8'));
const summaryHtml = [...pick(/^web-coordinated-rollback/), ...pick(/^db-migrations-sync-gate/), ...pick(/^web-wait-for-dependency/)].map(markdownToHtml).join('\n');
const text = (name: string) => fs.readFileSync(path.join(work, name), 'utf8').replace(/&/g, '&amp;').replace(/</g, '&lt;');
const board = `${text('board-busiest.txt')}\n  … web's smoke test fails; CoordinatedRollback puts every member back on 2.2.0 …\n\n${text('board-final.txt')}`;

shoot(page(summaryHtml, summaryStyle), 'overview-summary.png', 1320, 690);
shoot(page(`<pre>$ npm start\n\n${board}</pre>`, boardStyle), 'overview-train.png', 1420, 270);
console.log(`Wrote images/overview-summary.png and images/overview-train.png from a demo run (${work}).`);

function shoot(html: string, name: string, width: number, height: number): void {
  const file = path.join(work, `${name}.html`);
  fs.writeFileSync(file, html);
  // Flags that keep Chromium from reaching out to the network this machine does not have.
  execFileSync(chromium!, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--hide-scrollbars', '--force-device-scale-factor=0.6', `--user-data-dir=${path.join(work, 'profile')}`,
    `--window-size=${width},${height}`, `--screenshot=${path.join(root, 'images', name)}`, `file://${file}`,
  ], { stdio: 'ignore' });
}
