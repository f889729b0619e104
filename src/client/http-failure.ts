/**
 * What went wrong with one request, read from the error azure-devops-node-api (typed-rest-client) throws:
 * `statusCode`, `result` (the parsed body), `responseHeaders`, and for 429 `rateLimit`.
 */
export interface HttpFailure {
  /** Absent for network errors (reset, refused, timeout). */
  status?: number;
  /** The service's own message (the body's `message`), or the network error's. */
  message: string;
  /** For 429: how long the service asks us to wait, in ms, if it said. */
  retryAfterMs?: number;
  /** The throttled resource (X-RateLimit-Resource), when given. */
  rateLimitResource?: string;
  network: boolean;
}

const networkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ESOCKETTIMEDOUT', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);

export function readHttpFailure(error: unknown, now: number): HttpFailure {
  const e = (error ?? {}) as Record<string, any>;
  const status: number | undefined = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const bodyMessage = typeof e.result?.message === 'string' ? e.result.message : undefined;
  const message = bodyMessage ?? (typeof e.message === 'string' ? e.message : String(error));
  if (status === undefined) {
    const network =
      networkCodes.has(e.code) || /socket hang up|Request timeout|ECONNRESET|ECONNREFUSED|network/i.test(message);
    return { message, network };
  }
  const failure: HttpFailure = { status, message, network: false };
  if (status === 429) {
    const headers = lowerKeys(e.responseHeaders);
    failure.retryAfterMs = retryAfterMs(headers, e.rateLimit, now);
    failure.rateLimitResource = headers['x-ratelimit-resource'] ?? e.rateLimit?.resource;
  }
  return failure;
}

function retryAfterMs(headers: Record<string, string>, rateLimit: any, now: number): number | undefined {
  const retryAfter = parseRetryAfter(headers['retry-after'] ?? rateLimit?.retryAfter, now);
  if (retryAfter !== undefined) return retryAfter;
  // X-RateLimit-Reset is the epoch second at which the window frees up again.
  const reset = Number(headers['x-ratelimit-reset'] ?? rateLimit?.reset);
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  return undefined;
}

function lowerKeys(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers && typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : String(v);
  }
  return out;
}

/** Retry-After is whole seconds or an HTTP date; the wait it asks for in ms, undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, now: number): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(String(value));
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
