/** Every route, in match order (specific patterns before the catch-alls). */
import type { Route } from '../route';
import { buildDefinitionRoutes } from './build-definitions';
import { buildDetailRoutes } from './build-details';
import { buildRoutes } from './builds';
import { coreRoutes } from './core';
import { leaseRoutes } from './leases';
import { locationRoutes } from './location';
import { pipelineRoutes } from './pipelines';
import { releaseDefinitionRoutes } from './release-definitions';
import { releaseTagRoutes } from './release-tags';
import { releaseRoutes } from './releases';
import { securityRoutes } from './security';

export const allRoutes: Route[] = [
  ...coreRoutes,
  ...buildDefinitionRoutes,
  ...buildRoutes,
  ...buildDetailRoutes,
  ...leaseRoutes,
  ...pipelineRoutes,
  ...releaseDefinitionRoutes,
  ...releaseRoutes,
  ...releaseTagRoutes,
  ...securityRoutes,
  ...locationRoutes,
];
