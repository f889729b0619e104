import { Build, BuildResult, BuildStatus, TaskResult, TimelineRecord, TimelineRecordState } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { AzureDevOps } from '../client/azure-devops';
import { describeError } from '../errors';
import { Log } from '../ports';
import { ResolvedRef } from '../refs/resolved-ref';
import { enumName } from '../runs/build-state';
import { latestStage } from '../runs/stage-record';
import { EtaPolicy } from './eta-policy';

/**
 * How long a dependency's awaited stage (or whole run) took in its pipeline's earlier successful runs. The runs
 * come from the list each poll reads anyway; a stage's durations cost one timeline per earlier run, read once per
 * pipeline and stage when the stage is first seen running, and only when there are enough runs to go by.
 */
export class DurationHistory {
  private readonly durations = new Map<string, Promise<number[]>>();
  private readonly timelines = new Map<number, Promise<TimelineRecord[]>>();

  constructor(
    private readonly api: AzureDevOps,
    private readonly policy: EtaPolicy,
    private readonly log: Log,
  ) {}

  /** `recent`: the pipeline's runs as the last poll listed them; `current`: the matched run, left out. */
  durationsOf(ref: ResolvedRef, recent: Build[], current: Build): Promise<number[]> {
    const key = `${ref.project.toLowerCase()}\n${ref.definitionId}\n${ref.stage?.toLowerCase() ?? ''}`;
    let durations = this.durations.get(key);
    if (!durations) {
      durations = this.read(ref, recent.filter((b) => b.id !== current.id && succeeded(b)).slice(0, this.policy.historyRuns));
      this.durations.set(key, durations);
    }
    return durations;
  }

  private async read(ref: ResolvedRef, earlier: Build[]): Promise<number[]> {
    if (earlier.length < this.policy.minSamples) return [];
    if (ref.stage === undefined) return earlier.map((b) => span(b.startTime, b.finishTime)).filter(isDuration);
    const stage = ref.stage;
    const spans = await Promise.all(
      earlier.map(async (b) => {
        const record = latestStage(await this.timeline(ref.project, b.id!), stage);
        const done = record && enumName(TimelineRecordState, record.state) === 'completed' && ['succeeded', 'succeededWithIssues'].includes(enumName(TaskResult, record.result));
        return done ? span(record.startTime, record.finishTime) : undefined;
      }),
    );
    return spans.filter(isDuration);
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
