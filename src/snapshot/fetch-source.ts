import type { Build, TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import type { Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { parseRetryAfter } from '../client/http-failure';
import { backoffMs, defaultRetryPolicy, RetryPolicy } from '../client/retry-policy';
import type { BuildListQuery, ReleaseListQuery, SnapshotSource } from './snapshot-source';
import { ForbiddenError, NotFoundError, SourceError } from './source-error';

export interface FetchSourceOptions {
  /** `https://dev.azure.com/org` (the host's location service says which). */
  collectionUrl: string;
  /** `https://vsrm.dev.azure.com/org`: where the Release area lives. */
  releaseUrl: string;
  /** The access token, or a function that gives a current one (the web host hands out short-lived tokens). */
  token: string | (() => string | Promise<string>);
  /** How failures are retried: the tasks' policy (retry-policy.ts) unless given. */
  policy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** The builds list answers at most 1,000 runs a page; a train's list is followed this many pages at most. */
const maxListPages = 4;
/** Every request asks for the 7.1 contract (each route the view reads is released in 7.1, the release area too). */
const apiVersion = '7.1';

/**
 * The SnapshotSource over global fetch — a browser page's, or Node 20's in tests and the bench — with a bearer token
 * and the 7.1 wire format. Failures follow the tasks' retry policy as data: 429 and 503 wait as Retry-After asks (or
 * back off), 5xx and network errors back off with jitter, within `maxAttempts` sends of one request, so a refresh
 * always ends; 403 and 404 throw at once as ForbiddenError and NotFoundError. Every send is counted.
 */
export class FetchSource implements SnapshotSource {
  readonly collectionUrl: string;
  readonly releaseUrl: string;
  private sent = 0;
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: FetchSourceOptions) {
    this.collectionUrl = options.collectionUrl.replace(/\/+$/, '');
    this.releaseUrl = options.releaseUrl.replace(/\/+$/, '');
    this.policy = options.policy ?? defaultRetryPolicy;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? (() => Date.now());
  }

  get requests(): number {
    return this.sent;
  }

  async getBuild(project: string, buildId: number): Promise<Build> {
    return (await this.get(this.build(project, `builds/${buildId}`), `run ${buildId} in project '${project}'`)).body as Build;
  }

  async getBuildProperties(project: string, buildId: number): Promise<Record<string, unknown>> {
    const { body } = await this.get(this.build(project, `builds/${buildId}/properties`), `the properties of run ${buildId} in project '${project}'`);
    return ((body as { value?: Record<string, unknown> }).value ?? {}) as Record<string, unknown>;
  }

  async getTimeline(project: string, buildId: number): Promise<TimelineRecord[]> {
    const { body } = await this.get(this.build(project, `builds/${buildId}/timeline`), `the timeline of run ${buildId} in project '${project}'`);
    return ((body as { records?: TimelineRecord[] } | null)?.records ?? []) as TimelineRecord[];
  }

  async listBuilds(project: string, query: BuildListQuery): Promise<Build[]> {
    const params: Record<string, string | number | undefined> = {
      definitions: query.definitions?.join(','),
      $top: query.top,
      maxBuildsPerDefinition: query.maxPerDefinition,
      properties: query.properties?.join(','),
      queryOrder: 'queueTimeDescending',
      branchName: query.branchName,
      tagFilters: query.tags?.join(','),
      buildNumber: query.buildNumber,
      buildIds: query.buildIds?.join(','),
      reasonFilter: query.reasonFilter,
    };
    const builds: Build[] = [];
    let continuationToken: string | undefined;
    for (let page = 0; page < maxListPages; page++) {
      const url = this.build(project, 'builds', { ...params, continuationToken });
      const answer = await this.get(url, params.definitions ? `the runs of pipelines ${params.definitions} in project '${project}'` : `the newest runs in project '${project}'`);
      builds.push(...(((answer.body as { value?: Build[] }).value ?? []) as Build[]));
      continuationToken = answer.headers.get('x-ms-continuationtoken') ?? undefined;
      // `top` asks for the newest runs only: one page.
      if (!continuationToken || query.top !== undefined) break;
    }
    return builds;
  }

  async getRelease(project: string, releaseId: number): Promise<Release> {
    return (await this.get(this.release(project, `releases/${releaseId}`), `release ${releaseId} in project '${project}'`)).body as Release;
  }

  async listReleases(project: string, query: ReleaseListQuery): Promise<Release[]> {
    const url = this.release(project, 'releases', {
      definitionId: query.definitionId,
      $top: query.top,
      $expand: 'environments,artifacts,tags',
      queryOrder: 'descending',
      statusFilter: query.activeOnly ? 'active' : undefined,
      tagFilter: query.tags?.join(','),
    });
    const { body } = await this.get(url, query.definitionId === undefined ? `the newest releases in project '${project}'` : `the releases of classic release pipeline ${query.definitionId} in project '${project}'`);
    return ((body as { value?: Release[] }).value ?? []) as Release[];
  }

  private build(project: string, path: string, params: Record<string, string | number | undefined> = {}): string {
    return withQuery(`${this.collectionUrl}/${encodeURIComponent(project)}/_apis/build/${path}`, params);
  }

  private release(project: string, path: string, params: Record<string, string | number | undefined> = {}): string {
    return withQuery(`${this.releaseUrl}/${encodeURIComponent(project)}/_apis/release/${path}`, params);
  }

  /** One GET under the retry policy. */
  private async get(url: string, what: string): Promise<{ body: unknown; headers: Headers }> {
    for (let attempt = 1; ; attempt++) {
      const token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
      this.sent++;
      let response: Response;
      try {
        response = await fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
      } catch (error) {
        if (attempt < this.policy.maxAttempts) {
          await this.sleep(backoffMs(this.policy, attempt));
          continue;
        }
        throw new SourceError(what, undefined, `Could not reach Azure DevOps for ${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (response.ok) return { body: await response.json(), headers: response.headers };
      const status = response.status;
      const retryable = status === 429 || (this.policy.retryStatuses.includes(status) && !this.policy.doNotRetry.includes(status));
      if (retryable && attempt < this.policy.maxAttempts) {
        await response.body?.cancel().catch(() => undefined);
        await this.sleep(this.waitMs(response, attempt));
        continue;
      }
      const message = `${what}: HTTP ${status} ${await serviceMessage(response)}`.trim();
      if (status === 403) throw new ForbiddenError(what, status, message);
      if (status === 404) throw new NotFoundError(what, status, message);
      throw new SourceError(what, status, message);
    }
  }

  /** 429 waits as the service asks (Retry-After, else X-RateLimit-Reset, else the policy's default); 5xx backs off, or waits as a 503's Retry-After asks. */
  private waitMs(response: Response, attempt: number): number {
    const now = this.now();
    const asked = parseRetryAfter(response.headers.get('retry-after'), now);
    if (response.status !== 429) return asked !== undefined ? Math.min(this.policy.maxThrottleWaitMs, asked) : backoffMs(this.policy, attempt);
    const reset = Number(response.headers.get('x-ratelimit-reset'));
    const untilReset = Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : undefined;
    return Math.min(this.policy.maxThrottleWaitMs, asked ?? untilReset ?? this.policy.defaultThrottleWaitMs);
  }
}

function withQuery(base: string, params: Record<string, string | number | undefined>): string {
  const query = Object.entries({ ...params, 'api-version': apiVersion })
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `${base}?${query}`;
}

/** The service's own message (the JSON body's `message`), or the start of a text body. */
async function serviceMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: an HTML error page from a gateway, or plain text.
  }
  return text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
}
