import type { TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { readGateMarks } from '../gate/gate-marks';
import { enumName, observeBuild, observeStage } from '../runs/build-state';
import { observeRelease } from '../runs/release-state';
import { TaskResult } from '../runs/wire-enums';
import { utcMinute } from '../report/utc-minute';
import type { WaitRecord, WaitTarget } from '../waits/wait-record';
import { releaseWaiterAlive, waiterAlive } from '../waits/wait-liveness';
import { FindMember, MemberRun, runOf } from './members';
import type { RollbackSnapshot, StepSnapshot } from './train-snapshot';

/**
 * The Lockstep step a member is in, from what its run recorded: a rollback it asks for or leads, else the wait it
 * published (WaitForDependency, SyncGate) — going on, or ended and how. What it waits on is checked against the
 * members' runs as read, and what happens next is said in words.
 */
export function stepOf(run: MemberRun, find: FindMember, rollback: RollbackSnapshot | undefined): StepSnapshot | undefined {
  const asks = run.runRecords?.rollbacks.find((r) => r.train === rollback?.train && (r.claim || r.lead));
  if (rollback && asks) return rollbackStep(run, rollback, asks.lead);
  const wait = run.runRecords?.wait;
  return wait ? waitStep(run, wait, find) : undefined;
}

function rollbackStep(_run: MemberRun, rollback: RollbackSnapshot, leads: boolean): StepSnapshot {
  const going = rollback.state === 'inProgress' || rollback.state === 'planned';
  const next = rollback.steps.find((s) => s.outcome === 'inProgress' || s.outcome === 'pending');
  const says = leads ? (next && going ? `rolls back ${next.label} (${next.action})` : undefined) : going ? `follows the rollback${rollback.leader ? ` led by ${rollback.leader}` : ''}` : undefined;
  return { task: 'CoordinatedRollback', state: going ? 'rollingBack' : rollback.state === 'failed' ? 'failed' : 'done', waitsFor: [], ...(says ? { next: says } : {}) };
}

function waitStep(run: MemberRun, wait: WaitRecord, find: FindMember): StepSnapshot {
  const waitsFor = wait.waitsFor.map((t) => ({ label: find(t)?.ref.label ?? targetLabel(t), ...(t.stage ? { stage: t.stage } : {}), ...(t.gate ? { gate: t.gate } : {}), met: met(t, find(t)) }));
  const base = { task: wait.task, stage: wait.stage, since: wait.since, waitsFor };
  if (wait.ended) return { ...base, state: wait.ended.outcome, endedAt: wait.ended.at, ...endedNext(run, wait) };
  const dead = deadWaiter(run, wait);
  if (dead) return { ...base, state: dead, next: 'its job ended without ending the wait (the agent stopped, or the job was canceled)' };
  const unmet = waitsFor.filter((w) => !w.met);
  const until = wait.timeoutAt ? utcMinute(new Date(wait.timeoutAt)) : undefined;
  if (wait.task === 'SyncGate') {
    const gate = wait.gate!;
    if (ownMarks(run, wait).some((m) => m.open)) return { ...base, state: 'passed' };
    const more = Math.max(0, (wait.needed ?? waitsFor.length + 1) - (waitsFor.length - unmet.length) - 1);
    const who = more > 0 ? `: ${unmet.map((w) => w.label).join(', ')}` : '';
    return { ...base, state: 'atGate', next: `gate ${gate} opens when ${more} more arrive${more === 1 ? 's' : ''}${who}${until ? `; leaves the gate at ${until} UTC unless it opens` : ''}` };
  }
  const list = unmet.map((w) => (w.stage ? `${w.label}@${w.stage}` : w.label));
  const next = list.length === 0 ? 'passes at its next check' : `passes when ${list.join(' and ')} ${list.length === 1 ? 'succeeds' : 'succeed'}${until ? `; fails at ${until} UTC unless ${list.length === 1 ? 'it does' : 'they do'}` : ''}`;
  return { ...base, state: 'waitingOnPeer', next };
}

/** What is met of a target, by its run as read: its stage (environment) succeeded, its run did, or it is at the gate. */
function met(target: WaitTarget, member: MemberRun | undefined): boolean {
  if (!member) return false;
  if (target.gate !== undefined && target.train !== undefined) {
    if (member.build) return readGateMarks(member.build.tags, target.gate, target.train, 'build').length > 0;
    return readGateMarks(member.release?.tags, target.gate, target.train, 'release').length > 0;
  }
  const seen = { kind: 'build' as const, id: 0, name: '', webUrl: '' };
  if (member.build) return (target.stage ? observeStage(member.build, member.records ?? [], target.stage, seen, false) : observeBuild(member.build, seen, false)).verdict === 'met';
  if (member.release) return observeRelease(member.release, target.stage, { ...seen, kind: 'release' }, false).verdict === 'met';
  return false;
}

/** A wait whose waiter no longer runs (wait-liveness.ts), and how its job ended: failed, or canceled. */
function deadWaiter(run: MemberRun, wait: WaitRecord): 'failed' | 'canceled' | undefined {
  const r = runOf(run);
  if (!r) return undefined;
  if (run.build) {
    if (!r.finished && waiterAlive(wait, run.records ?? [])) return undefined;
    return jobResult(run.records ?? [], wait.jobId) === 'canceled' ? 'canceled' : 'failed';
  }
  return r.finished || !releaseWaiterAlive(wait, run.release ?? null) ? 'failed' : undefined;
}

function jobResult(records: TimelineRecord[], jobId: string | undefined): string | undefined {
  const job = jobId ? records.find((r) => r.id?.toLowerCase() === jobId.toLowerCase()) : undefined;
  return job ? enumName(TaskResult, job.result) : undefined;
}

/** Why an ended wait ended, where the run says: a gate member's own final message, a deadlock's cycle. */
function endedNext(run: MemberRun, wait: WaitRecord): { next?: string } {
  if (wait.deadlock) return { next: `deadlock: ${wait.deadlock}` };
  const record = run.runRecords?.gates.find((g) => g.gate === wait.gate && g.train === wait.train)?.record;
  return record?.state === 'withdrawn' && record.reason ? { next: record.reason } : {};
}

function ownMarks(run: MemberRun, wait: WaitRecord) {
  if (run.build) return readGateMarks(run.build.tags, wait.gate!, wait.train!, 'build');
  return readGateMarks(run.release?.tags, wait.gate!, wait.train!, 'release');
}

/** A target's reference as written, without the stage it names (`api@Prod` is member api). */
export function targetLabel(target: { label: string; stage?: string; definitionName: string }): string {
  const at = target.label.lastIndexOf('@');
  const label = target.stage !== undefined && at > 0 ? target.label.slice(0, at) : target.label;
  return label || target.definitionName;
}
