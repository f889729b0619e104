import { AzureDevOps } from '../client/azure-devops';
import { Clock } from '../ports';
import { RunContext } from '../run-context';
import { MatchSettings } from '../runs/match-mode';
import { PlanEntry } from './rollback-plan';
import { RollbackRecord, rollbackRecordName, RollbackRecordStep, rollbackState } from './rollback-record';

/**
 * Writes the leader's rollback record (rollback-record.ts) on its own run: once when it starts leading, then once
 * per step as the step's outcome is known — one request each, never more. Writes go one after another (parallel
 * steps finish together), each with everything known at its turn. Best effort: a record that cannot be written
 * costs the train view its plan, never the rollback. A classic release leading writes nothing (see RollbackRecord).
 */
export class PlanRecorder {
  private record?: RollbackRecord;
  private readonly entries = new Map<PlanEntry, RollbackRecordStep>();
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly api: AzureDevOps,
    private readonly context: RunContext,
    private readonly clock: Clock,
  ) {}

  /** The plan, as this run starts to lead: steps in the order they will be done. */
  start(train: string, ordered: PlanEntry[], order: RollbackRecord['order'], match: MatchSettings): Promise<void> {
    if (this.context.kind !== 'build' || !this.context.runId) return Promise.resolve();
    for (const p of ordered) this.entries.set(p, stepOf(p));
    const leader = { kind: 'build' as const, project: this.context.project, runId: this.context.runId, definitionName: this.context.definitionName };
    this.record = { train, leader, order, match, state: 'inProgress', updatedAt: '', steps: [...this.entries.values()] };
    return this.write();
  }

  /** One step's outcome (and the steps it leaves undone, when it stops the rollback): one write. */
  step(entry: PlanEntry, outcome: 'done' | 'failed', message: string, notAttempted: Array<{ entry: PlanEntry; message: string }> = []): Promise<void> {
    if (!this.record) return Promise.resolve();
    const at = new Date(this.clock.now()).toISOString();
    this.set(entry, { outcome, at, message });
    for (const rest of notAttempted) this.set(rest.entry, { outcome: 'failed', at, message: rest.message });
    return this.write();
  }

  private set(entry: PlanEntry, change: Partial<RollbackRecordStep>): void {
    const step = this.entries.get(entry);
    if (step) this.entries.set(entry, { ...step, ...change });
  }

  private write(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const steps = [...this.entries.values()];
      const record: RollbackRecord = { ...this.record!, steps, state: rollbackState(steps), updatedAt: new Date(this.clock.now()).toISOString() };
      await this.api.setBuildProperties(this.context.project, this.context.runId!, { [rollbackRecordName(record.train)]: JSON.stringify(record) }).catch(() => undefined);
    });
    return this.writing;
  }
}

function stepOf(p: PlanEntry): RollbackRecordStep {
  const m = p.member;
  const outcome = p.action === 'skip' ? 'skipped' : p.action === 'none' || !p.lastGood ? 'failed' : 'pending';
  return {
    label: m.label,
    kind: m.kind,
    project: m.project,
    definitionId: m.definitionId,
    definitionName: m.definitionName,
    stage: m.stage,
    action: p.action,
    describe: p.describe,
    ...(p.trainRun ? { trainRun: { id: p.trainRun.id, name: p.trainRun.name } } : {}),
    ...(p.lastGood ? { target: { id: p.lastGood.id, name: p.lastGood.name } } : {}),
    outcome,
    ...(p.reason ? { message: p.reason } : {}),
  };
}
