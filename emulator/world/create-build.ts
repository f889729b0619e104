/**
 * Turns a scenario build (or a queue request) into a BuildState with every default filled in.
 */
import { BuildReasonEnum } from '../enums';
import { guidFor, shaFor } from '../ids';
import type { BuildInput, StageInput } from '../scenario';
import { heldByManual, runStages, stageRecordId, taskResultOf } from './build-lifecycle';
import type { BuildDefinitionState, BuildState, StageState } from './model';
import { typedValue } from './properties';
import { addTags } from './tags';
import type { EmulatorState } from './world';

// Builds of the initial scenario without times are spread over the day before the start, in id order.
const DAY_MS = 86_400_000;

/** `skipStages`: stages a run request skips (pipelines runs' stagesToSkip). */
export function createBuild(
  world: EmulatorState, input: BuildInput, at: number, runsWhenNoStatus: boolean, projectId?: string, skipStages: string[] = [],
): BuildState {
  if (world.buildsById.has(input.id)) throw new Error(`Scenario: build ${input.id} exists already.`);
  const project = projectId ?? (input.project ? world.findProject(input.project)?.id : undefined);
  if (input.project && !project) throw new Error(`Scenario: build ${input.id}: project '${input.project}' not found.`);
  const definition = world.findBuildDefinition(project, input.definition);
  if (!definition) {
    throw new Error(`Scenario: build ${input.id}: build definition '${input.definition}' not found${project ? ' in its project' : ''}.`);
  }

  const runs = runsWhenNoStatus && input.status === undefined;
  const status = input.status ?? (runs ? 'notStarted' : 'completed');
  const result = input.result ?? (status === 'completed' ? 'succeeded' : undefined);
  const created = runsWhenNoStatus || at > 0;
  const queueTime = input.queueTime ?? input.startTime ?? (created ? at : -DAY_MS + input.id * 10);
  const startTime = input.startTime ?? (status === 'notStarted' || status === 'postponed' ? undefined : queueTime + 5_000);
  const finishTime = input.finishTime ?? (status === 'completed' ? (startTime ?? queueTime) + 60_000 : undefined);
  const requestedFor = input.requestedFor ?? world.identity;

  const build: BuildState = {
    id: input.id,
    projectId: definition.projectId,
    definitionId: definition.id,
    buildNumber: input.buildNumber ?? defaultBuildNumber(world, definition, queueTime),
    sourceBranch: input.sourceBranch
      ?? (input.pullRequest ? `refs/pull/${input.pullRequest.number}/merge` : definition.repository.defaultBranch),
    sourceVersion: input.sourceVersion ?? shaFor(`build/${input.id}`),
    tags: [],
    properties: {},
    status,
    result,
    queueTime,
    startTime,
    finishTime,
    reason: input.reason ?? 'manual',
    requestedFor,
    requestedBy: requestedFor,
    parameters: input.parameters,
    templateParameters: { ...(input.templateParameters ?? {}) },
    triggerInfo: {},
    stages: [],
    timelineId: guidFor(`build/${input.id}/timeline`),
    planId: guidFor(`build/${input.id}/plan`),
    changeId: 1,
    lastChangedDate: finishTime ?? startTime ?? queueTime,
    attemptTimelines: {},
  };
  if (!Object.hasOwn(BuildReasonEnum, build.reason)) {
    throw new Error(`Scenario: build ${input.id} has reason '${build.reason}'; expected one of ${Object.keys(BuildReasonEnum).join(', ')}.`);
  }
  if (input.pullRequest && build.reason !== 'pullRequest') {
    throw new Error(`Scenario: build ${input.id} has a pullRequest but reason '${build.reason}'; expected reason 'pullRequest'.`);
  }
  if (build.reason === 'individualCI' || build.reason === 'batchedCI') {
    build.triggerInfo = {
      'ci.sourceBranch': build.sourceBranch,
      'ci.sourceSha': build.sourceVersion,
      'ci.message': `Change ${build.sourceVersion.slice(0, 7)}`,
      'ci.triggerRepository': definition.repository.id,
    };
  } else if (build.reason === 'pullRequest') {
    const pr = pullRequestOf(input, definition);
    build.triggerInfo = pr.triggerInfo;
    build.parameters ??= pr.parameters;
  }
  if (input.triggerInfo) build.triggerInfo = { ...input.triggerInfo };
  addTags(build.tags, input.tags ?? []);
  for (const [name, value] of Object.entries(input.properties ?? {})) build.properties[name] = typedValue(value);
  build.stages = input.stages ? explicitStages(build, definition, input.stages) : derivedStages(build, definition);

  world.buildsById.set(build.id, build);
  if (runs) {
    const skipped = (identifier: string) => skipStages.some((s) => s.toLowerCase() === identifier.toLowerCase());
    for (const stage of build.stages.filter((s) => skipped(s.identifier))) {
      Object.assign(stage, { state: 'completed', result: 'skipped', startTime: at, finishTime: at });
    }
    const toRun = build.stages.filter((s) => !skipped(s.identifier));
    runStages(world, build, toRun, at, world.behaviour.queuedRunMs, world.behaviour.queuedRunResult);
  }
  return build;
}

/**
 * What a pull request build carries, after the recorded PR build (builds_list_yaml_ci_and_pr.json):
 * pr.* triggerInfo with string values, and system.pullRequest.* queue-time parameters as JSON text.
 * The recorded one is a GitHub PR; pr.providerId follows the repository type (a guess for Azure Repos).
 */
function pullRequestOf(input: BuildInput, definition: BuildDefinitionState): { triggerInfo: Record<string, string>; parameters: string } {
  const pr = input.pullRequest ?? { number: input.id };
  const id = String(pr.id ?? pr.number);
  const sourceBranch = pr.sourceBranch ?? `refs/heads/topic/${pr.number}`;
  const targetBranch = pr.targetBranch ?? definition.repository.defaultBranch;
  const sourceSha = pr.sourceSha ?? shaFor(`pull/${pr.number}`);
  const github = definition.repository.type.toLowerCase() === 'github';
  return {
    triggerInfo: {
      'pr.sourceBranch': sourceBranch,
      'pr.sourceSha': sourceSha,
      'pr.id': id,
      'pr.title': pr.title ?? `Pull request ${pr.number}`,
      'pr.number': String(pr.number),
      'pr.isFork': pr.isFork ? 'True' : 'False',
      'pr.providerId': github ? 'github' : definition.repository.type,
      'pr.autoCancel': 'true',
    },
    parameters: JSON.stringify({
      'system.pullRequest.pullRequestId': id,
      'system.pullRequest.pullRequestNumber': String(pr.number),
      'system.pullRequest.mergedAt': '',
      'system.pullRequest.sourceBranch': sourceBranch,
      'system.pullRequest.targetBranch': targetBranch,
      'system.pullRequest.sourceCommitId': sourceSha,
    }),
  };
}

function defaultBuildNumber(world: EmulatorState, definition: BuildDefinitionState, queueTime: number): string {
  const day = world.clock.iso(queueTime).slice(0, 10).replace(/-/g, '');
  const sameDay = [...world.buildsById.values()]
    .filter((b) => b.definitionId === definition.id && b.buildNumber.startsWith(`${day}.`)).length;
  return `${day}.${sameDay + 1}`;
}

function explicitStages(build: BuildState, definition: BuildDefinitionState, inputs: StageInput[]): StageState[] {
  return inputs.map((input, index) => {
    const known = definition.stages.find((s) => s.identifier === input.identifier);
    const attempts = input.attempts ?? [];
    if (input.attempts && (attempts.length === 0 || (input.attempt !== undefined && input.attempt !== attempts.length))) {
      throw new Error(`Scenario: build ${build.id} stage '${input.identifier}': attempts has ${attempts.length} entries; expected at least one${input.attempt !== undefined ? ` and as many as attempt (${input.attempt})` : ''}.`);
    }
    // The last entry of attempts is the current record; the stage's own fields win over it.
    const current = attempts.at(-1) ?? {};
    const result = input.result ?? current.result;
    const state = input.state ?? current.state ?? (result ? 'completed' : 'pending');
    const attempt = attempts.length || (input.attempt ?? 1);
    const defaultStart = state === 'pending' ? undefined : build.startTime ?? build.queueTime;
    const defaultFinish = state === 'completed' ? build.finishTime ?? build.startTime ?? build.queueTime : undefined;
    const manual = (input.trigger ?? (known?.manual ? 'manual' : 'automatic')) === 'manual';
    const stage: StageState = {
      identifier: input.identifier,
      name: input.name ?? known?.name ?? input.identifier,
      order: index + 1,
      dependsOn: input.dependsOn ?? known?.dependsOn ?? (manual || index === 0 ? [] : [inputs[index - 1].identifier]),
      manual,
      state,
      result: state === 'completed' ? result ?? 'succeeded' : undefined,
      attempt,
      recordId: stageRecordId(build.id, input.identifier, attempt),
      previousAttempts: [],
      startTime: input.startTime ?? current.startTime ?? defaultStart,
      finishTime: input.finishTime ?? current.finishTime ?? defaultFinish,
      changeId: 1,
    };
    // A stage at attempt n had n-1 completed attempts before, each on its own timeline named by its record id.
    for (let a = 1; a < attempt; a++) {
      const earlier = attempts[a - 1];
      if (earlier?.state !== undefined && earlier.state !== 'completed') {
        throw new Error(`Scenario: build ${build.id} stage '${input.identifier}' attempt ${a} is ${earlier.state}; only the last attempt may be unfinished.`);
      }
      const recordId = stageRecordId(build.id, input.identifier, a);
      build.attemptTimelines[recordId] = {
        ...stage,
        attempt: a,
        recordId,
        state: 'completed',
        result: earlier?.result ?? 'failed',
        startTime: earlier?.startTime ?? stage.startTime ?? defaultStart ?? build.queueTime,
        finishTime: earlier?.finishTime ?? stage.finishTime ?? defaultFinish ?? build.queueTime,
        previousAttempts: stage.previousAttempts.slice(0, a - 1),
      };
      stage.previousAttempts.push({ attempt: a, timelineId: recordId, recordId });
    }
    return stage;
  });
}

/**
 * Stages that agree with the build's status: done, running the first, or all pending. In a completed build the
 * manual stages, and the stages that wait for them, have not run: still pending, a person can start them.
 */
function derivedStages(build: BuildState, definition: BuildDefinitionState): StageState[] {
  const count = definition.stages.length;
  const stages = definition.stages.map((d, index): StageState => ({
    identifier: d.identifier,
    name: d.name,
    order: index + 1,
    dependsOn: [...d.dependsOn],
    manual: d.manual,
    state: 'pending',
    attempt: 1,
    recordId: stageRecordId(build.id, d.identifier, 1),
    previousAttempts: [],
    changeId: 1,
  }));
  // Not run in a completed build: a person can still start them (or the manual stage they wait for).
  const held = heldByManual(stages);
  stages.forEach((stage, index) => {
    if (build.status === 'completed' && !held.has(stage)) {
      const last = index === count - 1;
      stage.state = 'completed';
      stage.result = last ? taskResultOf(build.result) : 'succeeded';
      const start = build.startTime ?? build.queueTime;
      const span = ((build.finishTime ?? start) - start) / count;
      stage.startTime = Math.round(start + span * index);
      stage.finishTime = Math.round(start + span * (index + 1));
    } else if ((build.status === 'inProgress' || build.status === 'cancelling') && index === 0) {
      stage.state = 'inProgress';
      stage.startTime = build.startTime;
    }
  });
  return stages;
}
