/**
 * A stand-in for the Azure DevOps page that hosts an extension's page, on two loopback origins (see
 * emulator/README.md "The web host"):
 * - the **host origin** serves the host page (`/host?surface=…&project=…`): a little Azure DevOps chrome around an
 *   iframe, speaking the SDK's host protocol (host-page-script.ts over host-protocol.ts);
 * - the **content origin** serves the extension's packaged files as the Marketplace CDN does (content-server.ts), so
 *   the framed page is cross-origin to the host and to the emulator, as in the real service.
 *
 *   const host = await startWebHost({ contentDir, page: 'web/train-view/train-view.html',
 *     collectionUrl: emulator.collectionUrl, releaseUrl: emulator.releaseUrl, token: emulator.token });
 *   host.hostUrl({ surface: 'buildTab', project: 'Shop', buildId: 1001, theme: 'dark' });
 *   await host.close();
 */
import * as fs from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { ContentFiles } from './content-server';
import {
  HostError, hostContext, SURFACES, type ContextSources, type ExtensionIdentity, type HostUser, type HostView, type Surface,
} from './host-context';
import { runHostPage } from './host-page-script';
import { createHostEndpoint } from './host-protocol';
import { isThemeName } from './themes';

export type { HostView, Surface, ExtensionIdentity, HostUser } from './host-context';
export type { WebHostState } from './host-page-script';
export { HOST_THEMES, type ThemeName } from './themes';

export interface WebHostOptions {
  /** The extension's files as the .vsix lays them out (or any folder holding the page and what it loads). */
  contentDir: string;
  /** The page each surface frames, as a path inside contentDir (a contribution's `properties.uri`). */
  page: string | Partial<Record<Surface, string>>;
  /** The emulator's collection URL, e.g. http://127.0.0.1:PORT/lockstep (no trailing slash). */
  collectionUrl: string;
  /** The emulator's release URL (what the location service answers for the release area). */
  releaseUrl: string;
  /** The access token the host hands the page (getAccessToken). Never printed. */
  token: string;
  /** Default: from contentDir/vss-extension.json when present, else lockstep-dev.lockstep 0.1.0. */
  extension?: Partial<ExtensionIdentity>;
  /** Contribution ids (without publisher.extension.); default those of vss-extension.json: train-run-tab, train-release-tab, train-hub. */
  contributionIds?: Partial<Record<Surface, string>>;
  /** The person looking at the page. Default "Dana Reviewer". */
  user?: HostUser;
}

export interface WebHost {
  /** e.g. http://127.0.0.1:PORT */
  readonly hostOrigin: string;
  /** e.g. http://127.0.0.1:PORT2 — the origin the page's requests carry. */
  readonly contentOrigin: string;
  /** Where the extension's files are, e.g. http://127.0.0.1:PORT2/extensions/lockstep-dev/lockstep/0.1.0/1764600000000/ */
  readonly contentBaseUrl: string;
  /** The host page for a view. */
  hostUrl(view: HostView): string;
  close(): Promise<void>;
}

const DEFAULT_CONTRIBUTIONS: Record<Surface, string> = {
  buildTab: 'train-run-tab',
  releaseTab: 'train-release-tab',
  hub: 'train-hub',
};

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const extension = extensionIdentity(options);
  const stamp = String(Date.now());
  const prefix = `/extensions/${extension.publisherId}/${extension.extensionId}/${extension.version}/${stamp}/`;
  const files = new ContentFiles(path.resolve(options.contentDir), prefix);
  const pages = pagesFor(options.page);

  const content = createServer((req, res) => files.handle(req, res));
  const contentPort = await listen(content);
  const contentOrigin = `http://127.0.0.1:${contentPort}`;

  const sources: ContextSources = {
    collectionUrl: options.collectionUrl.replace(/\/+$/, ''),
    releaseUrl: options.releaseUrl.replace(/\/+$/, ''),
    token: options.token,
    extension,
    contributionIds: { ...DEFAULT_CONTRIBUTIONS, ...(options.contributionIds ?? {}) },
    pages,
    contentOrigin,
    contentBase: `${contentOrigin}${prefix}`,
    user: options.user ?? { displayName: 'Dana Reviewer', name: 'dana.reviewer@example.com' },
  };
  const script = `'use strict';\n// The web host stand-in's page script: emulator/web-host/host-page-script.ts over host-protocol.ts.\n(${runHostPage.toString()})(${createHostEndpoint.toString()});\n`;
  const host = createServer((req, res) => {
    handleHost(req, res, sources, script).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`web host: ${(e as Error)?.message ?? String(e)}`);
    });
  });
  const hostPort = await listen(host);
  const hostOrigin = `http://127.0.0.1:${hostPort}`;

  return {
    hostOrigin,
    contentOrigin,
    contentBaseUrl: sources.contentBase,
    hostUrl: (view) => `${hostOrigin}/host?${viewQuery(view).toString()}${view.hash ? `#${view.hash}` : ''}`,
    close: async () => {
      await Promise.all([stop(host), stop(content)]);
    },
  };
}

function extensionIdentity(options: WebHostOptions): ExtensionIdentity {
  const manifestPath = path.join(options.contentDir, 'vss-extension.json');
  const manifest = fs.existsSync(manifestPath)
    ? (JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { publisher?: string; id?: string; version?: string })
    : {};
  return {
    publisherId: options.extension?.publisherId ?? manifest.publisher ?? 'lockstep-dev',
    extensionId: options.extension?.extensionId ?? manifest.id ?? 'lockstep',
    version: options.extension?.version ?? manifest.version ?? '0.1.0',
  };
}

function pagesFor(page: WebHostOptions['page']): Record<Surface, string> {
  const given = typeof page === 'string' ? { buildTab: page, releaseTab: page, hub: page } : page;
  const out = {} as Record<Surface, string>;
  for (const surface of SURFACES) {
    const p = given[surface] ?? Object.values(given).find((v) => v !== undefined);
    if (!p) throw new Error('Web host: options.page names no page.');
    out[surface] = p.replace(/^\/+/, '');
  }
  return out;
}

function viewQuery(view: HostView): URLSearchParams {
  const q = new URLSearchParams({ surface: view.surface, project: view.project });
  if (view.buildId !== undefined) q.set('buildId', String(view.buildId));
  if (view.releaseId !== undefined) q.set('releaseId', String(view.releaseId));
  if (view.theme) q.set('theme', view.theme);
  for (const [key, value] of Object.entries(view.query ?? {})) q.set(key, value);
  return q;
}

/** The view a host page URL asks for; a HostError names what is wrong. */
export function parseView(query: URLSearchParams): HostView {
  const surface = query.get('surface') ?? '';
  if (!(SURFACES as readonly string[]).includes(surface)) throw new HostError(400, `surface must be one of ${SURFACES.join(', ')}, not '${surface}'.`);
  const project = query.get('project');
  if (!project) throw new HostError(400, 'The host URL needs project=<name>.');
  const theme = query.get('theme');
  if (theme !== null && !isThemeName(theme)) throw new HostError(400, `theme must be light or dark, not '${theme}'.`);
  const id = (key: string) => {
    const raw = query.get(key);
    if (raw === null) return undefined;
    if (!/^\d+$/.test(raw)) throw new HostError(400, `${key} must be a number, not '${raw}'.`);
    return Number(raw);
  };
  return { surface: surface as Surface, project, buildId: id('buildId'), releaseId: id('releaseId'), ...(theme ? { theme } : {}) };
}

async function handleHost(req: IncomingMessage, res: ServerResponse, sources: ContextSources, script: string): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://host');
  if (req.method !== 'GET') {
    res.writeHead(405, { Allow: 'GET' }).end();
    return;
  }
  switch (url.pathname) {
    case '/host':
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(HOST_HTML);
      return;
    case '/host.js':
      res.writeHead(200, { 'Content-Type': 'application/javascript; charset=utf-8', 'Cache-Control': 'no-store' }).end(script);
      return;
    case '/context.json': {
      // Holds the token: for the host page's own script only (same origin; no CORS headers).
      let status = 200;
      let body: unknown;
      try {
        body = await hostContext(parseView(url.searchParams), sources);
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        status = e.status;
        body = { message: e.message };
      }
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
      return;
    }
    default:
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
  }
}

/** The host page: chrome and frame are drawn by host.js, with the host theme's variables. */
const HOST_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Azure DevOps (web host stand-in)</title>
<style>
  html, body { height: 100%; margin: 0; }
  body { display: flex; flex-direction: column; font-family: "Segoe UI", "DejaVu Sans", sans-serif; font-size: 14px;
    background: var(--background-color, #fff); color: var(--text-primary-color, #000); }
  #host { display: flex; flex-direction: column; flex: 1; min-height: 0; }
  .host-header { padding: 10px 16px; border-bottom: 1px solid rgba(var(--palette-neutral-8, 234, 234, 234), 1);
    color: var(--text-secondary-color, #666); }
  .host-title { color: var(--text-primary-color, #000); font-weight: 600; }
  .host-tabs { display: flex; gap: 20px; padding: 8px 16px 0; border-bottom: 1px solid rgba(var(--palette-neutral-8, 234, 234, 234), 1); }
  .host-tab { padding-bottom: 6px; color: var(--text-secondary-color, #666); }
  .host-tab.selected { color: var(--text-primary-color, #000); border-bottom: 2px solid rgba(var(--palette-primary, 0, 120, 212), 1); }
  .host-status { padding: 8px 16px; color: var(--text-secondary-color, #666); }
  .host-status.failed { color: rgba(var(--palette-accent1-dark, 168, 0, 0), 1); }
  .host-frame { flex: 1; width: 100%; min-height: 0; border: 0; display: block; }
</style>
</head>
<body>
<div id="host-status" class="host-status">Loading…</div>
<main id="host"></main>
<script src="/host.js"></script>
</body>
</html>
`;

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
