/**
 * Releases on the release host: list (the getReleases filters), get, create, and an environment's
 * get and update (deploy/redeploy with a comment, cancel, schedule).
 */
import {
  enumName, EnvironmentStatusEnum, flagsValue, ReleaseExpandsEnum, ReleaseQueryOrderEnum, ReleaseStatusEnum,
} from '../enums';
import { errors } from '../errors';
import { isDenied } from '../permissions';
import { dateParam, intList, intParam, stringList } from '../query';
import { identityId } from '../render/identity';
import { renderEnvironment, renderRelease } from '../render/release';
import { list, ok, type RequestContext, type Route } from '../route';
import { createRelease } from '../world/create-release';
import type { EnvironmentState, ReleaseState } from '../world/model';
import { cancelEnvironment, deployEnvironment, isActive, setEnvironmentStatus } from '../world/release-lifecycle';
import { hasAllTags } from '../world/tags';
import { underFolder } from '../folders';

const RELEASES = '{project}/_apis/Release/releases';

/** The release the route names, in the route's project, after the View releases check. */
export function routeRelease(ctx: RequestContext): ReleaseState {
  const project = ctx.project();
  const id = Number(ctx.params.releaseId);
  const release = Number.isInteger(id) ? ctx.world.release(id) : undefined;
  if (!release || release.projectId !== project.id) throw errors.releaseNotFound(ctx.params.releaseId);
  ctx.demand('View releases', project, ctx.world.findReleaseDefinition(project.id, release.definitionId));
  return release;
}

function listReleases(ctx: RequestContext) {
  const project = ctx.project();
  ctx.demand('View releases', project);
  const q = ctx.query;
  const status = q.statusFilter === undefined ? undefined : enumName(ReleaseStatusEnum, q.statusFilter);
  const envFlags = q.environmentStatusFilter ? flagsValue(EnvironmentStatusEnum, q.environmentStatusFilter) : undefined;
  const tags = stringList(q.tagFilter);
  const ids = intList(q.releaseIdFilter, 'releaseIdFilter');
  const definitionId = intParam(q.definitionId, 'definitionId');
  const definitionEnvironmentId = intParam(q.definitionEnvironmentId, 'definitionEnvironmentId');
  const min = dateParam(q.minCreatedTime, 'minCreatedTime');
  const max = dateParam(q.maxCreatedTime, 'maxCreatedTime');
  const search = q.searchText?.toLowerCase();
  const definitionOf = (r: ReleaseState) => ctx.world.findReleaseDefinition(project.id, r.definitionId)!;

  let found = ctx.world.releases().filter((r) => {
    if (r.projectId !== project.id) return false;
    if (isDenied(ctx.world.denials, 'View releases', project, definitionOf(r))) return false;
    if (definitionId !== undefined && definitionId !== 0 && r.definitionId !== definitionId) return false;
    if (definitionEnvironmentId && !r.environments.some((e) => e.definitionEnvironmentId === definitionEnvironmentId)) return false;
    if (search && !r.name.toLowerCase().includes(search)) return false;
    if (q.createdBy && ![r.createdBy.toLowerCase(), identityId(r.createdBy)].includes(q.createdBy.toLowerCase())) return false;
    if (status !== undefined && status !== 'undefined' && r.status !== status) return false;
    if (envFlags && !r.environments.some((e) => (EnvironmentStatusEnum[e.status] & envFlags) !== 0)) return false;
    if (min && r.createdOn < ctx.world.clock.fromDate(min)) return false;
    if (max && r.createdOn > ctx.world.clock.fromDate(max)) return false;
    if (tags && !hasAllTags(r.tags, tags)) return false;
    if (ids && !ids.includes(r.id)) return false;
    if (q.artifactTypeId && !r.artifacts.some((a) => a.type.toLowerCase() === q.artifactTypeId.toLowerCase())) return false;
    if (q.sourceId && !r.artifacts.some((a) => `${a.projectId}:${a.definitionId}`.toLowerCase() === q.sourceId.toLowerCase())) return false;
    if (q.artifactVersionId && !r.artifacts.some((a) => String(a.type === 'Build' ? a.buildId ?? a.buildNumber : a.sourceVersion) === q.artifactVersionId)) return false;
    if (q.sourceBranchFilter) {
      const primary = r.artifacts.find((a) => a.isPrimary) ?? r.artifacts[0];
      if (!primary || (primary.branch ?? '').toLowerCase() !== q.sourceBranchFilter.toLowerCase()) return false;
    }
    if (q.path && !underFolder(definitionOf(r).path, q.path)) return false;
    return q.isDeleted !== 'true';
  });
  const ascending = enumName(ReleaseQueryOrderEnum, q.queryOrder ?? 'descending') === 'ascending';
  found.sort((a, b) => (a.createdOn - b.createdOn || a.id - b.id) * (ascending ? 1 : -1));
  // The service answers 50 releases unless $top says otherwise.
  found = found.slice(0, intParam(q.$top, '$top') ?? 50);
  const expand = q.$expand ? flagsValue(ReleaseExpandsEnum, q.$expand) ?? 0 : 0;
  const parts = {
    environments: (expand & ReleaseExpandsEnum.environments) !== 0,
    artifacts: (expand & ReleaseExpandsEnum.artifacts) !== 0,
  };
  return list(found.map((r) => renderRelease(ctx.world, ctx.urls, r, parts)));
}

interface ReleaseStartMetadata {
  definitionId?: number;
  description?: string;
  isDraft?: boolean;
  reason?: unknown;
  artifacts?: Array<{ alias?: string; instanceReference?: { id?: string; name?: string; sourceBranch?: string; sourceVersion?: string } }>;
}

function createReleaseRoute(ctx: RequestContext) {
  const project = ctx.project();
  const body = (ctx.body ?? {}) as ReleaseStartMetadata;
  const definition = body.definitionId === undefined ? undefined : ctx.world.findReleaseDefinition(project.id, body.definitionId);
  if (!definition) throw errors.releaseDefinitionNotFound(body.definitionId ?? '(none)');
  ctx.demand('Create releases', project, definition);
  const id = ctx.world.nextReleaseId();
  const release = createRelease(ctx.world, {
    id,
    definition: definition.id,
    project: project.id,
    status: body.isDraft ? 'draft' : 'active',
    description: body.description,
    artifacts: (body.artifacts ?? []).map((a, index) => {
      const buildId = a.instanceReference?.id !== undefined ? Number(a.instanceReference.id) : undefined;
      const known = buildId !== undefined && ctx.world.buildsById.has(buildId);
      return {
        alias: a.alias ?? `artifact${index + 1}`,
        isPrimary: index === 0,
        buildId: known ? buildId : undefined,
        buildNumber: a.instanceReference?.name,
        branch: a.instanceReference?.sourceBranch,
        sourceVersion: a.instanceReference?.sourceVersion,
      };
    }),
  }, ctx.world.now(), project.id);
  return ok(renderRelease(ctx.world, ctx.urls, release, { environments: true, artifacts: true }));
}

function routeEnvironment(ctx: RequestContext, release: ReleaseState): EnvironmentState {
  const env = release.environments.find((e) => String(e.id) === ctx.params.environmentId);
  if (!env) throw errors.environmentNotFound(ctx.params.environmentId);
  return env;
}

function updateEnvironment(ctx: RequestContext) {
  const release = routeRelease(ctx);
  const env = routeEnvironment(ctx, release);
  const project = ctx.project();
  ctx.demand('Manage deployments', project, ctx.world.findReleaseDefinition(project.id, release.definitionId),
    { id: env.definitionEnvironmentId, name: env.name });
  const body = (ctx.body ?? {}) as { status?: unknown; comment?: string | null; scheduledDeploymentTime?: string | null };
  const status = enumName(EnvironmentStatusEnum, body.status);
  const comment = body.comment ?? undefined;
  const now = ctx.world.now();
  if (status === 'inProgress') {
    if (isActive(env.status)) throw errors.releaseBadRequest(`Environment ${env.name} of release ${release.name} is already being deployed.`);
    deployEnvironment(ctx.world, release, env, comment, now);
  } else if (status === 'canceled') {
    if (!isActive(env.status)) throw errors.releaseBadRequest(`Environment ${env.name} of release ${release.name} is not being deployed.`);
    cancelEnvironment(ctx.world, release, env, comment, now);
  } else if (status === 'scheduled' && body.scheduledDeploymentTime) {
    const when = ctx.world.clock.fromDate(new Date(body.scheduledDeploymentTime));
    setEnvironmentStatus(ctx.world, release, env, 'scheduled', now, comment, 'manual');
    ctx.world.at(Math.max(when, now), (at) => {
      if (env.status === 'scheduled') deployEnvironment(ctx.world, release, env, comment, at);
    });
  } else {
    throw errors.releaseBadRequest(`The environment status '${String(body.status)}' is not a valid update; use inProgress (2), canceled (8) or scheduled (64) with a time.`);
  }
  return ok(renderEnvironment(ctx.world, ctx.urls, release, env));
}

export const releaseRoutes: Route[] = [
  { name: 'release.releases.list', method: 'GET', host: 'release', pattern: RELEASES, handle: listReleases },
  { name: 'release.releases.create', method: 'POST', host: 'release', pattern: RELEASES, handle: createReleaseRoute },
  {
    name: 'release.releases.get', method: 'GET', host: 'release', pattern: `${RELEASES}/{releaseId}`,
    handle: (ctx) => ok(renderRelease(ctx.world, ctx.urls, routeRelease(ctx), { environments: true, artifacts: true })),
  },
  {
    name: 'release.environments.get', method: 'GET', host: 'release', pattern: `${RELEASES}/{releaseId}/environments/{environmentId}`,
    handle: (ctx) => {
      const release = routeRelease(ctx);
      return ok(renderEnvironment(ctx.world, ctx.urls, release, routeEnvironment(ctx, release)));
    },
  },
  {
    name: 'release.environments.update', method: 'PATCH', host: 'release', pattern: `${RELEASES}/{releaseId}/environments/{environmentId}`,
    handle: updateEnvironment,
  },
];
