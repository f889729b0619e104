import { AzureDevOps } from '../client/azure-devops';
import { DeadlineReached } from '../client/call-with-retry';
import { CanceledError, InputError, LockstepError } from '../errors';
import { Host } from '../ports';
import { parsePipelineRefs } from '../refs/pipeline-ref';
import { DefinitionCatalog, resolveRefs } from '../refs/resolve-refs';
import { formatDuration } from '../report/duration';
import { RunContext } from '../run-context';
import { trainRunMatch } from '../train/train-match';
import { Claimant, RollbackClaims } from './claims';
import { makePlan, PlanEntry, PlanOptions } from './rollback-plan';
import { assessReadiness } from './rollback-readiness';
import { keepTargets } from './target-leases';
import { checkPermissions, logMissingPermissions, requirePermissions } from '../preflight/preflight';
import { PermissionNeed } from '../preflight/permission-need';
import { ownPipeline, rollbackNeeds } from '../preflight/task-needs';
import { ResolvedRef } from '../refs/resolved-ref';
import { MatchSettings } from '../runs/match-mode';
import { MemberResult, planJson, renderRollbackSummary, resultJson, rollbackResult } from './rollback-report';
import { RollbackSettings } from './rollback-settings';
import { RollbackSteps, StepState } from './rollback-steps';
import { PlanRecorder } from './plan-recorder';

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
  const catalog = new DefinitionCatalog(api);
  const members = await resolveRefs(refs, settings.project, api, log, localize, catalog, context.branch);
  const needs = rollbackNeeds(members, await ownPipeline(context, catalog), settings);
  const match = trainRunMatch(settings.train, settings.trainMatch);
  if (settings.dryRun) return readinessCheck(settings, members, match, needs, api, host);
  // Everything the rollback would do, on every member, checked before it claims, cancels or redeploys anything:
  // a train must never be left half rolled back for want of a permission.
  await requirePermissions(needs, api, host);
  const plan = await makePlan(members, match, api, planOptions(settings));
  host.outputs.setVariable('plan', planJson(plan));
  logPlan(plan, settings, host);

  const ordered = settings.order === 'reverse' ? [...plan].reverse() : plan;
  const actionable = ordered.filter((p) => p.lastGood && (p.action === 'retryStage' || p.action === 'redeployEnvironment' || p.action === 'queueRun'));
  const results = new Map<PlanEntry, MemberResult>();
  for (const p of plan) if (p.action === 'skip' || p.action === 'none') results.set(p, { member: p.member.label, status: p.action === 'skip' ? 'skipped' : 'failed', reason: p.reason });
  const finish = (message?: string): RollbackOutcome => {
    const list = plan.map((p) => results.get(p) ?? { member: p.member.label, status: 'failed' as const, reason: 'not rolled back' });
    const result = rollbackResult(list);
    // A Failed result always says what failed, in one line.
    const said = message ?? (result === 'Failed' ? failedLine(settings.train, list, localize) : undefined);
    host.outputs.setVariable('result', resultJson(list));
    host.outputs.attachSummary(`Lockstep: rollback of ${settings.train}`, renderRollbackSummary({ train: settings.train, plan, results: list, result, message: said, dryRun: false }));
    return { result, message: said, results: list };
  };

  // Nothing any member could be put back on: say so per member, and claim nothing.
  if (actionable.length === 0) return finish();
  const steps = new RollbackSteps(api, settings.train, context, settings.templateParameters);
  const states = await Promise.all(actionable.map((p) => steps.state(p)));
  // Already rolled back only when every member's rollback SUCCEEDED: one that failed or was canceled is tried again,
  // so re-running the Rollback stage never leaves a member on the bad version while saying there is nothing to do.
  if (states.every((s) => s.issued && s.done && s.ok)) {
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
      // A leader this run followed has finished (and if a member failed, its result stands: no second try behind its
      // back); with nobody followed, failed members are this run's to try again, as a re-run of the Rollback stage.
      if (current.every((s) => s.issued && s.done) && (current.every((s) => s.issued && s.done && s.ok) || announced !== undefined)) {
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
        // The plan and each step's outcome, on this run, for the train view.
        const recorder = new PlanRecorder(api, context, clock);
        await recorder.start(settings.train, ordered, settings.order, match);
        await lead(settings, actionable, plan, steps, results, host, () => claims.read(), deadline, recorder);
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
    if (error instanceof DeadlineReached) {
      const open = actionable.map((p) => results.get(p) ?? { member: p.member.label, status: 'failed' as const, reason: 'not rolled back' }).filter((r) => r.status !== 'rolledBack');
      return finish(localize('Error_RollbackTimeout', settings.train, formatDuration(clock.now() - startedAt), open.map((r) => `${r.member} ${r.reason}`).join('; ') || 'nothing left'));
    }
    if (error instanceof LockstepError) finish(error.render(localize));
    throw error;
  }
}

/**
 * The leader's work: cancel the train's runs still in flight, then each member's rollback — one at a time, each
 * awaited before the next (reverse), or all at once (parallel). It stops only between steps: a step is issued
 * through requests the job's cancellation does not interrupt.
 */
async function lead(settings: RollbackSettings, actionable: PlanEntry[], plan: PlanEntry[], steps: RollbackSteps, results: Map<PlanEntry, MemberResult>, host: Host, claimsOf: () => Promise<Claimant[]>, deadline: number, recorder: PlanRecorder): Promise<void> {
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
    if (state.issued && state.done && !state.ok) {
      log.info(localize('Info_RollbackRetried', p.member.label, state.detail));
      await steps.uninterruptible.issue(p);
      log.info(localize('Info_RollbackIssued', p.member.label, p.describe));
    } else if (state.issued) {
      log.info(localize('Info_RollbackAlreadyIssued', p.member.label, state.by ?? '?'));
    } else {
      await steps.uninterruptible.issue(p);
      log.info(localize('Info_RollbackIssued', p.member.label, p.describe));
    }
  };
  const await_ = async (p: PlanEntry) => {
    let said: string | undefined;
    for (;;) {
      const state = await steps.state(p);
      // Until it is done, the member's result says where it stands, so a timeout reports it as it is.
      results.set(p, stepResult(p, state));
      if (state.issued && state.done) {
        log.info(`${p.member.label}: ${state.ok ? 'rolled back' : 'rollback failed'} (${state.detail})`);
        if (state.ranAgain) log.warn(localize('Warning_LaterStagesRanAgain', p.member.label, state.ranAgain.join(', '), p.lastGood!.name, p.member.stage));
        return state.ok;
      }
      if (state.issued && state.waitingFor && state.waitingFor !== said) {
        said = state.waitingFor;
        log.info(`${p.member.label}: ${state.waitingFor}; waiting (timeout in ${formatDuration(Math.max(0, deadline - host.clock.now()))}).`);
      }
      const left = deadline - host.clock.now();
      if (left <= 0) throw new DeadlineReached();
      await host.sleep(Math.min(settings.poll.intervalMs, left), host.signal);
    }
  };
  // Issued and not awaited (waitForCompletion false): as done as this run will see it.
  const issuedOnly = async (p: PlanEntry) => {
    results.set(p, { member: p.member.label, status: 'rolledBack', reason: `${p.describe} (issued; not awaited)` });
    await recorder.step(p, 'done', 'issued; not awaited');
  };
  if (settings.order === 'parallel') {
    for (const p of actionable) await issue(p);
    if (settings.waitForCompletion) await Promise.all(actionable.map(async (p) => recorder.step(p, (await await_(p)) ? 'done' : 'failed', results.get(p)?.reason ?? '')));
    else for (const p of actionable) await issuedOnly(p);
    return;
  }
  for (const [i, p] of actionable.entries()) {
    await issue(p);
    if (!settings.waitForCompletion) {
      await issuedOnly(p);
      continue;
    }
    if (!(await await_(p))) {
      const rest = actionable.slice(i + 1).map((entry) => ({ entry, message: `not attempted: the rollback of ${p.member.label} failed` }));
      for (const r of rest) results.set(r.entry, { member: r.entry.member.label, status: 'failed', reason: r.message });
      await recorder.step(p, 'failed', results.get(p)?.reason ?? '', rest);
      return;
    }
    await recorder.step(p, 'done', results.get(p)?.reason ?? '');
  }
}

function stepResult(p: PlanEntry, state: StepState, by?: string): MemberResult {
  if (state.issued && state.done) {
    const ranAgain = state.ranAgain ? `; the service also ran ${state.ranAgain.join(', ')} again` : '';
    return { member: p.member.label, status: state.ok ? 'rolledBack' : 'failed', reason: `${state.detail}${ranAgain}` };
  }
  if (state.issued && state.waitingFor) return { member: p.member.label, status: 'failed', reason: `still pending: ${state.waitingFor} — it may still deploy later if someone approves it` };
  return { member: p.member.label, status: 'failed', reason: state.issued ? `in progress${by ? ` (by ${by})` : ''}` : 'not rolled back yet' };
}

function describeClaimant(c: Claimant): string {
  return `${c.kind === 'release' ? 'release' : 'run'} #${c.runId} of ${c.pipeline}`;
}

function planOptions(settings: RollbackSettings): PlanOptions {
  return { strategy: settings.strategy, runsPerDefinition: settings.poll.runsPerDefinition, runsLookedAt: settings.poll.runsLookedAt, train: { id: settings.train, match: settings.trainMatch }, branch: settings.lastGoodBranch };
}

/** The plan, one line per member, as the log shows it. */
function logPlan(plan: PlanEntry[], settings: RollbackSettings, host: Host): void {
  host.log.info(host.localize('Info_RollbackPlan', settings.train, settings.dryRun ? ' (dry run: nothing will change)' : ''));
  for (const p of plan) {
    const target = p.action === 'none' || p.action === 'skip' ? `${p.action === 'none' ? 'cannot roll back: ' : ''}${p.reason}` : p.describe;
    const note = p.prospective ? ` (once the train has deployed it: ${p.reason})` : '';
    host.log.info(`  ${p.member.label}: ${p.trainRun ? `train run ${p.trainRun.name} (#${p.trainRun.id})` : 'no train run'} → ${p.action === 'skip' ? `skip: ${target}` : target}${note}`);
    if (p.lastGood?.why) host.log.info(`    ${p.lastGood.why}`);
  }
}

/** "… failed — web@Prod: stage Prod of run 2.2.0 canceled; api@Prod: not attempted …" for a Failed result. */
function failedLine(train: string, results: MemberResult[], localize: Host['localize']): string {
  const failed = results.filter((r) => r.status === 'failed').map((r) => `${r.member}: ${r.reason ?? 'failed'}`);
  return localize('Error_RollbackFailed', train, failed.join('; '));
}

/**
 * dryRun: the readiness check a team runs at the start of every release. It verifies now what a rollback would need
 * later — every permission on every member, a target to go back to for each member (planned as if the train had
 * deployed it), a classic environment that would cancel an older redeploy — prints the plan, and ends Failed when the
 * rollback could not run. It changes nothing but retention leases that keep each member's target from retention (the
 * permission evaluation is a POST that only reads).
 */
async function readinessCheck(settings: RollbackSettings, members: ResolvedRef[], match: MatchSettings, needs: PermissionNeed[], api: AzureDevOps, host: Host): Promise<RollbackOutcome> {
  const { log, localize } = host;
  const permissions = await checkPermissions(needs, api, host);
  const plan = await makePlan(members, match, api, { ...planOptions(settings), prospective: true });
  host.outputs.setVariable('plan', planJson(plan));
  logPlan(plan, settings, host);
  const identity = await api.identity();
  const readiness = assessReadiness(plan, permissions, identity);
  // The one write of a readiness check: keep each target from retention until a newer one replaces it.
  readiness.warnings.push(...(await keepTargets(plan, api, host)));
  logMissingPermissions(permissions.missing.filter((n) => n.onMissing === 'fail'), identity, host);
  for (const warning of readiness.warnings) log.warn(localize('Warning_RollbackReadiness', settings.train, warning));
  const result = readiness.problems.length > 0 ? 'Failed' : 'Succeeded';
  // Ready says only what was verified: with a warning (permissions unchecked, a member with nothing to go back to)
  // the message names the warnings instead of claiming everything is in place.
  const message =
    result === 'Failed'
      ? localize('Error_RollbackNotReady', settings.train, readiness.problems.join('; '))
      : readiness.warnings.length > 0
        ? localize('Info_RollbackReadyWithWarnings', settings.train, readiness.warnings.length, readiness.warnings.join('; '))
        : localize('Info_RollbackReady', settings.train, plan.length);
  host.outputs.setVariable('result', resultJson(readiness.results));
  host.outputs.attachSummary(`Lockstep: rollback readiness of ${settings.train}`, renderRollbackSummary({ train: settings.train, plan, results: readiness.results, result, message, dryRun: true }));
  if (result === 'Succeeded') log.info(message);
  return { result, message, results: readiness.results };
}
