import { Build, BuildStatus, TimelineRecord, TimelineRecordState } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { AzureDevOps } from '../client/azure-devops';
import { Clock, Log } from '../ports';
import { ResolvedRef } from '../refs/resolved-ref';
import { DependencyStatus } from '../report/dependency-status';
import { formatDuration } from '../report/duration';
import { enumName } from '../runs/build-state';
import { latestStage } from '../runs/stage-record';
import { EtaEstimate, estimateEta } from './eta-estimate';
import { DurationHistory } from './eta-history';
import { EtaPolicy } from './eta-policy';
import { skipsTimelineRead, TimelineSpacing } from './eta-schedule';
import { PollPolicy } from './poll-policy';

/** A YAML dependency's matched run as one poll saw it. */
export interface RunSighting {
  build: Build;
  /** The pipeline's runs in the same list, newest first: where earlier durations come from. */
  recent: Build[];
  /** The matched run's timeline, for a reference with a stage: as this poll read it, or as last read. */
  records?: TimelineRecord[];
  /** Whether this poll read `records` (false: it went without, and they are the last read's). */
  timelineRead?: boolean;
}

/** When to poll next, and what to say about each running dependency that has an estimate. */
export interface PollPlan {
  /** Always the fixed interval: ETA-aware polling spaces timeline reads, never the polls. */
  delayMs: number;
  /** By reference label, e.g. "running 4m12s, usually 6m00s". */
  notes: Map<string, string>;
}

/** Where a dependency's awaited stage usually starts in its run, for a run whose stage had not started at the last read. */
interface StageAhead {
  buildId: number;
  runStartedAt: number;
  startsAfter: EtaEstimate;
}

/**
 * What earlier runs say, used twice. Polls come at the fixed interval and read the builds list, so a run that ends
 * (failed, canceled or succeeded) is seen within one interval. The timeline of a run whose awaited stage has not
 * started is read only every farFactor intervals while the run is far from where the stage usually starts; once
 * near, and whenever the stage is running, every poll reads it. And a running stage's state line says how long it
 * usually takes.
 */
export class EtaPolling {
  private readonly sightings = new Map<ResolvedRef, RunSighting>();
  private readonly lastReadAt = new Map<ResolvedRef, number>();
  private readonly ahead = new Map<ResolvedRef, StageAhead>();
  private readonly history: DurationHistory;
  private readonly spacing: TimelineSpacing;
  /**
   * How far the service's clock is at least ahead of ours, from the dates it sends: no date can lie in its future.
   * An agent whose clock lags would otherwise think a run younger than it is and read its timeline too rarely.
   */
  private serverAheadMs = 0;

  constructor(
    api: AzureDevOps,
    poll: PollPolicy,
    private readonly policy: EtaPolicy,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {
    this.history = new DurationHistory(api, policy, log);
    this.spacing = { intervalMs: poll.intervalMs, farMs: poll.intervalMs * policy.farFactor };
  }

  /** Told by the observer of every YAML dependency's matched run in each poll. */
  saw(ref: ResolvedRef, sighting: RunSighting): void {
    this.sightings.set(ref, sighting);
    const { build, records } = sighting;
    const now = this.clock.now();
    if (sighting.timelineRead) this.lastReadAt.set(ref, now);
    const dates = [build.queueTime, build.startTime, build.finishTime, ...(records ?? []).flatMap((r) => [r.startTime, r.finishTime])];
    for (const date of dates) if (date) this.serverAheadMs = Math.max(this.serverAheadMs, new Date(date).getTime() - now);
  }

  /**
   * Asked by the observer before it reads the timeline of a run in progress whose timeline it has read before: false
   * only while the awaited stage had not started at the last read and the run is still far from where it usually starts.
   */
  readsTimeline(ref: ResolvedRef, build: Build): boolean {
    const ahead = this.ahead.get(ref);
    const lastReadAt = this.lastReadAt.get(ref);
    if (!ahead || ahead.buildId !== build.id || lastReadAt === undefined) return true;
    const now = this.clock.now();
    return !skipsTimelineRead(ahead.startsAfter, now + this.serverAheadMs - ahead.runStartedAt, now - lastReadAt, this.spacing);
  }

  async plan(unmet: DependencyStatus[]): Promise<PollPlan> {
    const notes = new Map<string, string>();
    const details: string[] = [];
    for (const s of unmet) {
      const ref = s.ref;
      this.ahead.delete(ref);
      const sighting = this.sightings.get(ref);
      if (!sighting || enumName(BuildStatus, sighting.build.status) !== 'inProgress') continue;
      const earlier = await this.history.of(ref, sighting.recent, sighting.build);
      const ahead = stageAhead(ref, sighting, estimateEta(earlier.startsAfter, this.policy));
      if (ahead) {
        this.ahead.set(ref, ahead);
        const ranMs = this.clock.now() + this.serverAheadMs - ahead.runStartedAt;
        const far = ranMs < ahead.startsAfter.windowStartMs;
        details.push(`${ref.label} stage not started, run ${formatDuration(ranMs)} in; the stage usually starts after ${formatDuration(ahead.startsAfter.usualMs)} (${ahead.startsAfter.samples} earlier runs)${far ? `, so its timeline is read at most every ${formatDuration(this.spacing.farMs)} until ${formatDuration(ahead.startsAfter.windowStartMs)} into the run` : ''}`);
      }
      const since = runningSince(ref, sighting);
      const eta = since === undefined ? undefined : estimateEta(earlier.durations, this.policy);
      if (since === undefined || !eta) continue;
      const note = `running ${formatDuration(Math.max(0, this.clock.now() + this.serverAheadMs - since))}, usually ${formatDuration(eta.usualMs)}`;
      notes.set(ref.label, note);
      details.push(`${ref.label} ${note} (${eta.samples} earlier runs)`);
    }
    if (details.length > 0) this.log.debug(`ETA: ${details.join('; ')}`);
    return { delayMs: this.spacing.intervalMs, notes };
  }
}

/** A stage reference whose stage had not started at the last read, in a started run, with history to go by. */
function stageAhead(ref: ResolvedRef, { build, records }: RunSighting, startsAfter: EtaEstimate | undefined): StageAhead | undefined {
  if (ref.stage === undefined || !startsAfter || !build.startTime || !records) return undefined;
  const record = latestStage(records, ref.stage);
  if (record && enumName(TimelineRecordState, record.state) !== 'pending') return undefined;
  return { buildId: build.id!, runStartedAt: new Date(build.startTime).getTime(), startsAfter };
}

/** When the awaited stage (or the whole run) started, if it is running now. */
function runningSince(ref: ResolvedRef, { build, records }: RunSighting): number | undefined {
  if (ref.stage === undefined) {
    return enumName(BuildStatus, build.status) === 'inProgress' && build.startTime ? new Date(build.startTime).getTime() : undefined;
  }
  const record = latestStage(records ?? [], ref.stage);
  return record && enumName(TimelineRecordState, record.state) === 'inProgress' && record.startTime ? new Date(record.startTime).getTime() : undefined;
}
