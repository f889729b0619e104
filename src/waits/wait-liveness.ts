import type { TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import type { Release, ReleaseEnvironment } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import type { AzureDevOps } from '../client/azure-devops';
import { enumName } from '../runs/build-state';
import { latestStage } from '../runs/stage-record';
import { EnvironmentStatus, TimelineRecordState } from '../runs/wire-enums';
import type { FoundWait, HoldsBack } from './deadlock';
import type { WaitRecord, WaitTarget } from './wait-record';

/**
 * Which stages a wait holds back. The timeline does not say which stage depends on which (`dependsOn` is in the YAML
 * only, which the REST API hands out only through a preview run), but it says which have started: a stage starts
 * only once every stage it depends on has finished, so a stage running or finished does not wait for the stage the
 * wait runs in. That stage itself, and any stage still pending, may: counted as held back. (A pending stage that runs
 * beside the waiting one, on a branch of the stage graph of its own, is counted too: the check errs towards a cycle.)
 */
export function stageBlocks(waitingStage: string | undefined, awaitedStage: string | undefined, records: TimelineRecord[]): boolean {
  if (awaitedStage === undefined) return true;
  if (awaitedStage.toLowerCase() === waitingStage?.toLowerCase()) return true;
  const record = latestStage(records, awaitedStage);
  return !record || enumName(TimelineRecordState, record.state) === 'pending';
}

/** The same for a classic release: an environment deploying or done does not wait for the one the wait runs in. */
export function environmentBlocks(waitingEnvironment: string | undefined, awaitedEnvironment: string | undefined, release: Release | null): boolean {
  if (awaitedEnvironment === undefined) return true;
  if (awaitedEnvironment.toLowerCase() === waitingEnvironment?.toLowerCase()) return true;
  const environment = environmentOf(release, awaitedEnvironment);
  return !environment || notYetDeploying.has(enumName(EnvironmentStatus, environment.status));
}

/**
 * A found wait holds its target back while its waiter is alive — the run has not finished, the stage the record
 * names is still at the attempt that wrote it, and the job that wrote it has not completed (an agent that died, a
 * job killed too hard to clean up, leave the record behind) — and while the stage it waits in blocks the awaited
 * one (stageBlocks). Costs one read of the target's run (its timeline, or its release), and none for a run that
 * has finished or a wait that has ended.
 */
export function waitHolds(api: AzureDevOps): HoldsBack {
  return async (target, found) => {
    const settled = holdsWithoutReading(found);
    if (settled !== undefined) return settled;
    const { run } = found;
    if (run.kind === 'release') return waitHoldsOn(target, found, { release: await api.getRelease(run.project, run.id) });
    return waitHoldsOn(target, found, { records: (await api.getTimeline(run.project, run.id))?.records ?? [] });
  };
}

/** What waitHolds decides without reading the waiter's run, if it can: a marked cycle holds; an ended wait does not. */
export function holdsWithoutReading(found: FoundWait): boolean | undefined {
  // A wait that ended on this very cycle stays published on purpose, for the rest of the cycle to find.
  if (found.record.deadlock) return true;
  // Its run has finished, or the task said its wait is over (the record stays, rewritten with how it ended).
  if (found.ended || found.record.ended) return false;
  return undefined;
}

/** waitHolds over what was read of the waiter's run: its timeline (a YAML run) or its release (a classic one). */
export function waitHoldsOn(target: WaitTarget, found: FoundWait, read: { records?: TimelineRecord[]; release?: Release | null }): boolean {
  const settled = holdsWithoutReading(found);
  if (settled !== undefined) return settled;
  const { record, run } = found;
  if (run.kind === 'release') return releaseWaiterAlive(record, read.release ?? null) && environmentBlocks(record.stage, target.stage, read.release ?? null);
  const records = read.records ?? [];
  return waiterAlive(record, records) && stageBlocks(record.stage, target.stage, records);
}

/** Whether a wait record's waiter still runs, as its run's timeline shows it. Unknown (an older record, a job not in the timeline): alive. */
export function waiterAlive(record: WaitRecord, records: TimelineRecord[]): boolean {
  if (record.stage !== undefined && record.stageAttempt !== undefined) {
    const stage = latestStage(records, record.stage);
    if (stage && (stage.attempt ?? 1) > record.stageAttempt) return false;
  }
  if (record.jobId !== undefined) {
    const job = records.find((r) => r.id?.toLowerCase() === record.jobId!.toLowerCase());
    if (job && enumName(TimelineRecordState, job.state) === 'completed') return false;
  }
  return true;
}

/** The same for a classic release's wait: its environment still deploys, at the attempt that wrote the record. */
export function releaseWaiterAlive(record: WaitRecord, release: Release | null): boolean {
  const environment = record.stage === undefined ? undefined : environmentOf(release, record.stage);
  if (!environment) return true;
  // A waiting task runs while its environment deploys; queued again (a redeploy), it is a new attempt's turn.
  if (enumName(EnvironmentStatus, environment.status) !== 'inProgress') return false;
  const latest = Math.max(0, ...(environment.deploySteps ?? []).map((d) => d.attempt ?? 0));
  return record.stageAttempt === undefined || latest === 0 || latest <= record.stageAttempt;
}

function environmentOf(release: Release | null, name: string): ReleaseEnvironment | undefined {
  return (release?.environments ?? []).find((e) => e.name?.toLowerCase() === name.toLowerCase());
}

const notYetDeploying = new Set(['notStarted', 'queued', 'scheduled', 'undefined']);
