import * as path from 'node:path';
import { startEmulator } from '../emulator';
import { harnessRun } from '../emulator/agent/agent-harness';
import { startWebHost } from '../emulator/web-host';
import { launchChromium } from '../emulator/web-host/headless-chromium';
import { FetchSource } from '../src/snapshot/fetch-source';
import { readTrain } from '../src/snapshot/read-train';
import { benchToken, currentRun, serviceNames, shopScenario, waitTask } from './bench-scenarios';
import { median } from './bench-stats';

/** The live train view of one train: its first render in a real browser, and what one refresh reads. */
export interface ViewRow {
  members: number;
  /** Host page opened → every member drawn (the packaged page in the host stand-in, headless Chromium), median. */
  firstRenderMs: number;
  /** The page's own requests to the service in its first refresh (CORS preflights apart). */
  requests: number;
  preflights: number;
  /** The reader alone (readTrain over fetch from Node), one refresh, median. */
  readMs: number;
  samples: number;
}

const root = path.resolve(__dirname, '..', '..');

/**
 * A train of `members` — this run waiting (WaitForDependency, the bundled task) on the others' Prod — opened on this
 * run's "Release train" tab, `samples` times each in a fresh browser context, so each first render pays the page's
 * load, the SDK handshake, the token and location calls, and the preflights of a cold cache.
 */
export async function measureView(sizes: number[], samples: number): Promise<ViewRow[]> {
  const { browser } = await launchChromium();
  const rows: ViewRow[] = [];
  try {
    for (const members of sizes) {
      const names = serviceNames(members - 1);
      const emulator = await startEmulator({ scenario: shopScenario(names, names.map((n, i) => currentRun(300 + i, n))), timeScale: 1 });
      const task = waitTask(emulator.collectionUrl, { dependencies: names.map((n) => `${n}@Prod`).join('\n'), timeoutMinutes: '30' }, 1);
      const host = await startWebHost({ contentDir: path.join(root, 'dist'), page: 'web/train-view/train-view.html', collectionUrl: emulator.collectionUrl, releaseUrl: emulator.releaseUrl, token: emulator.token });
      try {
        await task.waitForLine(/^Waiting for \d+ dependenc/);
        const renders: number[] = [];
        let requests = 0;
        let preflights = 0;
        for (let i = 0; i < samples; i++) {
          const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
          const page = await context.newPage();
          const from = emulator.requests.length;
          const started = Date.now();
          await page.goto(host.hostUrl({ surface: 'buildTab', project: 'Shop', buildId: harnessRun.buildId }));
          const frame = await (await page.waitForSelector('iframe')).contentFrame();
          // The last member's card drawn (the page's CSP refuses evaluated strings, so a locator, not a function, waits).
          await frame!.locator('li.member').nth(members - 1).waitFor({ timeout: 30_000 });
          renders.push(Date.now() - started);
          const page$ = emulator.requests.slice(from).filter((q) => q.origin === host.contentOrigin);
          requests = page$.filter((q) => q.method !== 'OPTIONS').length;
          preflights = page$.length - requests;
          await context.close();
        }
        const source = new FetchSource({ collectionUrl: emulator.collectionUrl, releaseUrl: emulator.releaseUrl, token: benchToken });
        const reads: number[] = [];
        for (let i = 0; i < samples; i++) {
          const started = performance.now();
          await readTrain(source, { kind: 'build', project: 'Shop', id: harnessRun.buildId });
          reads.push(performance.now() - started);
        }
        rows.push({ members, firstRenderMs: median(renders), requests, preflights, readMs: median(reads), samples });
      } finally {
        task.sigint();
        await task.done;
        await host.close();
        await emulator.close();
      }
    }
  } finally {
    await browser.close();
  }
  return rows;
}
