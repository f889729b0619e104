/**
 * How release environments move. A status change keeps a deployment attempt (deploySteps) and a log
 * entry with the comment that caused it; a deploy request runs for behaviour.redeployMs.
 */
import type { EnvironmentStatus } from '../scenario';
import type { DeploymentStatus, EnvironmentState, ReleaseState } from './model';
import type { EmulatorState } from './world';

const generations = new WeakMap<EnvironmentState, number>();

function newGeneration(env: EnvironmentState): number {
  const next = (generations.get(env) ?? 0) + 1;
  generations.set(env, next);
  return next;
}

const ACTIVE: EnvironmentStatus[] = ['queued', 'inProgress', 'scheduled'];

export function isActive(status: EnvironmentStatus): boolean {
  return ACTIVE.includes(status);
}

function deploymentStatusOf(status: EnvironmentStatus): DeploymentStatus {
  switch (status) {
    case 'succeeded': return 'succeeded';
    case 'partiallySucceeded': return 'partiallySucceeded';
    case 'queued': case 'scheduled': return 'notDeployed';
    case 'inProgress': return 'inProgress';
    default: return 'failed';
  }
}

function operationStatusOf(status: EnvironmentStatus): string {
  switch (status) {
    case 'queued': return 'queued';
    case 'scheduled': return 'scheduled';
    case 'inProgress': return 'phaseInProgress';
    case 'succeeded': return 'phaseSucceeded';
    case 'partiallySucceeded': return 'phasePartiallySucceeded';
    case 'canceled': return 'canceled';
    case 'rejected': return 'rejected';
    default: return 'phaseFailed';
  }
}

/** Sets an environment's status; starting a deployment adds an attempt, finishing one closes it. */
export function setEnvironmentStatus(
  world: EmulatorState, release: ReleaseState, env: EnvironmentState, status: EnvironmentStatus, at: number,
  comment?: string, reason?: 'manual' | 'automated' | 'redeployTrigger',
): void {
  const last = env.deploySteps[env.deploySteps.length - 1];
  const lastOpen = last && (last.status === 'inProgress' || last.status === 'notDeployed');
  if (isActive(status) && !lastOpen) {
    const attempt = env.deploySteps.length + 1;
    env.deploySteps.push({
      id: world.nextId('deployment'),
      deploymentId: world.nextId('deployment'),
      attempt,
      reason: reason ?? (attempt > 1 ? 'redeployTrigger' : 'automated'),
      status: deploymentStatusOf(status),
      operationStatus: operationStatusOf(status),
      queuedOn: at,
      lastModifiedOn: at,
      requestedFor: world.identity,
      comment,
    });
  } else if (last && status !== 'notStarted') {
    last.status = deploymentStatusOf(status);
    last.operationStatus = operationStatusOf(status);
    last.lastModifiedOn = at;
  }
  env.status = status;
  env.modifiedOn = at;
  env.log.push({ at, status, comment });
  release.modifiedOn = at;
}

/** A deploy (or redeploy) request: queued now, in progress at once, done after behaviour.redeployMs. */
export function deployEnvironment(
  world: EmulatorState, release: ReleaseState, env: EnvironmentState, comment: string | undefined, at: number,
): void {
  const generation = newGeneration(env);
  const reason = env.deploySteps.length > 0 ? 'redeployTrigger' : 'manual';
  setEnvironmentStatus(world, release, env, 'queued', at, comment, reason);
  world.at(at, (started) => {
    if (generations.get(env) !== generation) return;
    setEnvironmentStatus(world, release, env, 'inProgress', started);
  });
  world.at(at + world.behaviour.redeployMs, (done) => {
    if (generations.get(env) !== generation) return;
    setEnvironmentStatus(world, release, env, world.behaviour.redeployResult, done);
  });
}

/** Cancels a deployment in progress. */
export function cancelEnvironment(
  world: EmulatorState, release: ReleaseState, env: EnvironmentState, comment: string | undefined, at: number,
): void {
  newGeneration(env);
  setEnvironmentStatus(world, release, env, 'canceled', at, comment);
}
