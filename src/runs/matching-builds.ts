import { Build, BuildQueryOrder } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { AzureDevOps } from '../client/azure-devops';
import type { HistorySearch } from '../polling/poll-policy';
import { orderBuilds } from './deciding-run';
import { buildFilters, buildMatches, MatchSettings } from './match-mode';

/** What one poll found of one pipeline. */
export interface PipelineRuns {
  /** Its newest runs, as the poll's list request answered them (ETA-aware polling learns from them). */
  recent: Build[];
  /** Its runs that match, in the order they are looked at (deciding-run.ts). */
  matching: Build[];
  /** How many of its newest runs a search of its history read without finding a match, when one did. */
  searchedBack?: number;
}

export interface MatchingBuildsOptions {
  match: MatchSettings;
  runsPerDefinition: number;
  /** Build properties to return with each run. */
  properties: string[];
  search: HistorySearch;
}

/** What a pipeline's history search left: the matching runs it found (read again by id), or when it found none. */
interface SearchMemory {
  found: number[];
  searchedAtPoll: number;
  searchedBack: number;
}

/**
 * Finds the runs of several YAML pipelines of one project that match, at the cost of one builds-list request per
 * poll in the common case (filtered on the server where the list can: branch, tag, run number, run id, reason).
 *
 * sameCommit cannot be filtered on the server. When a pipeline's newest runs (a full `runsPerDefinition`) hold no
 * run of the commit, its history is searched: pages of `pageSize` runs, newest first, `pages` at most, stopping at
 * the first page that holds one. Runs found so are remembered and read again by id at each later poll (one request
 * for the project); a search that found nothing is repeated only every `everyPolls` polls.
 */
export class MatchingBuilds {
  private readonly polls = new Map<string, number>();
  private readonly memory = new Map<string, SearchMemory>();

  constructor(
    private readonly api: AzureDevOps,
    private readonly options: MatchingBuildsOptions,
  ) {}

  async find(project: string, definitionIds: number[]): Promise<Map<number, PipelineRuns>> {
    const { match, runsPerDefinition, properties } = this.options;
    const poll = (this.polls.get(project.toLowerCase()) ?? 0) + 1;
    this.polls.set(project.toLowerCase(), poll);
    const builds = await this.api.listBuilds(project, { definitionIds, maxPerDefinition: runsPerDefinition, properties, ...buildFilters(match) });
    const found = new Map<number, PipelineRuns>();
    for (const id of definitionIds) {
      const recent = builds.filter((b) => b.definition?.id === id);
      found.set(id, { recent, matching: recent.filter((b) => buildMatches(match, b)) });
    }
    if (match.mode === 'sameCommit') {
      await this.readRemembered(project, definitionIds, found);
      await Promise.all(
        definitionIds
          .filter((id) => this.needsSearch(project, id, found.get(id)!, poll))
          .map(async (id) => this.search(project, id, found.get(id)!, poll)),
      );
    }
    for (const runs of found.values()) runs.matching = orderBuilds(runs.matching, match);
    return found;
  }

  /** Runs an earlier search found deep in the history: read again by id, all pipelines of the project in one request. */
  private async readRemembered(project: string, definitionIds: number[], found: Map<number, PipelineRuns>): Promise<void> {
    const ids = definitionIds.flatMap((id) => this.memory.get(key(project, id))?.found ?? []);
    if (ids.length === 0) return;
    const builds = await this.api.listBuilds(project, { definitionIds, buildIds: ids, properties: this.options.properties });
    for (const id of definitionIds) {
      const memory = this.memory.get(key(project, id));
      if (!memory || memory.found.length === 0) continue;
      const runs = found.get(id)!;
      const again = builds.filter((b) => b.definition?.id === id && memory.found.includes(b.id!) && !runs.matching.some((m) => m.id === b.id));
      runs.matching.push(...again);
      // A run deleted since (retention) is gone for good: forget it, and search again when nothing else matches.
      memory.found = memory.found.filter((f) => builds.some((b) => b.id === f));
      if (memory.found.length === 0) this.memory.delete(key(project, id));
    }
  }

  /** Only when the newest runs were a full page without a match, and no search is remembered or its time has come. */
  private needsSearch(project: string, definitionId: number, runs: PipelineRuns, poll: number): boolean {
    if (runs.matching.length > 0 || runs.recent.length < this.options.runsPerDefinition) return false;
    const memory = this.memory.get(key(project, definitionId));
    if (!memory) return true;
    if (memory.found.length > 0) return false;
    runs.searchedBack = memory.searchedBack;
    return poll - memory.searchedAtPoll >= this.options.search.everyPolls;
  }

  private async search(project: string, definitionId: number, runs: PipelineRuns, poll: number): Promise<void> {
    const { match, properties, search } = this.options;
    const { reasonFilter } = buildFilters(match);
    let token: string | undefined;
    let read = 0;
    let matching: Build[] = [];
    for (let page = 0; page < search.pages && matching.length === 0; page++) {
      const answer = await this.api.listBuildsPage(project, definitionId, undefined, search.pageSize, token, BuildQueryOrder.QueueTimeDescending, { reasonFilter, properties });
      read += answer.builds.length;
      matching = answer.builds.filter((b) => buildMatches(match, b));
      token = answer.continuationToken;
      if (!token) break;
    }
    this.memory.set(key(project, definitionId), { found: matching.map((b) => b.id!), searchedAtPoll: poll, searchedBack: read });
    const known = new Set(runs.matching.map((b) => b.id));
    runs.matching.push(...matching.filter((b) => !known.has(b.id)));
    runs.searchedBack = matching.length === 0 ? read : undefined;
  }
}

function key(project: string, definitionId: number): string {
  return `${project.toLowerCase()}\n${definitionId}`;
}
