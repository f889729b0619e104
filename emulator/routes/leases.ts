/**
 * Build › Leases (retention leases), as azure-devops-node-api 17 calls them: addRetentionLeases (POST a
 * NewRetentionLease array), getRetentionLeasesByOwnerId / ByUserId / ByMinimalRetentionLeases (GET with
 * ownerId | userOwnerId, definitionId, runId | leasesToFetch), getRetentionLease, updateRetentionLease,
 * deleteRetentionLeasesById (DELETE ?ids=1,2 → 204), getRetentionLeasesForBuild.
 * Writes demand Retain indefinitely on the run's pipeline (a guess; see README).
 */
import { errors } from '../errors';
import { intList, intParam } from '../query';
import { list, ok, type RequestContext, type Route } from '../route';
import { addLease, defaultOwner } from '../world/leases';
import type { LeaseState } from '../world/model';
import { routeBuild } from './builds';

const LEASES = '{project}/_apis/build/retention/leases';

function renderLease(ctx: RequestContext, l: LeaseState): Record<string, unknown> {
  return {
    leaseId: l.leaseId,
    ownerId: l.ownerId,
    runId: l.runId,
    definitionId: l.definitionId,
    createdOn: ctx.world.clock.iso(l.createdOn),
    validUntil: ctx.world.clock.iso(l.validUntil),
    protectPipeline: l.protectPipeline,
  };
}

/** The lease the route names, in the route's project. */
function routeLease(ctx: RequestContext): LeaseState {
  const project = ctx.project();
  ctx.demand('View builds', project);
  const id = Number(ctx.params.leaseId);
  const lease = Number.isInteger(id) ? ctx.world.leasesById.get(id) : undefined;
  if (!lease || lease.projectId !== project.id) throw errors.leaseNotFound(ctx.params.leaseId);
  return lease;
}

function demandRetain(ctx: RequestContext, definitionId: number): void {
  const project = ctx.project();
  ctx.demand('Retain indefinitely', project, ctx.world.findBuildDefinition(project.id, definitionId));
}

function addLeases(ctx: RequestContext) {
  const project = ctx.project();
  ctx.demand('View builds', project);
  if (!Array.isArray(ctx.body)) throw errors.buildBadRequest('The new leases must be a JSON array of NewRetentionLease.');
  // Check every lease before adding any: all or none.
  const checked = (ctx.body as Array<Record<string, unknown>>).map((n, i) => {
    const what = `Lease ${i}`;
    if (!Number.isInteger(n?.runId) || !Number.isInteger(n?.definitionId)) throw errors.buildBadRequest(`${what} needs runId and definitionId.`);
    const build = ctx.world.build(n.runId as number);
    if (!build || build.projectId !== project.id) throw errors.buildNotFound(n.runId as number);
    if (build.definitionId !== n.definitionId) {
      throw errors.buildBadRequest(`${what}: run ${build.id} belongs to pipeline ${build.definitionId}, not ${String(n.definitionId)}.`);
    }
    if (n.ownerId !== undefined && typeof n.ownerId !== 'string') throw errors.buildBadRequest(`${what}: ownerId must be a string.`);
    const daysValid = n.daysValid ?? 0;
    if (!Number.isInteger(daysValid) || (daysValid as number) < 0) throw errors.buildBadRequest(`${what}: daysValid must be a whole number of days.`);
    demandRetain(ctx, build.definitionId);
    return {
      build,
      lease: {
        runId: build.id, definitionId: build.definitionId, ownerId: (n.ownerId as string | undefined) ?? defaultOwner(ctx.world),
        daysValid: daysValid as number, protectPipeline: n.protectPipeline === true,
      },
    };
  });
  const now = ctx.world.now();
  return list(checked.map(({ build, lease }) => renderLease(ctx, addLease(ctx.world, build, lease, now))));
}

function listLeases(ctx: RequestContext) {
  const project = ctx.project();
  ctx.demand('View builds', project);
  const q = ctx.query;
  const definitionId = intParam(q.definitionId, 'definitionId');
  const runId = intParam(q.runId, 'runId');
  const owner = q.ownerId ?? q.userOwnerId;
  const minimal = q.leasesToFetch === undefined ? undefined : minimalLeases(q.leasesToFetch);
  const found = ctx.world.leases(project.id).filter((l) => {
    if (owner !== undefined && l.ownerId.toLowerCase() !== owner.toLowerCase()) return false;
    if (definitionId !== undefined && l.definitionId !== definitionId) return false;
    if (runId !== undefined && l.runId !== runId) return false;
    if (minimal && !minimal.some((m) => (m.ownerId === undefined || m.ownerId.toLowerCase() === l.ownerId.toLowerCase())
      && (m.definitionId === undefined || m.definitionId === l.definitionId) && (m.runId === undefined || m.runId === l.runId))) return false;
    return true;
  });
  return list(found.map((l) => renderLease(ctx, l)));
}

/** leasesToFetch: JSON MinimalRetentionLeases joined with '|', as getRetentionLeasesByMinimalRetentionLeases sends them. */
function minimalLeases(text: string): Array<{ ownerId?: string; definitionId?: number; runId?: number }> {
  try {
    return text.split('|').filter(Boolean).map((part) => JSON.parse(part) as { ownerId?: string; definitionId?: number; runId?: number });
  } catch {
    throw errors.argument(`The value '${text}' of parameter 'leasesToFetch' is not a list of JSON MinimalRetentionLeases.`);
  }
}

function updateLease(ctx: RequestContext) {
  const lease = routeLease(ctx);
  demandRetain(ctx, lease.definitionId);
  const body = (ctx.body ?? {}) as { daysValid?: unknown; protectPipeline?: unknown };
  if (body.daysValid !== undefined && body.daysValid !== null) {
    if (!Number.isInteger(body.daysValid) || (body.daysValid as number) < 0) throw errors.buildBadRequest('daysValid must be a whole number of days.');
    // The new duration counts from now (a guess: the service documents only "the duration").
    lease.validUntil = ctx.world.now() + (body.daysValid as number) * 86_400_000;
  }
  if (typeof body.protectPipeline === 'boolean') lease.protectPipeline = body.protectPipeline;
  return ok(renderLease(ctx, lease));
}

function deleteLeases(ctx: RequestContext) {
  const project = ctx.project();
  ctx.demand('View builds', project);
  const ids = intList(ctx.query.ids, 'ids');
  if (!ids) throw errors.argument("The parameter 'ids' is required.");
  // Ids of leases that do not exist (or not in this project) are passed over (a guess).
  const leases = ids.map((id) => ctx.world.leasesById.get(id)).filter((l): l is LeaseState => l?.projectId === project.id);
  for (const l of leases) demandRetain(ctx, l.definitionId);
  for (const l of leases) ctx.world.leasesById.delete(l.leaseId);
  return { status: 204 };
}

export const leaseRoutes: Route[] = [
  { name: 'leases.list', method: 'GET', host: 'collection', pattern: LEASES, handle: listLeases },
  { name: 'leases.add', method: 'POST', host: 'collection', pattern: LEASES, handle: addLeases },
  { name: 'leases.delete', method: 'DELETE', host: 'collection', pattern: LEASES, handle: deleteLeases },
  { name: 'leases.get', method: 'GET', host: 'collection', pattern: `${LEASES}/{leaseId}`, handle: (ctx) => ok(renderLease(ctx, routeLease(ctx))) },
  { name: 'leases.update', method: 'PATCH', host: 'collection', pattern: `${LEASES}/{leaseId}`, handle: updateLease },
  {
    name: 'builds.leases', method: 'GET', host: 'collection', pattern: '{project}/_apis/build/builds/{buildId}/leases',
    handle: (ctx) => {
      const { build } = routeBuild(ctx);
      return list(ctx.world.leases(build.projectId).filter((l) => l.runId === build.id).map((l) => renderLease(ctx, l)));
    },
  },
];
