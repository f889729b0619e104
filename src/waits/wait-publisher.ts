import { AzureDevOps } from '../client/azure-devops';
import { describeError } from '../errors';
import { Log } from '../ports';
import { RunContext } from '../run-context';
import { waitPropertyName, WaitOutcome, WaitRecord } from './wait-record';
import { endedWaitTag, isWaitTag, waitRecordTags } from './wait-tags';

/**
 * Publishes what this run waits for on its own run — a build property on a YAML run, tags on a classic release
 * (which keeps no properties; see wait-tags.ts) — and, when the wait is over, rewrites it with how it ended: the
 * record stays, so the train view can show what the run waited on after the fact, and deadlock detection, which
 * ignores ended waits, no longer counts it. Best effort: a job identity without the permission to write it loses
 * deadlock detection, not its wait, and is told so once.
 */
export class WaitPublisher {
  private published?: WaitRecord;
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
      this.published = record;
    } catch (error) {
      this.log.warn(`Deadlock detection is off for this run: ${describeError(error)}`);
    }
  }

  /**
   * Ends the wait on a deadlock it found, marked with the cycle: such a record still counts, for the rest of the
   * cycle to find (see WaitRecord.deadlock).
   */
  async markDeadlock(record: WaitRecord, deadlock: Pick<WaitRecord, 'deadlock' | 'cycle'>, at: string): Promise<void> {
    if (!this.published) return;
    this.published = undefined;
    await this.write(this.api, { ...record, ...deadlock, ended: { at, outcome: 'deadlock' } }).catch(() => undefined);
  }

  /** The wait is over: the record is rewritten with how it ended (the request that removed it in earlier versions). */
  async end(outcome: WaitOutcome, at: string, api: AzureDevOps = this.api): Promise<void> {
    const record = this.published;
    if (!record) return;
    this.published = undefined;
    const ended: WaitRecord = { ...record, ended: { at, outcome } };
    if (this.context.kind === 'build') {
      await this.write(api, ended).catch(() => undefined);
      return;
    }
    // A release: one tag saying the wait ended joins the record's tags, where rewriting the record would remove every
    // tag of it (a request each) and add the new ones (see endedWaitTag).
    await api.addReleaseTags(this.context.project, this.context.runId!, [endedWaitTag(ended)]).catch(() => undefined);
  }

  /** Writes the record on this run. */
  private async write(api: AzureDevOps, record: WaitRecord): Promise<void> {
    const { project, runId } = this.context;
    if (this.context.kind === 'build') {
      await api.setBuildProperties(project, runId!, { [waitPropertyName]: JSON.stringify(record) });
      return;
    }
    // A release: this run's earlier record (and a killed waiter's, and an ended one's) goes first, then the new one.
    const next = waitRecordTags({ ...record, kind: 'release' });
    const current = this.tags.length > 0 ? this.tags : ((await api.getRelease(project, runId!))?.tags ?? []).filter(isWaitTag);
    for (const tag of current.filter((t) => !next.includes(t))) await api.deleteReleaseTag(project, runId!, tag);
    if (next.length > 0) await api.addReleaseTags(project, runId!, next);
    this.tags = next;
  }
}
