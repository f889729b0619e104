/**
 * The HTTP server: one pipeline per request — read, route, log, faults, authentication, api-version,
 * apply due changes, answer. Plain node:http on 127.0.0.1.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Auth } from './auth';
import { isPreflight, preflightReply, withCors } from './cors';
import { errors, ServiceError } from './errors';
import type { FaultRule, Faults } from './faults';
import { accessDenied, isDenied } from './permissions';
import type { Urls } from './render/urls';
import type { RequestLogEntry } from './request-log';
import { controllerNotFound, type Reply, type RequestContext } from './route';
import { locate, Router } from './router';
import { allRoutes } from './routes';
import type { EmulatorState } from './world/world';

export interface ServerParts {
  world: EmulatorState;
  faults: Faults;
  auth: Auth;
  log: RequestLogEntry[];
  onRequest?: (entry: RequestLogEntry) => void;
}

export class EmulatorServer {
  private readonly server: Server;
  private readonly router = new Router(allRoutes);
  private urls?: Urls;

  constructor(private readonly parts: ServerParts) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        process.stderr.write(`emulator: ${(e as Error)?.stack ?? String(e)}\n`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  }

  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  setUrls(urls: Urls): void {
    this.urls = urls;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { world, faults, auth, log } = this.parts;
    const urls = this.urls!;
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams.entries());
    const rawBody = await readBody(req);
    const body = parseBody(rawBody);
    const located = locate(path, world.organization);
    const match = located && this.router.match(method, located);
    const apiVersion = apiVersionOf(req.headers.accept, query['api-version']);
    const preflight = isPreflight(method, req.headers);
    const origin = req.headers.origin;
    const authScheme = req.headers.authorization?.split(' ', 1)[0];

    const entry: RequestLogEntry = {
      time: world.now(), method, path, query, status: 0, route: preflight ? 'cors.preflight' : match?.route.name ?? 'unknown',
      ...(apiVersion ? { apiVersion } : {}),
      ...(rawBody.length > 0 ? { body } : {}),
      ...(origin ? { origin } : {}),
      ...(authScheme ? { authScheme } : {}),
    };
    log.push(entry);
    const finish = (reply: Reply | 'reset', cors = true) => {
      if (reply === 'reset') {
        // A connection reset: the client sees a network error, no status.
        req.socket.destroy();
      } else {
        entry.status = reply.status;
        send(res, cors ? withCors(reply, req.headers, world.behaviour.corsRefused) : reply);
      }
      this.parts.onRequest?.(entry);
    };

    // A browser's preflight is answered before faults and authentication (it carries no credentials).
    if (preflight) {
      finish(preflightReply(req.headers, world.behaviour.corsRefused), false);
      return;
    }

    const decision = faults.decide(method, path, entry.route);
    if (decision.delayMs > 0) await new Promise((r) => setTimeout(r, decision.delayMs));
    const fault = decision.fault;
    if (fault) entry.fault = fault.kind;
    else if (decision.slowdown) entry.fault = 'slowdown';
    if (fault && !fault.applyWrite) {
      finish(faultReply(fault, urls), !fromFrontDoor(fault));
      return;
    }

    let reply = auth.check(req.headers, `${urls.collectionUrl}/`);
    if (!reply) {
      if (!match) {
        // What the service's front end says for a path no controller serves.
        reply = controllerNotFound(path);
      } else {
        reply = this.runRoute({ method, path, query, headers: req.headers, body, match, located: located!, apiVersion });
      }
    }
    if (decision.slowdown && !fault) reply = withRateLimitHeaders(reply, decision.slowdown);
    finish(fault ? faultReply(fault, urls) : reply, !(fault && fromFrontDoor(fault)));
  }

  private runRoute(r: {
    method: string; path: string; query: Record<string, string>; headers: IncomingMessage['headers']; body: unknown;
    match: NonNullable<ReturnType<Router['match']>>; located: NonNullable<ReturnType<typeof locate>>; apiVersion?: string;
  }): Reply {
    const { world } = this.parts;
    try {
      checkApiVersion(r.apiVersion);
      world.catchUp();
      const params = r.match.params;
      const ctx: RequestContext = {
        method: r.method, host: r.located.host, path: r.path, query: r.query, headers: r.headers, body: r.body, params,
        world, urls: this.urls!,
        project: () => {
          const p = params.project === undefined ? undefined : world.findProject(params.project);
          if (!p) throw errors.projectNotFound(params.project ?? '');
          return p;
        },
        demand: (permission, project, definition, environment) => {
          if (isDenied(world.denials, permission, project, definition, environment)) {
            throw accessDenied(world.identity, permission, project, definition);
          }
        },
      };
      return r.match.route.handle(ctx);
    } catch (e) {
      if (e instanceof ServiceError) return errorReply(e);
      process.stderr.write(`emulator: ${r.method} ${r.path}: ${(e as Error)?.stack ?? String(e)}\n`);
      return errorReply(errors.internal(randomUUID()));
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** The api-version travels in the Accept header ("application/json;api-version=7.2-preview.7") or the query. */
function apiVersionOf(accept: string | undefined, fromQuery: string | undefined): string | undefined {
  const m = /api-version=([^;,\s]+)/i.exec(accept ?? '');
  return m?.[1] ?? fromQuery;
}

function checkApiVersion(version: string | undefined): void {
  if (!version) return;
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m || Number(m[1]) * 10 + Number(m[2]) > 72) throw errors.versionOutOfRange(version);
}

export function errorReply(e: ServiceError): Reply {
  // The service repeats the message, URL-encoded, in X-TFS-ServiceError.
  return { status: e.status, body: e.body(), headers: { 'X-TFS-ServiceError': encodeURIComponent(e.message) } };
}

function faultReply(rule: FaultRule, urls: Urls): Reply | 'reset' {
  switch (rule.kind) {
    case 'reset':
      return 'reset';
    case 'unauthorized':
      return { status: 401, headers: { 'WWW-Authenticate': `Basic realm="${urls.collectionUrl}/"` } };
    case 'throttle':
      return withRateLimitHeaders(errorReply(errors.throttled(rule.resource ?? 'Core')), { ...rule, delaySeconds: rule.delaySeconds ?? 0.5 });
    case 'error':
    default: {
      const status = rule.status ?? 503;
      if (status === 502 || status === 504) {
        // Gateway failures come from the front door as HTML, not from the service.
        const title = status === 502 ? '502 Bad Gateway' : '504 Gateway Time-out';
        return { status, text: `<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`, headers: { 'Content-Type': 'text/html' } };
      }
      // A 404 stands for something that vanished between a read and a write (deleted by retention or by a person).
      if (status === 404) return errorReply(errors.vanished());
      return errorReply(status === 500 ? errors.internal(randomUUID()) : errors.unavailable(status));
    }
  }
}

/**
 * A gateway failure (502, 504) comes from the front door, not the service, so it carries no CORS headers [guess]:
 * a browser page sees a network error, not the status.
 */
function fromFrontDoor(rule: FaultRule): boolean {
  return rule.kind === 'error' && (rule.status === 502 || rule.status === 504);
}

/**
 * The headers of a throttled identity (learn.microsoft.com/azure/devops/integrate/concepts/rate-limits):
 * on a 429 that blocks, or on a normal answer while the service only slows the caller down.
 */
function withRateLimitHeaders(reply: Reply, rule: FaultRule): Reply {
  const retryAfter = rule.retryAfterSeconds ?? 10;
  return {
    ...reply,
    headers: {
      ...(reply.headers ?? {}),
      'Retry-After': String(retryAfter),
      'X-RateLimit-Resource': rule.resource ?? 'Core',
      'X-RateLimit-Delay': (rule.delaySeconds ?? 0).toFixed(3),
      'X-RateLimit-Limit': '200',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(Math.floor(Date.now() / 1000) + retryAfter),
    },
  };
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | string[]> = { ActivityId: randomUUID(), ...(reply.headers ?? {}) };
  let payload = '';
  if (reply.text !== undefined) {
    payload = reply.text;
    headers['Content-Type'] ??= 'text/plain; charset=utf-8';
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['Content-Type'] ??= 'application/json; charset=utf-8';
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}
