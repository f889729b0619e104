/**
 * How builds and their stages move: start, complete, retry, cancel, and the run of a queued build.
 * Reactions schedule their later steps on the world's queue; a cancel or retry starts a new
 * generation so the steps of an interrupted run do nothing.
 */
import type { BuildResult, RecordState, TaskResult } from '../scenario';
import { guidFor } from '../ids';
import type { BuildState, StageState } from './model';
import type { EmulatorState } from './world';

const generations = new WeakMap<BuildState, number>();

function newGeneration(build: BuildState): number {
  const next = (generations.get(build) ?? 0) + 1;
  generations.set(build, next);
  return next;
}

function isCurrent(build: BuildState, generation: number): boolean {
  return (generations.get(build) ?? 0) === generation;
}

export function touch(build: BuildState, at: number): number {
  build.changeId += 1;
  build.lastChangedDate = at;
  return build.changeId;
}

export function stageRecordId(buildId: number, identifier: string, attempt: number): string {
  return guidFor(`build/${buildId}/stage/${identifier}/attempt/${attempt}`);
}

/** The id of the Job record under a stage attempt's record (what the agent hands a job as System.JobId). */
export function jobRecordId(stageRecordId: string): string {
  return guidFor(`${stageRecordId}/job`);
}

/** Moves a stage; a result without a state completes it. A stage that starts also starts its build. */
export function setStage(
  build: BuildState, stage: StageState, change: { state?: RecordState; result?: TaskResult }, at: number,
): void {
  const state = change.state ?? (change.result ? 'completed' : stage.state);
  if (state === 'inProgress') {
    stage.state = 'inProgress';
    stage.result = undefined;
    stage.startTime = at;
    stage.finishTime = undefined;
    startBuild(build, at);
  } else if (state === 'completed') {
    stage.state = 'completed';
    stage.result = change.result ?? stage.result ?? 'succeeded';
    stage.startTime ??= at;
    stage.finishTime = at;
  } else {
    stage.state = 'pending';
    stage.result = undefined;
    stage.startTime = undefined;
    stage.finishTime = undefined;
  }
  stage.changeId = touch(build, at);
}

export function startBuild(build: BuildState, at: number): void {
  if (build.status === 'notStarted' || build.status === 'postponed') {
    build.status = 'inProgress';
    build.startTime = at;
    touch(build, at);
  }
}

export function completeBuild(build: BuildState, result: BuildResult, at: number): void {
  build.status = 'completed';
  build.result = result;
  build.startTime ??= at;
  build.finishTime = at;
  touch(build, at);
}

/** The build result the stages add up to. */
export function aggregateResult(stages: StageState[]): BuildResult {
  const results = stages.map((s) => s.result);
  if (results.includes('failed') || results.includes('abandoned')) return 'failed';
  if (results.includes('canceled')) return 'canceled';
  if (results.includes('succeededWithIssues')) return 'partiallySucceeded';
  return 'succeeded';
}

export function taskResultOf(result: BuildResult | undefined): TaskResult {
  switch (result) {
    case 'partiallySucceeded': return 'succeededWithIssues';
    case 'failed': return 'failed';
    case 'canceled': return 'canceled';
    default: return 'succeeded';
  }
}

/**
 * Runs `stages` from `startAt`, each `msEach` long with `result`: a stage starts once every stage it depends on has
 * succeeded (or was skipped on purpose), so stages with the same dependencies run at the same time; a stage that
 * fails or is canceled skips those of `stages` that wait for it. Manual stages never start by themselves. The build
 * completes once nothing runs any more.
 */
export function runStages(
  world: EmulatorState, build: BuildState, stages: StageState[], startAt: number, msEach: number, result: TaskResult,
): void {
  const generation = newGeneration(build);
  world.at(startAt, (at) => pump(world, build, generation, stages, msEach, result, at));
}

/** Starts every stage of `stages` that may start now; finishes the build when none runs. */
function pump(
  world: EmulatorState, build: BuildState, generation: number, stages: StageState[], msEach: number, result: TaskResult, at: number,
): void {
  if (!isCurrent(build, generation)) return;
  for (let changed = true; changed; ) {
    changed = false;
    for (const stage of stages) {
      if (stage.state !== 'pending' || stage.manual) continue;
      const deps = build.stages.filter((d) => stage.dependsOn.includes(d.identifier));
      if (deps.some((d) => d.state === 'completed' && ended(d.result))) {
        setStage(build, stage, { result: 'skipped' }, at);
        changed = true;
      } else if (deps.every((d) => d.state === 'completed')) {
        setStage(build, stage, { state: 'inProgress' }, at);
        changed = true;
        world.at(at + msEach, (done) => {
          if (!isCurrent(build, generation)) return;
          setStage(build, stage, { result }, done);
          pump(world, build, generation, stages, msEach, result, done);
        });
      }
    }
  }
  finishBuild(build, at);
}

/** A result that stops the stages waiting for it: they are skipped. */
function ended(result: TaskResult | undefined): boolean {
  return result === 'failed' || result === 'canceled' || result === 'abandoned';
}

/** Completes the build from its stages once none is running (see skipUnreached). */
function finishBuild(build: BuildState, at: number): void {
  if (build.stages.some((s) => s.state === 'inProgress')) return;
  skipUnreached(build, at);
  completeBuild(build, aggregateResult(build.stages), at);
}

/**
 * A finished run's stages never reached are skipped, but for manual stages and the stages waiting for one: they stay
 * pending, for a person to start.
 */
export function skipUnreached(build: BuildState, at: number): void {
  const held = heldByManual(build.stages);
  for (const s of build.stages) if (s.state === 'pending' && !held.has(s)) setStage(build, s, { result: 'skipped' }, at);
}

/** Pending manual stages, and the pending stages that wait for one, directly or through others. */
export function heldByManual(stages: StageState[]): Set<StageState> {
  const held = new Set(stages.filter((s) => s.manual && s.state === 'pending'));
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stages) {
      if (s.state === 'pending' && !held.has(s) && s.dependsOn.some((id) => [...held].some((h) => h.identifier === id))) (held.add(s), (grew = true));
    }
  }
  return held;
}

/** Why a manual stage cannot be started, or undefined when it can. */
export function runRefusal(stage: StageState): string | undefined {
  if (!stage.manual) return `Stage ${stage.identifier} is not a manually triggered stage.`;
  if (stage.state !== 'pending') return `Stage ${stage.identifier} cannot be run because it is ${stage.state}.`;
  return undefined;
}

/**
 * A person starts a manual stage that has not run: the build goes back in progress (its finish time and result
 * cleared), the stage runs behaviour.manualStageMs and ends with behaviour.manualStageResult, then the stages that
 * wait for it run `queuedRunMs` each, and the build completes again. It is the stage's first run: attempt 1 (a guess).
 * Whatever else of the build runs goes on: the start joins it rather than restarting it.
 */
export function runManualStage(world: EmulatorState, build: BuildState, stage: StageState, at: number): void {
  const refusal = runRefusal(stage);
  if (refusal) throw new Error(refusal);
  const generation = generations.get(build) ?? newGeneration(build);
  build.status = 'inProgress';
  build.result = undefined;
  build.finishTime = undefined;
  setStage(build, stage, { state: 'inProgress' }, at);
  const { manualStageMs, manualStageResult, queuedRunMs, queuedRunResult } = world.behaviour;
  world.at(at + manualStageMs, (done) => {
    if (!isCurrent(build, generation)) return;
    setStage(build, stage, { result: manualStageResult }, done);
    pump(world, build, generation, waitingFor(build, stage), queuedRunMs, queuedRunResult, done);
  });
}

/** The pending stages that wait for `stage`, directly or through others. */
function waitingFor(build: BuildState, stage: StageState): StageState[] {
  const after = new Set<string>([stage.identifier]);
  const found: StageState[] = [];
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of build.stages) {
      if (s.state === 'pending' && !after.has(s.identifier) && s.dependsOn.some((d) => after.has(d))) (after.add(s.identifier), found.push(s), (grew = true));
    }
  }
  return found;
}

/** Why a stage cannot be retried, or undefined when it can. */
export function retryRefusal(stage: StageState, forceRetryAllJobs: boolean): string | undefined {
  if (stage.state !== 'completed') {
    return `Stage ${stage.identifier} cannot be retried because it is ${stage.state}.`;
  }
  if (stage.result === 'succeeded' && !forceRetryAllJobs) {
    return `Stage ${stage.identifier} has no failed jobs to retry.`;
  }
  return undefined;
}

/**
 * Retries a completed stage: its records move to an attempt timeline, the stage gets a new record id
 * and attempt+1, runs for behaviour.stageRetryMs, and the build runs again until it completes.
 * With retryDependencies, later stages that were skipped or canceled run after it. With
 * behaviour.stageRetryApproval the stage first waits (pending) for an approval; see approveStage.
 */
export function retryStage(
  world: EmulatorState, build: BuildState, stage: StageState, retryDependencies: boolean, at: number,
): void {
  const previous: StageState = { ...stage, previousAttempts: [...stage.previousAttempts] };
  // The service names the earlier attempt's timeline by the earlier stage record's id.
  build.attemptTimelines[previous.recordId] = previous;
  stage.previousAttempts.push({ attempt: stage.attempt, timelineId: previous.recordId, recordId: previous.recordId });
  stage.attempt += 1;
  stage.recordId = stageRecordId(build.id, stage.identifier, stage.attempt);
  stage.approval = undefined;
  build.status = 'inProgress';
  build.result = undefined;
  build.finishTime = undefined;
  if (world.behaviour.stageRetryApproval) {
    // A retry runs the stage's checks again: the stage waits, its checkpoint holds an open approval.
    newGeneration(build);
    setStage(build, stage, { state: 'pending' }, at);
    stage.approval = {
      id: guidFor(`${stage.recordId}/approval`), state: 'inProgress', startTime: at, retryDependencies,
    };
    return;
  }
  runRetriedStage(world, build, stage, retryDependencies, at);
}

function runRetriedStage(
  world: EmulatorState, build: BuildState, stage: StageState, retryDependencies: boolean, at: number,
): void {
  setStage(build, stage, { state: 'inProgress' }, at);
  const { stageRetryMs, stageRetryResult, queuedRunMs, queuedRunResult } = world.behaviour;
  const generation = newGeneration(build);
  world.at(at + stageRetryMs, (done) => {
    if (!isCurrent(build, generation)) return;
    setStage(build, stage, { result: stageRetryResult }, done);
    // A service that does not know retryDependencies (it is not in the 7.1 contract) may run every later stage again.
    const ignored = world.behaviour.retryDependenciesIgnored;
    const followers = build.stages.filter((s) => s.order > stage.order
      && s.state === 'completed' && (ignored || s.result === 'skipped' || s.result === 'canceled'));
    const succeeded = stageRetryResult === 'succeeded' || stageRetryResult === 'succeededWithIssues';
    if ((retryDependencies || ignored) && succeeded && followers.length > 0) {
      for (const f of followers) setStage(build, f, { state: 'pending' }, done);
      runStages(world, build, followers, done, queuedRunMs, queuedRunResult);
    } else {
      finishBuild(build, done);
    }
  });
}

/** Answers the approval a retried stage waits for: approved, it runs; rejected, it fails and the build fails. */
export function answerApproval(world: EmulatorState, build: BuildState, stage: StageState, approved: boolean, at: number): void {
  const approval = stage.approval;
  if (!approval || approval.state !== 'inProgress') {
    throw new Error(`Stage ${stage.identifier} of build ${build.id} has no approval waiting.`);
  }
  approval.state = 'completed';
  approval.result = approved ? 'succeeded' : 'failed';
  approval.finishTime = at;
  if (approved) {
    runRetriedStage(world, build, stage, approval.retryDependencies, at);
    return;
  }
  newGeneration(build);
  setStage(build, stage, { result: 'failed' }, at);
  finishBuild(build, at);
}

/** Retention deleted the build: it leaves the world and nothing scheduled for it happens any more. */
export function deleteBuild(world: EmulatorState, build: BuildState): void {
  newGeneration(build);
  world.buildsById.delete(build.id);
  world.deletedBuildIds.add(build.id);
}

/** A cancel request: "cancelling" now, then canceled after behaviour.cancelMs. */
export function cancelBuild(world: EmulatorState, build: BuildState, at: number): void {
  if (build.status === 'completed') return;
  build.status = 'cancelling';
  touch(build, at);
  const generation = newGeneration(build);
  world.at(at + world.behaviour.cancelMs, (done) => {
    if (!isCurrent(build, generation)) return;
    for (const s of build.stages) {
      if (s.approval?.state === 'inProgress') Object.assign(s.approval, { state: 'completed', result: 'canceled', finishTime: done });
      if (s.state === 'inProgress') setStage(build, s, { result: 'canceled' }, done);
      else if (s.state === 'pending') setStage(build, s, { result: 'skipped' }, done);
    }
    completeBuild(build, 'canceled', done);
  });
}

/** Cancels one stage; later stages that have not run are skipped and the build ends canceled. */
export function cancelStage(build: BuildState, stage: StageState, at: number): void {
  if (stage.state === 'completed') return;
  newGeneration(build);
  setStage(build, stage, { result: 'canceled' }, at);
  for (const s of build.stages) {
    if (s.order > stage.order && s.state === 'pending') setStage(build, s, { result: 'skipped' }, at);
  }
  if (!build.stages.some((s) => s.state === 'inProgress') && build.status !== 'completed') {
    completeBuild(build, 'canceled', at);
  }
}
