import { Build, TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { AzureDevOps } from '../client/azure-devops';

/**
 * Finished runs' timelines, each read once and kept while its run stays finished as it was. A finished run comes
 * back — a stage retried, or a manual stage started, after it completed puts it in progress again, and it finishes
 * anew with a new finish time — so a timeline is kept only for the finish time it was read at.
 */
export class FinishedTimelines {
  private readonly kept = new Map<number, { finished: string; records: TimelineRecord[] }>();

  constructor(private readonly api: AzureDevOps) {}

  /** The timeline of a finished run: read at the first call, and again once the run has finished anew. */
  async read(project: string, build: Build): Promise<TimelineRecord[]> {
    const finished = build.finishTime ? String(new Date(build.finishTime).getTime()) : '';
    const cached = this.kept.get(build.id!);
    if (cached && cached.finished === finished) return cached.records;
    const records = (await this.api.getTimeline(project, build.id!))?.records ?? [];
    this.kept.set(build.id!, { finished, records });
    return records;
  }

  /** The run is running again: what was kept of it no longer holds. */
  forget(buildId: number): void {
    this.kept.delete(buildId);
  }
}
