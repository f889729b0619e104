import { gatePropertyName } from '../gate/gate-record';
import { defaultPollPolicy } from '../polling/poll-policy';
import { rollbackRecordName } from '../rollback/rollback-record';
import { matchedBuild } from '../runs/build-state';
import { matchedRelease } from '../runs/release-state';
import { waitPropertyName } from '../waits/wait-record';
import { deadlocksOf } from './deadlocks';
import { gatesOf } from './gates';
import { memberFinder, MemberRun, readMembers, runOf } from './members';
import { Origin, readOrigin } from './origin';
import { rollbackOf } from './rollback';
import { hasRecords } from './run-records';
import type { SnapshotSource } from './snapshot-source';
import { buildStages, buildState, iso, releaseFinished, releaseStages, releaseState } from './stages';
import { stepOf } from './steps';
import { trainMembers } from './train-members';
import type { MemberSnapshot, RunRef, TrainSnapshot } from './train-snapshot';

export interface ReadTrainOptions {
  /** Newest runs read per pipeline (one list per project): the tasks' default. */
  runsPerDefinition?: number;
  /** A member's matching runs looked at while the newer ones did not run its awaited stage: the tasks' default. */
  runsLookedAt?: number;
  now?: () => number;
}

/**
 * One read of the train a run belongs to, as the live train view shows it. From the origin run — a YAML run's tags,
 * all its properties and its timeline; a classic release's tags and environments — it finds what Lockstep recorded
 * there (the wait and whom it waits on, gates, a rollback), then reads the members' train runs as the tasks choose
 * them: one builds list per project, one timeline per member run, one releases list per classic member. A 25-member
 * train in one project costs 3 + 1 + 24 requests. Whatever cannot be read becomes a line in its place.
 */
export async function readTrain(source: SnapshotSource, origin: Origin, options: ReadTrainOptions = {}): Promise<TrainSnapshot> {
  const before = source.requests;
  const readAt = new Date(options.now?.() ?? Date.now()).toISOString();
  const found = await readOrigin(source, origin);
  const finish = (part: Omit<TrainSnapshot, 'readAt' | 'requests' | 'origin'> & { origin?: RunRef }): TrainSnapshot => ({
    origin: part.origin ?? { kind: origin.kind, project: origin.project, id: origin.id, name: `#${origin.id}`, definitionId: -1, definitionName: '', webUrl: '' },
    ...part,
    readAt,
    requests: source.requests - before,
  });
  if ('notice' in found) return finish({ members: [], gates: [], deadlocks: [], settled: true, notices: [found.notice] });
  const self = found.run;
  const selfRef = runRef(source, self)!;
  if (!hasRecords(self.runRecords!)) {
    const notice = `${selfRef.kind === 'release' ? 'Release' : 'Run'} ${selfRef.name} of ${selfRef.definitionName} has recorded no Lockstep wait, gate or rollback yet`;
    return finish({ origin: selfRef, members: [memberSnapshot(source, self)], gates: [], deadlocks: [], settled: runOf(self)?.finished === true, notices: [notice] });
  }

  const { refs, match, train } = trainMembers(self);
  const wait = self.runRecords!.wait;
  const atGates = [...self.runRecords!.gates, ...(wait?.gate !== undefined && wait.train !== undefined ? [{ gate: wait.gate, train: wait.train }] : [])];
  const gates = [...new Set(atGates.map((g) => gatePropertyName(g.gate, g.train)))];
  const trains = [...new Set([train, ...self.runRecords!.rollbacks.map((r) => r.train), match.commit ?? match.value].filter((t): t is string => t !== undefined))];
  const others = await readMembers(source, refs, {
    match,
    properties: [waitPropertyName, ...gates, ...trains.map(rollbackRecordName)],
    runsPerDefinition: options.runsPerDefinition ?? defaultPollPolicy.runsPerDefinition,
    runsLookedAt: options.runsLookedAt ?? defaultPollPolicy.runsLookedAt,
  });
  const runs = [self, ...others];
  const find = memberFinder(runs);
  const { rollback, notice } = rollbackOf(runs, find);
  const members = runs.map((r) => ({ ...memberSnapshot(source, r), ...stepPart(r, find, rollback) }));
  return finish({
    origin: selfRef,
    ...(train ? { train } : {}),
    members,
    gates: gatesOf(self, others, find),
    deadlocks: await deadlocksOf(runs, find),
    ...(rollback ? { rollback } : {}),
    // Settled when every member's run has finished; one that cannot be read does not hold the view refreshing.
    settled: runs.every((r) => r.unreadable !== undefined || runOf(r)?.finished === true),
    notices: notice ? [notice] : [],
  });
}

function stepPart(run: MemberRun, find: ReturnType<typeof memberFinder>, rollback: Parameters<typeof stepOf>[2]): Pick<MemberSnapshot, 'step'> {
  const step = stepOf(run, find, rollback);
  return step ? { step } : {};
}

function memberSnapshot(source: SnapshotSource, run: MemberRun): MemberSnapshot {
  const { ref } = run;
  const base: MemberSnapshot = { label: ref.label, kind: ref.kind, project: ref.project, definitionId: ref.definitionId, definitionName: ref.definitionName, stages: [] };
  if (run.unreadable) return { ...base, unreadable: run.unreadable };
  const r = runRef(source, run);
  if (!r) return { ...base, ...(run.noRun ? { noRun: run.noRun } : {}) };
  if (run.build) {
    const b = run.build;
    return { ...base, run: { ...r, state: buildState(b), queuedAt: iso(b.queueTime), startedAt: iso(b.startTime), finishedAt: iso(b.finishTime) }, stages: buildStages(b, run.records ?? []) };
  }
  const rel = run.release!;
  const stages = releaseStages(rel);
  const finished = releaseFinished(rel);
  return { ...base, run: { ...r, state: releaseState(rel), queuedAt: iso(rel.createdOn), startedAt: stages.map((s) => s.startedAt).filter(Boolean).sort()[0], ...(finished ? { finishedAt: iso(rel.modifiedOn) } : {}) }, stages };
}

/** A member's run as the view links it. */
function runRef(source: SnapshotSource, run: MemberRun): RunRef | undefined {
  const { ref } = run;
  if (run.build) {
    const m = matchedBuild(run.build, source.collectionUrl, ref.project);
    return { kind: 'build', project: ref.project, id: m.id, name: m.name, definitionId: ref.definitionId, definitionName: ref.definitionName, webUrl: m.webUrl };
  }
  if (run.release) {
    const m = matchedRelease(run.release, source.releaseUrl, ref.project);
    return { kind: 'release', project: ref.project, id: m.id, name: m.name, definitionId: ref.definitionId, definitionName: ref.definitionName, webUrl: m.webUrl };
  }
  return undefined;
}
