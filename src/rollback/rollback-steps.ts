import { BuildResult, BuildStatus, TaskResult, TimelineRecord, TimelineRecordState } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { EnvironmentStatus, Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { AzureDevOps } from '../client/azure-devops';
import { enumName } from '../runs/build-state';
import { latestStage, pendingChecks } from '../runs/stage-record';
import { LockstepError, NoEffectError } from '../errors';
import { formatDuration } from '../report/duration';
import { utcMinute } from '../report/utc-minute';
import { ledgerPropertyName, readLedger, readReleaseRolledBack, rollbackMarks } from './ledger-marks';
import { RunContext } from '../run-context';
import { PlanEntry } from './rollback-plan';

/**
 * Where one member's rollback stands, as read from its target. While not done, `waitingFor` names a check or
 * approval the retried stage waits on (a retry runs its stage's checks again).
 */
export type StepState =
  | { issued: false }
  | { issued: true; by?: number; done: false; waitingFor?: string }
  | { issued: true; by?: number; done: true; ok: boolean; detail: string; ranAgain?: string[]; at?: number };

/** How a retry is confirmed: the new attempt must show on the timeline within this many reads, this far apart. */
const confirmReads = 5;
const confirmEveryMs = 2_000;

/**
 * One member's rollback: issue it once (the ledger on the target run says whether it was issued, and by whom) and
 * read how far it got. Issuing writes the ledger first, then acts; a takeover reads the ledger and the target's
 * attempt, so it neither repeats a rollback that was issued nor skips one that was not.
 */
export class RollbackSteps {
  /** The marks on a YAML member's run, and on a classic member's release (spelled for its URL path). */
  private readonly marks: ReturnType<typeof rollbackMarks>;
  private readonly releaseMarks: ReturnType<typeof rollbackMarks>;
  private readonly ledgerName: string;

  constructor(
    private readonly api: AzureDevOps,
    private readonly train: string,
    private readonly context: RunContext,
    private readonly templateParameters: Record<string, string>,
  ) {
    this.marks = rollbackMarks(train);
    this.releaseMarks = rollbackMarks(train, 'release');
    this.ledgerName = ledgerPropertyName(train);
  }

  /** The same steps through requests the job's cancellation does not interrupt: a step is never left halfway. */
  get uninterruptible(): RollbackSteps {
    return new RollbackSteps(this.api.uninterruptible(), this.train, this.context, this.templateParameters);
  }

  /** The member's train run is the run this task executes in: never cancel it. */
  isSelf(entry: PlanEntry): boolean {
    return entry.trainRun?.id === this.context.runId && (entry.member.kind === 'release') === (this.context.kind === 'release');
  }

  private get selfRunId(): number {
    return this.context.runId ?? 0;
  }

  async state(entry: PlanEntry): Promise<StepState> {
    const { project } = entry.member;
    const target = entry.lastGood!;
    if (entry.action === 'redeployEnvironment') {
      const release = await this.api.getRelease(project, target.id);
      const env = release?.environments?.find((e) => e.id === target.environmentId);
      // The latest mark counts: a rollback tried again after a failure marks the attempt it started from anew.
      const marks = (release?.tags ?? []).map((t) => readReleaseRolledBack(t, this.train, entry.member.stage!)).filter((n): n is number => n !== undefined);
      const issuedTag = marks.length > 0 ? Math.max(...marks) : undefined;
      if (!env || issuedTag === undefined) return { issued: false };
      const status = enumName(EnvironmentStatus, env.status);
      // Marked and deploying, though the service may not list the new attempt yet: a leader that stopped right after
      // its redeploy was accepted did issue it. A takeover must not ask again (the service refuses a second deploy of
      // an environment that is queued or deploying), so this counts as issued and in progress.
      if (maxAttempt(env) <= issuedTag) return deploying.has(status) ? { issued: true, done: false } : { issued: false };
      if (status === 'succeeded' || status === 'partiallySucceeded') return { issued: true, done: true, ok: true, detail: `${entry.member.stage} of release ${target.name} ${status}` };
      if (status === 'rejected' || status === 'canceled') return { issued: true, done: true, ok: false, detail: `${entry.member.stage} of release ${target.name} ${status}` };
      return { issued: true, done: false };
    }
    const ledger = readLedger(await this.api.getBuildProperties(project, target.id, [this.ledgerName]), this.ledgerName);
    if (!ledger) return { issued: false };
    if (entry.action === 'queueRun') {
      if (ledger.queuedRunId === undefined) return { issued: false };
      return this.runState(project, ledger.queuedRunId, entry.member.stage!, 0, ledger.by);
    }
    const state = await this.runState(project, target.id, entry.member.stage!, ledger.attemptBefore, ledger.by, entry.laterStagesBefore);
    // The train deployed the member again after this rollback ended (its switch was run again): the rollback is due again.
    if (state.issued && state.done && state.ok && state.at !== undefined && entry.trainDeployedLastAt !== undefined && entry.trainDeployedLastAt > state.at) return { issued: false };
    return state;
  }

  /**
   * Issues the rollback of one member; call only when state() says it was not issued. Every write's effect is
   * confirmed; one that did not happen fails at once, naming the member.
   */
  async issue(entry: PlanEntry): Promise<void> {
    try {
      await this.issueUnchecked(entry);
    } catch (error) {
      if (error instanceof LockstepError && !(error instanceof StepError)) throw new StepError('Error_RollbackStepFailed', [entry.member.label, error.message], { cause: error });
      throw error;
    }
  }

  private async issueUnchecked(entry: PlanEntry): Promise<void> {
    const { project } = entry.member;
    const target = entry.lastGood!;
    const at = new Date().toISOString();
    if (entry.action === 'redeployEnvironment') {
      const release = await this.api.getRelease(project, target.id);
      const env = release?.environments?.find((e) => e.id === target.environmentId);
      if (!env) throw new StepError('Error_RollbackTargetGone', [entry.member.label, `release ${target.name} (#${target.id})`, release ? `has no environment ${entry.member.stage}` : 'no longer exists (deleted, perhaps by retention)']);
      await this.api.addReleaseTags(project, target.id, [this.releaseMarks.releaseRolledBack(entry.member.stage!, maxAttempt(env))]);
      await this.api.updateReleaseEnvironment(project, target.id, target.environmentId!, EnvironmentStatus.InProgress, `Lockstep: rollback of train ${this.train} (requested by run ${this.selfRunId})`);
      return;
    }
    if (entry.action === 'queueRun') {
      await this.writeLedger(project, target.id, { train: this.train, stage: entry.member.stage!, attemptBefore: 0, by: this.selfRunId, at });
      const run = await this.api.queuePipelineRun(project, entry.member.definitionId, target.commit!, target.branch, this.templateParameters);
      await this.writeLedger(project, target.id, { train: this.train, stage: entry.member.stage!, attemptBefore: 0, queuedRunId: run.id, by: this.selfRunId, at });
      return;
    }
    const timeline = await this.api.getTimeline(project, target.id);
    const stage = latestStage(timeline?.records ?? [], entry.member.stage!);
    if (!stage) {
      const why = timeline === null ? 'no longer exists (deleted, perhaps by retention)' : `has no stage ${entry.member.stage}`;
      throw new StepError('Error_RollbackTargetGone', [entry.member.label, `run ${target.name} (#${target.id})`, why]);
    }
    const attemptBefore = stage.attempt ?? 1;
    // retryDependencies: false is not in the 7.1 contract: remember the later stages, to see afterwards if they ran again.
    entry.laterStagesBefore = laterStages(timeline?.records ?? [], stage);
    await this.writeLedger(project, target.id, { train: this.train, stage: entry.member.stage!, attemptBefore, by: this.selfRunId, at });
    await this.api.retryStage(project, target.id, stage.identifier ?? entry.member.stage!);
    await this.confirmRetry(project, target, entry.member.stage!, attemptBefore);
  }

  /**
   * The service answers a stage retry with 204 and no body, and the client answers a 404 (a vanished run or stage)
   * with the same nothing: the retry is real only once the stage shows a new attempt, or is no longer completed.
   */
  private async confirmRetry(project: string, target: { id: number; name: string }, stageName: string, attemptBefore: number): Promise<void> {
    for (let read = 1; ; read++) {
      const timeline = await this.api.getTimeline(project, target.id);
      const stage = latestStage(timeline?.records ?? [], stageName);
      if (stage && ((stage.attempt ?? 1) > attemptBefore || stage.state !== TimelineRecordState.Completed)) return;
      if (read >= confirmReads) {
        const why = timeline === null ? 'the run no longer exists (deleted, perhaps by retention)' : `stage ${stageName} shows no new attempt after ${formatDuration(confirmEveryMs * (confirmReads - 1))}`;
        throw new NoEffectError('Error_NoEffect', ['PATCH', `retry of stage ${stageName} of run ${target.name} (#${target.id})`, why]);
      }
      await this.api.ctx.sleep(confirmEveryMs, this.api.ctx.signal);
    }
  }

  /** Cancels a member's train run still in progress (never the invoking run); a cancel that did not take fails, naming the member. */
  async cancel(entry: PlanEntry): Promise<string | undefined> {
    try {
      return await this.cancelUnchecked(entry);
    } catch (error) {
      if (error instanceof LockstepError && !(error instanceof StepError)) throw new StepError('Error_RollbackStepFailed', [entry.member.label, error.message], { cause: error });
      throw error;
    }
  }

  private async cancelUnchecked(entry: PlanEntry): Promise<string | undefined> {
    const run = entry.trainRun!;
    const { project } = entry.member;
    if (entry.member.kind === 'release') {
      const release = await this.api.getRelease(project, run.id);
      // Only the member's own environment: the one the train deploys it to, and the one the preflight checked.
      const active = (release?.environments ?? []).filter(
        (e) => e.name?.toLowerCase() === entry.member.stage?.toLowerCase() && ['inProgress', 'queued'].includes(enumName(EnvironmentStatus, e.status)),
      );
      for (const env of active) await this.api.updateReleaseEnvironment(project, run.id, env.id!, EnvironmentStatus.Canceled, `Lockstep: train ${this.train} is rolling back`);
      return active.length ? `canceled ${active.map((e) => e.name).join(', ')} of release ${run.name}` : undefined;
    }
    const build = await this.api.getBuild(project, run.id);
    if (!build || build.status === BuildStatus.Completed || build.status === BuildStatus.Cancelling) return undefined;
    await this.api.cancelBuild(project, run.id);
    return `canceled run ${run.name} (#${run.id})`;
  }

  /** `laterBefore`: the later stages as they were when the retry was issued, to say whether the service ran them again. */
  private async runState(project: string, runId: number, stageName: string, attemptBefore: number, by: number, laterBefore?: Map<string, string>): Promise<StepState> {
    const [build, timeline] = await Promise.all([this.api.getBuild(project, runId), this.api.getTimeline(project, runId)]);
    const stage = latestStage(timeline?.records ?? [], stageName);
    // The ledger is written just before the action: a target still at the attempt it recorded was never acted on.
    if (!stage || (stage.attempt ?? 1) <= attemptBefore) {
      if (attemptBefore === 0 && build) return { issued: true, by, done: false };
      return { issued: false };
    }
    const name = build?.buildNumber ?? runId;
    if (stage.state === TimelineRecordState.Completed) {
      const result = enumName(TaskResult, stage.result);
      const now = laterBefore && laterStages(timeline?.records ?? [], stage);
      const ranAgain = now ? [...now].filter(([later, seen]) => laterBefore!.has(later) && laterBefore!.get(later) !== seen).map(([later]) => `stage ${later}`) : [];
      const also = ranAgain.length > 0 ? { ranAgain } : {};
      // An exclusive lock with lockBehavior runLatest cancels an older run's stage when a newer run wants the lock.
      if (result === 'canceled') return { issued: true, by, done: true, ok: false, detail: `stage ${stageName} of run ${name} was canceled before it finished (by a person, or by an exclusive lock a newer run took): NOT rolled back`, ...also };
      const at = stage.finishTime ? new Date(stage.finishTime).getTime() : undefined;
      return { issued: true, by, done: true, ok: result === 'succeeded' || result === 'succeededWithIssues', detail: `stage ${stageName} of run ${name} ${result}`, at, ...also };
    }
    const checks = pendingChecks(timeline?.records ?? [], stage);
    if (checks.length > 0 && build?.status !== BuildStatus.Completed) {
      const waitingFor = checks.map((c) => `${c.kind}${c.name ? ` '${c.name}'` : ''}${c.since ? ` since ${utcMinute(c.since)} UTC` : ''}`).join(', ');
      return { issued: true, by, done: false, waitingFor: `the retry of stage ${stageName} of run ${name} waits for ${waitingFor}` };
    }
    if (build?.status === BuildStatus.Completed) {
      return { issued: true, by, done: true, ok: false, detail: `run ${build.buildNumber} ${enumName(BuildResult, build.result)} before stage ${stageName} finished` };
    }
    return { issued: true, by, done: false };
  }

  private writeLedger(project: string, buildId: number, entry: object): Promise<void> {
    return Promise.all([
      this.api.setBuildProperties(project, buildId, { [this.ledgerName]: JSON.stringify(entry) }),
      this.api.updateBuildTags(project, buildId, [this.marks.rolledBack], []),
    ]).then(() => undefined);
  }
}

/** An environment whose deployment is on its way. */
const deploying = new Set(['queued', 'inProgress', 'scheduled']);

function maxAttempt(env: NonNullable<Release['environments']>[number]): number {
  return Math.max(0, ...(env.deploySteps ?? []).map((s) => s.attempt ?? 0));
}

/** A member's rollback step failed; the message starts with the member. */
export class StepError extends LockstepError {}

/**
 * The stages after `stage` in the run, by identifier, each as "attempt|state|finish": a stage that ran again shows
 * a new attempt, or left `completed`, or finished anew.
 */
function laterStages(records: TimelineRecord[], stage: TimelineRecord): Map<string, string> {
  const later = new Map<string, string>();
  for (const r of records) {
    if (r.type !== 'Stage' || (r.order ?? 0) <= (stage.order ?? 0)) continue;
    const name = r.identifier ?? r.name ?? '';
    const finished = r.finishTime ? new Date(r.finishTime).getTime() : '';
    const latest = later.get(name);
    if (!latest || Number(latest.split('|')[0]) <= (r.attempt ?? 1)) later.set(name, `${r.attempt ?? 1}|${r.state}|${finished}`);
  }
  return later;
}
