import { BuildResult, BuildStatus, TaskResult, TimelineRecordState } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { EnvironmentStatus, Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { AzureDevOps } from '../client/azure-devops';
import { enumName } from '../runs/build-state';
import { latestStage } from '../runs/stage-record';
import { ledgerPropertyName, readLedger, rollbackMarks } from './ledger-marks';
import { RunContext } from '../run-context';
import { PlanEntry } from './rollback-plan';

/** Where one member's rollback stands, as read from its target. */
export type StepState = { issued: false } | { issued: true; by?: number; done: false } | { issued: true; by?: number; done: true; ok: boolean; detail: string };

/**
 * One member's rollback: issue it once (the ledger on the target run says whether it was issued, and by whom) and
 * read how far it got. Issuing writes the ledger first, then acts; a takeover reads the ledger and the target's
 * attempt, so it neither repeats a rollback that was issued nor skips one that was not.
 */
export class RollbackSteps {
  private readonly marks: ReturnType<typeof rollbackMarks>;
  private readonly ledgerName: string;

  constructor(
    private readonly api: AzureDevOps,
    private readonly train: string,
    private readonly context: RunContext,
    private readonly templateParameters: Record<string, string>,
  ) {
    this.marks = rollbackMarks(train);
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
      const issuedTag = (release?.tags ?? []).map((t) => this.releaseAttemptBefore(t, entry)).find((n) => n !== undefined);
      if (!env || issuedTag === undefined) return { issued: false };
      if (maxAttempt(env) <= issuedTag) return { issued: false };
      const status = enumName(EnvironmentStatus, env.status);
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
    return this.runState(project, target.id, entry.member.stage!, ledger.attemptBefore, ledger.by);
  }

  /** Issues the rollback of one member; call only when state() says it was not issued. */
  async issue(entry: PlanEntry): Promise<void> {
    const { project } = entry.member;
    const target = entry.lastGood!;
    const at = new Date().toISOString();
    if (entry.action === 'redeployEnvironment') {
      const release = await this.api.getRelease(project, target.id);
      const env = release!.environments!.find((e) => e.id === target.environmentId)!;
      await this.api.addReleaseTags(project, target.id, [this.marks.releaseRolledBack(entry.member.stage!, maxAttempt(env))]);
      await this.api.updateReleaseEnvironment(project, target.id, target.environmentId!, EnvironmentStatus.InProgress, `Lockstep: rollback of train ${this.train} (requested by run ${this.selfRunId})`);
      return;
    }
    if (entry.action === 'queueRun') {
      await this.writeLedger(project, target.id, { train: this.train, stage: entry.member.stage!, attemptBefore: 0, by: this.selfRunId, at });
      const run = await this.api.queuePipelineRun(project, entry.member.definitionId, target.commit!, target.branch, this.templateParameters);
      await this.writeLedger(project, target.id, { train: this.train, stage: entry.member.stage!, attemptBefore: 0, queuedRunId: run.id, by: this.selfRunId, at });
      return;
    }
    const stage = latestStage((await this.api.getTimeline(project, target.id))?.records ?? [], entry.member.stage!);
    await this.writeLedger(project, target.id, { train: this.train, stage: entry.member.stage!, attemptBefore: stage?.attempt ?? 1, by: this.selfRunId, at });
    await this.api.retryStage(project, target.id, stage?.identifier ?? entry.member.stage!);
  }

  /** Cancels a member's train run still in progress (never the invoking run). */
  async cancel(entry: PlanEntry): Promise<string | undefined> {
    const run = entry.trainRun!;
    const { project } = entry.member;
    if (entry.member.kind === 'release') {
      const release = await this.api.getRelease(project, run.id);
      const active = (release?.environments ?? []).filter((e) => ['inProgress', 'queued'].includes(enumName(EnvironmentStatus, e.status)));
      for (const env of active) await this.api.updateReleaseEnvironment(project, run.id, env.id!, EnvironmentStatus.Canceled, `Lockstep: train ${this.train} is rolling back`);
      return active.length ? `canceled ${active.map((e) => e.name).join(', ')} of release ${run.name}` : undefined;
    }
    const build = await this.api.getBuild(project, run.id);
    if (!build || build.status === BuildStatus.Completed || build.status === BuildStatus.Cancelling) return undefined;
    await this.api.cancelBuild(project, run.id);
    return `canceled run ${run.name} (#${run.id})`;
  }

  private async runState(project: string, runId: number, stageName: string, attemptBefore: number, by: number): Promise<StepState> {
    const [build, timeline] = await Promise.all([this.api.getBuild(project, runId), this.api.getTimeline(project, runId)]);
    const stage = latestStage(timeline?.records ?? [], stageName);
    // The ledger is written just before the action: a target still at the attempt it recorded was never acted on.
    if (!stage || (stage.attempt ?? 1) <= attemptBefore) {
      if (attemptBefore === 0 && build) return { issued: true, by, done: false };
      return { issued: false };
    }
    if (stage.state === TimelineRecordState.Completed) {
      const result = enumName(TaskResult, stage.result);
      return { issued: true, by, done: true, ok: result === 'succeeded' || result === 'succeededWithIssues', detail: `stage ${stageName} of run ${build?.buildNumber ?? runId} ${result}` };
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

  /** The attempt recorded in a classic ledger tag of this train and environment, if the tag is one. */
  private releaseAttemptBefore(tag: string, entry: PlanEntry): number | undefined {
    const prefix = this.marks.releaseRolledBack(entry.member.stage!, 0).replace(/0$/, '');
    return tag.startsWith(prefix) && /^\d+$/.test(tag.slice(prefix.length)) ? Number(tag.slice(prefix.length)) : undefined;
  }
}

function maxAttempt(env: NonNullable<Release['environments']>[number]): number {
  return Math.max(0, ...(env.deploySteps ?? []).map((s) => s.attempt ?? 0));
}
