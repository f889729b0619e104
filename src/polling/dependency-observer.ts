import { Build, BuildStatus, TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { AzureDevOps } from '../client/azure-devops';
import { ResolvedRef } from '../refs/resolved-ref';
import { matchedBuild, observeBuild, observeStage } from '../runs/build-state';
import { buildFilters, buildMatches, MatchSettings, releaseMatches } from '../runs/match-mode';
import { newestBuild, newestRelease } from '../runs/newest-run';
import { noMatchingRun, Observation } from '../runs/observation';
import { matchedRelease, observeRelease, releaseActive } from '../runs/release-state';
import { readWaitRecord, waitPropertyName } from '../waits/wait-record';
import { readWaitRecordFromTags } from '../waits/wait-tags';
import { ensureProperties } from '../runs/build-properties';
import type { RunSighting } from './eta-polling';

export interface ObserverOptions {
  match: MatchSettings;
  acceptPartiallySucceeded: boolean;
  runsPerDefinition: number;
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
 * `readsTimeline` says so), one releases-list request per classic definition.
 */
export class DependencyObserver {
  private readonly finishedTimelines = new Map<number, { finished: string; records: TimelineRecord[] }>();
  /** Each run's timeline as last read: what a poll that goes without reading it goes by. */
  private readonly lastTimelines = new Map<number, TimelineRecord[]>();

  constructor(
    private readonly api: AzureDevOps,
    private readonly options: ObserverOptions,
  ) {}

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
    const definitionIds = [...new Set(refs.map((r) => r.definitionId))];
    const builds = await this.api.listBuilds(project, {
      definitionIds,
      maxPerDefinition: this.options.runsPerDefinition,
      properties: [waitPropertyName],
      ...buildFilters(this.options.match),
    });
    const matched = refs.map((ref) => {
      const recent = builds.filter((b) => b.definition?.id === ref.definitionId);
      return { ref, recent, build: newestBuild(recent.filter((b) => buildMatches(this.options.match, b))) };
    });
    // A wait record matters only on a run still in progress (deadlock detection).
    const inProgress = matched.map((m) => m.build).filter((b) => b !== undefined && b.status !== BuildStatus.Completed);
    await ensureProperties(this.api, project, inProgress, [waitPropertyName]);
    // One read serves every stage awaited in a run: read it when any of them needs it.
    const due = new Set(matched.filter(({ ref, build }) => build && ref.stage !== undefined && this.readsTimeline(ref, build)).map(({ build }) => build!.id!));
    const timelines = new Map<number, Promise<TimelineRecord[]>>();
    await Promise.all(
      matched.map(async ({ ref, recent, build }) => {
        if (!build) return seen.set(ref, noMatchingRun);
        const run = matchedBuild(build, this.api.clients.collectionUrl, project);
        const waiting = readWaitRecord(build.properties);
        const runEnded = build.status === BuildStatus.Completed;
        if (ref.stage === undefined) {
          this.options.onRun?.(ref, { build, recent });
          return seen.set(ref, { ...observeBuild(build, run, this.options.acceptPartiallySucceeded), waiting, runEnded });
        }
        const timelineRead = due.has(build.id!);
        if (timelineRead && !timelines.has(build.id!)) timelines.set(build.id!, this.stageRecords(project, build));
        const records = timelineRead ? await timelines.get(build.id!)! : this.lastTimelines.get(build.id!)!;
        this.options.onRun?.(ref, { build, recent, records, timelineRead });
        seen.set(ref, { ...observeStage(build, records, ref.stage, run, this.options.acceptPartiallySucceeded), waiting, runEnded });
      }),
    );
  }

  /** A finished run, and a run whose timeline this observer has not read yet, are always read. */
  private readsTimeline(ref: ResolvedRef, build: Build): boolean {
    if (build.status === BuildStatus.Completed || !this.lastTimelines.has(build.id!)) return true;
    return this.options.readsTimeline?.(ref, build) ?? true;
  }

  /** A finished run's stages no longer change: read its timeline once. */
  private async stageRecords(project: string, build: Build): Promise<TimelineRecord[]> {
    // A finished run comes back: a stage retried (or a manual stage started) after it completed puts it in progress
    // again, and it finishes anew. Its timeline is kept only while it stays finished as it was (same finish time).
    const finished = build.status === BuildStatus.Completed ? `${build.finishTime ? new Date(build.finishTime).getTime() : ''}` : undefined;
    const cached = this.finishedTimelines.get(build.id!);
    if (cached && finished !== undefined && cached.finished === finished) return cached.records;
    const records = (await this.api.getTimeline(project, build.id!))?.records ?? [];
    if (finished !== undefined) this.finishedTimelines.set(build.id!, { finished, records });
    else {
      this.finishedTimelines.delete(build.id!);
      this.lastTimelines.set(build.id!, records);
    }
    return records;
  }

  private async observeReleases(refs: ResolvedRef[], seen: Map<ResolvedRef, Observation>): Promise<void> {
    const { project, definitionId } = refs[0];
    const tags = this.options.match.mode === 'tag' ? [this.options.match.value!] : undefined;
    const releases = await this.api.listReleases(project, definitionId, this.options.runsPerDefinition, tags);
    const release = newestRelease(releases.filter((r) => releaseMatches(this.options.match, r)));
    for (const ref of refs) {
      if (!release) {
        seen.set(ref, noMatchingRun);
        continue;
      }
      const run = matchedRelease(release, this.api.clients.releaseUrl, project);
      // A classic release that waits publishes its wait in tags (it keeps no properties).
      seen.set(ref, { ...observeRelease(release, ref.stage, run, this.options.acceptPartiallySucceeded), waiting: readWaitRecordFromTags(release.tags), runEnded: !releaseActive(release) });
    }
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.values()];
}
