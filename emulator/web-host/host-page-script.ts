/**
 * The host page's script: what Azure DevOps' own page does around an extension's iframe. It reads the context the
 * stand-in prepared (/context.json: project, run or release, theme, token), draws a little host chrome, frames the
 * extension page from the content origin, and answers the page over the SDK channel (host-protocol.ts):
 *
 * - `DevOps.HostControl`
 *   - `initialHandshake(options)` → `{contributionId, context: {extension, pageContext: {globalization,
 *     timeZonesConfiguration, webContext: {project, team}}, user, host}, initialConfig, themeData}` — the current
 *     format SDK.js init() reads. `themeData` only when `options.applyTheme` is not false; the page counts as loaded
 *     at once unless `options.loaded` is false, then it waits for notifyLoadSucceeded (SDK.d.ts, IExtensionInitOptions).
 *   - `getAccessToken()` → `{token}` (SDK.getAccessToken reads `.token`); `notifyLoadSucceeded()`,
 *     `notifyLoadFailed(error)` (the host shows the message), `resize(width, height)` (recorded; a height makes the
 *     frame at least that tall).
 * - `DevOps.ServiceManager.getService(contributionId)` → the service object; its methods reach the page as proxies:
 *   - `ms.vss-features.location-service`: `getResourceAreaLocation(areaId)` (the emulator's URL for that area, with
 *     a trailing slash — the release area's is the release host), `getServiceLocation()` (the collection),
 *     `routeUrl()` (not modelled: rejects).
 *   - `ms.vss-features.host-navigation-service`: `getQueryParams`, `setQueryParams` (merged into the host URL; an
 *     empty value removes the key), `getHash`, `setHash`, `replaceHash`, `onHashChanged`, `setDocumentTitle`,
 *     `navigate`, `openNewWindow`, `reload`, `getPageRoute`.
 *   - `ms.vss-tfs-web.tfs-page-data-service`: `getProject()` → `{id, name}`.
 *   - `ms.vss-build-web.build-page-data-service`: `getBuildPageData()` → `{build, definition}` on a run's page.
 * - `initialConfig` (`SDK.getConfiguration()`): on a run's tab `{onBuildChanged(handler), onViewDisplayed(cb),
 *   selectTab(id)}`, on a release's tab `{onReleaseChanged(handler), onViewDisplayed, selectTab}` (the legacy
 *   typings IBuildResultsViewExtensionConfig / IReleaseViewExtensionConfig); a handler is called with the current
 *   run or release as soon as it is registered, and again on `webHost.notifyChanged()`. The hub gets `{}`.
 * - The host calls the page's `DevOps.SdkClient.dispatchEvent("themeChanged", {detail: {data}})` when the theme
 *   changes (`webHost.setTheme('dark')`).
 *
 * `window.webHost` lets a test read what happened (`state`) and play the host's part (setTheme, notifyChanged).
 *
 * Runs in the browser from its source text (Function.prototype.toString): self-contained, type imports only. The DOM
 * types below are the few this script uses, declared here so the Node build type-checks it without the DOM library.
 */
import type { HostContextData } from './host-context';
import type { HostEndpoint, HostObjects } from './host-protocol';

interface El {
  textContent: string | null;
  className: string;
  hidden: boolean;
  style: { cssText: string; height: string; minHeight: string };
  setAttribute(name: string, value: string): void;
  append(...children: Array<El | string>): void;
}
interface FrameEl extends El {
  src: string;
  title: string;
  contentWindow: { postMessage(message: string, targetOrigin: string): void } | null;
}
interface MessageEventLike {
  data: unknown;
  source: unknown;
  origin: string;
}
declare const document: {
  title: string;
  createElement(tag: 'iframe'): FrameEl;
  createElement(tag: string): El;
  getElementById(id: string): El | null;
  documentElement: El;
};
declare const window: {
  addEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
  addEventListener(type: 'hashchange', listener: () => void): void;
  open(url: string, target?: string, features?: string): unknown;
  webHost?: unknown;
};
declare const location: { search: string; hash: string; href: string; pathname: string; reload(): void };
declare const history: { replaceState(data: unknown, unused: string, url: string): void; pushState(data: unknown, unused: string, url: string): void };

/** What a test can read through `window.webHost.state`. */
export interface WebHostState {
  /** The handshake was answered. */
  handshake: boolean;
  /** The options the page passed to SDK.init() (sdkVersion, loaded, applyTheme). */
  initOptions?: Record<string, unknown>;
  load: 'loading' | 'loaded' | 'failed';
  /** notifyLoadFailed's message. */
  failure?: string;
  /** Every call the page made on the host, as "instance.method" (services as "service-id.method"). */
  calls: string[];
  resizes: Array<[number | undefined, number | undefined]>;
  /** The theme applied now. */
  theme: string;
  /** selectTab / navigate / openNewWindow requests, recorded rather than acted on where they would leave the page. */
  requests: string[];
}

export function runHostPage(createHostEndpoint: (post: (text: string) => void, objects: HostObjects) => HostEndpoint): void {
  const HOST_KEYS = ['surface', 'project', 'theme'];
  const state: WebHostState = { handshake: false, load: 'loading', calls: [], resizes: [], theme: 'light', requests: [] };

  const el = (tag: string, className: string, text?: string): El => {
    const e = document.createElement(tag);
    e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const root = document.getElementById('host')!;
  const status = document.getElementById('host-status')!;
  const showStatus = (text: string, failed: boolean) => {
    status.textContent = text;
    status.className = failed ? 'host-status failed' : 'host-status';
    status.hidden = text === '';
  };

  /** The host page draws with the same variables it hands the page. */
  const applyHostTheme = (data: Record<string, string>) => {
    document.documentElement.style.cssText = Object.entries(data).map(([k, v]) => `--${k}: ${v}`).join('; ');
  };

  /** JSON has no dates: ISO date strings become Date objects, as the host's own client deserializes them. */
  const withDates = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(withDates);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, withDates(v)]));
    }
    if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value)) return new Date(value);
    return value;
  };

  const pageQuery = (): Record<string, string> => {
    const out: Record<string, string> = {};
    new URLSearchParams(location.search).forEach((value, key) => {
      if (!HOST_KEYS.includes(key)) out[key] = value;
    });
    return out;
  };

  async function start(): Promise<void> {
    const res = await fetch(`/context.json${location.search}`);
    const body = (await res.json()) as HostContextData & { message?: string };
    if (!res.ok) {
      showStatus(body.message ?? `The host could not prepare the page (${res.status}).`, true);
      return;
    }
    const ctx = body;
    let theme = ctx.theme;
    state.theme = theme;
    applyHostTheme(ctx.themes[theme].data);
    document.title = `${ctx.title} - ${ctx.project.name} - Azure DevOps (web host stand-in)`;

    // The chrome: organization and project, the page's title, a tab strip on a run's or release's page.
    const header = el('header', 'host-header');
    header.append(el('span', 'host-org', ctx.organization), ' / ', el('span', 'host-project', ctx.project.name), ' / ', el('span', 'host-title', ctx.title));
    root.append(header);
    if (ctx.surface !== 'hub') {
      const tabs = el('nav', 'host-tabs');
      const names = ctx.surface === 'buildTab' ? ['Summary', 'Tests', 'Release train'] : ['Pipeline', 'Variables', 'Release train'];
      for (const name of names) tabs.append(el('span', name === 'Release train' ? 'host-tab selected' : 'host-tab', name));
      root.append(tabs);
    }
    root.append(status);
    showStatus('Loading…', false);

    const frame = document.createElement('iframe');
    frame.className = 'host-frame';
    frame.title = `${ctx.extension.id} ${ctx.surface}`;
    const endpoint = createHostEndpoint((text) => frame.contentWindow?.postMessage(text, '*'), objects());
    // Only the framed page may talk to the host: its window and the content origin.
    window.addEventListener('message', (event) => {
      if (event.source !== frame.contentWindow || event.origin !== ctx.contentOrigin || typeof event.data !== 'string') return;
      endpoint.receive(event.data);
    });
    frame.src = ctx.pageUrl;
    root.append(frame);

    const buildHandlers: Array<(build: unknown) => unknown> = [];
    const releaseHandlers: Array<(release: unknown) => unknown> = [];
    const loaded = () => {
      state.load = 'loaded';
      showStatus('', false);
    };

    function track<T extends Record<string, unknown>>(name: string, object: T): T {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(object)) {
        out[key] = typeof value === 'function'
          ? (...args: unknown[]) => {
            state.calls.push(`${name}.${key}`);
            return (value as (...a: unknown[]) => unknown)(...args);
          }
          : value;
      }
      return out as T;
    }

    function initialConfig(): Record<string, unknown> {
      const common = {
        onViewDisplayed: (callback: () => unknown) => void callback(),
        selectTab: (tabId: string) => void state.requests.push(`selectTab ${tabId}`),
      };
      if (ctx.surface === 'buildTab') {
        return {
          ...common,
          onBuildChanged: (handler: (build: unknown) => unknown) => {
            buildHandlers.push(handler);
            setTimeout(() => void handler(withDates(ctx.build)), 0);
          },
        };
      }
      if (ctx.surface === 'releaseTab') {
        return {
          ...common,
          onReleaseChanged: (handler: (release: unknown) => unknown) => {
            releaseHandlers.push(handler);
            setTimeout(() => void handler(withDates(ctx.release)), 0);
          },
        };
      }
      return {};
    }

    function services(): Record<string, Record<string, unknown>> {
      const location_ = {
        getResourceAreaLocation: (areaId: string) => {
          const url = ctx.resourceAreas[String(areaId).toLowerCase()];
          if (!url) throw new Error(`The host found no resource area with id '${areaId}'.`);
          return url;
        },
        getServiceLocation: () => `${ctx.collectionUrl}/`,
        routeUrl: (routeId: string) => {
          throw new Error(`routeUrl('${routeId}') is not modelled by the web host stand-in.`);
        },
      };
      const hashHandlers: Array<(hash: string) => unknown> = [];
      window.addEventListener('hashchange', () => {
        for (const h of hashHandlers) void h(location.hash.replace(/^#/, ''));
      });
      const navigation = {
        getQueryParams: () => pageQuery(),
        setQueryParams: (params: Record<string, string | null | undefined>) => {
          const query = new URLSearchParams(location.search);
          for (const [key, value] of Object.entries(params ?? {})) {
            if (value === null || value === undefined || value === '') query.delete(key);
            else query.set(key, String(value));
          }
          history.replaceState(null, '', `${location.pathname}?${query.toString()}${location.hash}`);
        },
        getHash: () => location.hash.replace(/^#/, ''),
        setHash: (hash: string) => {
          location.hash = hash;
        },
        replaceHash: (hash: string) => history.replaceState(null, '', `${location.pathname}${location.search}#${hash}`),
        onHashChanged: (handler: (hash: string) => unknown) => void hashHandlers.push(handler),
        setDocumentTitle: (title: string) => {
          document.title = title;
        },
        navigate: (url: string) => void state.requests.push(`navigate ${url}`),
        openNewWindow: (url: string, features: string) => {
          state.requests.push(`openNewWindow ${url}`);
          window.open(url, '_blank', features);
        },
        reload: () => location.reload(),
        getPageRoute: () => ({ id: `stand-in.${ctx.surface}`, routeValues: { project: ctx.project.name } }),
      };
      const build = ctx.build as { id?: number; buildNumber?: string; definition?: { id?: number; name?: string } } | undefined;
      return {
        'ms.vss-features.location-service': track('ms.vss-features.location-service', location_),
        'ms.vss-features.host-navigation-service': track('ms.vss-features.host-navigation-service', navigation),
        'ms.vss-tfs-web.tfs-page-data-service': track('ms.vss-tfs-web.tfs-page-data-service', { getProject: () => ctx.project }),
        'ms.vss-build-web.build-page-data-service': track('ms.vss-build-web.build-page-data-service', {
          getBuildPageData: () => (build ? { build: withDates(build), definition: build.definition } : undefined),
        }),
      };
    }

    function objects(): HostObjects {
      const available = services();
      return {
        'DevOps.HostControl': track('DevOps.HostControl', {
          initialHandshake: (options: Record<string, unknown> | undefined) => {
            state.initOptions = options ?? {};
            state.handshake = true;
            if (options?.loaded !== false) loaded();
            const g = ctx.themes[theme];
            return {
              contributionId: ctx.contributionId,
              context: {
                extension: ctx.extension,
                pageContext: {
                  globalization: {
                    culture: 'en-US', explicitTheme: ctx.explicitTheme ? g.id : '', theme: g.id,
                    timeZoneId: 'UTC', timezoneOffset: 0, typeAheadDisabled: false,
                  },
                  timeZonesConfiguration: { daylightSavingsAdjustments: [] },
                  webContext: { project: ctx.project, team: ctx.team },
                },
                user: ctx.user,
                host: { id: ctx.hostId, name: ctx.organization, serviceVersion: 'web host stand-in', type: 4, isHosted: true },
              },
              initialConfig: initialConfig(),
              themeData: options?.applyTheme === false ? undefined : g.data,
            };
          },
          getAccessToken: () => ({ token: ctx.token }),
          notifyLoadSucceeded: () => loaded(),
          notifyLoadFailed: (error: unknown) => {
            state.load = 'failed';
            state.failure = typeof error === 'string' ? error : (error as { message?: string } | null)?.message ?? JSON.stringify(error);
            showStatus(`The extension failed to load: ${state.failure}`, true);
          },
          resize: (width?: number, height?: number) => {
            state.resizes.push([width, height]);
            if (typeof height === 'number') frame.style.minHeight = `${height}px`;
          },
        }),
        'DevOps.ServiceManager': track('DevOps.ServiceManager', {
          getService: (contributionId: string) => {
            const service = available[contributionId];
            if (!service) throw new Error(`The host has no service '${contributionId}'.`);
            return service;
          },
        }),
      };
    }

    window.webHost = {
      state,
      /** Switches the host's theme and tells the page, as the real host does when the user picks another theme. */
      setTheme: async (name: 'light' | 'dark') => {
        theme = name;
        state.theme = name;
        applyHostTheme(ctx.themes[name].data);
        await endpoint.call('dispatchEvent', 'DevOps.SdkClient', ['themeChanged', { detail: { data: ctx.themes[name].data } }]);
      },
      /** Reads the run or release again and hands it to the page's handlers, as the host does when it changes. */
      notifyChanged: async () => {
        const fresh = (await (await fetch(`/context.json${location.search}`)).json()) as HostContextData;
        await Promise.all([
          ...buildHandlers.map((h) => h(withDates(fresh.build))),
          ...releaseHandlers.map((h) => h(withDates(fresh.release))),
        ]);
      },
    };
  }

  start().catch((e: unknown) => showStatus(`The host page failed: ${(e as Error)?.message ?? String(e)}`, true));
}
