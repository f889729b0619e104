import type { Build, TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import type { Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';

/**
 * What readTrain asks of the service: the few reads a train view needs, nothing that writes. Answers are in the 7.1
 * wire format (enum values as camelCase words, dates as ISO text); the shared mark readers take either form. A
 * request the service refuses throws a SourceError (source-error.ts): ForbiddenError for 403, NotFoundError for 404.
 */
export interface SnapshotSource {
  /** The collection (`https://dev.azure.com/org`) and release (`https://vsrm.dev.azure.com/org`) hosts, for links. */
  readonly collectionUrl: string;
  readonly releaseUrl: string;
  /** Requests sent so far (a retried request counts each time it is sent). */
  readonly requests: number;
  getBuild(project: string, buildId: number): Promise<Build>;
  /** Every property of a run, as the wire has them: `{Name: {$type, $value}}`. */
  getBuildProperties(project: string, buildId: number): Promise<Record<string, unknown>>;
  getTimeline(project: string, buildId: number): Promise<TimelineRecord[]>;
  /** The runs of several pipelines of one project in one list (the list's own paging followed, bounded). */
  listBuilds(project: string, query: BuildListQuery): Promise<Build[]>;
  /** With environments (and their deploy steps), artifacts and tags. */
  getRelease(project: string, releaseId: number): Promise<Release>;
  /** The newest releases of one classic pipeline, newest first, with environments, artifacts and tags. */
  listReleases(project: string, query: ReleaseListQuery): Promise<Release[]>;
}

export interface BuildListQuery {
  /** The pipelines whose runs to list; absent: every pipeline of the project (the hub's list of trains). */
  definitions?: number[];
  /** The newest runs in all (the service's `$top`). */
  top?: number;
  /** Build properties to return with each run. */
  properties?: string[];
  /** Newest runs kept per pipeline. */
  maxPerDefinition?: number;
  /** The server-side filters of match-mode.ts buildFilters. */
  branchName?: string;
  tags?: string[];
  buildNumber?: string;
  buildIds?: number[];
  /** BuildReason flags, OR-ed. */
  reasonFilter?: number;
}

export interface ReleaseListQuery {
  /** The classic pipeline whose releases to list; absent: every classic pipeline of the project. */
  definitionId?: number;
  top: number;
  /** Only releases carrying all these tags. */
  tags?: string[];
  /** Leave out drafts and abandoned releases (statusFilter=active). */
  activeOnly?: boolean;
}
