/**
 * Retention leases and the retention job that honours them. A lease is valid until its validUntil;
 * retention deletes a completed run only when no valid lease holds it and it is not among the
 * behaviour.retentionKeepNewest newest completed runs of its pipeline.
 */
import { guidFor } from '../ids';
import type { LeaseInput } from '../scenario';
import { deleteBuild } from './build-lifecycle';
import type { BuildState, LeaseState } from './model';
import type { EmulatorState } from './world';

const DAY_MS = 86_400_000;
/** What the web UI shows as "retain forever" (NewRetentionLease.daysValid: more than 100 years). */
export const FOREVER_DAYS = 36_500;

export interface NewLease {
  runId: number;
  definitionId: number;
  ownerId: string;
  daysValid: number;
  protectPipeline: boolean;
}

export function addLease(world: EmulatorState, build: BuildState, lease: NewLease, at: number): LeaseState {
  const state: LeaseState = {
    leaseId: world.nextId('lease'),
    projectId: build.projectId,
    ownerId: lease.ownerId,
    runId: build.id,
    definitionId: build.definitionId,
    createdOn: at,
    validUntil: at + lease.daysValid * DAY_MS,
    protectPipeline: lease.protectPipeline,
  };
  world.leasesById.set(state.leaseId, state);
  return state;
}

/** A scenario's lease: defaults filled in, the run checked. */
export function leaseFromScenario(world: EmulatorState, projectId: string, input: LeaseInput): LeaseState {
  const build = world.buildsById.get(input.runId);
  if (!build || build.projectId !== projectId) throw new Error(`Scenario: lease on run ${input.runId}: no such run in its project.`);
  return addLease(world, build, {
    runId: build.id,
    definitionId: build.definitionId,
    ownerId: input.ownerId ?? defaultOwner(world),
    daysValid: input.daysValid ?? FOREVER_DAYS,
    protectPipeline: input.protectPipeline ?? false,
  }, input.createdOn ?? build.finishTime ?? 0);
}

/** The owner the service's docs put on a lease a pipeline adds for its requester: "User:{id}". */
export function defaultOwner(world: EmulatorState): string {
  return `User:${guidFor(`identity/${world.identity}`)}`;
}

export function isValid(lease: LeaseState, at: number): boolean {
  return lease.validUntil >= at;
}

/** A run retention deletes leaves with its leases. */
export function dropLeasesOf(world: EmulatorState, runId: number): void {
  for (const lease of [...world.leasesById.values()]) if (lease.runId === runId) world.leasesById.delete(lease.leaseId);
}

/** The retention job: returns the ids of the runs it deleted. */
export function applyRetention(world: EmulatorState, at: number): number[] {
  const keep = world.behaviour.retentionKeepNewest;
  const leased = new Set([...world.leasesById.values()].filter((l) => isValid(l, at)).map((l) => l.runId));
  const byDefinition = new Map<string, BuildState[]>();
  for (const b of world.buildsById.values()) {
    if (b.status !== 'completed') continue;
    const key = `${b.projectId}/${b.definitionId}`;
    byDefinition.set(key, [...(byDefinition.get(key) ?? []), b]);
  }
  const deleted: number[] = [];
  for (const runs of byDefinition.values()) {
    runs.sort((a, b) => (b.finishTime ?? 0) - (a.finishTime ?? 0) || b.id - a.id);
    for (const run of runs.slice(keep)) {
      if (leased.has(run.id)) continue;
      deleteBuild(world, run);
      dropLeasesOf(world, run.id);
      deleted.push(run.id);
    }
  }
  return deleted.sort((a, b) => a - b);
}
