import { Localize } from '../messages';
import { parseRetryAfter } from './http-failure';
import { Clock, Log } from '../ports';

/**
 * What the service asks of the NEXT request on an answer that succeeded. Before it blocks with 429, Azure DevOps
 * delays requests (X-RateLimit-Delay: how long this one was held, in seconds — a report, not an instruction) and may
 * send Retry-After on a 200 ("wait until that much time has passed"). A task honours Retry-After by holding its next
 * request, which keeps the whole train, sharing one identity's budget, from being blocked.
 */
export class RequestPacing {
  private notBefore = 0;
  private toldWait = false;
  private toldDelay = false;

  constructor(
    private readonly clock: Clock,
    private readonly log: Log,
    private readonly localize: Localize,
    /** Cap of one hold, whatever the service asks (the retry policy's cap of a 429 wait). */
    private readonly maxWaitMs: number,
  ) {}

  /** Reads the rate-limit headers of one answer (any status). */
  observe(headers: Record<string, string | string[] | undefined> | undefined): void {
    if (!headers) return;
    const header = (name: string) => {
      const v = headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const resource = header('x-ratelimit-resource') ?? 'requests';
    const delay = Number(header('x-ratelimit-delay'));
    if (Number.isFinite(delay) && delay > 0 && !this.toldDelay) {
      this.toldDelay = true;
      this.log.info(this.localize('Info_RateLimitDelayed', delay.toFixed(1), resource));
    }
    const retryAfter = parseRetryAfter(header('retry-after'), this.clock.now());
    if (retryAfter === undefined || retryAfter <= 0) return;
    this.notBefore = Math.max(this.notBefore, this.clock.now() + Math.min(retryAfter, this.maxWaitMs));
    if (!this.toldWait) {
      this.toldWait = true;
      this.log.info(this.localize('Info_RateLimitAdvised', (retryAfter / 1000).toFixed(0), resource));
    }
  }

  /** How long the next request must still wait, in ms (0 when it may go now). */
  waitMs(): number {
    return Math.max(0, this.notBefore - this.clock.now());
  }
}
