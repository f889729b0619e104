/**
 * What the host page knows before it frames the extension: the organization, the project, the user, the run or
 * release the page is on, the contribution, the theme. The real host has these from its own page data; the stand-in
 * reads the project, the build and the release from the emulator (server side, with the token, no Origin — so these
 * reads are in the emulator's request log without `origin`, apart from the page's).
 *
 * The build and release handed to `onBuildChanged` / `onReleaseChanged` are shaped as the host's own REST client
 * holds them: the web UI asks the service with `enumsAsNumbers=true;excludeUrls=true;msDateFormat=true` (seen in a
 * captured request of the build results page), so enums are numbers, `url`/`_links` are absent and dates are Date
 * objects (made in the browser: JSON has no dates). That the contribution gets that very object is a guess; a page
 * should take only the id and project from it and read the rest itself.
 */
import * as BuildInterfaces from 'azure-devops-node-api/interfaces/BuildInterfaces';
import * as ReleaseInterfaces from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { guidFor } from '../ids';
import { resourceAreas } from '../locations';
import { HOST_THEMES, type ThemeName } from './themes';

export type Surface = 'buildTab' | 'releaseTab' | 'hub';
export const SURFACES: readonly Surface[] = ['buildTab', 'releaseTab', 'hub'];

/** What a host page URL asks for. */
export interface HostView {
  surface: Surface;
  /** Project name (as in a URL of the real host). */
  project: string;
  buildId?: number;
  releaseId?: number;
  /** Default light. */
  theme?: ThemeName;
  /** Further query parameters of the host page (the hub's shareable link, e.g. {train: '…'}). */
  query?: Record<string, string>;
  /** The host page's hash, without '#'. */
  hash?: string;
}

/** Query keys the stand-in reads itself; the rest is the page's (getQueryParams). buildId/releaseId stay, as on the real pages. */
export const HOST_QUERY_KEYS = ['surface', 'project', 'theme'];

export interface ExtensionIdentity {
  publisherId: string;
  extensionId: string;
  version: string;
}

export interface HostUser {
  displayName: string;
  /** Login (email). */
  name: string;
}

/** Everything host.js needs, as JSON (served at /context.json, same origin only). */
export interface HostContextData {
  surface: Surface;
  theme: ThemeName;
  explicitTheme: boolean;
  themes: typeof HOST_THEMES;
  /** The iframe's src on the content origin. */
  pageUrl: string;
  contentOrigin: string;
  token: string;
  collectionUrl: string;
  /** area id (lower case) -> root URL with a trailing slash, as the location service answers. */
  resourceAreas: Record<string, string>;
  contributionId: string;
  extension: { id: string; publisherId: string; extensionId: string; version: string; baseUri: string };
  organization: string;
  hostId: string;
  project: { id: string; name: string };
  team: { id: string; name: string };
  user: { descriptor: string; id: string; name: string; displayName: string; imageUrl: string };
  /** The build (buildTab) or release (releaseTab), host-shaped; dates still ISO strings. */
  build?: Record<string, unknown>;
  release?: Record<string, unknown>;
  /** For the page title and header. */
  title: string;
}

/** A failure the host page shows instead of the frame (the real host would show its own error page). */
export class HostError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface ContextSources {
  collectionUrl: string;
  releaseUrl: string;
  token: string;
  extension: ExtensionIdentity;
  contributionIds: Record<Surface, string>;
  pages: Record<Surface, string>;
  contentOrigin: string;
  contentBase: string;
  user: HostUser;
}

export async function hostContext(view: HostView, sources: ContextSources): Promise<HostContextData> {
  const { collectionUrl, releaseUrl, token, extension } = sources;
  const organization = decodeURIComponent(new URL(collectionUrl).pathname.split('/').filter(Boolean).pop() ?? '');
  const read = (url: string, what: string) => readJson(url, token, what);

  const project = await read(`${collectionUrl}/_apis/projects/${encodeURIComponent(view.project)}?api-version=7.1`, `project '${view.project}'`);
  const projectRef = { id: String(project.id), name: String(project.name) };
  const context: HostContextData = {
    surface: view.surface,
    theme: view.theme ?? 'light',
    explicitTheme: view.theme !== undefined,
    themes: HOST_THEMES,
    pageUrl: `${sources.contentBase}${sources.pages[view.surface]}`,
    contentOrigin: sources.contentOrigin,
    token,
    collectionUrl,
    resourceAreas: Object.fromEntries(resourceAreas(collectionUrl, releaseUrl).map((a) => [a.id.toLowerCase(), a.locationUrl])),
    contributionId: `${extension.publisherId}.${extension.extensionId}.${sources.contributionIds[view.surface]}`,
    extension: { id: `${extension.publisherId}.${extension.extensionId}`, ...extension, baseUri: sources.contentBase },
    organization,
    hostId: guidFor(`collection/${organization}`),
    project: projectRef,
    team: { id: guidFor(`team/${projectRef.id}`), name: `${projectRef.name} Team` },
    user: userContext(sources.user, collectionUrl),
    title: projectRef.name,
  };

  if (view.surface === 'buildTab') {
    if (view.buildId === undefined) throw new HostError(400, 'A build tab needs buildId in the host URL.');
    const build = await read(`${collectionUrl}/${encodeURIComponent(view.project)}/_apis/build/builds/${view.buildId}?api-version=7.1`, `build ${view.buildId}`);
    context.build = hostShaped(build, BUILD_ENUMS);
    context.title = `${(build.definition as { name?: string } | undefined)?.name ?? 'Run'} ${String(build.buildNumber ?? view.buildId)}`;
  } else if (view.surface === 'releaseTab') {
    if (view.releaseId === undefined) throw new HostError(400, 'A release tab needs releaseId in the host URL.');
    const release = await read(`${releaseUrl}/${encodeURIComponent(view.project)}/_apis/release/releases/${view.releaseId}?api-version=7.1`, `release ${view.releaseId}`);
    context.release = hostShaped(release, RELEASE_ENUMS);
    context.title = String(release.name ?? `Release ${view.releaseId}`);
  } else {
    context.title = 'Release trains';
  }
  return context;
}

function userContext(user: HostUser, collectionUrl: string): HostContextData['user'] {
  const id = guidFor(`user/${user.name}`);
  const descriptor = `aad.${Buffer.from(id).toString('base64').replace(/=+$/, '')}`;
  return { descriptor, id, name: user.name, displayName: user.displayName, imageUrl: `${collectionUrl}/_apis/GraphProfile/MemberAvatars/${descriptor}` };
}

async function readJson(url: string, token: string, what: string): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
  } catch (e) {
    throw new HostError(502, `The host could not reach the service for ${what}: ${(e as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // plain text
    }
    throw new HostError(res.status === 404 ? 404 : 502, `The host could not read ${what}: ${res.status} ${message}`.trim());
  }
  return JSON.parse(text) as Record<string, unknown>;
}

type EnumMap = Record<string, { enumValues: Record<string, number> }>;

/** Field -> enum (camelCase names as on the wire), for the fields a page might be tempted to read. */
const BUILD_ENUMS: EnumMap = {
  status: BuildInterfaces.TypeInfo.BuildStatus,
  result: BuildInterfaces.TypeInfo.BuildResult,
  reason: BuildInterfaces.TypeInfo.BuildReason,
};
const RELEASE_ENUMS: EnumMap = {
  status: ReleaseInterfaces.TypeInfo.ReleaseStatus,
  reason: ReleaseInterfaces.TypeInfo.ReleaseReason,
  'environments.status': ReleaseInterfaces.TypeInfo.EnvironmentStatus,
};

/** Enums as numbers and without url/_links, as the web UI's client holds them (excludeUrls, enumsAsNumbers). */
export function hostShaped(value: Record<string, unknown>, enums: EnumMap): Record<string, unknown> {
  const strip = (v: unknown, at: string): unknown => {
    if (Array.isArray(v)) return v.map((item) => strip(item, at));
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
      if (key === 'url' || key === '_links') continue;
      const path = at ? `${at}.${key}` : key;
      const e = enums[path];
      out[key] = e && typeof item === 'string' ? e.enumValues[item] ?? item : strip(item, path);
    }
    return out;
  };
  return strip(value, '') as Record<string, unknown>;
}
