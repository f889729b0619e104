import type { RollbackRecord, RollbackRecordStep } from '../rollback/rollback-record';
import { FindMember, MemberRun, runOf } from './members';
import { targetLabel } from './steps';
import type { RollbackSnapshot } from './train-snapshot';

/**
 * The train's rollback, from the marks on the runs read (who asks, who leads) and the leader's record of the plan
 * (rollback-record.ts): each member's action and outcome in the order they are done, and what is still to do. The
 * train is the origin's rollback if it asks for or leads one, else the one a member's run does.
 */
export function rollbackOf(runs: MemberRun[], find: FindMember): { rollback?: RollbackSnapshot; notice?: string } {
  const train = trainOf(runs);
  if (train === undefined) return {};
  const marked = runs.map((r) => ({ r, mark: r.runRecords?.rollbacks.find((m) => m.train === train) })).filter((x) => x.mark !== undefined);
  const leaders = marked.filter((x) => x.mark!.lead);
  // A leader still running leads; of several records, the newest (a takeover writes its own).
  const leader = leaders.find((x) => !runOf(x.r)?.finished) ?? leaders[0];
  const records = runs.flatMap((r) => (r.runRecords?.plans ?? []).filter((p) => p.train === train).map((p) => ({ r, p })));
  const own = leader && records.find((x) => x.r === leader.r);
  const record = own ?? records.sort((a, b) => b.p.updatedAt.localeCompare(a.p.updatedAt))[0];
  const claimants = marked.filter((x) => x.mark!.claim).map((x) => x.r.ref.label);
  const leaderLabel = leader?.r.ref.label ?? record?.r.ref.label;
  if (!record) {
    const state = leader ? (runOf(leader.r)?.finished ? 'done' : 'inProgress') : 'planned';
    const notice = leader ? `The rollback's plan is not recorded on its leader's run (${leader.r.ref.label}): a classic release leads, or an earlier version of Lockstep` : undefined;
    return { rollback: { train, ...(leaderLabel ? { leader: leaderLabel } : {}), claimants, steps: [], state }, ...(notice ? { notice } : {}) };
  }
  // A record still in progress on a run that has finished: its leader stopped (timed out, canceled, killed).
  const stopped = record.p.state === 'inProgress' && runOf(record.r)?.finished === true;
  const state = stopped ? 'failed' : record.p.state;
  return {
    rollback: { train, ...(leaderLabel ? { leader: leaderLabel } : {}), claimants, steps: stepsOf(record.p, find, !stopped && state === 'inProgress'), state },
    ...(stopped ? { notice: `The rollback's leader (${record.r.ref.label}) finished before the rollback did` } : {}),
  };
}

function trainOf(runs: MemberRun[]): string | undefined {
  const origin = runs.find((r) => r.origin);
  const first = (r: MemberRun | undefined) => r?.runRecords?.rollbacks[0]?.train ?? r?.runRecords?.plans[0]?.train;
  return first(origin) ?? runs.map(first).find((t) => t !== undefined);
}

/** The record's steps; while the rollback goes on, the next pending one (all pending ones, in parallel) is under way. */
function stepsOf(record: RollbackRecord, find: FindMember, going: boolean): RollbackSnapshot['steps'] {
  const firstPending = record.steps.findIndex((s) => s.outcome === 'pending');
  return record.steps.map((s, i) => {
    const underWay = going && s.outcome === 'pending' && (record.order === 'parallel' || i === firstPending);
    return {
      label: find(s)?.ref.label ?? targetLabel(s),
      action: actionText(s),
      ...(s.target ? { target: `${s.kind === 'release' ? 'release' : 'run'} ${s.target.name} (#${s.target.id})` } : {}),
      outcome: underWay ? 'inProgress' : s.outcome,
      ...(s.at ? { at: s.at } : {}),
      ...(s.message ? { message: s.message } : {}),
    };
  });
}

function actionText(s: RollbackRecordStep): string {
  switch (s.action) {
    case 'retryStage':
      return `retry stage ${s.stage}`;
    case 'redeployEnvironment':
      return `redeploy ${s.stage}`;
    case 'queueRun':
      return `queue a run of ${s.definitionName} at the last good commit`;
    case 'skip':
      return 'skip';
    default:
      return 'nothing to go back to';
  }
}
