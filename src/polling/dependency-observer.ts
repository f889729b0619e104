import { Build, BuildStatus, TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { AzureDevOps } from '../client/azure-devops';
import { ReleaseStatus } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { ResolvedRef } from '../refs/resolved-ref';
import { HistorySearch } from './poll-policy';
import { matchedBuild, observeBuild, observeStage } from '../runs/build-state';
import { decidingRun, didNotRunStage, neverDeployed, orderReleases } from '../runs/deciding-run';
import { MatchingBuilds } from '../runs/matching-builds';
import { MatchSettings, releaseMatches } from '../runs/match-mode';
import { noMatchingRun, noMatchingRunAmong, Observation } from '../runs/observation';
import { matchedRelease, observeRelease, releaseActive } from '../runs/release-state';
import { readWaitRecord, waitPropertyName } from '../waits/wait-record';
import { readWaitRecordFromTags } from '../waits/wait-tags';
import { ensureProperties } from '../runs/build-properties';
import type { RunSighting } from './eta-polling';
import { FinishedTimelines } from '../runs/finished-timelines';

export interface ObserverOptions {
  match: MatchSettings;
  acceptPartiallySucceeded: boolean;
  runsPerDefinition: number;
  /** Matching runs looked at per reference and poll while newer ones did not run the awaited stage. */
  runsLookedAt: number;
  /** How far back a pipeline's history is searched for a run of this commit (sameCommit). */
  historySearch: HistorySearch;
  /** Told of each YAML reference's matched run, its pipeline's listed runs and its timeline (ETA-aware polling). */
  onRun?: (ref: ResolvedRef, sighting: RunSighting) => void;
  /**
   * Asked before re-reading the timeline of a run in progress for a reference with a stage (ETA-aware polling);
   * false: this poll goes without, and the last read stands. Absent: every poll reads it.
   */
  readsTimeline?: (ref: ResolvedRef, build: Build) => boolean;
}

/**
 * One poll of many references at the cost of few requests: ONE builds-list request per project for all its
 * YAML references (definitions=a,b,c), a timeline only for a matched run still in progress whose reference
 * names a stage (a finished run's timeline is read once and kept while it stays finished as it was; a running one's may be skipped when
 * `readsTimeline` says so), one releases-list request per classic definition. Which matching run decides follows
 * deciding-run.ts: an older candidate's timeline is read only when the newer ones did not run the stage, and a
 * pipeline's history is searched only when its newest runs hold no run of the commit (matching-builds.ts).
 */
export class DependencyObserver {
  private readonly finishedTimelines: FinishedTimelines;
  /** Each run's timeline as last read: what a poll that goes without reading it goes by. */
  private readonly lastTimelines = new Map<number, TimelineRecord[]>();

  private readonly builds: MatchingBuilds;

  constructor(
    private readonly api: AzureDevOps,
    private readonly options: ObserverOptions,
  ) {
    this.finishedTimelines = new FinishedTimelines(api);
    this.builds = new MatchingBuilds(api, { match: options.match, runsPerDefinition: options.runsPerDefinition, properties: [waitPropertyName], search: options.historySearch });
  }

  async observe(refs: ResolvedRef[]): Promise<Map<ResolvedRef, Observation>> {
    const seen = new Map<ResolvedRef, Observation>();
    await Promise.all([
      ...groupBy(refs.filter((r) => r.kind === 'yaml'), (r) => r.project.toLowerCase()).map((group) => this.observeYaml(group, seen)),
      ...groupBy(refs.filter((r) => r.kind === 'release'), (r) => `${r.project.toLowerCase()}\n${r.definitionId}`).map((group) => this.observeReleases(group, seen)),
    ]);
    return seen;
  }

  private async observeYaml(refs: ResolvedRef[], seen: Map<ResolvedRef, Observation>): Promise<void> {
    const project = refs[0].project;
    const pipelines = await this.builds.find(project, [...new Set(refs.map((r) => r.definitionId))]);
    // One read serves every stage awaited in a run: read the newest candidate's timeline when any reference needs it.
    const due = new Set(
      refs.flatMap((ref) => {
        const build = pipelines.get(ref.definitionId)!.matching[0];
        return build && ref.stage !== undefined && this.readsTimeline(ref, build) ? [build.id!] : [];
      }),
    );
    const timelines = new Map<number, Promise<TimelineRecord[]>>();
    const decided = await Promise.all(
      refs.map(async (ref) => {
        const { recent, matching, searchedBack } = pipelines.get(ref.definitionId)!;
        if (matching.length === 0) return { ref, observation: searchedBack === undefined ? noMatchingRun : noMatchingRunAmong(searchedBack) };
        if (ref.stage === undefined) {
          const build = matching[0];
          this.options.onRun?.(ref, { build, recent });
          return { ref, build, observation: observeBuild(build, this.run(build, project), this.options.acceptPartiallySucceeded) };
        }
        const stage = ref.stage;
        // A run that did not run the stage (skipped, or finished without it) hides no older matching run.
        const decision = (await decidingRun(
          matching,
          this.options.runsLookedAt,
          async (build) => {
            const timelineRead = due.has(build.id!) || (build !== matching[0] && this.readsTimeline(ref, build));
            if (timelineRead && !timelines.has(build.id!)) timelines.set(build.id!, this.stageRecords(project, build));
            return { timelineRead, records: timelineRead ? await timelines.get(build.id!)! : this.lastTimelines.get(build.id!)! };
          },
          (build, { records }) => didNotRunStage(build, records, stage),
        ))!;
        const { run: build, seen: timeline } = decision;
        this.options.onRun?.(ref, { build, recent, records: timeline.records, timelineRead: timeline.timelineRead });
        return { ref, build, observation: observeStage(build, timeline.records, stage, this.run(build, project), this.options.acceptPartiallySucceeded) };
      }),
    );
    // A wait record matters only on a run still in progress (deadlock detection).
    const inProgress = decided.map((d) => d.build).filter((b) => b !== undefined && b.status !== BuildStatus.Completed);
    await ensureProperties(this.api, project, inProgress, [waitPropertyName]);
    for (const { ref, build, observation } of decided) seen.set(ref, build ? { ...observation, waiting: readWaitRecord(build.properties), runEnded: build.status === BuildStatus.Completed } : observation);
  }

  private run(build: Build, project: string) {
    return matchedBuild(build, this.api.clients.collectionUrl, project);
  }

  /** A finished run, and a run whose timeline this observer has not read yet, are always read. */
  private readsTimeline(ref: ResolvedRef, build: Build): boolean {
    if (build.status === BuildStatus.Completed || !this.lastTimelines.has(build.id!)) return true;
    return this.options.readsTimeline?.(ref, build) ?? true;
  }

  /** A finished run's timeline is read once while it stays finished as it was (finished-timelines.ts). */
  private async stageRecords(project: string, build: Build): Promise<TimelineRecord[]> {
    if (build.status === BuildStatus.Completed) return this.finishedTimelines.read(project, build);
    this.finishedTimelines.forget(build.id!);
    const records = (await this.api.getTimeline(project, build.id!))?.records ?? [];
    this.lastTimelines.set(build.id!, records);
    return records;
  }

  private async observeReleases(refs: ResolvedRef[], seen: Map<ResolvedRef, Observation>): Promise<void> {
    const { project, definitionId } = refs[0];
    const { match } = this.options;
    const tags = match.mode === 'tag' ? [match.value!] : undefined;
    // Drafts and abandoned releases never match: the service leaves them out.
    const releases = await this.api.listReleases(project, definitionId, this.options.runsPerDefinition, tags, ReleaseStatus.Active);
    const matching = orderReleases(releases.filter((r) => releaseMatches(match, r)), match);
    for (const ref of refs) {
      // A release whose environment was never deployed hides no older release of the same build that deployed it.
      const decision = await decidingRun(
        matching,
        matching.length,
        async (release) => observeRelease(release, ref.stage, matchedRelease(release, this.api.clients.releaseUrl, project), this.options.acceptPartiallySucceeded),
        (release) => neverDeployed(release, ref.stage),
      );
      if (!decision) {
        seen.set(ref, noMatchingRun);
        continue;
      }
      // A classic release that waits publishes its wait in tags (it keeps no properties).
      seen.set(ref, { ...decision.seen, waiting: readWaitRecordFromTags(decision.run.tags), runEnded: !releaseActive(decision.run) });
    }
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.values()];
}
