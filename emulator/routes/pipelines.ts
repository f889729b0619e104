/** Pipelines API: runs list, run get, and run (queue with template parameters and a repository version). */
import { errors } from '../errors';
import { renderRun } from '../render/run';
import { list, ok, type RequestContext, type Route } from '../route';
import { createBuild } from '../world/create-build';
import type { BuildDefinitionState } from '../world/model';

const RUNS = '{project}/_apis/pipelines/{pipelineId}/runs';

function routePipeline(ctx: RequestContext): BuildDefinitionState {
  const project = ctx.project();
  const id = Number(ctx.params.pipelineId);
  const pipeline = Number.isInteger(id) ? ctx.world.findBuildDefinition(project.id, id) : undefined;
  if (!pipeline) throw errors.pipelineNotFound(ctx.params.pipelineId);
  return pipeline;
}

interface RunParameters {
  templateParameters?: Record<string, string>;
  resources?: { repositories?: Record<string, { refName?: string; version?: string }> };
  variables?: Record<string, { value?: string; isSecret?: boolean }>;
  stagesToSkip?: string[];
  previewRun?: boolean;
}

function runPipeline(ctx: RequestContext) {
  const project = ctx.project();
  const pipeline = routePipeline(ctx);
  ctx.demand('Queue builds', project, pipeline);
  const body = (ctx.body ?? {}) as RunParameters;
  const self = body.resources?.repositories?.self;
  const input = {
    id: ctx.world.nextBuildId(),
    definition: pipeline.id,
    project: project.id,
    sourceBranch: self?.refName,
    sourceVersion: self?.version,
    templateParameters: body.templateParameters,
    parameters: body.variables
      ? JSON.stringify(Object.fromEntries(Object.entries(body.variables).map(([k, v]) => [k, v?.value ?? ''])))
      : undefined,
    reason: 'manual',
    requestedFor: ctx.world.identity,
  };
  if (body.previewRun) {
    // A preview expands the YAML and runs nothing.
    return ok({
      finalYaml: `# ${pipeline.yamlFilename}\nstages:\n${pipeline.stages.map(stageYaml).join('\n')}\n`,
      pipeline: { id: pipeline.id, name: pipeline.name, folder: pipeline.path, revision: pipeline.revision },
      state: 'unknown',
    });
  }
  const build = createBuild(ctx.world, input, ctx.world.now(), true, project.id, body.stagesToSkip ?? []);
  return ok(renderRun(ctx.world, ctx.urls, build, true));
}

/** A stage as the expanded YAML writes it: its dependencies, and its trigger when manual. */
function stageYaml(s: { identifier: string; dependsOn: string[]; manual: boolean }): string {
  return [`- stage: ${s.identifier}`, `  dependsOn: [${s.dependsOn.join(', ')}]`, ...(s.manual ? ['  trigger: manual'] : [])].join('\n');
}

export const pipelineRoutes: Route[] = [
  {
    name: 'pipelines.runs.list', method: 'GET', host: 'collection', pattern: RUNS,
    handle: (ctx) => {
      const project = ctx.project();
      const pipeline = routePipeline(ctx);
      ctx.demand('View builds', project, pipeline);
      const runs = ctx.world.builds().filter((b) => b.projectId === project.id && b.definitionId === pipeline.id)
        .sort((a, b) => b.id - a.id).slice(0, 10_000);
      return list(runs.map((b) => renderRun(ctx.world, ctx.urls, b, false)));
    },
  },
  { name: 'pipelines.runs.run', method: 'POST', host: 'collection', pattern: RUNS, handle: runPipeline },
  {
    name: 'pipelines.runs.get', method: 'GET', host: 'collection', pattern: `${RUNS}/{runId}`,
    handle: (ctx) => {
      const project = ctx.project();
      const pipeline = routePipeline(ctx);
      const build = ctx.world.build(Number(ctx.params.runId));
      if (!build || build.projectId !== project.id || build.definitionId !== pipeline.id) throw errors.runNotFound(ctx.params.runId);
      ctx.demand('View builds', project, pipeline);
      return ok(renderRun(ctx.world, ctx.urls, build, true));
    },
  },
];
