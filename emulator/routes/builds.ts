/** Builds: list, get, update (cancel, retry) and queue. */
import { BuildStatusEnum, enumName } from '../enums';
import { errors } from '../errors';
import { isDenied } from '../permissions';
import { stringList } from '../query';
import { renderBuild } from '../render/build';
import { ok, list, type RequestContext, type Route } from '../route';
import { cancelBuild, retryStage } from '../world/build-lifecycle';
import { createBuild } from '../world/create-build';
import type { BuildDefinitionState, BuildState } from '../world/model';
import { queryBuilds } from './build-filters';

/** The build the route names, in the route's project, after the View builds check. */
export function routeBuild(ctx: RequestContext, permission: 'View builds' | 'Edit build quality' | 'Update build information' = 'View builds'): {
  build: BuildState; definition: BuildDefinitionState;
} {
  const project = ctx.project();
  const id = Number(ctx.params.buildId);
  const build = Number.isInteger(id) ? ctx.world.build(id) : undefined;
  if (!build || build.projectId !== project.id) throw errors.buildNotFound(ctx.params.buildId);
  const definition = ctx.world.findBuildDefinition(project.id, build.definitionId)!;
  ctx.demand('View builds', project, definition);
  if (permission !== 'View builds') ctx.demand(permission, project, definition);
  return { build, definition };
}

function listBuilds(ctx: RequestContext) {
  const project = ctx.project();
  ctx.demand('View builds', project);
  // A denial on one definition trims its builds from the list rather than failing it.
  const visible = ctx.world.builds().filter((b) => b.projectId === project.id
    && !isDenied(ctx.world.denials, 'View builds', project, ctx.world.findBuildDefinition(project.id, b.definitionId)));
  // behaviour.listProperties "absent": the list leaves properties out, as no source shows it filling them.
  const properties = ctx.world.behaviour.listProperties === 'absent' ? null : stringList(ctx.query.properties) ?? [];
  const page = queryBuilds(ctx, visible);
  const reply = list(page.builds.map((b) => renderBuild(ctx.world, ctx.urls, b, properties)));
  // The service says "more exist" in this header only; the body is the usual {count, value}.
  if (page.continuationToken) reply.headers = { 'x-ms-continuationtoken': page.continuationToken };
  return reply;
}

function updateBuild(ctx: RequestContext) {
  const { build, definition } = routeBuild(ctx);
  const project = ctx.project();
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  const now = ctx.world.now();
  if (ctx.query.retry === 'true') {
    ctx.demand('Queue builds', project, definition);
    const failed = build.stages.find((s) => s.state === 'completed' && s.result !== 'succeeded' && s.result !== 'skipped');
    if (!failed || build.status !== 'completed') throw errors.buildBadRequest(`Build ${build.id} has no failed stage to retry.`);
    retryStage(ctx.world, build, failed, true, now);
  } else if (body.status !== undefined) {
    const status = enumName(BuildStatusEnum, body.status);
    if (status !== 'cancelling') throw errors.buildBadRequest(`The build status '${String(body.status)}' cannot be set; only cancelling (4) can.`);
    ctx.demand('Stop builds', project, definition);
    cancelBuild(ctx.world, build, now);
  }
  return ok(renderBuild(ctx.world, ctx.urls, build));
}

function queueBuild(ctx: RequestContext) {
  const project = ctx.project();
  const body = (ctx.body ?? {}) as {
    definition?: { id?: number }; sourceBranch?: string; sourceVersion?: string; parameters?: string;
    templateParameters?: Record<string, string>; reason?: unknown; tags?: string[];
  };
  const definitionId = body.definition?.id ?? (ctx.query.definitionId ? Number(ctx.query.definitionId) : undefined);
  const definition = definitionId === undefined ? undefined : ctx.world.findBuildDefinition(project.id, definitionId);
  if (!definition) {
    throw errors.definitionNotFound(definitionId ?? '(none)');
  }
  ctx.demand('Queue builds', project, definition);
  const build = createBuild(ctx.world, {
    id: ctx.world.nextBuildId(),
    definition: definition.id,
    project: project.id,
    sourceBranch: body.sourceBranch,
    sourceVersion: body.sourceVersion,
    parameters: body.parameters,
    templateParameters: body.templateParameters,
    tags: body.tags,
    reason: 'manual',
    requestedFor: ctx.world.identity,
  }, ctx.world.now(), true, project.id);
  return ok(renderBuild(ctx.world, ctx.urls, build));
}

export const buildRoutes: Route[] = [
  { name: 'builds.list', method: 'GET', host: 'collection', pattern: '{project}/_apis/build/builds', handle: listBuilds },
  { name: 'builds.queue', method: 'POST', host: 'collection', pattern: '{project}/_apis/build/builds', handle: queueBuild },
  {
    name: 'builds.get', method: 'GET', host: 'collection', pattern: '{project}/_apis/build/builds/{buildId}',
    handle: (ctx) => {
      const { build } = routeBuild(ctx);
      return ok(renderBuild(ctx.world, ctx.urls, build, stringList(ctx.query.propertyFilters) ?? []));
    },
  },
  { name: 'builds.update', method: 'PATCH', host: 'collection', pattern: '{project}/_apis/build/builds/{buildId}', handle: updateBuild },
];
