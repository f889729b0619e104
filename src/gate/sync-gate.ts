import { BuildStatus } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { AzureDevOps } from '../client/azure-devops';
import { DeadlineReached } from '../client/call-with-retry';
import { CanceledError, InputError, LockstepError } from '../errors';
import { Host } from '../ports';
import { formatDuration } from '../report/duration';
import { RunContext } from '../run-context';
import { trainRunMatch } from '../train/train-match';
import { releaseActive } from '../runs/release-state';
import { findDeadlockCycle, FoundWait } from '../waits/deadlock';
import { waitHolds } from '../waits/wait-liveness';
import { WaitOutcome, WaitRecord } from '../waits/wait-record';
import { selfBlocker } from '../waits/self-blocker';
import { GateMember, resolveMembers } from './gate-member';
import { DefinitionCatalog } from '../refs/resolve-refs';
import { requirePermissions } from '../preflight/preflight';
import { gateNeeds, ownPipeline } from '../preflight/task-needs';
import { GatePresence } from './gate-presence';
import { GateSettings } from './gate-settings';
import { MemberObserver, MemberView } from './member-observer';
import { renderGateSummary } from './gate-summary';

export interface GateOutcome {
  result: 'Succeeded' | 'SucceededWithIssues' | 'Failed';
  message?: string;
  openedAt?: string;
  waitedMs: number;
}

/**
 * SyncGate: this run arrives at the gate (a tag and a record on its own run), then waits until enough members of the
 * train have arrived — or one has passed an open gate — and passes. It withdraws its arrival on timeout, failure
 * or cancellation, so nobody passes because of a member that left.
 */
export async function syncGate(settings: GateSettings, context: RunContext, api: AzureDevOps, host: Host): Promise<GateOutcome> {
  const { clock, log, localize } = host;
  const startedAt = clock.now();
  const deadline = startedAt + settings.poll.timeoutMs;
  // Throttling waits stop at the gate's own timeout.
  api.ctx.deadline = deadline;
  if (!context.runId || context.definitionId === undefined) {
    throw new InputError('Error_NoRunIdentity', [context.kind === 'release' ? 'Release.ReleaseId, Release.DefinitionId' : 'Build.BuildId, System.DefinitionId']);
  }
  // A classic release arrives as the environment it deploys: its marks name it.
  if (context.kind === 'release' && !context.stage) throw new InputError('Error_NoRunIdentity', ['Release.EnvironmentName']);
  const catalog = new DefinitionCatalog(api);
  const members = await resolveMembers(settings.participants, settings.quorum, context, settings.project, api, log, localize, catalog);
  // Before it arrives: a member that could not mark its arrival or read the others fails now, and nobody waits on it.
  await requirePermissions(gateNeeds(members.flatMap((m) => (m.resolved ? [m.resolved] : [])), await ownPipeline(context, catalog)), api, host);
  const needed = settings.quorum > 0 ? settings.quorum : members.length;
  const others = members.filter((m) => !m.self);
  const presence = new GatePresence(api, context, settings.gate, settings.train);
  // This run's branch: its own branch's train runs come first when a member has several (a tag, a scheduled run).
  const match = { ...trainRunMatch(settings.train, settings.trainMatch), branch: context.branch };
  const observer = new MemberObserver(api, settings.gate, settings.train, match, settings.poll.runsPerDefinition, settings.poll.historySearch);
  const waitRecord: WaitRecord = {
    task: 'SyncGate',
    kind: context.kind === 'release' ? 'release' : 'yaml',
    project: context.project,
    definitionId: context.definitionId,
    definitionName: context.definitionName ?? members[0].label,
    stage: context.stage,
    stageAttempt: context.stageAttempt,
    jobId: context.jobId,
    gate: settings.gate,
    train: settings.train,
    since: new Date(startedAt).toISOString(),
    timeoutAt: new Date(deadline).toISOString(),
    match,
    needed,
    waitsFor: others.map((m) => ({ label: m.label, kind: m.kind, project: m.project, definitionId: m.definitionId, definitionName: m.definitionName, gate: settings.gate, train: settings.train })),
  };
  const blocked = selfBlocker(api, context);
  const holds = waitHolds(api);
  const firstSeen = new Map<GateMember, string>();
  const lastState = new Map<GateMember, string>();
  let views: MemberView[] = [];
  let lastLineAt = startedAt;

  const arrivedAt = await presence.arrive(new Date(startedAt).toISOString(), waitRecord);
  let firstCheck = true;
  // When this member last saw a member arrive, itself included (its own clock: other agents' dates are not compared).
  let lastNewArrivalAt = clock.now();
  log.info(localize('Info_Arrived', settings.gate, settings.train, context.definitionName ?? 'this run', needed - 1, members.length, needed));

  // Missing: not arrived, or arrived and gone since (its run ended without passing).
  const missing = () =>
    views
      .filter((v) => v.arrival === 'none' || (v.arrival === 'arrived' && v.endedAs !== undefined))
      .map((v) => `${v.member.label} (${v.state})`)
      .join('; ') || '(none)';
  const finish = (result: GateOutcome['result'], message?: string, openedAt?: string): GateOutcome => {
    const waitedMs = clock.now() - startedAt;
    const arrived = [
      { member: members[0].label, runId: context.runId, arrivedAt },
      ...views.filter((v) => v.arrival !== 'none').map((v) => ({ member: v.member.label, runId: v.run?.id ?? null, arrivedAt: v.record?.arrivedAt ?? firstSeen.get(v.member) ?? null })),
    ];
    host.outputs.setVariable('arrived', JSON.stringify(arrived));
    host.outputs.setVariable('waitedSeconds', String(Math.round(waitedMs / 1000)));
    if (openedAt) host.outputs.setVariable('openedAt', openedAt);
    host.outputs.attachSummary(
      `Lockstep: gate ${settings.gate}`,
      renderGateSummary({ gate: settings.gate, train: settings.train, result, message, waitedMs, needed, self: members[0].label, selfArrivedAt: arrivedAt, views, firstSeen }),
    );
    return { result, message, openedAt, waitedMs };
  };
  // How the wait ends when this member leaves the gate: because another member failed, left or died (withdrawn); on
  // its own deadlock (the record says so); on its own failure, or at the timeout.
  const leave = async (result: GateOutcome['result'], message: string, outcome: WaitOutcome, deadlocked?: WaitRecord) => {
    await presence.withdraw({ outcome, at: new Date(clock.now()).toISOString(), deadlocked, reason: message }).then(
      () => log.info(localize('Info_Withdrawn', settings.gate, settings.train)),
      (e: unknown) => log.warn(e instanceof Error ? e.message : String(e)),
    );
    return finish(result, message);
  };

  try {
    for (;;) {
      views = await observer.observe(members);
      const now = clock.now();
      let arrivedJustNow = false;
      for (const v of views) {
        if (v.arrival !== 'none' && !firstSeen.has(v.member)) {
          firstSeen.set(v.member, new Date(now).toISOString());
          lastNewArrivalAt = now;
          arrivedJustNow = true;
        }
        if (lastState.get(v.member) !== v.state) {
          lastState.set(v.member, v.state);
          log.info(localize('Info_MemberState', v.member.label, v.state));
          lastLineAt = now;
        }
      }

      // A finished run with a stage a person can still start (a manual gate stage) is not gone: it may still arrive.
      const ended = views.find((v) => v.arrival === 'none' && v.endedAs !== undefined && !v.manualStages);
      // A member that gave up on a deadlock: the cycle is the news, not that its run failed.
      if (ended?.waiting?.deadlock) return await leave('Failed', localize('Error_Deadlock', ended.waiting.deadlock), 'deadlock');
      // A member that left the gate (it timed out, or failed) says why on its record: pass that on.
      if (ended?.record?.state === 'withdrawn' && ended.record.reason && settings.onParticipantFailure === 'fail') {
        return await leave('Failed', localize('Error_MemberLeft', ended.member.label, settings.gate, ended.run!.name, ended.record.reason), 'withdrawn');
      }
      if (ended && settings.onParticipantFailure === 'fail') {
        return await leave('Failed', localize('Error_MemberFailed', ended.member.label, ended.run!.name, ended.endedAs, settings.gate, ended.run!.webUrl), 'withdrawn');
      }
      // A member that arrived and whose run then ended without passing (its agent died, the job was killed): its mark
      // stays, but it will never pass. It is gone, and with onParticipantFailure: fail the others fail now, naming it.
      const died = views.find((v) => v.arrival === 'arrived' && v.endedAs !== undefined);
      if (died && settings.onParticipantFailure === 'fail') {
        const run = died.environment ? `${died.run!.name} (${died.environment})` : died.run!.name;
        return await leave('Failed', localize('Error_MemberDiedAtGate', died.member.label, run, died.endedAs, settings.gate, died.run!.webUrl), 'withdrawn');
      }

      const candidates = views.filter((v) => v.arrival !== 'none');
      // A member first seen at this check is, if it completes the train, the last to arrive, and opens the gate on
      // its own first check. Waiting one second for its open mark spares every member reading every arrival's
      // timeline at the same moment; if the mark is not there by then, this member checks them all itself.
      const opening = await liveMembers(candidates, arrivedJustNow && !firstCheck);
      if (opening) {
        const openedAt = new Date(clock.now()).toISOString();
        await presence.open(openedAt);
        // The last to arrive sees the gate open on its first check; the members waiting on the final approach see
        // its open mark at their first whole-second check after it is written. It passes at that moment, not
        // before, so all pass together. Its mark is already there, so the wait is not cut short: it has passed.
        if (firstCheck && !opening.joined && others.length > 0) {
          const passAt = nextWholeTick(clock.now(), settings.poll.finalApproachMs);
          await host.sleep(passAt - clock.now());
        }
        log.info(localize('Info_GateOpen', settings.gate, settings.train, opening.live.length + 1, members.length));
        return finish('Succeeded', undefined, openedAt);
      }
      firstCheck = false;
      host.outputs.setProgress(Math.min(1, (candidates.length + 1) / needed), `${candidates.length + 1} of ${needed} arrived`);

      const deadlock = await findDeadlockCycle(
        waitRecord,
        async (target) => foundWait(views.find((v) => v.member.kind === target.kind && v.member.definitionId === target.definitionId && v.member.project.toLowerCase() === target.project.toLowerCase() && v.arrival === 'none')),
        blocked,
        holds,
      );
      if (deadlock) return await leave('Failed', localize('Error_Deadlock', deadlock.text), 'deadlock', { ...waitRecord, deadlock: deadlock.text, cycle: deadlock.cycle });

      if (now - lastLineAt >= settings.poll.heartbeatMs) {
        log.info(localize('Info_GateHeartbeat', settings.gate, formatDuration(now - startedAt), candidates.length + 1, needed, missing()));
        lastLineAt = now;
      }
      const left = deadline - clock.now();
      if (left <= 0) return await timedOut();
      // Final approach: poll fast when all but one are there, or while members are still arriving — one arrived, this
      // one included, within the last interval, as when a train's members start together; else the steady interval. It
      // checks on whole seconds of the clock: agents' clocks are synchronised, so every waiting member checks at the
      // same instants and sees the last arrival at the same check.
      const arriving = clock.now() - lastNewArrivalAt < settings.poll.intervalMs;
      const finalApproach = candidates.length + 1 >= needed - 1 || arriving;
      const delay = finalApproach ? nextWholeTick(clock.now(), settings.poll.finalApproachMs) - clock.now() : settings.poll.intervalMs;
      await host.sleep(Math.min(delay, left), host.signal);
    }
  } catch (error) {
    if (error instanceof DeadlineReached) return timedOut();
    if (host.signal.aborted) {
      const canceled = new CanceledError('Error_GateCanceled', [settings.gate, settings.train, missing()]);
      await presence.withdraw({ outcome: 'canceled', at: new Date(clock.now()).toISOString(), canceled: true }).catch(() => undefined);
      finish('Failed', canceled.render(localize));
      throw canceled;
    }
    if (error instanceof LockstepError) await leave('Failed', error.render(localize), 'failed').catch(() => undefined);
    throw error;
  }

  /**
   * The members whose arrival still counts, once enough are there to open the gate — or undefined; `joined` when a
   * live member had opened it already; undefined, too, without an open mark while `waitForOpener`. A live member
   * that has passed opens the gate on its own, so once one has, the others need one check instead of one per member;
   * otherwise every arrival is checked, at once, since each check may read that run's timeline.
   */
  async function liveMembers(candidates: MemberView[], waitForOpener: boolean): Promise<{ live: MemberView[]; joined: boolean } | undefined> {
    for (const v of candidates.filter((c) => c.arrival === 'open')) {
      if (await observer.isLive(v)) return { live: candidates, joined: true };
    }
    if (candidates.length + 1 < needed || waitForOpener) return undefined;
    const checked = await Promise.all(candidates.map(async (v) => ((await observer.isLive(v)) ? v : undefined)));
    const live = checked.filter((v): v is MemberView => v !== undefined);
    return live.length + 1 >= needed ? { live, joined: false } : undefined;
  }

  async function timedOut(): Promise<GateOutcome> {
    const elapsed = formatDuration(clock.now() - startedAt);
    // A member that arrived and has gone since (its run or environment ended without passing) is missing, not arrived.
    const arrivedCount = views.filter((v) => v.arrival !== 'none' && !(v.arrival === 'arrived' && v.endedAs !== undefined)).length + 1;
    if (settings.onTimeout === 'succeedWithIssues') {
      const message = localize('Warning_GateTimeout', settings.gate, settings.train, elapsed, missing());
      log.warn(message);
      return leave('SucceededWithIssues', message, 'timedOut');
    }
    return leave('Failed', localize('Error_GateTimeout', settings.gate, settings.train, elapsed, arrivedCount, needed, missing()), 'timedOut');
  }
}

/** The wait published on a member's train run, with that run, for deadlock detection. */
function foundWait(view: MemberView | undefined): FoundWait | undefined {
  if (!view?.waiting || !view.run) return undefined;
  const ended = view.build ? view.build.status === BuildStatus.Completed : !view.release || !releaseActive(view.release);
  return { record: view.waiting, run: { kind: view.member.kind, project: view.member.project, id: view.run.id }, ended };
}

/** The first whole multiple of `periodMs` on the clock after `ms`. */
function nextWholeTick(ms: number, periodMs: number): number {
  return (Math.floor(ms / periodMs) + 1) * periodMs;
}
