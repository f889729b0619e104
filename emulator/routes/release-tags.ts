/** Release tags: GET, PATCH one (tag in the path), POST an array, DELETE one; each answers the whole list. */
import { errors } from '../errors';
import { list, type RequestContext, type Route } from '../route';
import { pathValue } from '../path-rule';
import { addTags, removeTag } from '../world/tags';
import { routeRelease } from './releases';

const TAGS = '{project}/_apis/Release/releases/{releaseId}/tags';

function changeTags(ctx: RequestContext, change: (tags: string[]) => void) {
  const release = routeRelease(ctx);
  const project = ctx.project();
  ctx.demand('Manage releases', project, ctx.world.findReleaseDefinition(project.id, release.definitionId));
  change(release.tags);
  release.modifiedOn = ctx.world.now();
  return list([...release.tags]);
}

export const releaseTagRoutes: Route[] = [
  {
    name: 'release.tags.list', method: 'GET', host: 'release', pattern: TAGS,
    handle: (ctx) => list([...routeRelease(ctx).tags]),
  },
  {
    name: 'release.tags.add', method: 'PATCH', host: 'release', pattern: `${TAGS}/{*tag}`,
    // The web front judges the tag in the path before the route looks at anything (path-rule.ts).
    handle: (ctx) => {
      const tag = pathValue(ctx, 'tag');
      return changeTags(ctx, (tags) => addTags(tags, [tag]));
    },
  },
  {
    name: 'release.tags.addMany', method: 'POST', host: 'release', pattern: TAGS,
    handle: (ctx) => changeTags(ctx, (tags) => {
      if (!Array.isArray(ctx.body) || ctx.body.some((t) => typeof t !== 'string')) {
        throw errors.releaseBadRequest('The tags must be a JSON array of strings.');
      }
      addTags(tags, ctx.body as string[]);
    }),
  },
  {
    name: 'release.tags.delete', method: 'DELETE', host: 'release', pattern: `${TAGS}/{*tag}`,
    handle: (ctx) => {
      const tag = pathValue(ctx, 'tag');
      return changeTags(ctx, (tags) => removeTag(tags, tag));
    },
  },
];
