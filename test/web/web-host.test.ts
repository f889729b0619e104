import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { startEmulator, type Emulator } from '../../emulator';
import { startWebHost, type WebHost, type WebHostState } from '../../emulator/web-host';
import { shopScenario } from '../emulator/support';
import { useBrowser } from '../support/browser';

const root = path.resolve(__dirname, '..', '..', '..');
const fixtureDir = path.join(root, 'test', 'fixtures', 'web-host');
const SHOP_ID = '6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c';

/** What the fixture page wrote, by element id, once it is done (loaded or failed). */
async function fixtureSays(page: Page): Promise<Record<string, string>> {
  const frame = page.frameLocator('iframe.host-frame');
  await frame.locator('#done:not(:empty)').waitFor({ timeout: 15_000 });
  const fields = await frame.locator('dd').evaluateAll((dds: Array<{ id: string; textContent: string | null }>) => dds.map((d) => [d.id, d.textContent ?? '']));
  return Object.fromEntries(fields);
}

async function hostState(page: Page): Promise<WebHostState> {
  return (await page.evaluate('window.webHost.state')) as WebHostState;
}

/** The frame's document, to evaluate in (the fixture's frame is on the content origin). */
async function fixtureFrame(page: Page) {
  const frame = await (await page.waitForSelector('iframe.host-frame')).contentFrame();
  assert.ok(frame, 'the host page has a frame');
  return frame;
}

describe('web host: the extension page framed as Azure DevOps frames it, in real Chromium', function () {
  this.timeout(60_000);
  const browser = useBrowser();
  let em: Emulator;
  let host: WebHost;
  let contentDir: string;
  let started = 0;

  before(async () => {
    started = Date.now();
    em = await startEmulator({ scenario: shopScenario(), timeScale: 1 });
    contentDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-web-host-'));
    await build({
      entryPoints: [path.join(fixtureDir, 'fixture-page.ts')],
      outfile: path.join(contentDir, 'fixture', 'fixture.js'),
      bundle: true, platform: 'browser', format: 'iife', target: 'chrome120', logLevel: 'silent',
    });
    fs.copyFileSync(path.join(fixtureDir, 'fixture.html'), path.join(contentDir, 'fixture', 'fixture.html'));
    host = await startWebHost({
      contentDir, page: 'fixture/fixture.html', collectionUrl: em.collectionUrl, releaseUrl: em.releaseUrl, token: em.token,
    });
  });

  after(async () => {
    await host?.close();
    await em?.close();
    fs.rmSync(contentDir, { recursive: true, force: true });
    process.stdout.write(`      (Chromium launched in ${browser.launchMs} ms; this file's setup and tests took ${Date.now() - started} ms)\n`);
  });

  beforeEach(() => {
    em.clearLog();
    em.state.behaviour.corsRefused = false;
  });

  /** The emulator requests the framed page sent (the host's own reads carry no Origin). */
  const pageRequests = () => em.requests.filter((r) => r.origin === host.contentOrigin).map((r) => [r.route, r.status, r.authScheme ?? '-']);

  it('frames the page from another origin and completes the SDK handshake with the project, contribution and configuration', () =>
    browser.visit(host.hostUrl({ surface: 'buildTab', project: 'Shop', buildId: 202 }), async ({ page }) => {
      const says = await fixtureSays(page);
      assert.equal(says.error, '');
      assert.equal(says.done, 'loaded');
      const frame = await fixtureFrame(page);
      assert.equal(new URL(frame.url()).origin, host.contentOrigin);
      assert.notEqual(host.contentOrigin, host.hostOrigin);
      assert.ok(frame.url().startsWith(host.contentBaseUrl), frame.url());
      assert.equal(says.project, `Shop ${SHOP_ID}`);
      assert.equal(says.contribution, 'lockstep-dev.lockstep.train-run-tab');
      assert.equal(says.config, 'onBuildChanged,onViewDisplayed,selectTab');
      const state = await hostState(page);
      assert.equal(state.handshake, true);
      assert.deepEqual(state.initOptions, { loaded: false, sdkVersion: 5 });
      assert.equal(state.load, 'loaded', 'the page called notifyLoadSucceeded');
      assert.deepEqual(state.resizes.length, 1);
      for (const call of ['DevOps.HostControl.initialHandshake', 'DevOps.HostControl.getAccessToken', 'DevOps.ServiceManager.getService',
        'ms.vss-features.location-service.getResourceAreaLocation', 'DevOps.HostControl.notifyLoadSucceeded']) {
        assert.ok(state.calls.includes(call), `${call} in ${state.calls.join(', ')}`);
      }
    }));

  it('hands the page the token, which reaches the emulator as Bearer after a CORS preflight', () =>
    browser.visit(host.hostUrl({ surface: 'buildTab', project: 'Shop', buildId: 202 }), async ({ page }) => {
      const says = await fixtureSays(page);
      assert.equal(says.url, `${em.collectionUrl}/Shop/_apis/build/builds/202?api-version=7.1`);
      assert.equal(says.fetch, '200 2.3.0');
      assert.deepEqual(pageRequests(), [['cors.preflight', 200, '-'], ['builds.get', 200, 'Bearer']]);
    }));

  it('delivers the run through onBuildChanged as the host holds it (enums as numbers, dates as Date objects, no url), and again when it changes', () =>
    browser.visit(host.hostUrl({ surface: 'buildTab', project: 'Shop', buildId: 202 }), async ({ page }) => {
      const says = await fixtureSays(page);
      assert.equal(says.subject, 'build 202: status number 1, queueTime Date, url absent');
      assert.equal(says.changes, '1');
      await page.evaluate('window.webHost.notifyChanged()');
      await page.frameLocator('iframe.host-frame').locator('#changes', { hasText: '2' }).waitFor();
    }));

  it('applies the dark theme to the framed page, and the light one when the host switches', () =>
    browser.visit(host.hostUrl({ surface: 'buildTab', project: 'Shop', buildId: 202, theme: 'dark' }), async ({ page }) => {
      const says = await fixtureSays(page);
      assert.equal(says.theme, 'ms.vss-web.vsts-theme-dark');
      const frame = await fixtureFrame(page);
      const css = (expression: string) => frame.evaluate(expression) as Promise<string>;
      assert.equal((await css(`getComputedStyle(document.documentElement).getPropertyValue('--palette-neutral-0')`)).trim(), '37, 37, 37');
      assert.equal(await css('getComputedStyle(document.body).backgroundColor'), 'rgb(37, 37, 37)');
      assert.equal(await css('getComputedStyle(document.body).color'), 'rgba(212, 212, 212, 0.9)');
      await page.evaluate(`window.webHost.setTheme('light')`);
      assert.equal(await css('getComputedStyle(document.body).backgroundColor'), 'rgb(255, 255, 255)');
      assert.equal((await hostState(page)).theme, 'light');
    }));

  it('gives a release tab the release and the release host as the release area\'s location', () =>
    browser.visit(host.hostUrl({ surface: 'releaseTab', project: 'Shop', releaseId: 31 }), async ({ page }) => {
      const says = await fixtureSays(page);
      assert.equal(says.error, '');
      assert.equal(says.config, 'onReleaseChanged,onViewDisplayed,selectTab');
      assert.equal(says.subject, 'release 31: status number 2, createdOn Date, url absent');
      assert.equal(says.url, `${em.releaseUrl}/Shop/_apis/release/releases/31?api-version=7.1`);
      assert.match(says.fetch, /^200 \S/);
      assert.deepEqual(pageRequests(), [['cors.preflight', 200, '-'], ['release.releases.get', 200, 'Bearer']]);
    }));

  it('answers the hub\'s navigation service with the host page\'s query, and lets the page change it', () =>
    browser.visit(host.hostUrl({ surface: 'hub', project: 'Shop', query: { train: 'shop-2.3' } }), async ({ page }) => {
      const says = await fixtureSays(page);
      assert.equal(says.error, '');
      assert.equal(says.contribution, 'lockstep-dev.lockstep.train-hub');
      assert.equal(says.config, '');
      assert.equal(says.subject, 'query {"train":"shop-2.3"}');
      assert.equal(new URL(page.url()).searchParams.get('train'), 'picked-by-the-page');
      assert.equal(says.fetch, '200 count 2');
    }));

  it('shows that the service refused the page when CORS is refused: the fetch fails and the host hears of it', async () => {
    em.state.behaviour.corsRefused = true;
    await browser.visit(host.hostUrl({ surface: 'buildTab', project: 'Shop', buildId: 202 }), async (watch) => {
      const says = await fixtureSays(watch.page);
      assert.equal(says.done, 'failed');
      assert.equal(says.error, 'TypeError: Failed to fetch');
      assert.ok(watch.consoleErrors.some((e) => /blocked by CORS policy/.test(e)), watch.consoleErrors.join('\n'));
      const state = await hostState(watch.page);
      assert.equal(state.load, 'failed');
      assert.equal(state.failure, 'Failed to fetch');
      assert.match(await watch.page.locator('#host-status').innerText(), /The extension failed to load: Failed to fetch/);
      assert.deepEqual(pageRequests(), [['cors.preflight', 200, '-']], 'the browser stopped at the preflight');
    });
  });

  it('shows what it could not read instead of the frame, such as a run that does not exist', () =>
    browser.visit(host.hostUrl({ surface: 'buildTab', project: 'Shop', buildId: 99999 }), async ({ page }) => {
      await page.locator('#host-status.failed').waitFor();
      assert.match(await page.locator('#host-status').innerText(), /could not read build 99999: 404/);
      assert.equal(await page.locator('iframe').count(), 0);
    }));

  it('fails a visit when a page throws', async () => {
    await assert.rejects(
      browser.visit('data:text/html,<script>throw new Error("thrown by the page")</script>', async ({ page }) => {
        await page.waitForTimeout(100);
      }),
      /thrown by the page/,
    );
  });

  it('serves the package as the CDN does: its content types, exact case, nothing outside the version folder', async () => {
    const js = await fetch(`${host.contentBaseUrl}fixture/fixture.js`);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'application/javascript; charset=utf-8');
    assert.equal(js.headers.get('x-content-type-options'), 'nosniff');
    assert.equal((await fetch(`${host.contentBaseUrl}fixture/fixture.html`)).headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal((await fetch(`${host.contentBaseUrl}fixture/Fixture.html`)).status, 404, 'paths are case-sensitive');
    assert.equal((await fetch(`${host.contentBaseUrl}fixture/`)).status, 404, 'no listings');
    assert.equal((await fetch(`${host.contentBaseUrl}fixture/..%2F..%2Fpackage.json`)).status, 404);
    assert.equal((await fetch(`${host.contentOrigin}/fixture/fixture.html`)).status, 404, 'only under the version folder');
    assert.equal((await fetch(`${host.contentBaseUrl}fixture/fixture.html`, { method: 'POST' })).status, 405);
  });

  it('serves only the files the manifest marks addressable, under the manifest\'s publisher, id and version', async () => {
    const pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-web-host-pkg-'));
    try {
      fs.mkdirSync(path.join(pkg, 'web', 'view'), { recursive: true });
      fs.mkdirSync(path.join(pkg, 'tasks', 'gate'), { recursive: true });
      fs.writeFileSync(path.join(pkg, 'web', 'view', 'view.html'), '<!doctype html><p>view</p>');
      fs.writeFileSync(path.join(pkg, 'tasks', 'gate', 'task.json'), '{}');
      fs.writeFileSync(path.join(pkg, 'vss-extension.json'), JSON.stringify({
        publisher: 'acme', id: 'trains', version: '2.0.1', files: [{ path: 'web', addressable: true }, { path: 'tasks/gate' }],
      }));
      const packaged = await startWebHost({ contentDir: pkg, page: 'web/view/view.html', collectionUrl: em.collectionUrl, releaseUrl: em.releaseUrl, token: em.token });
      try {
        assert.match(packaged.contentBaseUrl, /\/extensions\/acme\/trains\/2\.0\.1\/\d+\/$/);
        assert.equal((await fetch(`${packaged.contentBaseUrl}web/view/view.html`)).status, 200);
        assert.equal((await fetch(`${packaged.contentBaseUrl}tasks/gate/task.json`)).status, 404, 'not addressable');
        assert.equal((await fetch(`${packaged.contentBaseUrl}vss-extension.json`)).status, 404, 'not addressable');
      } finally {
        await packaged.close();
      }
    } finally {
      fs.rmSync(pkg, { recursive: true, force: true });
    }
  });
});
