/** Build definitions: list (name, path, definitionIds, $top, queryOrder filters) and get. */
import { DefinitionQueryOrderEnum, enumName } from '../enums';
import { errors } from '../errors';
import { isDenied } from '../permissions';
import { intList, intParam, wildcardMatch } from '../query';
import { buildDefinition, buildDefinitionReference } from '../render/build-definition';
import { renderBuild } from '../render/build';
import { list, ok, type RequestContext, type Route } from '../route';
import { underFolder } from '../folders';
import type { BuildDefinitionState } from '../world/model';

function listDefinitions(ctx: RequestContext) {
  const project = ctx.project();
  ctx.demand('View build pipeline', project);
  const q = ctx.query;
  const ids = intList(q.definitionIds, 'definitionIds');
  let found = ctx.world.buildDefinitions(project.id)
    .filter((d) => !isDenied(ctx.world.denials, 'View build pipeline', project, d))
    .filter((d) => !q.name || wildcardMatch(q.name, d.name))
    .filter((d) => !ids || ids.includes(d.id))
    // "Under this folder": the folder itself and the folders below it.
    .filter((d) => underFolder(d.path, q.path))
    .filter((d) => !q.repositoryId || d.repository.id.toLowerCase() === q.repositoryId.toLowerCase())
    .filter((d) => !q.repositoryType || d.repository.type.toLowerCase() === q.repositoryType.toLowerCase())
    .filter((d) => !q.yamlFilename || d.yamlFilename.toLowerCase() === q.yamlFilename.toLowerCase());
  found = sortDefinitions(found, enumName(DefinitionQueryOrderEnum, q.queryOrder ?? 'none') ?? 'none');
  // Paging as the builds list pages: $top a page, and the next page's token in the x-ms-continuationtoken header
  // (the position after the page, opaque to the client). The token is a guess at the service's form.
  const from = q.continuationToken === undefined ? 0 : Number(q.continuationToken);
  if (!Number.isInteger(from) || from < 0) throw errors.argument(`The value '${q.continuationToken}' of parameter 'continuationToken' is not valid.`);
  const top = intParam(q.$top, '$top');
  const page = found.slice(from, top === undefined ? undefined : from + top);
  const reply = list(page.map((d) => {
    const item = buildDefinitionReference(ctx.world, ctx.urls, d);
    if (q.includeLatestBuilds === 'true') Object.assign(item, latestBuilds(ctx, d));
    return item;
  }));
  if (from + page.length < found.length) reply.headers = { 'x-ms-continuationtoken': String(from + page.length) };
  return reply;
}

function sortDefinitions(defs: BuildDefinitionState[], order: string): BuildDefinitionState[] {
  const byName = (a: BuildDefinitionState, b: BuildDefinitionState) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' });
  switch (order) {
    case 'definitionNameAscending': return defs.sort(byName);
    case 'definitionNameDescending': return defs.sort((a, b) => byName(b, a));
    case 'lastModifiedDescending': return defs.sort((a, b) => b.id - a.id);
    default: return defs.sort((a, b) => a.id - b.id);
  }
}

function latestBuilds(ctx: RequestContext, d: BuildDefinitionState): Record<string, unknown> {
  const builds = ctx.world.builds().filter((b) => b.projectId === d.projectId && b.definitionId === d.id)
    .sort((a, b) => b.queueTime - a.queueTime || b.id - a.id);
  const latest = builds[0];
  const completed = builds.find((b) => b.status === 'completed');
  return {
    ...(latest ? { latestBuild: renderBuild(ctx.world, ctx.urls, latest) } : {}),
    ...(completed ? { latestCompletedBuild: renderBuild(ctx.world, ctx.urls, completed) } : {}),
  };
}

export const buildDefinitionRoutes: Route[] = [
  { name: 'buildDefinitions.list', method: 'GET', host: 'collection', pattern: '{project}/_apis/build/definitions', handle: listDefinitions },
  {
    name: 'buildDefinitions.get', method: 'GET', host: 'collection', pattern: '{project}/_apis/build/definitions/{definitionId}',
    handle: (ctx) => {
      const project = ctx.project();
      const id = Number(ctx.params.definitionId);
      const d = Number.isInteger(id) ? ctx.world.findBuildDefinition(project.id, id) : undefined;
      if (!d) throw errors.definitionNotFound(ctx.params.definitionId);
      ctx.demand('View build pipeline', project, d);
      const item = buildDefinition(ctx.world, ctx.urls, d);
      if (ctx.query.includeLatestBuilds === 'true') Object.assign(item, latestBuilds(ctx, d));
      return ok(item);
    },
  },
];
