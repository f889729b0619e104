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
import { nextCheckMs, PollSpacing } from './eta-schedule';
import { PollPolicy } from './poll-policy';

/** A YAML dependency's matched run as one poll saw it. */
export interface RunSighting {
  build: Build;
  /** The pipeline's runs in the same list, newest first: where earlier durations come from. */
  recent: Build[];
  /** The matched run's timeline, for a reference with a stage. */
  records?: TimelineRecord[];
}

/** When to poll next, and what to say about each running dependency that has an estimate. */
export interface PollPlan {
  delayMs: number;
  /** By reference label, e.g. "running 4m12s, usually 6m00s". */
  notes: Map<string, string>;
}

/**
 * Places each poll from the dependencies' estimates: one poll serves all of them, so the next comes when the
 * dependency that needs it soonest does. A dependency without an estimate (not running, too little history,
 * a classic release) keeps the fixed interval for everyone.
 */
export class EtaPolling {
  private readonly sightings = new Map<ResolvedRef, RunSighting>();
  private readonly history: DurationHistory;
  private readonly spacing: PollSpacing;
  /**
   * How far the service's clock is at least ahead of ours, from the dates it sends: no date can lie in its future.
   * An agent whose clock lags would otherwise think a stage younger than it is and poll too slowly.
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
    this.spacing = {
      intervalMs: poll.intervalMs,
      nearMs: Math.min(poll.minIntervalMs, poll.intervalMs),
      farMs: poll.intervalMs * policy.farFactor,
    };
  }

  /** Told by the observer of every YAML dependency's matched run in each poll. */
  saw(ref: ResolvedRef, sighting: RunSighting): void {
    this.sightings.set(ref, sighting);
    const { build, records } = sighting;
    const dates = [build.queueTime, build.startTime, build.finishTime, ...(records ?? []).flatMap((r) => [r.startTime, r.finishTime])];
    const now = this.clock.now();
    for (const date of dates) if (date) this.serverAheadMs = Math.max(this.serverAheadMs, new Date(date).getTime() - now);
  }

  async plan(unmet: DependencyStatus[]): Promise<PollPlan> {
    const known = await Promise.all(unmet.map((s) => this.estimate(s.ref)));
    const notes = new Map<string, string>();
    const details: string[] = [];
    unmet.forEach((s, i) => {
      const k = known[i];
      if (!k) return;
      const note = `running ${formatDuration(k.elapsedMs)}, usually ${formatDuration(k.eta.usualMs)}`;
      notes.set(s.ref.label, note);
      const { samples, windowStartMs, windowEndMs, closeMs } = k.eta;
      details.push(`${s.ref.label} ${note} (${samples} earlier runs; checks at most an interval apart from ${formatDuration(windowStartMs)} to ${formatDuration(windowEndMs)}, closer within ${formatDuration(closeMs)} of the usual)`);
    });
    // One poll serves every dependency: the one that needs it soonest decides, and one without an estimate needs it
    // within the fixed interval.
    const delayMs = Math.round(Math.min(this.spacing.farMs, ...known.map((k) => (k ? nextCheckMs(k.eta, k.elapsedMs, this.spacing) : this.spacing.intervalMs))));
    if (details.length > 0) this.log.debug(`ETA: next check in ${formatDuration(delayMs)}; ${details.join('; ')}`);
    return { delayMs, notes };
  }

  /** The estimate for a dependency whose awaited stage (or run) is running, and how long it has run. */
  private async estimate(ref: ResolvedRef): Promise<{ eta: EtaEstimate; elapsedMs: number } | undefined> {
    const sighting = this.sightings.get(ref);
    if (!sighting) return undefined;
    const since = runningSince(ref, sighting);
    if (since === undefined) return undefined;
    const eta = estimateEta(await this.history.durationsOf(ref, sighting.recent, sighting.build), this.policy);
    if (!eta) return undefined;
    return { eta, elapsedMs: Math.max(0, this.clock.now() + this.serverAheadMs - since) };
  }
}

/** When the awaited stage (or the whole run) started, if it is running now. */
function runningSince(ref: ResolvedRef, { build, records }: RunSighting): number | undefined {
  if (ref.stage === undefined) {
    return enumName(BuildStatus, build.status) === 'inProgress' && build.startTime ? new Date(build.startTime).getTime() : undefined;
  }
  const record = latestStage(records ?? [], ref.stage);
  return record && enumName(TimelineRecordState, record.state) === 'inProgress' && record.startTime ? new Date(record.startTime).getTime() : undefined;
}
