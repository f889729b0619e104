import { AzureDevOps } from '../client/azure-devops';
import { DeadlineReached } from '../client/call-with-retry';
import { CanceledError, InputError, LockstepError } from '../errors';
import { Host } from '../ports';
import { parsePipelineRefs } from '../refs/pipeline-ref';
import { resolveRefs } from '../refs/resolve-refs';
import { formatDuration } from '../report/duration';
import { RunContext } from '../run-context';
import { trainRunMatch } from '../train/train-match';
import { Claimant, RollbackClaims } from './claims';
import { makePlan, PlanEntry } from './rollback-plan';
import { MemberResult, planJson, renderRollbackSummary, resultJson, rollbackResult } from './rollback-report';
import { RollbackSettings } from './rollback-settings';
import { RollbackSteps, StepState } from './rollback-steps';

export interface RollbackOutcome {
  result: 'Succeeded' | 'SucceededWithIssues' | 'Failed';
  message?: string;
  results: MemberResult[];
}

/**
 * CoordinatedRollback: every member of a failed train goes back to its last known good version, in reverse
 * deployment order, exactly once however many members' pipelines ask at the same moment. One of the asking runs
 * leads (see claims.ts); the others report who does it and, with waitForCompletion, follow it to the end and take
 * over if it is canceled.
 */
export async function coordinatedRollback(settings: RollbackSettings, context: RunContext, api: AzureDevOps, host: Host): Promise<RollbackOutcome> {
  const { clock, log, localize } = host;
  const startedAt = clock.now();
  const deadline = startedAt + settings.poll.timeoutMs;
  api.ctx.deadline = deadline;
  const refs = parsePipelineRefs(settings.participants, { allowStage: true });
  const unstaged = refs.find((r) => r.stage === undefined);
  if (unstaged) throw new InputError('Error_RollbackStageRequired', [unstaged.line, unstaged.text]);
  const members = await resolveRefs(refs, settings.project, api, log, localize);
  const match = trainRunMatch(settings.train, settings.trainMatch);
  const plan = await makePlan(members, match, settings.strategy, api, settings.poll.runsPerDefinition);
  host.outputs.setVariable('plan', planJson(plan));
  log.info(localize('Info_RollbackPlan', settings.train, settings.dryRun ? ' (dry run: nothing will change)' : ''));
  for (const p of plan) log.info(`  ${p.member.label}: ${p.trainRun ? `train run ${p.trainRun.name} (#${p.trainRun.id})` : 'no train run'} → ${p.action === 'none' ? `cannot roll back: ${p.reason}` : p.describe}`);

  const ordered = settings.order === 'reverse' ? [...plan].reverse() : plan;
  const actionable = ordered.filter((p) => p.lastGood && (p.action === 'retryStage' || p.action === 'redeployEnvironment' || p.action === 'queueRun'));
  const results = new Map<PlanEntry, MemberResult>();
  for (const p of plan) if (p.action === 'skip' || p.action === 'none') results.set(p, { member: p.member.label, status: p.action === 'skip' ? 'skipped' : 'failed', reason: p.reason });
  const finish = (message?: string): RollbackOutcome => {
    const list = plan.map((p) => results.get(p) ?? { member: p.member.label, status: 'failed' as const, reason: 'not rolled back' });
    const result = rollbackResult(list);
    host.outputs.setVariable('result', resultJson(list));
    host.outputs.attachSummary(`Lockstep: rollback of ${settings.train}`, renderRollbackSummary({ train: settings.train, plan, results: list, result, message, dryRun: settings.dryRun }));
    return { result, message, results: list };
  };

  if (settings.dryRun) {
    for (const p of actionable) results.set(p, { member: p.member.label, status: 'skipped', reason: `dry run: would ${p.describe}` });
    return { ...finish(localize('Info_DryRun')), result: 'Succeeded' };
  }

  const steps = new RollbackSteps(api, settings.train, context, settings.templateParameters);
  const states = await Promise.all(actionable.map((p) => steps.state(p)));
  if (actionable.length > 0 && states.every((s) => s.issued && s.done)) {
    actionable.forEach((p, i) => results.set(p, stepResult(p, states[i])));
    const by = states.map((s) => (s.issued ? s.by : undefined)).find((b) => b !== undefined);
    return finish(localize('Info_AlreadyRolledBack', settings.train, by ?? '?'));
  }

  const claims = new RollbackClaims(api, context, settings.train, members, match, settings.poll.runsPerDefinition);
  await claims.claim();
  let leading = false;
  let announced: string | undefined;
  try {
    await host.sleep(settings.settleMs, host.signal);
    for (;;) {
      // Finished by someone else (a leader that has since left, too): report it rather than lead an empty rollback.
      const current = await Promise.all(actionable.map((p) => steps.state(p)));
      if (current.every((s) => s.issued && s.done)) {
        actionable.forEach((p, i) => results.set(p, stepResult(p, current[i])));
        await claims.leave();
        const by = current.map((s) => (s.issued ? s.by : undefined)).find((b) => b !== undefined);
        return finish(localize('Info_RollbackByOther', announced ?? `run #${by ?? '?'}`));
      }
      const leader = RollbackClaims.elect(await claims.read());
      if (!leader || claims.isSelf(leader)) {
        if (announced) log.info(localize('Info_TakingOver', announced));
        leading = true;
        await claims.lead();
        await lead(settings, actionable, plan, steps, results, host, () => claims.read(), deadline);
        await claims.leave(api, true);
        return finish();
      }
      const who = describeClaimant(leader);
      if (announced !== who) {
        log.info(localize('Info_RollbackLeader', who));
        announced = who;
      }
      if (!settings.waitForCompletion) {
        await claims.leave();
        return { ...finish(localize('Info_RollbackByOther', who)), result: 'Succeeded' };
      }
      actionable.forEach((p, i) => results.set(p, stepResult(p, current[i], who)));
      const left = deadline - clock.now();
      if (left <= 0) throw new DeadlineReached();
      await host.sleep(Math.min(settings.poll.intervalMs, left), host.signal);
    }
  } catch (error) {
    const done = [...results.values()].filter((r) => r.status === 'rolledBack').map((r) => r.member);
    if (host.signal.aborted) {
      await claims.leave(api.forCleanup(1_500), leading && done.length === actionable.length).catch(() => undefined);
      const canceled = new CanceledError('Error_RollbackCanceled', [settings.train, done.join(', ') || 'nothing', actionable.filter((p) => !done.includes(p.member.label)).map((p) => p.member.label).join(', ') || 'nothing']);
      finish(canceled.render(localize));
      throw canceled;
    }
    await claims.leave(api.forCleanup(5_000), leading).catch(() => undefined);
    if (error instanceof DeadlineReached) return finish(localize('Error_RollbackTimeout', settings.train, formatDuration(clock.now() - startedAt)));
    if (error instanceof LockstepError) finish(error.render(localize));
    throw error;
  }
}

/**
 * The leader's work: cancel the train's runs still in flight, then each member's rollback — one at a time, each
 * awaited before the next (reverse), or all at once (parallel). It stops only between steps: a step is issued
 * through requests the job's cancellation does not interrupt.
 */
async function lead(settings: RollbackSettings, actionable: PlanEntry[], plan: PlanEntry[], steps: RollbackSteps, results: Map<PlanEntry, MemberResult>, host: Host, claimsOf: () => Promise<Claimant[]>, deadline: number): Promise<void> {
  const { log, localize } = host;
  const between = () => {
    if (host.signal.aborted) throw host.signal.reason;
  };
  if (settings.cancelInFlight) {
    // Never a run that is itself asking for the rollback: it follows (or leads) it, and its pipeline is not deploying.
    const asking = new Set((await claimsOf()).map((c) => `${c.kind}/${c.runId}`));
    for (const p of plan.filter((p) => p.trainRunInProgress && !steps.isSelf(p) && !asking.has(`${p.member.kind === 'release' ? 'release' : 'build'}/${p.trainRun!.id}`))) {
      between();
      const canceled = await steps.uninterruptible.cancel(p);
      if (canceled) log.info(`${p.member.label}: ${canceled}`);
    }
  }
  const issue = async (p: PlanEntry) => {
    between();
    const state = await steps.state(p);
    if (state.issued) {
      log.info(localize('Info_RollbackAlreadyIssued', p.member.label, state.by ?? '?'));
    } else {
      await steps.uninterruptible.issue(p);
      log.info(localize('Info_RollbackIssued', p.member.label, p.describe));
    }
  };
  const await_ = async (p: PlanEntry) => {
    for (;;) {
      const state = await steps.state(p);
      if (state.issued && state.done) {
        results.set(p, stepResult(p, state));
        log.info(`${p.member.label}: ${state.ok ? 'rolled back' : 'rollback failed'} (${state.detail})`);
        return state.ok;
      }
      const left = deadline - host.clock.now();
      if (left <= 0) throw new DeadlineReached();
      await host.sleep(Math.min(settings.poll.intervalMs, left), host.signal);
    }
  };
  if (settings.order === 'parallel') {
    for (const p of actionable) await issue(p);
    if (settings.waitForCompletion) await Promise.all(actionable.map(await_));
    else for (const p of actionable) results.set(p, { member: p.member.label, status: 'rolledBack', reason: `${p.describe} (issued; not awaited)` });
    return;
  }
  for (const [i, p] of actionable.entries()) {
    await issue(p);
    if (!settings.waitForCompletion) {
      results.set(p, { member: p.member.label, status: 'rolledBack', reason: `${p.describe} (issued; not awaited)` });
      continue;
    }
    if (!(await await_(p))) {
      for (const rest of actionable.slice(i + 1)) results.set(rest, { member: rest.member.label, status: 'failed', reason: `not attempted: the rollback of ${p.member.label} failed` });
      return;
    }
  }
}

function stepResult(p: PlanEntry, state: StepState, by?: string): MemberResult {
  if (state.issued && state.done) return { member: p.member.label, status: state.ok ? 'rolledBack' : 'failed', reason: state.detail };
  return { member: p.member.label, status: 'failed', reason: state.issued ? `in progress${by ? ` (by ${by})` : ''}` : 'not rolled back yet' };
}

function describeClaimant(c: Claimant): string {
  return `${c.kind === 'release' ? 'release' : 'run'} #${c.runId} of ${c.pipeline}`;
}
