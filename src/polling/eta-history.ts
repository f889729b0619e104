import { Build, BuildResult, BuildStatus, TaskResult, TimelineRecord, TimelineRecordState } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { AzureDevOps } from '../client/azure-devops';
import { describeError } from '../errors';
import { Log } from '../ports';
import { ResolvedRef } from '../refs/resolved-ref';
import { enumName } from '../runs/build-state';
import { latestStage } from '../runs/stage-record';
import { EtaPolicy } from './eta-policy';

/** What a dependency's pipeline's earlier successful runs took, in ms. */
export interface EarlierRuns {
  /** How long the awaited stage (or, without a stage, the whole run) took. */
  durations: number[];
  /** How long into the run the awaited stage started (none without a stage). */
  startsAfter: number[];
}

/**
 * How long a dependency's awaited stage (or whole run) took in its pipeline's earlier successful runs, and when the
 * stage started in them. The runs come from the list each poll reads anyway; a stage's figures cost one timeline per
 * earlier run, read once per pipeline and stage when a matched run is first seen in progress, and only when there
 * are enough runs to go by.
 */
export class DurationHistory {
  private readonly earlier = new Map<string, Promise<EarlierRuns>>();
  private readonly timelines = new Map<number, Promise<TimelineRecord[]>>();

  constructor(
    private readonly api: AzureDevOps,
    private readonly policy: EtaPolicy,
    private readonly log: Log,
  ) {}

  /** `recent`: the pipeline's runs as the last poll listed them; `current`: the matched run, left out. */
  of(ref: ResolvedRef, recent: Build[], current: Build): Promise<EarlierRuns> {
    const key = `${ref.project.toLowerCase()}\n${ref.definitionId}\n${ref.stage?.toLowerCase() ?? ''}`;
    let earlier = this.earlier.get(key);
    if (!earlier) {
      earlier = this.read(ref, recent.filter((b) => b.id !== current.id && succeeded(b)).slice(0, this.policy.historyRuns));
      this.earlier.set(key, earlier);
    }
    return earlier;
  }

  private async read(ref: ResolvedRef, earlier: Build[]): Promise<EarlierRuns> {
    if (earlier.length < this.policy.minSamples) return { durations: [], startsAfter: [] };
    if (ref.stage === undefined) return { durations: earlier.map((b) => span(b.startTime, b.finishTime)).filter(isDuration), startsAfter: [] };
    const stage = ref.stage;
    const runs = await Promise.all(
      earlier.map(async (b) => {
        const record = latestStage(await this.timeline(ref.project, b.id!), stage);
        const done = record && enumName(TimelineRecordState, record.state) === 'completed' && ['succeeded', 'succeededWithIssues'].includes(enumName(TaskResult, record.result));
        return done ? { duration: span(record.startTime, record.finishTime), startsAfter: span(b.startTime, record.startTime) } : undefined;
      }),
    );
    return {
      durations: runs.map((r) => r?.duration).filter(isDuration),
      startsAfter: runs.map((r) => r?.startsAfter).filter(isDuration),
    };
  }

  /** A finished run's timeline no longer changes; shared by every stage of its pipeline that is awaited. */
  private timeline(project: string, buildId: number): Promise<TimelineRecord[]> {
    let records = this.timelines.get(buildId);
    if (!records) {
      // An estimate is a nicety: a timeline that cannot be read leaves one sample out, never the wait.
      records = this.api.getTimeline(project, buildId).then(
        (timeline) => timeline?.records ?? [],
        (error: unknown) => {
          this.log.debug(`ETA: the timeline of run ${buildId} could not be read: ${describeError(error)}`);
          return [];
        },
      );
      this.timelines.set(buildId, records);
    }
    return records;
  }
}

function succeeded(build: Build): boolean {
  return enumName(BuildStatus, build.status) === 'completed' && ['succeeded', 'partiallySucceeded'].includes(enumName(BuildResult, build.result));
}

function span(start: Date | undefined, finish: Date | undefined): number | undefined {
  return start && finish ? new Date(finish).getTime() - new Date(start).getTime() : undefined;
}

function isDuration(ms: number | undefined): ms is number {
  return ms !== undefined && Number.isFinite(ms) && ms >= 0;
}
