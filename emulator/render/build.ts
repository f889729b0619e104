/**
 * A build as the service answers it (key order and fields after the recorded answers). Missing
 * values are absent keys: a notStarted build has no startTime, finishTime or result.
 */
import type { BuildState, PropertyValue } from '../world/model';
import { findName } from '../world/properties';
import type { EmulatorState } from '../world/world';
import { definitionReference } from './build-definition';
import { identityRef } from './identity';
import { projectReference } from './project';
import type { Urls } from './urls';

/** `properties` lists the property names to include (the list's `properties` filter); null leaves the key out. */
export function renderBuild(
  world: EmulatorState, urls: Urls, b: BuildState, properties: string[] | null = [],
): Record<string, unknown> {
  const iso = (t: number | undefined) => (t === undefined ? undefined : world.clock.iso(t));
  const definition = world.findBuildDefinition(b.projectId, b.definitionId)!;
  const project = world.projectsById.get(b.projectId)!;
  const self = urls.api(b.projectId, `build/Builds/${b.id}`);
  const wire: Record<string, unknown> = {
    _links: {
      self: { href: self },
      web: { href: urls.web(b.projectId, `_build/results?buildId=${b.id}`) },
      sourceVersionDisplayUri: { href: urls.api(b.projectId, `build/builds/${b.id}/sources`) },
      timeline: { href: urls.api(b.projectId, `build/builds/${b.id}/Timeline`) },
      badge: { href: urls.api(b.projectId, `build/status/${b.definitionId}`) },
    },
    properties: properties === null ? undefined : selectedProperties(b.properties, properties),
    tags: [...b.tags],
    validationResults: [],
    plans: [{ planId: b.planId }],
    triggerInfo: { ...b.triggerInfo },
    id: b.id,
    buildNumber: b.buildNumber,
    status: b.status,
    result: b.result,
    queueTime: iso(b.queueTime),
    startTime: iso(b.startTime),
    finishTime: iso(b.finishTime),
    url: self,
    definition: definitionReference(world, urls, definition),
    buildNumberRevision: 1,
    project: projectReference(urls, world.clock, project),
    uri: `vstfs:///Build/Build/${b.id}`,
    sourceBranch: b.sourceBranch,
    sourceVersion: b.sourceVersion,
    queue: { id: 72, name: 'Azure Pipelines', pool: { id: 9, name: 'Azure Pipelines', isHosted: true } },
    priority: 'normal',
    reason: b.reason,
    requestedFor: identityRef(urls, b.requestedFor),
    requestedBy: identityRef(urls, b.requestedBy),
    lastChangedDate: iso(b.lastChangedDate),
    lastChangedBy: identityRef(urls, b.requestedBy),
    parameters: b.parameters,
    templateParameters: Object.keys(b.templateParameters).length > 0 ? { ...b.templateParameters } : undefined,
    orchestrationPlan: { planId: b.planId },
    logs: { id: 0, type: 'Container', url: urls.api(b.projectId, `build/builds/${b.id}/logs`) },
    repository: {
      id: definition.repository.id,
      type: definition.repository.type,
      name: definition.repository.name,
      url: `${urls.collectionUrl}/${encodeURIComponent(project.name)}/_git/${encodeURIComponent(definition.repository.name)}`,
      checkoutSubmodules: false,
    },
    retainedByRelease: false,
    appendCommitMessageToRunName: true,
  };
  return dropUndefined(wire);
}

function selectedProperties(all: Record<string, PropertyValue>, names: string[]): Record<string, PropertyValue> {
  const picked: Record<string, PropertyValue> = {};
  for (const wanted of names) {
    const name = findName(all, wanted);
    if (name !== undefined) picked[name] = { ...all[name] };
  }
  return picked;
}

/** Absent keys rather than nulls, as the service writes them outside timelines. */
export function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
