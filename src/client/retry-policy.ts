/**
 * How requests to Azure DevOps are retried. The client library retries almost nothing itself
 * (404 resolves to null, 429 and 500 are never retried, Retry-After is ignored), so this is ours.
 */
export interface RetryPolicy {
  /** Statuses retried with exponential backoff and jitter. */
  retryStatuses: number[];
  /** Statuses never retried: the request itself is wrong or not allowed. */
  doNotRetry: number[];
  /** Attempts at most for a failing request (throttling does not count: it waits as told). */
  maxAttempts: number;
  /** First backoff; doubled on every further attempt. */
  baseDelayMs: number;
  /** Cap of one backoff. */
  maxDelayMs: number;
  /** Fraction of each backoff drawn at random, so many tasks do not retry in step. */
  jitter: number;
  /** Wait when a 429 carries neither Retry-After nor X-RateLimit-Reset. */
  defaultThrottleWaitMs: number;
  /** Cap of one throttling wait, whatever the service asks. */
  maxThrottleWaitMs: number;
  /** Socket inactivity after which one request is abandoned (and retried as a network error). */
  requestTimeoutMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  retryStatuses: [500, 502, 503, 504],
  doNotRetry: [400, 401, 403, 404, 409, 410, 422],
  maxAttempts: 6,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  jitter: 0.3,
  defaultThrottleWaitMs: 30_000,
  maxThrottleWaitMs: 5 * 60_000,
  requestTimeoutMs: 60_000,
};

/** Backoff before attempt `attempt + 1` (attempt counts from 1). */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (1 - policy.jitter + policy.jitter * random()));
}
