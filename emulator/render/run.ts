/**
 * A build seen through the Pipelines API: a Run with `state` + `result` (not status), the pipeline
 * being the build definition. The list leaves out `resources`, as the recorded list does.
 */
import type { BuildState } from '../world/model';
import type { EmulatorState } from '../world/world';
import { dropUndefined } from './build';
import type { Urls } from './urls';

export function runState(b: BuildState): 'inProgress' | 'canceling' | 'completed' {
  if (b.status === 'completed') return 'completed';
  if (b.status === 'cancelling') return 'canceling';
  return 'inProgress';
}

/** RunResult has no partial success; the service reports such runs as succeeded. */
export function runResult(b: BuildState): 'succeeded' | 'failed' | 'canceled' | undefined {
  switch (b.result) {
    case undefined: return undefined;
    case 'succeeded': case 'partiallySucceeded': return 'succeeded';
    case 'canceled': return 'canceled';
    default: return 'failed';
  }
}

export function renderRun(world: EmulatorState, urls: Urls, b: BuildState, withResources: boolean): Record<string, unknown> {
  const definition = world.findBuildDefinition(b.projectId, b.definitionId)!;
  const pipelineUrl = urls.api(b.projectId, `pipelines/${definition.id}?revision=${definition.revision}`);
  const self = urls.api(b.projectId, `pipelines/${definition.id}/runs/${b.id}`);
  return dropUndefined({
    _links: {
      self: { href: self },
      web: { href: urls.web(b.projectId, `_build/results?buildId=${b.id}`) },
      'pipeline.web': { href: urls.web(b.projectId, `_build/definition?definitionId=${definition.id}`) },
      pipeline: { href: pipelineUrl },
    },
    templateParameters: { ...b.templateParameters },
    pipeline: { url: pipelineUrl, id: definition.id, revision: definition.revision, name: definition.name, folder: definition.path },
    state: runState(b),
    result: runResult(b),
    createdDate: world.clock.iso(b.queueTime),
    finishedDate: b.finishTime === undefined ? undefined : world.clock.iso(b.finishTime),
    url: self,
    resources: withResources ? {
      repositories: {
        self: {
          repository: { id: definition.repository.id, type: 'azureReposGit' },
          refName: b.sourceBranch,
          version: b.sourceVersion,
        },
      },
    } : undefined,
    id: b.id,
    name: b.buildNumber,
  });
}
