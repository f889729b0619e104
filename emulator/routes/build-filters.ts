/**
 * The builds list query as getBuilds sends it. Decisions where the service's behaviour is not
 * documented (see README): minTime/maxTime filter on the time field of the queryOrder (finish time by
 * default, as the old client's minFinishTime name says); the default order is finish time descending
 * with unfinished builds first, then start time descending, then id descending (matches the recorded
 * list); tagFilters requires every tag; buildNumber and branchName take "*" wildcards. Paging: at most
 * $top (default and cap 1000) builds, and an opaque continuation token when more exist.
 */
import {
  BuildQueryOrderEnum, BuildReasonEnum, BuildResultEnum, BuildStatusEnum, enumName, flagsValue, type EnumTable,
} from '../enums';
import { errors } from '../errors';
import { dateParam, intList, intParam, stringList, wildcardMatch } from '../query';
import { identityId } from '../render/identity';
import type { RequestContext } from '../route';
import type { BuildState } from '../world/model';
import { hasAllTags } from '../world/tags';

type TimeField = 'queueTime' | 'startTime' | 'finishTime';

/**
 * The service's page size when `$top` is absent, and the most one page holds (a guess: the figure
 * widely reported for Builds - List; nothing Microsoft publishes says).
 */
export const BUILDS_PAGE_MAX = 1000;

/** What a builds list query answers: one page, and the token that continues after it when more exist. */
export interface BuildsPage {
  builds: BuildState[];
  continuationToken?: string;
}

/** Where a page ended: the sort fields of the last build it returned. */
type PageKey = Pick<BuildState, 'id' | 'queueTime' | 'startTime' | 'finishTime'>;

export function queryBuilds(ctx: RequestContext, builds: BuildState[]): BuildsPage {
  const q = ctx.query;
  const definitions = intList(q.definitions, 'definitions');
  const buildIds = intList(q.buildIds, 'buildIds');
  const queues = intList(q.queues, 'queues');
  const tags = stringList(q.tagFilters);
  const statusFlags = flags(BuildStatusEnum, q.statusFilter, 'statusFilter');
  const resultFlags = flags(BuildResultEnum, q.resultFilter, 'resultFilter');
  const reasonFlags = flags(BuildReasonEnum, q.reasonFilter, 'reasonFilter');
  const order = q.queryOrder === undefined ? undefined : enumName(BuildQueryOrderEnum, q.queryOrder);
  if (q.queryOrder !== undefined && order === undefined) throw errors.argument(`The value '${q.queryOrder}' of parameter 'queryOrder' is not valid.`);
  const field: TimeField = order?.startsWith('queueTime') ? 'queueTime' : order?.startsWith('startTime') ? 'startTime' : 'finishTime';
  const min = dateParam(q.minTime, 'minTime');
  const max = dateParam(q.maxTime, 'maxTime');
  const minMs = min && ctx.world.clock.fromDate(min);
  const maxMs = max && ctx.world.clock.fromDate(max);
  const definitionOf = (b: BuildState) => ctx.world.findBuildDefinition(b.projectId, b.definitionId)!;

  let found = builds.filter((b) => {
    if (definitions && !definitions.includes(b.definitionId)) return false;
    if (buildIds && !buildIds.includes(b.id)) return false;
    if (queues && !queues.includes(72)) return false;
    if (q.buildNumber && !wildcardMatch(q.buildNumber, b.buildNumber)) return false;
    if (q.branchName && !wildcardMatch(q.branchName, b.sourceBranch)) return false;
    if (statusFlags !== undefined && (statusFlags & BuildStatusEnum[b.status]) === 0) return false;
    if (resultFlags !== undefined && (b.result === undefined || (resultFlags & BuildResultEnum[b.result]) === 0)) return false;
    if (reasonFlags !== undefined && ((BuildReasonEnum[b.reason] ?? 0) & reasonFlags) === 0) return false;
    if (tags && !hasAllTags(b.tags, tags)) return false;
    if (q.requestedFor && ![b.requestedFor.toLowerCase(), identityId(b.requestedFor)].includes(q.requestedFor.toLowerCase())) return false;
    if (q.repositoryId && definitionOf(b).repository.id.toLowerCase() !== q.repositoryId.toLowerCase()) return false;
    if (q.repositoryType && definitionOf(b).repository.type.toLowerCase() !== q.repositoryType.toLowerCase()) return false;
    if (q.deletedFilter && enumName({ excludeDeleted: 0, includeDeleted: 1, onlyDeleted: 2 }, q.deletedFilter) === 'onlyDeleted') return false;
    const t = b[field];
    if (minMs !== undefined && (t === undefined || t < minMs)) return false;
    if (maxMs !== undefined && (t === undefined || t > maxMs)) return false;
    return true;
  });

  const compare = comparatorFor(order);
  found.sort(compare);
  const perDefinition = intParam(q.maxBuildsPerDefinition, 'maxBuildsPerDefinition');
  if (perDefinition !== undefined) {
    const counts = new Map<number, number>();
    found = found.filter((b) => {
      const n = (counts.get(b.definitionId) ?? 0) + 1;
      counts.set(b.definitionId, n);
      return n <= perDefinition;
    });
  }
  // A token names the last build of the page before: continue with what sorts after it, so runs queued
  // or deleted between pages neither repeat nor shift the rest.
  const after = q.continuationToken ? decodeToken(q.continuationToken) : undefined;
  if (after) found = found.filter((b) => compare(b, after as BuildState) > 0);
  const top = Math.min(intParam(q.$top, '$top') ?? BUILDS_PAGE_MAX, BUILDS_PAGE_MAX);
  const page = found.slice(0, Math.max(0, top));
  const last = page.at(-1);
  return {
    builds: page,
    continuationToken: found.length > page.length && last ? encodeToken(last) : undefined,
  };
}

function encodeToken(b: BuildState): string {
  const key: PageKey = { id: b.id, queueTime: b.queueTime, startTime: b.startTime, finishTime: b.finishTime };
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeToken(token: string): PageKey {
  try {
    const key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageKey;
    if (Number.isInteger(key.id) && typeof key.queueTime === 'number') {
      // JSON has no undefined: a missing time travels as an absent key.
      return { id: key.id, queueTime: key.queueTime, startTime: key.startTime ?? undefined, finishTime: key.finishTime ?? undefined };
    }
  } catch {
    // answered below
  }
  throw errors.argument(`The value '${token}' of parameter 'continuationToken' is not valid.`);
}

function flags(table: EnumTable, value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = flagsValue(table, value);
  if (n === undefined) throw errors.argument(`The value '${value}' of parameter '${name}' is not valid.`);
  return n;
}

/** Compares times where a missing time sorts as "later than any" (unfinished, not started). */
function byTime(field: TimeField, descending: boolean) {
  return (a: BuildState, b: BuildState): number => {
    const x = a[field] ?? Number.POSITIVE_INFINITY;
    const y = b[field] ?? Number.POSITIVE_INFINITY;
    if (x === y) return 0;
    return descending ? (x < y ? 1 : -1) : (x < y ? -1 : 1);
  };
}

function comparatorFor(order: string | undefined): (a: BuildState, b: BuildState) => number {
  const byIdDesc = (a: BuildState, b: BuildState) => b.id - a.id;
  switch (order) {
    case 'finishTimeAscending': return (a, b) => byTime('finishTime', false)(a, b) || a.id - b.id;
    case 'queueTimeAscending': return (a, b) => byTime('queueTime', false)(a, b) || a.id - b.id;
    case 'startTimeAscending': return (a, b) => byTime('startTime', false)(a, b) || a.id - b.id;
    case 'queueTimeDescending': return (a, b) => byTime('queueTime', true)(a, b) || byIdDesc(a, b);
    case 'startTimeDescending': return (a, b) => byTime('startTime', true)(a, b) || byIdDesc(a, b);
    default: {
      // Unstarted builds after started ones among the unfinished: compare start times with "never" as earliest.
      const started = (b: BuildState) => b.startTime ?? Number.NEGATIVE_INFINITY;
      return (a, b) => byTime('finishTime', true)(a, b)
        || (started(b) === started(a) ? 0 : started(b) > started(a) ? 1 : -1)
        || byIdDesc(a, b);
    }
  }
}
