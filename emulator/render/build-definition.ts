/** Build definitions: the reference inside a build, the list item, and the full GET answer. */
import type { BuildDefinitionState } from '../world/model';
import type { EmulatorState } from '../world/world';
import { identityRef } from './identity';
import { projectReference } from './project';
import type { Urls } from './urls';

const QUEUE = { id: 72, name: 'Azure Pipelines', pool: { id: 9, name: 'Azure Pipelines', isHosted: true } };

function url(urls: Urls, d: BuildDefinitionState): string {
  return urls.api(d.projectId, `build/Definitions/${d.id}?revision=${d.revision}`);
}

/** DefinitionReference as builds carry it. */
export function definitionReference(world: EmulatorState, urls: Urls, d: BuildDefinitionState): Record<string, unknown> {
  return {
    drafts: [],
    id: d.id,
    name: d.name,
    url: url(urls, d),
    uri: `vstfs:///Build/Definition/${d.id}`,
    path: d.path,
    type: 'build',
    queueStatus: 'enabled',
    revision: d.revision,
    project: projectReference(urls, world.clock, world.projectsById.get(d.projectId)!),
  };
}

/** BuildDefinitionReference, the getDefinitions list item. */
export function buildDefinitionReference(world: EmulatorState, urls: Urls, d: BuildDefinitionState): Record<string, unknown> {
  return {
    _links: {
      self: { href: url(urls, d) },
      web: { href: urls.web(d.projectId, `_build/definition?definitionId=${d.id}`) },
      editor: { href: urls.web(d.projectId, `_build/designer?id=${d.id}&_a=edit-build-definition`) },
      badge: { href: urls.api(d.projectId, `build/status/${d.id}`) },
    },
    quality: 'definition',
    authoredBy: identityRef(urls, world.identity),
    queue: { _links: { self: { href: urls.collectionApi(`build/Queues/${QUEUE.id}`) } }, ...QUEUE, url: urls.collectionApi(`build/Queues/${QUEUE.id}`) },
    ...definitionReference(world, urls, d),
    createdDate: world.clock.iso(d.createdDate),
  };
}

/** BuildDefinition, the getDefinition answer: a YAML process and its repository. */
export function buildDefinition(world: EmulatorState, urls: Urls, d: BuildDefinitionState): Record<string, unknown> {
  const project = world.projectsById.get(d.projectId)!;
  return {
    triggers: [],
    properties: {},
    tags: [],
    jobAuthorizationScope: 'project',
    process: { yamlFilename: d.yamlFilename, type: 2 },
    repository: {
      properties: { reportBuildStatus: 'true' },
      id: d.repository.id,
      type: d.repository.type,
      name: d.repository.name,
      url: `${urls.collectionUrl}/${encodeURIComponent(project.name)}/_git/${encodeURIComponent(d.repository.name)}`,
      defaultBranch: d.repository.defaultBranch,
      checkoutSubmodules: false,
    },
    ...buildDefinitionReference(world, urls, d),
  };
}
