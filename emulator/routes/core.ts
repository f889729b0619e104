/** Core: projects list and project get (by id or name). */
import { errors } from '../errors';
import { projectReference, teamProject } from '../render/project';
import { list, ok, type Route } from '../route';

export const coreRoutes: Route[] = [
  {
    name: 'projects.list', method: 'GET', host: 'collection', pattern: '_apis/projects',
    handle: (ctx) => {
      const top = ctx.query.$top ? Number(ctx.query.$top) : 100;
      const skip = ctx.query.$skip ? Number(ctx.query.$skip) : 0;
      const projects = ctx.world.projects().sort((a, b) => a.name.localeCompare(b.name)).slice(skip, skip + top);
      return list(projects.map((p) => projectReference(ctx.urls, ctx.world.clock, p)));
    },
  },
  {
    name: 'projects.get', method: 'GET', host: 'collection', pattern: '_apis/projects/{*projectId}',
    handle: (ctx) => {
      const project = ctx.world.project(ctx.params.projectId);
      if (!project) throw errors.projectNotFound(ctx.params.projectId);
      return ok(teamProject(ctx.urls, ctx.world.clock, project, ctx.query.includeCapabilities === 'true'));
    },
  },
];
