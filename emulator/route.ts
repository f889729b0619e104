/** What a route is and what it gets: the request, the world, and helpers to answer in the service's way. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Urls } from './render/urls';
import type { SecurityTarget } from './permissions';
import type { PermissionName } from './scenario';
import type { ProjectState } from './world/model';
import type { EmulatorState } from './world/world';

/** collection = dev.azure.com/{org}; release = vsrm.dev.azure.com/{org}. */
export type Host = 'collection' | 'release';

export interface Reply {
  status: number;
  /** JSON body; omitted = empty body. */
  body?: unknown;
  /** A text/plain body instead of JSON. */
  text?: string;
  headers?: Record<string, string | string[]>;
}

export interface RequestContext {
  readonly method: string;
  readonly host: Host;
  /** Path as sent, without the query. */
  readonly path: string;
  /** Decoded query parameters. */
  readonly query: Record<string, string>;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body (undefined when empty; the raw text when it is not JSON). */
  readonly body: unknown;
  /** Decoded route values, by the names in the route's pattern. */
  readonly params: Record<string, string>;
  readonly world: EmulatorState;
  readonly urls: Urls;
  /** The project the route names; throws the service's 404 when there is none. */
  project(): ProjectState;
  /** Throws the service's 403 when the scenario denies the permission (on this scope or one above it). */
  demand(
    permission: PermissionName, project: ProjectState, definition?: SecurityTarget['definition'],
    environment?: SecurityTarget['environment'],
  ): void;
}

export interface Route {
  /** Stable name for the request log and fault rules, e.g. "builds.list". */
  name: string;
  method: string;
  host: Host;
  /** Path after the organization, e.g. "{project}/_apis/build/builds/{buildId}"; `{*x}` takes the rest. */
  pattern: string;
  handle(ctx: RequestContext): Reply;
}

export function ok(body: unknown): Reply {
  return { status: 200, body };
}

/** The `{count, value}` envelope every list travels in. */
export function list(items: unknown[]): Reply {
  return { status: 200, body: { count: items.length, value: items } };
}

/** What the service's front end says for a path no controller serves: 404 text/plain. */
export function controllerNotFound(path: string): Reply {
  return { status: 404, text: `The controller for path '${path}' was not found or does not implement IController.` };
}
