/**
 * `npm run pictures`: the pictures of the Marketplace page (overview.md), rendered from a real demo run — the live
 * train view (the packaged page in the Azure DevOps host stand-in, as `npm start` serves it) in the light theme while
 * the train waits at its gate and in the dark theme once the rollback is done, and the summary tabs the tasks wrote —
 * with the headless Chromium that npm installs (emulator/web-host/headless-chromium.ts). Not part of the tests: the
 * PNGs it writes are committed in images/.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium } from '../emulator/web-host/headless-chromium';
import { markdownToHtml } from './markdown-html';

const root = path.resolve(__dirname, '..', '..');
const images = path.join(root, 'images');
/** What a picture shows of the view: the top of the page at this size, drawn at this scale (smaller files). */
const viewport = { width: 1280, height: 760 };
const scale = 0.6;

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-pictures-'));
  const demo = spawn(process.execPath, [path.join(root, 'out', 'scripts', 'demo', 'main.js'), '--record', work, '--stay'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  demo.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const said = (pattern: RegExp, what: string) => until(() => pattern.exec(output) ?? undefined, 120_000, what);
  const { browser } = await launchChromium();
  try {
    const hubUrl = (await said(/browser: (\S+)/, 'the train view\'s address'))[1];
    // While the train waits at its gate: who has arrived, who it waits for.
    const light = await open(browser, hubUrl);
    await sees(light, /At gate prod since/, 'a member waiting at the gate');
    await shoot(light, 'overview-view-light.png');
    // Once the rollback is done, in the dark theme.
    await said(/The train view stays at/, 'the end of the demo');
    const dark = await open(browser, `${hubUrl}&theme=dark`);
    await sees(dark, /Rollback finished/, 'the rollback done');
    await shoot(dark, 'overview-view-dark.png');
  } finally {
    await browser.close().catch(() => undefined);
    demo.kill('SIGINT');
  }
  const code = await new Promise<number | null>((resolve) => demo.on('exit', resolve));
  if (code !== 0) throw new Error(`the demo ended with exit code ${code}:\n${output}`);
  await summaries(work);
  console.log(`Wrote images/overview-view-light.png, overview-view-dark.png and overview-summary.png from a demo run (${work}).`);
}

/** The summary tabs of the rollback, the gate and the wait, as the run page would show them. */
async function summaries(work: string): Promise<void> {
  const style = `body{font-family:"Segoe UI","DejaVu Sans",sans-serif;font-size:14px;color:#201f1e;margin:24px;background:#fff}
h3{font-size:18px;font-weight:600;margin:0 0 12px} table{border-collapse:collapse;margin:8px 0 20px} th,td{border:1px solid #e1dfdd;padding:6px 10px;text-align:left}
th{background:#f3f2f1;font-weight:600} code{font-family:"DejaVu Sans Mono",monospace;background:#f3f2f1;padding:1px 4px;border-radius:3px} a{color:#0078d4;text-decoration:none}`;
  const files = fs.readdirSync(work).filter((f) => f.endsWith('.md'));
  const pick = (pattern: RegExp) => files.filter((f) => pattern.test(f)).map((f) => fs.readFileSync(path.join(work, f), 'utf8'));
  const html = [...pick(/^web-coordinated-rollback/), ...pick(/^db-migrations-sync-gate/), ...pick(/^web-wait-for-dependency/)].map(markdownToHtml).join('\n');
  const { browser } = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1320, height: 690 }, deviceScaleFactor: 0.6 })).newPage();
    await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><style>${style}</style></head><body>${html}</body></html>`);
    await page.screenshot({ path: path.join(images, 'overview-summary.png') });
  } finally {
    await browser.close();
  }
}

async function open(browser: Browser, url: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport, deviceScaleFactor: scale })).newPage();
  await page.goto(url);
  return page;
}

/** Waits until the framed view shows text matching pattern. */
async function sees(page: Page, pattern: RegExp, what: string): Promise<void> {
  const frame = (): Frame | undefined => page.frames().find((f) => f !== page.mainFrame());
  await until(async () => (pattern.test((await frame()?.innerText('body').catch(() => '')) ?? '') ? true : undefined), 120_000, what);
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(images, name) });
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`npm run pictures: gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
