import { Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { AzureDevOps } from '../client/azure-devops';
import { RunContext } from '../run-context';
import { waitPropertyName, WaitOutcome, WaitRecord } from '../waits/wait-record';
import { endedWaitTag, isWaitTag, waitRecordTags } from '../waits/wait-tags';
import { gateMarks, GateMarks, readGateMarks } from './gate-marks';
import { gatePropertyName, GateRecord } from './gate-record';

/** How long a canceled task may spend withdrawing its arrival: the agent kills it 10 s after SIGINT. */
const cleanupMs = 1_500;

/**
 * This run's own presence at the gate, written on its own run: tags a person can read, and for a YAML run a
 * record (build property) with the stage attempt and job, plus the published wait used for deadlock detection —
 * which stays when the gate is left, rewritten with how it ended (WaitRecord.ended), for the train view.
 */
export class GatePresence {
  /** A YAML run's marks are known at once; a release's name the deployment attempt, known once it arrives. */
  private marks?: GateMarks;
  private readonly recordName: string;
  private record?: GateRecord;
  private readonly gateTrain: { gate: string; train: string };
  /** A classic release's published wait: its tags (a release keeps no properties). */
  private waitTags: string[] = [];
  /** The wait published at arrival. */
  private waiting?: WaitRecord;

  constructor(
    private readonly api: AzureDevOps,
    private readonly context: RunContext,
    gate: string,
    train: string,
  ) {
    if (context.kind !== 'release') this.marks = gateMarks(gate, train);
    this.recordName = gatePropertyName(gate, train);
    this.gateTrain = { gate, train };
  }

  /** Marks this run as arrived. An open mark left by an earlier attempt is removed first: that attempt is over. */
  async arrive(at: string, waiting: WaitRecord): Promise<string> {
    const { project, runId } = this.context;
    this.record = { ...this.gateTrain, state: 'arrived', stage: this.context.stage, stageAttempt: this.context.stageAttempt, jobId: this.context.jobId, arrivedAt: at };
    this.waiting = waiting;
    if (this.context.kind === 'release') {
      const release = await this.api.getRelease(project, runId!);
      const environment = this.context.stage!;
      const marks = gateMarks(this.gateTrain.gate, this.gateTrain.train, { kind: 'release', environment, attempt: this.context.stageAttempt ?? latestAttempt(release, environment) });
      // Marks of this environment's earlier attempts (an open one, or an arrival a killed attempt left) and this
      // attempt's own open mark: the arrival starts afresh. Each goes by its URL path, which these marks are safe in.
      const stale = readGateMarks(release?.tags, this.gateTrain.gate, this.gateTrain.train, 'release').filter(
        (m) => m.environment?.toLowerCase() === environment.toLowerCase() && m.tag.toLowerCase() !== marks.arrived.toLowerCase(),
      );
      for (const m of stale) await this.api.deleteReleaseTag(project, runId!, m.tag);
      // An earlier wait's record (it stays when its wait ends) would mix its pieces with this one's: it goes too.
      this.waitTags = waitRecordTags(waiting);
      for (const tag of (release?.tags ?? []).filter((t) => isWaitTag(t) && !this.waitTags.includes(t))) await this.api.deleteReleaseTag(project, runId!, tag);
      this.marks = marks;
      await this.api.addReleaseTags(project, runId!, [marks.arrived, ...this.waitTags]);
      return at;
    }
    // The record first: a member that sees the tag then finds the attempt that wrote it.
    await this.api.setBuildProperties(project, runId!, { [this.recordName]: JSON.stringify(this.record), [waitPropertyName]: JSON.stringify(waiting) });
    await this.api.updateBuildTags(project, runId!, [this.marks!.arrived], [this.marks!.open]);
    return at;
  }

  /** The gate opened: mark it on this run, so members that poll later pass too, and end the published wait (passed). */
  async open(at: string): Promise<void> {
    const { project, runId } = this.context;
    const ended = this.ended('passed', at);
    if (this.context.kind === 'release') {
      // The wait's tags stay; one more says it ended (see wait-tags.ts), in the same request as the open mark.
      await this.api.addReleaseTags(project, runId!, [this.marks!.open, ...(ended ? [endedWaitTag(ended)] : [])]);
      return;
    }
    this.record = { ...this.record!, state: 'open', openedAt: at };
    await this.api.setBuildProperties(project, runId!, { [this.recordName]: JSON.stringify(this.record), [waitPropertyName]: ended ? JSON.stringify(ended) : null });
    await this.api.updateBuildTags(project, runId!, [this.marks!.open], []);
  }

  /**
   * Takes this run's arrival back (timeout, failure, cancellation) and ends the published wait with `outcome`;
   * `canceled` uses a short clean-up budget of its own. A wait that ended on a deadlock stays published, marked with
   * the cycle, for the rest of the cycle to find.
   */
  async withdraw(how: { outcome: WaitOutcome; at: string; canceled?: boolean; deadlocked?: WaitRecord; reason?: string }): Promise<void> {
    const api = how.canceled ? this.api.forCleanup(cleanupMs) : this.api;
    const { project, runId } = this.context;
    const deadlocked = how.deadlocked && { ...how.deadlocked, ended: { at: how.at, outcome: 'deadlock' as const } };
    const ended = deadlocked ?? this.ended(how.outcome, how.at);
    if (this.context.kind === 'release') {
      // Not arrived yet (it failed or was canceled before): there is no arrival to take back.
      if (this.marks) await api.deleteReleaseTag(project, runId!, this.marks.arrived);
      if (deadlocked) {
        const marked = waitRecordTags(deadlocked);
        await api.addReleaseTags(project, runId!, marked.filter((t) => !this.waitTags.includes(t)));
        for (const tag of this.waitTags.filter((t) => !marked.includes(t))) await api.deleteReleaseTag(project, runId!, tag);
        this.waitTags = marked;
      } else if (ended) {
        await api.addReleaseTags(project, runId!, [endedWaitTag(ended)]);
      }
      return;
    }
    await api.updateBuildTags(project, runId!, [], [this.marks!.arrived]);
    if (this.record) {
      this.record = { ...this.record, state: 'withdrawn', reason: how.reason };
      await api.setBuildProperties(project, runId!, { [this.recordName]: JSON.stringify(this.record), [waitPropertyName]: ended ? JSON.stringify(ended) : null });
    }
  }

  /** The wait published at arrival, ended; none before arrival. */
  private ended(outcome: WaitOutcome, at: string): WaitRecord | undefined {
    return this.waiting && { ...this.waiting, ended: { at, outcome } };
  }
}

/** The environment's latest deployment attempt, for an agent that does not say (Release.AttemptNumber unset). */
function latestAttempt(release: Release | null, environment: string): number {
  const env = release?.environments?.find((e) => e.name?.toLowerCase() === environment.toLowerCase());
  return Math.max(1, ...(env?.deploySteps ?? []).map((s) => s.attempt ?? 1));
}
