import { DefinitionCatalog } from '../refs/resolve-refs';
import { ResolvedRef } from '../refs/resolved-ref';
import { RunContext } from '../run-context';
import { NeededOn, PermissionNeed } from './permission-need';

/**
 * What each task is about to do on each pipeline, as permissions — policy as data, read by the preflight and by the
 * docs' permissions table (docs/permissions.md keeps the same list).
 */

/** A resolved reference as a pipeline a permission is needed on (its environment too, when it names one). */
export function neededOn(ref: ResolvedRef, withEnvironment = false): NeededOn {
  return {
    kind: ref.kind,
    project: ref.project,
    projectId: ref.projectId ?? '',
    definitionId: ref.definitionId,
    definitionName: ref.definitionName,
    path: ref.path,
    ...(withEnvironment && ref.kind === 'release' && ref.environmentId !== undefined ? { environmentId: ref.environmentId, environmentName: ref.stage } : {}),
  };
}

/** The pipeline this task runs in; undefined when the agent did not say which (then nothing is checked on it). */
export async function ownPipeline(context: RunContext, catalog: DefinitionCatalog): Promise<NeededOn | undefined> {
  if (context.definitionId === undefined || !context.runId) return undefined;
  const kind = context.kind === 'release' ? 'release' : 'yaml';
  const definition = await catalog.byId(kind, context.project, context.definitionId).catch(() => undefined);
  return {
    kind,
    project: context.project,
    projectId: definition?.projectId ?? context.projectId ?? '',
    definitionId: context.definitionId,
    definitionName: definition?.name ?? context.definitionName ?? String(context.definitionId),
    path: definition?.path ?? '\\',
  };
}

function read(ref: ResolvedRef, purpose: string): PermissionNeed {
  return { permission: ref.kind === 'release' ? 'View releases' : 'View builds', on: neededOn(ref), purpose, onMissing: 'fail' };
}

/** WaitForDependency: read every dependency; publish its wait on its own run (without it: no deadlock detection). */
export function waitNeeds(dependencies: ResolvedRef[], own: NeededOn | undefined): PermissionNeed[] {
  const needs = dependencies.map((d) => read(d, 'read its runs'));
  if (own) {
    needs.push({
      // A YAML run publishes its wait as a build property; a classic release, which keeps none, as tags.
      permission: own.kind === 'yaml' ? 'Update build information' : 'Manage releases',
      on: own,
      purpose: 'publish what this run waits for',
      onMissing: 'warn',
      without: 'deadlock detection is off for this run (it cannot publish what it waits for)',
    });
  }
  return needs;
}

/** SyncGate: mark its arrival on its own run (or release); read every other participant. */
export function gateNeeds(participants: ResolvedRef[], own: NeededOn | undefined): PermissionNeed[] {
  const needs = participants.map((p) => read(p, 'read its train run'));
  if (own) {
    needs.push(
      ...(own.kind === 'yaml'
        ? ([
            { permission: 'Edit build quality', on: own, purpose: 'tag its own run with its arrival at the gate', onMissing: 'fail' },
            { permission: 'Update build information', on: own, purpose: 'record its arrival (stage attempt and job) on its own run', onMissing: 'fail' },
          ] as PermissionNeed[])
        : ([{ permission: 'Manage releases', on: own, purpose: 'tag its own release with its arrival at the gate', onMissing: 'fail' }] as PermissionNeed[])),
    );
  }
  return needs;
}

/**
 * CoordinatedRollback: whatever the rollback would do to every member, not only to those the plan touches today —
 * any member's run may end up leading it, and the readiness check runs before the train has deployed anything.
 */
export function rollbackNeeds(members: ResolvedRef[], own: NeededOn | undefined, options: { strategy: 'redeployLastGood' | 'queueRun'; cancelInFlight: boolean }): PermissionNeed[] {
  const needs: PermissionNeed[] = [];
  if (own) {
    needs.push(
      own.kind === 'yaml'
        ? { permission: 'Edit build quality', on: own, purpose: 'claim the rollback on its own run (a tag)', onMissing: 'fail' }
        : { permission: 'Manage releases', on: own, purpose: 'claim the rollback on its own release (a tag)', onMissing: 'fail' },
    );
  }
  for (const m of members) {
    needs.push(read(m, m.kind === 'release' ? 'find its train release and its last good release' : 'find its train run and its last good run'));
    if (m.kind === 'release') {
      needs.push({ permission: 'Manage releases', on: neededOn(m), purpose: 'record the rollback on its last good release (a tag)', onMissing: 'fail' });
      needs.push({ permission: 'Manage deployments', on: neededOn(m, true), purpose: `redeploy ${m.stage} of its last good release`, onMissing: 'fail' });
      if (options.cancelInFlight) needs.push({ permission: 'Manage deployments', on: neededOn(m, true), purpose: 'cancel its train release while it deploys', onMissing: 'fail' });
      continue;
    }
    needs.push({ permission: 'Edit build quality', on: neededOn(m), purpose: 'mark its last good run as rolled back (a tag)', onMissing: 'fail' });
    needs.push({ permission: 'Update build information', on: neededOn(m), purpose: 'record the rollback on its last good run (the ledger property)', onMissing: 'fail' });
    needs.push({
      permission: 'Queue builds',
      on: neededOn(m),
      purpose: options.strategy === 'queueRun' ? 'queue a run at its last good commit' : `retry stage ${m.stage} of its last good run`,
      onMissing: 'fail',
    });
    if (options.cancelInFlight) needs.push({ permission: 'Stop builds', on: neededOn(m), purpose: 'cancel its train run while it is in progress', onMissing: 'fail' });
  }
  return needs;
}
