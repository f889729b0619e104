/**
 * A build timeline as the service answers it: records NOT in tree order, explicit nulls, stage
 * records with parentId null, `identifier` (the YAML name) and `refName`. Each stage has a
 * Checkpoint, a Phase and a Job record under it, so readers must pick records by type.
 */
import { guidFor } from '../ids';
import { jobRecordId } from '../world/build-lifecycle';
import type { BuildState, StageState } from '../world/model';
import type { EmulatorState } from '../world/world';
import type { Urls } from './urls';

type WireRecord = Record<string, unknown>;

// The service leaves lastModified at its default on these records.
const UNSET_DATE = '0001-01-01T00:00:00';

export function renderTimeline(
  world: EmulatorState, urls: Urls, b: BuildState, timelineId: string, stages: StageState[], changeId?: number,
): Record<string, unknown> {
  const records = stages.flatMap((s) => stageRecords(world, urls, b, s));
  // Jobs first, then stages, checkpoints and phases: the order the service uses is not the tree's.
  const byType = (type: string) => records.filter((r) => r.type === type);
  const ordered = [
    ...byType('Job').reverse(), ...byType('Stage'), ...byType('Checkpoint'), ...byType('Checkpoint.Approval'), ...byType('Phase'),
  ]
    .filter((r) => changeId === undefined || (r.changeId as number) > changeId);
  return {
    records: ordered,
    lastChangedBy: guidFor(`identity/${world.identity}`),
    lastChangedOn: world.clock.iso(b.lastChangedDate),
    id: timelineId,
    changeId: b.changeId,
    url: urls.api(b.projectId, `build/builds/${b.id}/Timeline/${timelineId}`),
  };
}

function stageRecords(world: EmulatorState, urls: Urls, b: BuildState, s: StageState): WireRecord[] {
  const iso = (t: number | undefined) => (t === undefined ? null : world.clock.iso(t));
  const key = `${s.recordId}`;
  const phaseId = guidFor(`${key}/phase`);
  const jobId = jobRecordId(s.recordId);
  const started = s.state !== 'pending';
  const common = {
    startTime: iso(s.startTime),
    finishTime: iso(s.finishTime),
    currentOperation: null,
    percentComplete: null,
    state: s.state,
    result: s.result ?? null,
    resultCode: null,
    changeId: s.changeId,
    lastModified: UNSET_DATE,
  };
  const stage: WireRecord = {
    previousAttempts: s.previousAttempts.map((a) => ({ ...a })),
    id: s.recordId,
    parentId: null,
    type: 'Stage',
    name: s.name,
    refName: s.identifier,
    ...common,
    workerName: null,
    order: s.order,
    details: null,
    errorCount: s.result === 'failed' ? 1 : 0,
    warningCount: 0,
    url: null,
    log: null,
    task: null,
    attempt: s.attempt,
    identifier: s.identifier,
  };
  const checkpoint: WireRecord = {
    ...stage,
    previousAttempts: [],
    id: guidFor(`${key}/checkpoint`),
    parentId: s.recordId,
    type: 'Checkpoint',
    name: 'Checkpoint',
    refName: 'Checkpoint',
    startTime: iso(s.startTime),
    finishTime: iso(s.startTime),
    state: started ? 'completed' : 'pending',
    result: started ? 'succeeded' : null,
    order: null,
    errorCount: 0,
    attempt: 1,
    identifier: 'Checkpoint',
  };
  const approval = s.approval;
  const approvalRecords: WireRecord[] = [];
  if (approval) {
    // The checkpoint runs while its approval waits and ends with it.
    Object.assign(checkpoint, {
      startTime: iso(approval.startTime),
      finishTime: iso(approval.finishTime),
      state: approval.state,
      result: approval.result ?? null,
    });
    approvalRecords.push({
      ...checkpoint,
      id: approval.id,
      parentId: checkpoint.id,
      type: 'Checkpoint.Approval',
      name: 'Checkpoint.Approval',
      refName: null,
      identifier: null,
      errorCount: approval.result === 'failed' ? 1 : 0,
    });
  }
  const phase: WireRecord = {
    ...stage,
    previousAttempts: [],
    id: phaseId,
    parentId: s.recordId,
    type: 'Phase',
    name: 'Job',
    refName: 'Job',
    order: 1,
    identifier: `${s.identifier}.Job`,
  };
  const job: WireRecord = {
    ...stage,
    previousAttempts: [],
    id: jobId,
    parentId: phaseId,
    type: 'Job',
    name: 'Job',
    refName: '__default',
    workerName: started ? 'Azure Pipelines 1' : null,
    queueId: 72,
    order: 1,
    log: started ? { id: 10, type: 'Container', url: urls.api(b.projectId, `build/builds/${b.id}/logs/10`) } : null,
    identifier: `${s.identifier}.Job.__default`,
  };
  return [stage, checkpoint, ...approvalRecords, phase, job];
}
