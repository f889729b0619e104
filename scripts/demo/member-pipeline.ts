import type { Emulator } from '../../emulator';
import { runTask, type TaskRun } from '../../emulator/agent/agent-harness';
import { MemberOutcome, MemberScript, Step } from './train-script';

/** Where a member's emulated run stands, for the live view. */
export interface MemberState {
  member: MemberScript;
  stage: string;
  /** queued, running, waiting (in a Lockstep task), succeeded, failed, skipped, canceled */
  status: string;
  /** The last thing its current step said. */
  detail: string;
  startedAt: number;
  endedAt?: number;
  outcome: MemberOutcome;
}

export interface MemberIds {
  definitionId: number;
  /** The YAML run's build id, or the classic release's id. */
  runId: number;
  /** The classic release pipeline's id. */
  releaseDefinitionId?: number;
}

export interface RunOptions {
  emulator: Emulator;
  train: { commit: string; version: string };
  scale: number;
  token: string;
  stop: AbortSignal;
  /** Ends a step that hangs: the demo gives up on it once every other member has finished. */
  giveUp: AbortSignal;
}

/**
 * Plays one member's pipeline against the emulator the way Azure Pipelines would: stage after stage, honouring
 * succeeded()/failed() conditions, moving the run's state in the emulator, and running each Lockstep step as the
 * real bundled task in its own process, as the agent does.
 */
export async function playMember(member: MemberScript, ids: MemberIds, options: RunOptions, state: MemberState): Promise<void> {
  const { emulator } = options;
  const world = emulator.state;
  let failed = false;
  state.status = 'running';
  for (const stage of member.stages) {
    const wanted = stage.condition ?? 'succeeded';
    if ((wanted === 'succeeded') === failed) {
      state.outcome.stages[stage.name] = 'skipped';
      if (member.kind === 'yaml') world.apply({ build: ids.runId, stage: stage.name, result: 'skipped' });
      continue;
    }
    state.stage = stage.name;
    if (member.kind === 'yaml') world.apply({ build: ids.runId, stage: stage.name, state: 'inProgress' });
    else world.apply({ release: ids.runId, environment: stage.name, status: 'inProgress' });
    let ok = true;
    for (const step of stage.steps) {
      ok = await playStep(step, stage.name, member, ids, options, state);
      if (!ok || options.stop.aborted) break;
    }
    if (options.stop.aborted) {
      state.status = 'canceled';
      break;
    }
    state.outcome.stages[stage.name] = ok ? 'succeeded' : 'failed';
    if (member.kind === 'yaml') world.apply({ build: ids.runId, stage: stage.name, result: ok ? 'succeeded' : 'failed' });
    else world.apply({ release: ids.runId, environment: stage.name, status: ok ? 'succeeded' : 'rejected' });
    if (!ok) failed = true;
    state.status = 'running';
  }
  if (member.kind === 'yaml') world.apply({ build: ids.runId, status: 'completed', result: failed ? 'failed' : 'succeeded' });
  if (!options.stop.aborted) state.status = failed ? 'failed' : 'succeeded';
  state.endedAt = Date.now();
}

async function playStep(step: Step, stage: string, member: MemberScript, ids: MemberIds, options: RunOptions, state: MemberState): Promise<boolean> {
  if ('script' in step) {
    state.detail = step.script;
    await sleep(step.ms / options.scale, options.stop);
    if (step.fails) state.detail = `${step.script}: failed`;
    return !step.fails;
  }
  if ('hang' in step) {
    state.status = 'waiting';
    state.detail = step.hang;
    await Promise.race([options.stop, options.giveUp].map((signal) => new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))));
    state.detail = `${step.hang}: given up`;
    return false;
  }
  state.status = 'waiting';
  state.detail = `${step.task} starting`;
  const run = runTask({
    task: step.task,
    collectionUrl: options.emulator.collectionUrl,
    token: options.token,
    host: member.kind === 'release' ? 'release' : 'build',
    inputs: { pollIntervalSeconds: '5', ...step.inputs },
    variables: agentVariables(member, ids, stage, options),
    env: { LOCKSTEP_TIME_SCALE: String(options.scale) },
    killAfterMs: 10 * 60_000,
  });
  const follow = setInterval(() => {
    const said = lastSaid(run);
    if (said) state.detail = `${step.task}: ${said}`;
  }, 100);
  const stopIt = () => run.sigint();
  options.stop.addEventListener('abort', stopIt, { once: true });
  const result = await run.done;
  clearInterval(follow);
  options.stop.removeEventListener('abort', stopIt);
  const status = result.result.status ?? 'Failed';
  state.detail = `${step.task}: ${status}${result.result.message ? ` — ${result.result.message}` : ''}`;
  state.outcome.tasks.push({
    stage,
    task: step.task,
    status,
    message: result.result.message,
    outputs: result.outputs,
    summary: result.attachments.find((a) => a.type === 'Distributedtask.Core.Summary')?.content,
  });
  state.status = 'running';
  return status !== 'Failed';
}

/** What the agent tells a task about the run it executes in. */
function agentVariables(member: MemberScript, ids: MemberIds, stage: string, options: RunOptions): Record<string, string> {
  const common = { 'System.TeamProject': 'Shop', 'System.JobId': `00000000-0000-4000-8000-${String(ids.runId).padStart(12, '0')}` };
  if (member.kind === 'release') {
    return {
      ...common,
      'Release.ReleaseId': String(ids.runId),
      'Release.ReleaseName': `Release-${ids.runId}`,
      'Release.DefinitionId': String(ids.releaseDefinitionId),
      'Release.DefinitionName': member.name,
      'Release.EnvironmentName': stage,
      'Release.AttemptNumber': '1',
      'Release.PrimaryArtifactSourceAlias': '_legacy',
      'Release.Artifacts._legacy.SourceVersion': options.train.commit,
      'Build.SourceVersion': options.train.commit,
    };
  }
  return {
    ...common,
    'Build.BuildId': String(ids.runId),
    'Build.BuildNumber': options.train.version,
    'Build.DefinitionName': member.name,
    'Build.SourceVersion': options.train.commit,
    'Build.SourceBranch': 'refs/heads/main',
    'System.DefinitionId': String(ids.definitionId),
    'System.StageName': stage,
    'System.StageAttempt': '1',
  };
}

/** The task's last plain log line: what it is waiting for right now. */
function lastSaid(run: TaskRun): string | undefined {
  const lines = run.lines().filter((l) => l.trim() && !l.startsWith('##'));
  return lines.at(-1)?.trim();
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
