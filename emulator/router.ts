/**
 * Matches a request to a route. Paths are matched segment by segment without regard to case (the
 * client sends "/Timeline/" and "/_apis/Release/"); each segment is decoded after splitting, so an
 * encoded "/" in a tag stays inside its segment.
 */
import type { Host, Route } from './route';

export interface Match {
  route: Route;
  params: Record<string, string>;
}

export interface Located {
  host: Host;
  /** Decoded segments after the organization (and "vsrm"). */
  segments: string[];
}

/** Splits a path into host and segments; undefined when it is not under the organization. */
export function locate(path: string, organization: string): Located | undefined {
  const raw = path.split('/').filter((s) => s.length > 0);
  let segments: string[];
  try {
    segments = raw.map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  const org = organization.toLowerCase();
  if (segments[0]?.toLowerCase() === 'vsrm' && segments[1]?.toLowerCase() === org) {
    return { host: 'release', segments: segments.slice(2) };
  }
  if (segments[0]?.toLowerCase() === org) return { host: 'collection', segments: segments.slice(1) };
  return undefined;
}

export class Router {
  private readonly compiled: Array<{ route: Route; parts: string[] }>;

  constructor(routes: Route[]) {
    this.compiled = routes.map((route) => ({ route, parts: route.pattern.split('/') }));
  }

  match(method: string, where: Located): Match | undefined {
    for (const { route, parts } of this.compiled) {
      if (route.method !== method || route.host !== where.host) continue;
      const params = matchParts(parts, where.segments);
      if (params) return { route, params };
    }
    return undefined;
  }
}

function matchParts(parts: string[], segments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.startsWith('{*')) {
      const rest = segments.slice(i);
      if (rest.length === 0) return undefined;
      params[part.slice(2, -1)] = rest.join('/');
      return params;
    }
    const segment = segments[i];
    if (segment === undefined) return undefined;
    if (part.startsWith('{')) params[part.slice(1, -1)] = segment;
    else if (part.toLowerCase() !== segment.toLowerCase()) return undefined;
  }
  return segments.length === parts.length ? params : undefined;
}
