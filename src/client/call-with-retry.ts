import { ApiError, CanceledError } from '../errors';
import { Localize } from '../messages';
import { Clock, Log, Sleep } from '../ports';
import { readHttpFailure } from './http-failure';
import { RequestPacing } from './request-pacing';
import { backoffMs, RetryPolicy } from './retry-policy';

/** One request as a person would name it in a message. */
export interface Operation {
  method: string;
  /** What was asked for, e.g. "builds of api, web in project 'Shop'". */
  what: string;
  /** The permission the request needs, as named in Azure DevOps security settings. */
  permission: string;
  project: string;
  /** Where that permission is granted, e.g. "Pipelines > Security". */
  grantedIn: string;
}

export interface RequestContext {
  policy: RetryPolicy;
  clock: Clock;
  sleep: Sleep;
  signal: AbortSignal;
  log: Log;
  localize: Localize;
  /** The organization's URL, named in a 401 message. */
  serviceUrl: string;
  /** Who the token belongs to, for a 403 message; looked up only when needed. */
  identity(): Promise<string>;
  /** Throttling waits stop here: past it, the caller's own timeout applies. */
  deadline?: number;
  /** Counts every request sent, for the summary and the bench. */
  onRequest?(operation: Operation): void;
  /** What the service asked of the next request on an earlier answer (Retry-After on a 200); shared by every request of the task. */
  pacing?: RequestPacing;
}

/** Thrown when a throttling wait would run past the context's deadline. */
export class DeadlineReached extends Error {}

/**
 * Runs one request under the retry policy: 429 waits as the service asks and never fails,
 * 5xx and network errors back off with jitter, 401/403 fail at once naming the permission.
 */
export async function callWithRetry<T>(operation: Operation, request: () => Promise<T>, ctx: RequestContext): Promise<T> {
  const { policy } = ctx;
  for (let attempt = 1; ; ) {
    if (ctx.signal.aborted) throw ctx.signal.reason ?? new CanceledError('Error_Canceled', [operation.what]);
    // The service asked on an earlier answer to hold the next request: hold it (within the deadline), before it blocks us.
    const held = ctx.pacing?.waitMs() ?? 0;
    if (held > 0) await sleepWithin(ctx, held);
    try {
      ctx.onRequest?.(operation);
      // A request cannot be aborted through the client library; stop waiting for it instead, so cancellation is prompt.
      return await untilAborted(request(), ctx.signal);
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const failure = readHttpFailure(error, ctx.clock.now());
      const requestInfo = { method: operation.method, url: operation.what };
      if (failure.status === 401) {
        throw new ApiError('Error_Unauthorized', [ctx.serviceUrl, operation.method, operation.what], 401, requestInfo, { cause: error });
      }
      if (failure.status === 403) {
        const who = await ctx.identity().catch(() => 'The identity of this job');
        throw new ApiError(
          'Error_PermissionDenied',
          [who, operation.method, operation.what, 403, operation.permission, operation.project, operation.grantedIn],
          403,
          requestInfo,
          { cause: error },
        );
      }
      if (failure.status === 429) {
        // Throttling is the service asking us to slow down, not a failure: wait and do not count an attempt.
        const wait = Math.min(policy.maxThrottleWaitMs, failure.retryAfterMs ?? policy.defaultThrottleWaitMs);
        const resource = failure.rateLimitResource ? `resource ${failure.rateLimitResource}` : failure.message;
        ctx.log.info(ctx.localize('Info_Throttled', resource, seconds(wait)));
        await sleepWithin(ctx, wait);
        continue;
      }
      const retryable =
        failure.network || (failure.status !== undefined && policy.retryStatuses.includes(failure.status) && !policy.doNotRetry.includes(failure.status));
      if (!retryable || attempt >= policy.maxAttempts) {
        if (failure.network) {
          throw new ApiError('Error_Network', [operation.method, operation.what, attempt, failure.message], undefined, requestInfo, { cause: error });
        }
        throw new ApiError('Error_Api', [failure.status, operation.method, operation.what, failure.message], failure.status, requestInfo, { cause: error });
      }
      const wait = backoffMs(policy, attempt);
      ctx.log.info(ctx.localize('Info_Retrying', operation.method, operation.what, failure.status ?? failure.message, attempt, policy.maxAttempts - 1, seconds(wait)));
      await sleepWithin(ctx, wait);
      attempt++;
    }
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

async function sleepWithin(ctx: RequestContext, ms: number): Promise<void> {
  if (ctx.deadline !== undefined) {
    const left = ctx.deadline - ctx.clock.now();
    if (left < ms) {
      await ctx.sleep(Math.max(0, left), ctx.signal);
      throw new DeadlineReached();
    }
  }
  await ctx.sleep(ms, ctx.signal);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(ms < 10_000 ? 1 : 0);
}
