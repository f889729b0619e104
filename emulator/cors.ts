/**
 * Cross-origin requests, answered as the service answers a browser page served from another origin (an extension's
 * page on the Marketplace CDN, `https://{publisher}.gallerycdn.vsassets.io`, calling dev.azure.com).
 *
 * The service's rule (Azure DevOps Server 2022's CrossOriginManagementService, decompiled, matches a dev.azure.com
 * answer captured in 2025 — see emulator/README.md "CORS"):
 * - a request with an `Origin` header gets the CORS headers, whatever its status (401, 404 and 429 included);
 * - an origin the organization does not list as trusted gets `Access-Control-Allow-Origin: *` and no
 *   `Access-Control-Allow-Credentials`, so a page can send its token in `Authorization` but no cookies;
 * - `OPTIONS` with `Origin` and `Access-Control-Request-Method` is a preflight: 200 with the headers, before any
 *   authentication (a browser never sends credentials on a preflight). An `OPTIONS` without them is the client's
 *   location request (azure-devops-node-api's `OPTIONS _apis/{area}`) and goes to its route as before.
 * - the headers a page may read are fixed: `X-MS-ContinuationToken` yes, `Retry-After` and `X-RateLimit-*` no.
 *
 * `behaviour.corsRefused` leaves every Access-Control header out, so a test can show what a page does when the browser
 * blocks its requests (a proxy that strips the headers, a server that does not answer CORS).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Reply } from './route';

/** The values the service sends; policy as data. */
export const SERVICE_CORS = {
  /** Seconds a browser may reuse a preflight answer (Chromium caps it at 7200). */
  maxAgeSeconds: 3600,
  allowMethods: 'OPTIONS,GET,POST,PATCH,PUT,DELETE',
  /** What a page may read besides the CORS-safelisted headers (Content-Type, Cache-Control, Expires, ...). */
  exposeHeaders: 'ActivityId,X-TFS-Session,X-MS-ContinuationToken,X-VSS-GlobalMessage,ETag',
  /** Always allowed; the service adds it to what the preflight asks for. */
  authorizationHeader: 'authorization',
} as const;

/** A browser's preflight: OPTIONS with Origin and Access-Control-Request-Method (the service's own test). */
export function isPreflight(method: string, headers: IncomingHttpHeaders): boolean {
  return method === 'OPTIONS' && nonEmpty(headers.origin) && nonEmpty(headers['access-control-request-method']);
}

/** The answer to a preflight. Refused: a plain 200 without Access-Control headers, which the browser rejects. */
export function preflightReply(headers: IncomingHttpHeaders, refused: boolean): Reply {
  return { status: 200, headers: refused ? {} : corsHeaders(headers) };
}

/** The reply with the CORS headers added when the request came from a browser page (it carried Origin). */
export function withCors(reply: Reply, headers: IncomingHttpHeaders, refused: boolean): Reply {
  if (refused || !nonEmpty(headers.origin)) return reply;
  return { ...reply, headers: { ...(reply.headers ?? {}), ...corsHeaders(headers) } };
}

function corsHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Max-Age': String(SERVICE_CORS.maxAgeSeconds),
    'Access-Control-Allow-Methods': SERVICE_CORS.allowMethods,
    'Access-Control-Expose-Headers': SERVICE_CORS.exposeHeaders,
  };
  // The service echoes what the request asks for, adding authorization when the text lacks it (its own test is
  // a substring search); a request that asks for nothing (every actual request) gets "authorization".
  const asked = headers['access-control-request-headers'];
  out['Access-Control-Allow-Headers'] = !nonEmpty(asked)
    ? SERVICE_CORS.authorizationHeader
    : asked.toLowerCase().includes(SERVICE_CORS.authorizationHeader) ? asked : `${asked}, ${SERVICE_CORS.authorizationHeader}`;
  return out;
}

function nonEmpty(value: string | string[] | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
