/** Release definitions on the release host: list (searchText, path, $expand=environments) and get. */
import { enumName, flagsValue, ReleaseDefinitionExpandsEnum, ReleaseDefinitionQueryOrderEnum } from '../enums';
import { errors } from '../errors';
import { isDenied } from '../permissions';
import { intList, intParam } from '../query';
import { renderReleaseDefinition } from '../render/release-definition';
import { list, ok, type RequestContext, type Route } from '../route';
import { underFolder } from '../folders';
import type { ReleaseDefinitionState } from '../world/model';

function listDefinitions(ctx: RequestContext) {
  const project = ctx.project();
  ctx.demand('View release pipeline', project);
  const q = ctx.query;
  const ids = intList(q.definitionIdFilter, 'definitionIdFilter');
  const expand = q.$expand ? flagsValue(ReleaseDefinitionExpandsEnum, q.$expand) ?? 0 : 0;
  const search = q.searchText?.toLowerCase();
  const exact = q.isExactNameMatch === 'true';
  let found = ctx.world.releaseDefinitions(project.id)
    .filter((d) => !isDenied(ctx.world.denials, 'View release pipeline', project, d))
    .filter((d) => !search || (exact ? d.name.toLowerCase() === search : d.name.toLowerCase().includes(search)))
    .filter((d) => !ids || ids.includes(d.id))
    .filter((d) => underFolder(d.path, q.path))
    // Definitions carry no tags here, so a tag filter finds none; deleted ones do not exist.
    .filter(() => !q.tagFilter && q.isDeleted !== 'true');
  found = sortDefinitions(found, enumName(ReleaseDefinitionQueryOrderEnum, q.queryOrder ?? 'idAscending') ?? 'idAscending');
  const top = intParam(q.$top, '$top');
  if (top !== undefined) found = found.slice(0, top);
  return list(found.map((d) => renderReleaseDefinition(ctx.world, ctx.urls, d, (expand & ReleaseDefinitionExpandsEnum.environments) !== 0)));
}

function sortDefinitions(defs: ReleaseDefinitionState[], order: string): ReleaseDefinitionState[] {
  const byName = (a: ReleaseDefinitionState, b: ReleaseDefinitionState) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' });
  switch (order) {
    case 'idDescending': return defs.sort((a, b) => b.id - a.id);
    case 'nameAscending': return defs.sort(byName);
    case 'nameDescending': return defs.sort((a, b) => byName(b, a));
    default: return defs.sort((a, b) => a.id - b.id);
  }
}

export const releaseDefinitionRoutes: Route[] = [
  { name: 'release.definitions.list', method: 'GET', host: 'release', pattern: '{project}/_apis/Release/definitions', handle: listDefinitions },
  {
    name: 'release.definitions.get', method: 'GET', host: 'release', pattern: '{project}/_apis/Release/definitions/{definitionId}',
    handle: (ctx) => {
      const project = ctx.project();
      const id = Number(ctx.params.definitionId);
      const d = Number.isInteger(id) ? ctx.world.findReleaseDefinition(project.id, id) : undefined;
      if (!d) throw errors.releaseDefinitionNotFound(ctx.params.definitionId);
      ctx.demand('View release pipeline', project, d);
      return ok(renderReleaseDefinition(ctx.world, ctx.urls, d, true));
    },
  },
];
