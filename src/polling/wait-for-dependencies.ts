import { AzureDevOps } from '../client/azure-devops';
import { DeadlineReached } from '../client/call-with-retry';
import { CanceledError, LockstepError } from '../errors';
import { Host } from '../ports';
import { parsePipelineRefs } from '../refs/pipeline-ref';
import { DefinitionCatalog, resolveRefs } from '../refs/resolve-refs';
import { requirePermissions } from '../preflight/preflight';
import { ownPipeline, waitNeeds } from '../preflight/task-needs';
import { DependencyStatus, resolvedRunsJson } from '../report/dependency-status';
import { formatDuration } from '../report/duration';
import { ProgressReporter } from '../report/progress-reporter';
import { renderSummary } from '../report/summary';
import { noMatchingRun } from '../runs/observation';
import { DependencyObserver } from './dependency-observer';
import { EtaPolling } from './eta-polling';
import { RunContext } from '../run-context';
import { ResolvedRef } from '../refs/resolved-ref';
import { findDeadlockCycle, FoundWait } from '../waits/deadlock';
import { selfBlocker } from '../waits/self-blocker';
import { waitHolds } from '../waits/wait-liveness';
import { WaitPublisher } from '../waits/wait-publisher';
import { WaitOutcome as WaitEnded, WaitRecord } from '../waits/wait-record';
import { WaitSettings } from './wait-settings';

export interface WaitOutcome {
  result: 'Succeeded' | 'SucceededWithIssues' | 'Failed';
  /** Why, when not Succeeded (already rendered for the host's culture). */
  message?: string;
  statuses: DependencyStatus[];
  waitedMs: number;
}

/**
 * Blocks until every dependency's matched run (or stage / environment) has succeeded, one fails, the timeout
 * passes, or the job is canceled. Sets the outputs and the summary tab in every case but an input error.
 */
export async function waitForDependencies(settings: WaitSettings, api: AzureDevOps, host: Host, context?: RunContext): Promise<WaitOutcome> {
  const { clock, log, localize } = host;
  const startedAt = clock.now();
  const deadline = startedAt + settings.poll.timeoutMs;
  api.ctx.deadline = deadline;

  const catalog = new DefinitionCatalog(api);
  // Stage names are checked against this run's own branch's last run first.
  const refs = await resolveRefs(parsePipelineRefs(settings.dependencies, { allowStage: true }), settings.project, api, log, localize, catalog, settings.match.branch);
  // Everything this wait will need, checked before it waits: a missing permission fails now, not an hour in.
  await requirePermissions(waitNeeds(refs, context && (await ownPipeline(context, catalog))), api, host);
  const statuses: DependencyStatus[] = refs.map((ref) => ({ ref, observation: noMatchingRun }));
  const eta = settings.poll.eta && new EtaPolling(api, settings.poll, settings.poll.eta, clock, log);
  const observer = new DependencyObserver(api, {
    match: settings.match,
    acceptPartiallySucceeded: settings.acceptPartiallySucceeded,
    runsPerDefinition: settings.poll.runsPerDefinition,
    runsLookedAt: settings.poll.runsLookedAt,
    historySearch: settings.poll.historySearch,
    onRun: eta && ((ref, sighting) => eta.saw(ref, sighting)),
    readsTimeline: eta && ((ref, build) => eta.readsTimeline(ref, build)),
  });
  const progress = new ProgressReporter(host, startedAt, settings.poll.heartbeatMs);
  const failedRunsWaitedPast = new Set<string>();
  const matchedBy = `${settings.match.mode}${matchDetail(settings)}`;
  // Publishing what this run waits for lets a SyncGate or another wait that waits for this run see a cycle.
  const publisher = context ? new WaitPublisher(api, context, log) : undefined;
  const waitRecord = context && waitRecordOf(refs, context, settings, startedAt, deadline);
  if (waitRecord) await publisher!.publish(waitRecord);
  const blocked = context && selfBlocker(api, context);
  const holds = waitHolds(api);
  log.info(localize('Info_Waiting', refs.length, matchedBy, settings.poll.intervalMs / 1000, formatDuration(settings.poll.timeoutMs)));

  const finish = async (result: WaitOutcome['result'], ended: EndedAs, message?: string, cleanupApi = api): Promise<WaitOutcome> => {
    await publisher?.end(ended, new Date(clock.now()).toISOString(), cleanupApi);
    const waitedMs = clock.now() - startedAt;
    host.outputs.setVariable('resolvedRuns', resolvedRunsJson(statuses));
    host.outputs.setVariable('waitedSeconds', String(Math.round(waitedMs / 1000)));
    host.outputs.attachSummary('Lockstep: dependencies', renderSummary({ title: 'Lockstep · WaitForDependency', matchedBy, result, waitedMs, statuses }));
    return { result, message, statuses, waitedMs };
  };
  const unmetList = () =>
    statuses
      .filter((s) => s.observation.verdict !== 'met')
      .map((s) => `${s.ref.label} (${s.observation.state})`)
      .join('; ');

  try {
    for (;;) {
      // Every dependency, met ones too, while the wait goes on: a met stage can be run again (a retry, a redeploy, a
      // rollback) before the others are met, and the wait must not pass on the old verdict. YAML references of a
      // project share one builds-list request whatever their number; a met run that has finished is not read again.
      const seen = await observer.observe(statuses.map((s) => s.ref));
      for (const status of statuses) {
        const was = status.observation.verdict;
        status.observation = seen.get(status.ref) ?? status.observation;
        if (status.observation.verdict === 'met' && was !== 'met') status.metAfterMs = clock.now() - startedAt;
        if (status.observation.verdict !== 'met') status.metAfterMs = undefined;
      }
      // Planned before reporting, so a state change and the heartbeat can say how long the stage usually takes;
      // the plan also decides which timelines the next poll reads.
      const plan = await eta?.plan(statuses.filter((s) => s.observation.verdict !== 'met'));
      progress.report(statuses, plan);

      const failed = statuses.filter((s) => s.observation.verdict === 'failed');
      if (failed.length > 0 && settings.onDependencyFailure === 'fail') {
        // A dependency that gave up on a deadlock: the cycle is the news, not only that its run failed.
        const gaveUp = failed.find((s) => s.observation.waiting?.deadlock);
        if (gaveUp) return await finish('Failed', 'deadlock', localize('Error_Deadlock', gaveUp.observation.waiting!.deadlock));
        const s = failed[0];
        const run = s.observation.run!;
        const message = localize('Error_DependencyFailed', s.ref.label, run.name, s.observation.result, run.webUrl, s.observation.state);
        return await finish('Failed', 'failed', message);
      }
      for (const s of failed) {
        // Waiting past a failure: say so once per failed run, then keep looking for a newer matching run.
        const key = `${s.ref.label}#${s.observation.run?.id}`;
        if (!failedRunsWaitedPast.has(key)) log.warn(localize('Warning_DependencyFailedWaiting', s.ref.label, s.observation.run?.name, s.observation.result));
        failedRunsWaitedPast.add(key);
      }

      if (statuses.every((s) => s.observation.verdict === 'met')) {
        log.info(localize('Info_AllMet', statuses.length, formatDuration(clock.now() - startedAt)));
        return await finish('Succeeded', 'met');
      }
      if (waitRecord && blocked) {
        const deadlock = await findDeadlockCycle(waitRecord, async (target) => foundWait(statuses.find((s) => s.ref.kind === target.kind && s.ref.definitionId === target.definitionId && s.ref.project === target.project && s.observation.verdict !== 'met')), blocked, holds);
        if (deadlock) {
          await publisher!.markDeadlock(waitRecord, { deadlock: deadlock.text, cycle: deadlock.cycle }, new Date(clock.now()).toISOString());
          return await finish('Failed', 'deadlock', localize('Error_Deadlock', deadlock.text));
        }
      }
      const left = deadline - clock.now();
      if (left <= 0) return await timedOut();
      // Always the fixed interval: ETA-aware polling skips timeline reads, never the builds list that sees a run end.
      await host.sleep(Math.min(settings.poll.intervalMs, left), host.signal);
    }
  } catch (error) {
    if (error instanceof DeadlineReached) return await timedOut();
    if (host.signal.aborted) {
      const canceled = new CanceledError('Error_Canceled', [unmetList() || statuses.map((s) => s.ref.label).join('; ')]);
      await finish('Failed', 'canceled', canceled.render(localize), api.forCleanup(1_500));
      throw canceled;
    }
    if (error instanceof LockstepError) await finish('Failed', 'failed', error.render(localize));
    throw error;
  }

  function timedOut(): Promise<WaitOutcome> {
    const elapsed = formatDuration(clock.now() - startedAt);
    const unmet = statuses.filter((s) => s.observation.verdict !== 'met');
    if (settings.onTimeout === 'succeedWithIssues') {
      const message = localize('Warning_Timeout', elapsed, unmetList());
      log.warn(message);
      return finish('SucceededWithIssues', 'timedOut', message);
    }
    return finish('Failed', 'timedOut', localize('Error_Timeout', elapsed, unmet.length, statuses.length, unmetList()));
  }
}

/** How a wait of WaitForDependency ends, as its record says (WaitRecord.ended). */
type EndedAs = Extract<WaitEnded, 'met' | 'failed' | 'timedOut' | 'canceled' | 'deadlock'>;

/**
 * What this wait publishes on its own run: each reference, as a target another wait can follow, and how it matches
 * their runs and when it gives up, for the train view.
 */
function waitRecordOf(refs: ResolvedRef[], context: RunContext, settings: WaitSettings, startedAt: number, deadline: number): WaitRecord | undefined {
  if (!context.runId || context.definitionId === undefined) return undefined;
  return {
    task: 'WaitForDependency',
    kind: context.kind === 'release' ? 'release' : 'yaml',
    project: context.project,
    definitionId: context.definitionId,
    definitionName: context.definitionName ?? String(context.definitionId),
    stage: context.stage,
    stageAttempt: context.stageAttempt,
    jobId: context.jobId,
    since: new Date(startedAt).toISOString(),
    timeoutAt: new Date(deadline).toISOString(),
    match: settings.match,
    waitsFor: refs.map((r) => ({ label: r.label, kind: r.kind, project: r.project, definitionId: r.definitionId, definitionName: r.definitionName, stage: r.stage })),
  };
}

/** The wait published on a dependency's matched run, with that run, for deadlock detection. */
function foundWait(status: DependencyStatus | undefined): FoundWait | undefined {
  const { waiting, run, runEnded } = status?.observation ?? {};
  if (!waiting || !run) return undefined;
  return { record: waiting, run: { kind: run.kind === 'release' ? 'release' : 'yaml', project: status!.ref.project, id: run.id }, ended: runEnded === true };
}

function matchDetail(settings: WaitSettings): string {
  const m = settings.match;
  if (m.mode === 'sameCommit') return ` ${m.commit?.slice(0, 7)}`;
  if (m.mode === 'sameBranch') return ` ${m.branch}`;
  return m.value ? ` ${m.value}` : '';
}
