/**
 * The web tests' browser: a real headless Chromium from npm (emulator/web-host/headless-chromium.ts), one per describe.
 *
 *   const browser = useBrowser();          // in a describe: launches once before its tests, closes after
 *   await browser.visit(url, async (page) => { ... });   // a fresh context per visit; fails on any page error
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchChromium } from '../../emulator/web-host/headless-chromium';

export { chromiumBinary, launchChromium } from '../../emulator/web-host/headless-chromium';

/** A page being watched: what it said on the console and what it threw. */
export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console messages of type "error" from the page and its frames (a blocked request says so here). */
  consoleErrors: string[];
  /** Uncaught exceptions in the page and its frames. */
  pageErrors: string[];
}

export interface BrowserSession {
  /** The browser, once launched (in the describe's before hook). */
  readonly browser: Browser;
  /** Milliseconds the launch took. */
  readonly launchMs: number;
  /** Opens url in a fresh context; the caller closes it (watch.context.close()). */
  open(url: string, options?: BrowserContextOptions): Promise<WatchedPage>;
  /** Opens url, runs fn, then fails if the page threw anything, and closes the context. */
  visit<T>(url: string, fn: (watch: WatchedPage) => Promise<T>, options?: BrowserContextOptions): Promise<T>;
}

/** Call inside a describe: one Chromium for the describe's tests, launched before them and closed after. */
export function useBrowser(): BrowserSession {
  let browser: Browser | undefined;
  let launchMs = 0;
  before(async function () {
    this.timeout(120_000);
    ({ browser, launchMs } = await launchChromium());
  });
  after(async () => {
    await browser?.close();
  });

  const open = async (url: string, options?: BrowserContextOptions): Promise<WatchedPage> => {
    if (!browser) throw new Error('useBrowser(): the browser is not launched yet; open pages inside a test.');
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, ...options });
    const page = await context.newPage();
    const watch: WatchedPage = { page, context, consoleErrors: [], pageErrors: [] };
    page.on('console', (message) => {
      if (message.type() === 'error') watch.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => watch.pageErrors.push(error.stack ?? String(error)));
    page.on('crash', () => watch.pageErrors.push('the page crashed'));
    await page.goto(url);
    return watch;
  };

  return {
    get browser() {
      if (!browser) throw new Error('useBrowser(): the browser is not launched yet.');
      return browser;
    },
    get launchMs() {
      return launchMs;
    },
    open,
    async visit(url, fn, options) {
      const watch = await open(url, options);
      const thrown = () => `The page threw:\n${watch.pageErrors.join('\n')}\nConsole errors:\n${watch.consoleErrors.join('\n')}`;
      try {
        const result = await fn(watch);
        if (watch.pageErrors.length > 0) throw new Error(thrown());
        return result;
      } catch (error) {
        // A failed assertion may be the page's fault: say what it threw too.
        if (watch.pageErrors.length > 0 && error instanceof Error && !error.message.startsWith('The page threw')) error.message += `\n${thrown()}`;
        throw error;
      } finally {
        await watch.context.close();
      }
    },
  };
}
