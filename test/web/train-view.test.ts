import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import type { Emulator } from '../../emulator';
import { harnessRun, repoRoot } from '../../emulator/agent/agent-harness';
import type { BuildInput, ProjectInput } from '../../emulator/scenario';
import { startWebHost, type HostView, type WebHost, type WebHostState } from '../../emulator/web-host';
import { waitFor } from '../emulator/support';
import { useBrowser } from '../support/browser';
import { emulatorPerTest } from '../support/emulator-per-test';
import { api, classicGateTask, classicTrainScenario, db, gateTask, gateWaitDeadlock, markupTrainScenario, SCALE, trainRun, trainScenario, web } from '../support/gate-task';
import { failedTrain, rollback, trainRunId } from '../support/rollback-train';
import { commitRun, jobToken as waitToken, waitTask, withWaiterRun, yamlProject } from '../support/wait-task';

/**
 * The live train view as a person sees it: the PACKAGED page (dist/web/train-view, what the .vsix ships) framed by
 * the Azure DevOps host stand-in from another origin (emulator/web-host, the SDK's host protocol), in real headless
 * Chromium, reading the emulator over HTTP with the token the host hands it — on trains made by running the bundled
 * tasks. Assertions read what is on the screen (text, roles) and the emulator's request log (the page's requests
 * carry its origin). The page's clock runs SCALE times faster, as the tasks' and the emulator's do (timing.ts).
 */
const contentDir = path.join(repoRoot(), 'dist');
const pagePath = 'web/train-view/train-view.html';
const contributionIds = { buildTab: 'train-run-tab', releaseTab: 'train-release-tab', hub: 'train-hub' };
/** 12 s of page time. */
const refreshRealMs = 12_000 / SCALE;
const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

const frameOf = (page: Page): FrameLocator => page.frameLocator('iframe.host-frame');

/** Waits until the view shows the text (a string matches part of an element's text). */
async function sees(page: Page, text: string | RegExp, timeout = 20_000): Promise<void> {
  try {
    await frameOf(page).getByText(text).first().waitFor({ timeout });
  } catch (error) {
    const shown = await viewText(page).catch(() => '(no frame)');
    throw new Error(`The view did not show ${text} within ${timeout} ms. It shows:\n${shown}\n${(error as Error).message}`);
  }
}

async function viewText(page: Page): Promise<string> {
  return frameOf(page).locator('body').innerText();
}

async function hostState(page: Page): Promise<WebHostState> {
  return (await page.evaluate('window.webHost.state')) as WebHostState;
}

/** The run of a member card, by its label: the card's whole text. */
async function card(page: Page, label: string): Promise<string> {
  return frameOf(page).locator(`li.member[data-member="${label}"]`).innerText();
}

/** The number the header reports: "… · 6 requests to read it". */
async function reportedRequests(page: Page): Promise<number> {
  const text = await frameOf(page).locator('header .requests').innerText();
  return Number(/(\d+) requests?/.exec(text)![1]);
}

describe('the live train view (packaged page in the Azure DevOps host stand-in, real Chromium, bundled tasks, emulator)', function () {
  this.timeout(90_000);
  const browser = useBrowser();
  const start = emulatorPerTest(SCALE);
  const hosts: WebHost[] = [];
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((h) => h.close()));
  });

  /** A host stand-in serving the packaged page, on the emulator, with the page's clock at the emulator's scale. */
  async function hostFor(e: Emulator): Promise<WebHost> {
    const token = e.token;
    const host = await startWebHost({
      contentDir,
      page: `${pagePath}?timeScale=${SCALE}&timeOrigin=${e.epochMs}`,
      collectionUrl: e.collectionUrl,
      releaseUrl: e.releaseUrl,
      token,
      contributionIds,
    });
    hosts.push(host);
    return host;
  }

  /** The page's own requests to the emulator (the host's reads carry no Origin), preflights left out. */
  const pageReads = (e: Emulator, host: WebHost) => e.requests.filter((r) => r.origin === host.contentOrigin && r.method !== 'OPTIONS');

  async function open<T>(e: Emulator, view: HostView, fn: (page: Page, host: WebHost) => Promise<T>, viewport?: { width: number; height: number }): Promise<T> {
    const host = await hostFor(e);
    return browser.visit(host.hostUrl(view), ({ page }) => fn(page, host), viewport ? { viewport } : undefined);
  }

  it('shows a member waiting on a train peer — on what, since when, what comes next — and reads it in 6 requests a refresh', async () => {
    const e = await start(withWaiterRun({
      token: waitToken,
      projects: [yamlProject(['api', 'web'], [commitRun(201, 'api', { Build: 'succeeded', Prod: 'inProgress', Smoke: 'pending' }), commitRun(202, 'web', { Build: 'succeeded', Prod: 'succeeded', Smoke: 'inProgress' })])],
    }));
    const t = waitTask(e, { dependencies: 'api@Prod\nweb@Prod', timeoutMinutes: '30' });
    await t.waitForLine(/^Waiting for 2 dependencies/);
    try {
      await open(e, { surface: 'buildTab', project: 'Shop', buildId: harnessRun.buildId }, async (page, host) => {
        await sees(page, /Waiting on api@Prod since \d\d:\d\d UTC \(\d+[smh]/);
        const waiter = await card(page, 'waiter');
        assert.match(waiter, /Waiting on a train peer · WaitForDependency in stage Deploy/);
        assert.match(waiter, /Already met: web@Prod/);
        assert.match(waiter, /Next: passes when api@Prod succeeds; fails at .* UTC unless it does/);
        assert.match(await card(page, 'api'), /Running\s+Production/);
        assert.match(await card(page, 'web'), /Succeeded\s+Production/);
        const text = await viewText(page);
        assert.ok(text.startsWith(`Release train ${harnessRun.commit}`), text);
        assert.match(text, /Members \(3\)/);
        // The step's own look: its class and its words, apart from a queued run and an approval.
        assert.equal(await frameOf(page).locator('li.member[data-member="waiter"] .step').getAttribute('data-step'), 'waitingOnPeer');
        assert.equal((await hostState(page)).load, 'loaded', 'the page told the host it loaded');

        // One refresh: the origin run, its properties and timeline; one builds list; a timeline per member run.
        assert.equal(await reportedRequests(page), 6);
        const first = pageReads(e, host).length;
        assert.equal(first % 6, 0, `the page's reads so far: ${first}`);
        // Two more refreshes, each due 12 s after the one before ended: waited for, and their spacing read from the
        // request log, rather than counted in a window of 2.5 intervals that slower reads on a loaded machine overran.
        await waitFor(() => pageReads(e, host).length >= first + 12, refreshRealMs * 10, 'two more refreshes');
        const reads = pageReads(e, host);
        for (const at of [first, first + 6]) {
          const gap = reads[at].time - reads[at - 1].time;
          assert.ok(gap >= 11_000 && gap <= 24_000, `it refreshes every 12 s: ${gap} ms (page time) after the refresh before`);
        }
        assert.ok(reads.every((r) => r.method === 'GET' && r.authScheme === 'Bearer' && r.apiVersion === '7.1'), 'reads only, with the token the host gave');
      });
    } finally {
      t.sigint();
      await t.done;
    }
  });

  it('shows a gate half full — who arrived and when, who is missing, the quorum — from the tab of a member at the gate', async () => {
    const e = await start(trainScenario([api, web, db], [trainRun(api), trainRun(web), trainRun(db, { stages: [{ identifier: 'Build', state: 'inProgress' }, { identifier: 'Gate', state: 'pending' }, { identifier: 'Deploy', state: 'pending' }] })]));
    const tasks = [api, web].map((m) => gateTask(e, m, { participants: 'api\nweb\ndb', timeoutMinutes: '30' }));
    await Promise.all(tasks.map((t) => t.waitForLine(/^Arrived at gate/)));
    try {
      await open(e, { surface: 'buildTab', project: 'Shop', buildId: api.buildId }, async (page) => {
        await sees(page, 'Gate prod');
        const gate = await frameOf(page).locator('li.gate').innerText();
        assert.match(gate, /Waiting for members — 2 of 3 needed have arrived; opens when all 3 have arrived/);
        assert.match(gate, /Arrived \(2\)\s+api at \d\d:\d\d UTC\s+web at \d\d:\d\d UTC/);
        assert.match(gate, /Missing \(1\)\s+db/);
        assert.match(await card(page, 'api'), /At gate prod since \d\d:\d\d UTC .* waiting for db/);
        assert.match(await card(page, 'db'), /Running\s+Build/);
        assert.equal(await reportedRequests(page), 6);
      });
    } finally {
      tasks.forEach((t) => t.sigint());
      await Promise.all(tasks.map((t) => t.done));
    }
  });

  it('draws a deadlock as the cycle it is: api → web → api', async () => {
    const e = await start(trainScenario([api, web], [trainRun(api), trainRun(web, { stages: [{ identifier: 'Build', state: 'inProgress' }, { identifier: 'Gate', state: 'pending' }, { identifier: 'Deploy', state: 'pending' }] })]));
    const { gate: a, wait: w } = await gateWaitDeadlock(e);
    await Promise.all([a.done, w.done]);
    await open(e, { surface: 'buildTab', project: 'Shop', buildId: api.buildId }, async (page) => {
      await sees(page, 'Deadlock');
      const cycle = frameOf(page).locator('ol.cycle');
      const drawn = (await cycle.getAttribute('aria-label'))!;
      assert.ok(['Deadlock: api → web → api', 'Deadlock: web → api → web'].includes(drawn), drawn);
      assert.deepEqual((await cycle.locator('li').allInnerTexts()).map((s) => s.replace(/\s*→\s*$/, '')), drawn.replace('Deadlock: ', '').split(' → '));
      assert.match(await card(page, 'api'), /Deadlock/);
      assert.match(await card(page, 'web'), /Deadlock/);
    });
  });

  it('shows the rollback while it runs — the plan in order, the leader, done, under way, still to do — and when it is done', async () => {
    const e = await start(failedTrain());
    const t = rollback(e, 'web');
    try {
      await open(e, { surface: 'buildTab', project: 'Shop', buildId: trainRunId('web') }, async (page) => {
        await sees(page, /^Still to do: /);
        const during = await frameOf(page).locator('.rollback').innerText();
        assert.match(during, /In progress\s+Rollback of train/);
        assert.match(during, /Led by web/);
        assert.match(during, /Plan \(3 steps, in reverse dependency order\)/);
        const r = await t.done;
        assert.equal(r.result.status, 'Succeeded', r.stdout);
        await sees(page, 'Nothing left to do.');
        const done = await frameOf(page).locator('.rollback').innerText();
        assert.match(done, /Done\s+Rollback of train/);
        const steps = await frameOf(page).locator('.rollback-steps li').allInnerTexts();
        assert.deepEqual(steps.map((s) => s.split(':')[0].replace(/^\S+\s+Done\s+/, '')), ['web', 'api', 'db-migrations']);
        assert.ok(steps.every((s) => /Done .*retry stage Prod.* at \d\d:\d\d UTC — stage Prod of run 2\.2\.0 succeeded/.test(s)), steps.join('\n'));
      });
    } finally {
      t.sigint();
      await t.done;
    }
  });

  it('shows the train from a classic release\'s tab, the release among the YAML members with its environments in order', async () => {
    const e = await start(classicTrainScenario());
    const tasks = [classicGateTask(e), gateTask(e, api, { participants: 'api\nweb\nrelease:Legacy Web', timeoutMinutes: '30' })];
    await Promise.all(tasks.map((t) => t.waitForLine(/^Arrived at gate/)));
    try {
      await open(e, { surface: 'releaseTab', project: 'Shop', releaseId: 31 }, async (page) => {
        await sees(page, 'Gate prod');
        const text = await viewText(page);
        assert.match(text, /Opened on release Release-31 of Legacy Web \(project Shop\)/);
        const legacy = await card(page, 'Legacy Web');
        assert.match(legacy, /Classic release/);
        assert.match(legacy, /Release Release-31 of Legacy Web/);
        assert.match(legacy, /Succeeded\s+QA[\s\S]*Succeeded\s+Staging[\s\S]*Running\s+Production/);
        assert.match(legacy, /At gate prod since .* waiting for web/);
        assert.match(await frameOf(page).locator('li.gate').innerText(), /Missing \(1\)\s+web/);
        assert.equal(await frameOf(page).locator('li.member[data-member="Legacy Web"] ol.stages').getAttribute('aria-label'), 'Environments');
      });
    } finally {
      tasks.forEach((t) => t.sigint());
      await Promise.all(tasks.map((t) => t.done));
    }
  });

  it('puts a clear line in the place of a member the user may not read (403), and shows the rest', async () => {
    const ops: ProjectInput = {
      name: 'Ops',
      buildDefinitions: [{ id: 51, name: 'infra', stages: ['Build', { identifier: 'Prod', name: 'Production' }] }],
      builds: [commitRun(501, 'infra', { Build: 'succeeded', Prod: 'inProgress' })],
    };
    const e = await start(withWaiterRun({ token: waitToken, projects: [yamlProject(['api'], [commitRun(201, 'api', { Build: 'succeeded', Prod: 'inProgress', Smoke: 'pending' })]), ops] }));
    const t = waitTask(e, { dependencies: 'api@Prod\nOps/infra@Prod', timeoutMinutes: '30' });
    await t.waitForLine(/^Waiting for 2 dependencies/);
    t.sigint();
    await t.done;
    // The person looking may not read project Ops (the job's identity could).
    e.state.denials.push({ permission: 'View builds', project: 'Ops' });
    await open(e, { surface: 'buildTab', project: 'Shop', buildId: harnessRun.buildId }, async (page) => {
      await sees(page, /No permission to read/);
      const line = frameOf(page).locator('li.member[data-member="Ops/infra"]').getByRole('status');
      assert.equal(await line.innerText(), '⚠ Not readable: No permission to read pipeline infra in Ops (View builds) — 403');
      assert.match(await card(page, 'api'), /Run 2\.3\.201 of api/);
      assert.match(await card(page, 'waiter'), /Canceled/);
      assert.doesNotMatch(await viewText(page), /\bat \S+ \(|Error:|undefined|\[object/, 'no stack trace, no undefined');
    });
  });

  it('follows the host\'s dark theme, and switches when the host does', async () => {
    const e = await start(trainScenario([api, web], [trainRun(api), trainRun(web)]));
    const t = gateTask(e, api, { participants: 'api\nweb', timeoutMinutes: '30' });
    await t.waitForLine(/^Arrived at gate/);
    try {
      await open(e, { surface: 'buildTab', project: 'Shop', buildId: api.buildId, theme: 'dark' }, async (page) => {
        await sees(page, 'Gate prod');
        const frame = (await (await page.waitForSelector('iframe.host-frame')).contentFrame())!;
        const colours = () => frame.evaluate(`[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color,
          getComputedStyle(document.querySelector('li.member')).backgroundColor]`) as Promise<string[]>;
        const [background, text, cardBackground] = await colours();
        assert.equal(background, 'rgb(37, 37, 37)', 'the host\'s dark background');
        assert.ok(luminance(text) > 0.6, `light text on dark: ${text}`);
        assert.ok(luminance(cardBackground) < 0.3, `a dark card: ${cardBackground}`);
        await page.evaluate("window.webHost.setTheme('light')");
        await frame.waitForFunction(`getComputedStyle(document.body).backgroundColor === 'rgb(255, 255, 255)'`);
        assert.ok(luminance((await colours())[1]) < 0.3, 'dark text on light');
      });
    } finally {
      t.sigint();
      await t.done;
    }
  });

  it('shows run names, stage names and tags with markup as the text they are, and runs none of it', async () => {
    const markup = '<img src=x onerror="window.__pwned=1;alert(1)">';
    const gateName = '<script>window.__pwned=2</script>';
    const e = await start(markupTrainScenario(markup));
    const t = gateTask(e, api, { participants: 'api\nweb', gate: gateName, timeoutMinutes: '30' });
    await t.waitForLine(/^Arrived at gate/);
    try {
      assert.ok(e.state.build(api.buildId)!.tags.some((tag) => tag.includes('<script>')), 'the tag itself carries the markup');
      await open(e, { surface: 'buildTab', project: 'Shop', buildId: api.buildId }, async (page) => {
        let dialogs = 0;
        page.on('dialog', (d) => {
          dialogs++;
          void d.dismiss();
        });
        await sees(page, `Gate ${gateName}`);
        const text = await viewText(page);
        assert.ok(text.includes(`Opened on run 2.3.0 ${markup} of api`), text);
        assert.ok(text.includes(`Gate ${markup}`), 'the stage name as text');
        assert.ok(text.includes('Run <b>web</b> of web'), 'the other run\'s name as text');
        const frame = (await (await page.waitForSelector('iframe.host-frame')).contentFrame())!;
        await later(refreshRealMs * 2);
        const found = await frame.evaluate(`({
          pwned: window.__pwned,
          images: document.querySelectorAll('img').length,
          bold: document.querySelectorAll('#train b').length,
          scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
        })`);
        assert.deepEqual(found, { pwned: undefined, images: 0, bold: 0, scripts: ['main.js'] });
        assert.equal(dialogs, 0);
      });
    } finally {
      t.sigint();
      await t.done;
    }
  });

  it('reads a 25-member train in 28 requests a refresh and draws every member, readable at 320 px', async () => {
    const names = Array.from({ length: 24 }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`);
    const builds: BuildInput[] = names.map((n, i) => commitRun(300 + i, n, { Build: 'succeeded', Prod: i % 3 === 0 ? 'succeeded' : 'inProgress', Smoke: 'pending' }));
    const e = await start(withWaiterRun({ token: waitToken, projects: [yamlProject(names, builds)] }));
    const t = waitTask(e, { dependencies: names.map((n) => `${n}@Prod`).join('\n'), timeoutMinutes: '30' });
    await t.waitForLine(/^Waiting for 24 dependencies/);
    try {
      await open(e, { surface: 'buildTab', project: 'Shop', buildId: harnessRun.buildId }, async (page, host) => {
        const started = Date.now();
        await sees(page, 'Members (25)');
        const firstRenderMs = Date.now() - started;
        assert.equal(await frameOf(page).locator('li.member').count(), 25);
        assert.equal(await reportedRequests(page), 28);
        const reads = pageReads(e, host);
        assert.equal(reads.length % 28, 0, `${reads.length} reads`);
        const frame = (await (await page.waitForSelector('iframe.host-frame')).contentFrame())!;
        const overflow = (await frame.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
        assert.ok(overflow <= 0, `nothing wider than the 320 px frame: ${overflow} px over`);
        console.log(`      25 members at 320 px: first render ${firstRenderMs} ms after the host page loaded, 28 requests a refresh`);
      }, { width: 320, height: 900 });
    } finally {
      t.sigint();
      await t.done;
    }
  });

  it('stops refreshing while the page is hidden, reads on return, and stops for good once every member\'s run has finished', async () => {
    const e = await start(withWaiterRun({
      token: waitToken,
      projects: [yamlProject(['api'], [commitRun(201, 'api', { Build: 'succeeded', Prod: 'inProgress', Smoke: 'pending' })])],
      // api's Prod succeeds (the wait is met); later both runs of the train finish.
      events: [
        { at: 60_000, build: 201, stage: 'Prod', result: 'succeeded' },
        { at: 150_000, build: 201, status: 'completed', result: 'succeeded' },
        { at: 150_000, build: harnessRun.buildId, status: 'completed', result: 'succeeded' },
      ],
    }));
    const t = waitTask(e, { dependencies: 'api@Prod', timeoutMinutes: '30' });
    await t.waitForLine(/^Waiting for/);
    await open(e, { surface: 'buildTab', project: 'Shop', buildId: harnessRun.buildId }, async (page, host) => {
      await sees(page, /refreshing every 12 s/);
      const frame = (await (await page.waitForSelector('iframe.host-frame')).contentFrame())!;
      // As the browser does when the user switches tabs: document.hidden changes, then visibilitychange fires.
      const setHidden = (hidden: boolean) => frame.evaluate(`
        Object.defineProperty(document, 'hidden', { value: ${hidden}, configurable: true });
        Object.defineProperty(document, 'visibilityState', { value: '${hidden ? 'hidden' : 'visible'}', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));`);
      await setHidden(true);
      await sees(page, 'paused while the page is hidden');
      const whileHidden = pageReads(e, host).length;
      await later(refreshRealMs * 4);
      assert.equal(pageReads(e, host).length, whileHidden, 'no read while hidden');
      await setHidden(false);
      for (let i = 0; i < 50 && pageReads(e, host).length === whileHidden; i++) await later(50);
      assert.ok(pageReads(e, host).length > whileHidden, 'reads on return');

      // The wait is met; then every run of the train finishes: the view says so and reads no more.
      const r = await t.done;
      assert.equal(r.result.status, 'Succeeded', r.stdout);
      await sees(page, "stopped: every member's run has finished", 30_000);
      const settled = pageReads(e, host).length;
      await later(refreshRealMs * 4);
      assert.equal(pageReads(e, host).length, settled, 'no read once settled');
      await frameOf(page).getByRole('button', { name: 'Refresh now' }).click();
      for (let i = 0; i < 50 && pageReads(e, host).length === settled; i++) await later(50);
      assert.ok(pageReads(e, host).length > settled, 'Refresh now reads once more');
    });
  });

  it('is usable with the keyboard: Tab reaches Refresh now with a visible focus, Enter refreshes, and the links', async () => {
    const e = await start(trainScenario([api, web], [trainRun(api), trainRun(web)]));
    const t = gateTask(e, api, { participants: 'api\nweb', timeoutMinutes: '30' });
    await t.waitForLine(/^Arrived at gate/);
    try {
      await open(e, { surface: 'buildTab', project: 'Shop', buildId: api.buildId }, async (page, host) => {
        await sees(page, 'Gate prod');
        const frame = (await (await page.waitForSelector('iframe.host-frame')).contentFrame())!;
        await frame.focus('body');
        const stops: string[] = [];
        for (let i = 0; i < 4; i++) {
          await page.keyboard.press('Tab');
          stops.push((await frame.evaluate('`${document.activeElement.tagName.toLowerCase()}:${document.activeElement.textContent}:${getComputedStyle(document.activeElement).outlineStyle}`')) as string);
        }
        assert.ok(stops.some((s) => s.startsWith('button:Refresh now:solid')), stops.join(' | '));
        assert.ok(stops.some((s) => s.startsWith('a:2.3.0-')), stops.join(' | '));
        await frame.focus('header button');
        const before = pageReads(e, host).length;
        await page.keyboard.press('Enter');
        for (let i = 0; i < 50 && pageReads(e, host).length === before; i++) await later(20);
        assert.ok(pageReads(e, host).length > before, 'Enter on Refresh now reads');
        const headings = await frameOf(page).getByRole('heading').allInnerTexts();
        assert.deepEqual(headings.slice(0, 3).map((h) => h.split('\n')[0]), [`Release train ${harnessRun.commit}`, 'Members (2)', 'api YAML pipeline']);
        const links = frameOf(page).locator('a[href]');
        for (const a of await links.all()) {
          assert.equal(await a.getAttribute('target'), '_top');
          assert.equal(await a.getAttribute('rel'), 'noopener noreferrer');
        }
      });
    } finally {
      t.sigint();
      await t.done;
    }
  });

  it('lists the project\'s trains in the hub, shows the one chosen and names it in the address, which opens it again when shared', async () => {
    const e = await start(trainScenario([api, web], [trainRun(api), trainRun(web)]));
    const t = gateTask(e, api, { participants: 'api\nweb', timeoutMinutes: '30' });
    await t.waitForLine(/^Arrived at gate/);
    const train = harnessRun.commit;
    try {
      let shared = '';
      await open(e, { surface: 'hub', project: 'Shop' }, async (page) => {
        await sees(page, 'Release trains of project Shop');
        assert.equal((await hostState(page)).load, 'loaded', 'the list shows: the host stops its spinner');
        const item = frameOf(page).locator(`li[data-train="${train}"]`);
        assert.match(await item.innerText(), /Running[\s\S]*api 2\.3\.0-api\s+▶ Running/);
        await item.getByRole('button', { name: 'Show this train' }).click();
        await sees(page, 'Gate prod');
        assert.match(await viewText(page), /Opened on run 2\.3\.0-api of api/);
        shared = new URL(page.url()).searchParams.get('train') ?? '';
      });
      assert.equal(shared, train, 'the address names the train');
      await open(e, { surface: 'hub', project: 'Shop', query: { train: shared } }, async (page) => {
        await sees(page, 'Gate prod');
        assert.equal(await frameOf(page).locator('.train-list').count(), 0, 'straight to the train');
      });
      await open(e, { surface: 'hub', project: 'Shop', query: { train: 'not-a-train' } }, async (page) => {
        await sees(page, /Train not-a-train is not among the newest runs/);
        const form = frameOf(page).locator('form');
        await form.getByLabel('Id').fill('12x');
        await form.getByRole('button', { name: 'Show the train' }).click();
        assert.match(await form.getByRole('status').innerText(), /'12x' is not a run id/);
        await form.getByLabel('Id').fill(String(api.buildId));
        await page.keyboard.press('Enter');
        await sees(page, 'Gate prod');
        assert.equal(new URL(page.url()).searchParams.get('run'), String(api.buildId));
      });
    } finally {
      t.sigint();
      await t.done;
    }
  });
});

/** Relative luminance of an rgb()/rgba() colour, 0 (black) to 1 (white). */
function luminance(colour: string): number {
  const [r, g, b] = colour.match(/[\d.]+/g)!.slice(0, 3).map((v) => Number(v) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
