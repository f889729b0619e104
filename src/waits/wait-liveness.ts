import { TimelineRecord, TimelineRecordState } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { EnvironmentStatus, Release, ReleaseEnvironment } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { AzureDevOps } from '../client/azure-devops';
import { enumName } from '../runs/build-state';
import { latestStage } from '../runs/stage-record';
import { HoldsBack } from './deadlock';
import { WaitRecord } from './wait-record';

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
 * has finished.
 */
export function waitHolds(api: AzureDevOps): HoldsBack {
  return async (target, found) => {
    // A wait that ended on this very cycle stays published on purpose, for the rest of the cycle to find.
    if (found.record.deadlock) return true;
    if (found.ended) return false;
    const { record, run } = found;
    if (run.kind === 'release') {
      const release = await api.getRelease(run.project, run.id);
      return releaseWaiterAlive(record, release) && environmentBlocks(record.stage, target.stage, release);
    }
    const records = (await api.getTimeline(run.project, run.id))?.records ?? [];
    return waiterAlive(record, records) && stageBlocks(record.stage, target.stage, records);
  };
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

function releaseWaiterAlive(record: WaitRecord, release: Release | null): boolean {
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
