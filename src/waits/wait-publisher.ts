import { AzureDevOps } from '../client/azure-devops';
import { describeError } from '../errors';
import { Log } from '../ports';
import { RunContext } from '../run-context';
import { waitPropertyName, WaitRecord } from './wait-record';
import { isWaitTag, waitRecordTags } from './wait-tags';

/**
 * Publishes what this run waits for on its own run — a build property on a YAML run, tags on a classic release
 * (which keeps no properties; see wait-tags.ts) — and removes it when the wait ends. Best effort: a job identity
 * without the permission to write it loses deadlock detection, not its wait, and is told so once.
 */
export class WaitPublisher {
  private published = false;
  /** The tags this run's release carries for its record, when it is a classic release. */
  private tags: string[] = [];

  constructor(
    private readonly api: AzureDevOps,
    private readonly context: RunContext,
    private readonly log: Log,
  ) {}

  async publish(record: WaitRecord): Promise<void> {
    if (!this.context.runId) return;
    try {
      await this.write(this.api, record);
      this.published = true;
    } catch (error) {
      this.log.warn(`Deadlock detection is off for this run: ${describeError(error)}`);
    }
  }

  /** Leaves the record in place, marked, for the rest of the cycle to find (see WaitRecord.deadlock). */
  async markDeadlock(record: WaitRecord, cycle: string): Promise<void> {
    if (!this.published) return;
    this.published = false;
    await this.write(this.api, { ...record, deadlock: cycle }).catch(() => undefined);
  }

  async clear(api: AzureDevOps = this.api): Promise<void> {
    if (!this.published) return;
    this.published = false;
    await this.write(api, null).catch(() => undefined);
  }

  /** Writes (or, with null, removes) the record on this run. */
  private async write(api: AzureDevOps, record: WaitRecord | null): Promise<void> {
    const { project, runId } = this.context;
    if (this.context.kind === 'build') {
      await api.setBuildProperties(project, runId!, { [waitPropertyName]: record === null ? null : JSON.stringify(record) });
      return;
    }
    // A release: this run's earlier record (and a killed waiter's) goes first, then the new one.
    const next = record === null ? [] : waitRecordTags({ ...record, kind: 'release' });
    const current = this.tags.length > 0 ? this.tags : ((await api.getRelease(project, runId!))?.tags ?? []).filter(isWaitTag);
    for (const tag of current.filter((t) => !next.includes(t))) await api.deleteReleaseTag(project, runId!, tag);
    if (next.length > 0) await api.addReleaseTags(project, runId!, next);
    this.tags = next;
  }
}
