import type { Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import type { RollbackRecord } from '../rollback/rollback-record';
import { artifactSource, MatchSettings } from '../runs/match-mode';
import { memberKey, MemberRef, MemberRun } from './members';
import { targetLabel } from './steps';

/**
 * Who belongs to the train the origin run is in, and how their train runs are recognised: the members its wait named
 * (kept after the wait ended), else those of the rollback plan it keeps as a leader; the match its record names
 * (else the run's own commit and branch, as sameCommit would match). The train's id is the one a gate or rollback
 * names, else what the match matches on.
 */
export function trainMembers(self: MemberRun): { refs: MemberRef[]; match: MatchSettings; train?: string } {
  const records = self.runRecords!;
  const wait = records.wait;
  const plan: RollbackRecord | undefined = [...records.plans].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
  const refs = new Map<string, MemberRef>();
  const add = (ref: Omit<MemberRef, 'key'>) => {
    const key = memberKey(ref.kind, ref.project, ref.definitionId);
    if (key !== self.ref.key && !refs.has(key)) refs.set(key, { ...ref, key });
  };
  for (const t of wait?.waitsFor ?? []) {
    add({ label: targetLabel(t), kind: t.kind, project: t.project, definitionId: t.definitionId, definitionName: t.definitionName, ...(t.stage ? { stage: t.stage } : {}), ...(t.gate && t.train ? { gate: { gate: t.gate, train: t.train } } : {}) });
  }
  for (const s of plan?.steps ?? []) add({ label: targetLabel(s), kind: s.kind, project: s.project, definitionId: s.definitionId, definitionName: s.definitionName, ...(s.stage ? { stage: s.stage } : {}) });
  // The match the task used, as it recorded it, so that the same runs are chosen.
  const match = wait?.match ?? plan?.match ?? ownCommit(self);
  const train = (wait?.task === 'SyncGate' ? wait.train : undefined) ?? records.gates[0]?.train ?? records.rollbacks[0]?.train ?? plan?.train ?? match.commit ?? match.value;
  return { refs: [...refs.values()], match, ...(train ? { train } : {}) };
}

/** Records of earlier versions name no match: the tasks' default, the run's own commit, its own branch first. */
function ownCommit(self: MemberRun): MatchSettings {
  if (self.build) return { mode: 'sameCommit', commit: self.build.sourceVersion, branch: self.build.sourceBranch };
  const artifact = primary(self.release);
  return { mode: 'sameCommit', commit: artifact?.commit, branch: artifact?.branch };
}

function primary(release: Release | undefined): { commit?: string; branch?: string } | undefined {
  const artifact = (release?.artifacts ?? []).find((a) => a.isPrimary) ?? release?.artifacts?.[0];
  return artifact ? artifactSource(artifact) : undefined;
}
