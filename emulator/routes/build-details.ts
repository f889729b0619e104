/** A build's timeline, tags, properties and stages. */
import { enumName, StageUpdateTypeEnum } from '../enums';
import { errors } from '../errors';
import { intParam, stringList } from '../query';
import { renderTimeline } from '../render/timeline';
import { list, ok, type RequestContext, type Route } from '../route';
import { cancelStage, retryRefusal, retryStage, runManualStage, runRefusal, touch } from '../world/build-lifecycle';
import type { PropertyValue } from '../world/model';
import { applyPatch, type JsonPatchOperation } from '../world/properties';
import { pathValue } from '../path-rule';
import { addTags, removeTag } from '../world/tags';
import { findStage } from '../world/world';
import { routeBuild } from './builds';

const BUILD = '{project}/_apis/build/builds/{buildId}';

function getTimeline(ctx: RequestContext) {
  const { build } = routeBuild(ctx);
  const changeId = intParam(ctx.query.changeId, 'changeId');
  const wanted = ctx.params.timelineId?.toLowerCase();
  if (!wanted || wanted === build.timelineId) {
    return ok(renderTimeline(ctx.world, ctx.urls, build, build.timelineId, build.stages, changeId));
  }
  // An earlier attempt's timeline, named in a stage's previousAttempts.
  const attemptKey = Object.keys(build.attemptTimelines).find((k) => k.toLowerCase() === wanted);
  if (!attemptKey) throw errors.timelineNotFound(ctx.params.timelineId);
  return ok(renderTimeline(ctx.world, ctx.urls, build, attemptKey, [build.attemptTimelines[attemptKey]], changeId));
}

function tagsReply(tags: string[]) {
  return list([...tags]);
}

function changeTags(ctx: RequestContext, change: (tags: string[]) => void) {
  // The service asks for Edit build quality ("can add tags to a build") to change a run's tags.
  const { build } = routeBuild(ctx, 'Edit build quality');
  change(build.tags);
  touch(build, ctx.world.now());
  return tagsReply(build.tags);
}

function stringArray(body: unknown, what: string): string[] {
  if (!Array.isArray(body) || body.some((t) => typeof t !== 'string')) throw errors.buildBadRequest(`${what} must be a JSON array of strings.`);
  return body as string[];
}

function propertiesReply(props: Record<string, PropertyValue>, filter?: string[]) {
  const value: Record<string, PropertyValue> = {};
  for (const name of Object.keys(props)) {
    if (!filter || filter.some((f) => f.toLowerCase() === name.toLowerCase())) value[name] = { ...props[name] };
  }
  return ok({ count: Object.keys(value).length, value });
}

function updateStage(ctx: RequestContext) {
  const { build, definition } = routeBuild(ctx);
  const project = ctx.project();
  const body = (ctx.body ?? {}) as { state?: unknown; forceRetryAllJobs?: boolean; retryDependencies?: boolean };
  const stage = findStage(build, ctx.params.stageRefName);
  if (!stage) throw errors.stageNotFound(ctx.params.stageRefName);
  const change = enumName(StageUpdateTypeEnum, body.state);
  const now = ctx.world.now();
  if (change === 'retry') {
    ctx.demand('Queue builds', project, definition);
    const refusal = retryRefusal(stage, body.forceRetryAllJobs === true);
    if (refusal) throw errors.invalidPipelineOperation(refusal);
    retryStage(ctx.world, build, stage, body.retryDependencies ?? true, now);
  } else if (change === 'cancel') {
    ctx.demand('Stop builds', project, definition);
    cancelStage(build, stage, now);
  } else if (change === 'run' && stage.manual) {
    // Run (7.2; not in the 7.1 contract) starts a manual stage that has not run. Which permission it checks is not
    // documented: Queue builds, as a retry (a guess).
    ctx.demand('Queue builds', project, definition);
    const refusal = runRefusal(stage);
    if (refusal) throw errors.invalidPipelineOperation(refusal);
    runManualStage(ctx.world, build, stage, now);
  } else {
    // Cancel, Retry, and Run for a manual stage only.
    throw errors.invalidStageChange(body.state);
  }
  // The service's UpdateStage returns nothing: 204.
  return { status: 204 };
}

export const buildDetailRoutes: Route[] = [
  { name: 'timeline.get', method: 'GET', host: 'collection', pattern: `${BUILD}/Timeline`, handle: getTimeline },
  { name: 'timeline.get', method: 'GET', host: 'collection', pattern: `${BUILD}/Timeline/{timelineId}`, handle: getTimeline },
  {
    name: 'builds.tags.list', method: 'GET', host: 'collection', pattern: `${BUILD}/tags`,
    handle: (ctx) => tagsReply(routeBuild(ctx).build.tags),
  },
  {
    name: 'builds.tags.add', method: 'PUT', host: 'collection', pattern: `${BUILD}/tags/{*tag}`,
    // The web front judges the tag in the path before the route looks at anything (path-rule.ts).
    handle: (ctx) => {
      const tag = pathValue(ctx, 'tag');
      return changeTags(ctx, (tags) => addTags(tags, [tag]));
    },
  },
  {
    name: 'builds.tags.addMany', method: 'POST', host: 'collection', pattern: `${BUILD}/tags`,
    handle: (ctx) => changeTags(ctx, (tags) => addTags(tags, stringArray(ctx.body, 'The tags'))),
  },
  {
    name: 'builds.tags.update', method: 'PATCH', host: 'collection', pattern: `${BUILD}/tags`,
    handle: (ctx) => changeTags(ctx, (tags) => {
      const body = (ctx.body ?? {}) as { tagsToAdd?: unknown; tagsToRemove?: unknown };
      addTags(tags, body.tagsToAdd === undefined ? [] : stringArray(body.tagsToAdd, 'tagsToAdd'));
      for (const t of body.tagsToRemove === undefined ? [] : stringArray(body.tagsToRemove, 'tagsToRemove')) removeTag(tags, t);
    }),
  },
  {
    name: 'builds.tags.delete', method: 'DELETE', host: 'collection', pattern: `${BUILD}/tags/{*tag}`,
    handle: (ctx) => {
      const tag = pathValue(ctx, 'tag');
      return changeTags(ctx, (tags) => removeTag(tags, tag));
    },
  },
  {
    name: 'builds.properties.get', method: 'GET', host: 'collection', pattern: `${BUILD}/properties`,
    handle: (ctx) => propertiesReply(routeBuild(ctx).build.properties, stringList(ctx.query.filter)),
  },
  {
    name: 'builds.properties.update', method: 'PATCH', host: 'collection', pattern: `${BUILD}/properties`,
    handle: (ctx) => {
      const { build } = routeBuild(ctx, 'Update build information');
      if (!Array.isArray(ctx.body)) throw errors.buildBadRequest('The properties document must be a JSON patch array.');
      // All operations or none: work on a copy.
      const next = { ...build.properties };
      const problem = applyPatch(next, ctx.body as JsonPatchOperation[]);
      if (problem) throw errors.buildBadRequest(problem);
      build.properties = next;
      touch(build, ctx.world.now());
      return propertiesReply(build.properties);
    },
  },
  { name: 'stages.update', method: 'PATCH', host: 'collection', pattern: `${BUILD}/stages/{stageRefName}`, handle: updateStage },
];
