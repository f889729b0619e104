import { AzureDevOps } from '../client/azure-devops';
import { describeError } from '../errors';
import { Log } from '../ports';
import { RunContext } from '../run-context';
import { waitPropertyName, WaitRecord } from './wait-record';

/**
 * Publishes what this run waits for on its own run (YAML runs only: classic releases have no properties to write),
 * and removes it when the wait ends. Best effort: a job identity without "Update build information" loses deadlock
 * detection, not its wait, and is told so once.
 */
export class WaitPublisher {
  private published = false;

  constructor(
    private readonly api: AzureDevOps,
    private readonly context: RunContext,
    private readonly log: Log,
  ) {}

  async publish(record: WaitRecord): Promise<void> {
    if (this.context.kind !== 'build' || !this.context.runId) return;
    try {
      await this.api.setBuildProperties(this.context.project, this.context.runId, { [waitPropertyName]: JSON.stringify(record) });
      this.published = true;
    } catch (error) {
      this.log.warn(`Deadlock detection is off for this run: ${describeError(error)}`);
    }
  }

  /** Leaves the record in place, marked, for the rest of the cycle to find (see WaitRecord.deadlock). */
  async markDeadlock(record: WaitRecord, cycle: string): Promise<void> {
    if (!this.published) return;
    this.published = false;
    await this.api.setBuildProperties(this.context.project, this.context.runId!, { [waitPropertyName]: JSON.stringify({ ...record, deadlock: cycle }) }).catch(() => undefined);
  }

  async clear(api: AzureDevOps = this.api): Promise<void> {
    if (!this.published) return;
    this.published = false;
    await api.setBuildProperties(this.context.project, this.context.runId!, { [waitPropertyName]: null }).catch(() => undefined);
  }
}
