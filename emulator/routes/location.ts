/** Discovery routes: OPTIONS per area, resource areas, connection data. */
import { ServiceError } from '../errors';
import { connectionData, locationsFor, resourceAreas } from '../locations';
import { list, ok, type Host, type RequestContext, type Route } from '../route';

function announced(ctx: RequestContext, host: Host, area: string | undefined) {
  return list(locationsFor(host, area, { security: ctx.world.permissionEvaluation !== 'absent' }));
}

function options(name: string, host: Host, area: string): Route {
  return { name, method: 'OPTIONS', host, pattern: `_apis/${area}`, handle: (ctx) => announced(ctx, host, area) };
}

export const locationRoutes: Route[] = [
  options('location.options', 'collection', 'Location'),
  options('build.options', 'collection', 'build'),
  options('pipelines.options', 'collection', 'pipelines'),
  options('core.options', 'collection', 'core'),
  options('release.options', 'release', 'Release'),
  options('security.options', 'collection', 'Security'),
  // Any other area: what this host has for it, usually nothing (e.g. Release asked of the collection host).
  ...(['collection', 'release'] as Host[]).map((host): Route => ({
    name: 'options', method: 'OPTIONS', host, pattern: '_apis/{area}',
    handle: (ctx) => announced(ctx, host, ctx.params.area),
  })),
  ...(['collection', 'release'] as Host[]).map((host): Route => ({
    name: 'options', method: 'OPTIONS', host, pattern: '_apis',
    handle: (ctx) => announced(ctx, host, undefined),
  })),
  {
    name: 'resourceAreas', method: 'GET', host: 'collection', pattern: '_apis/ResourceAreas',
    handle: (ctx) => list(resourceAreas(ctx.urls.collectionUrl, ctx.urls.releaseUrl)),
  },
  {
    name: 'resourceAreas.get', method: 'GET', host: 'collection', pattern: '_apis/ResourceAreas/{areaId}',
    handle: (ctx) => {
      const area = resourceAreas(ctx.urls.collectionUrl, ctx.urls.releaseUrl)
        .find((a) => a.id.toLowerCase() === ctx.params.areaId.toLowerCase());
      if (!area) {
        throw new ServiceError(404, `The resource area ${ctx.params.areaId} was not found.`,
          'Microsoft.VisualStudio.Services.Location.ResourceAreaNotFoundException, Microsoft.VisualStudio.Services.Common',
          'ResourceAreaNotFoundException');
      }
      return ok(area);
    },
  },
  {
    name: 'connectionData', method: 'GET', host: 'collection', pattern: '_apis/connectionData',
    handle: (ctx) => ok(connectionData(ctx.world.organization, ctx.world.identity)),
  },
];
