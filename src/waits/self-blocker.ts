import { BuildStatus, TaskResult, TimelineRecordState } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { EnvironmentStatus } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { AzureDevOps } from '../client/azure-devops';
import { readGateMarks } from '../gate/gate-marks';
import { RunContext } from '../run-context';
import { BlockedBySelf } from './deadlock';
import { WaitTarget } from './wait-record';

/**
 * Decides whether this (waiting) run blocks a target that names it. A stage (or classic environment) it has not
 * finished, or the whole run, cannot finish while it waits; a gate it has not arrived at cannot see it arrive. Reads
 * this run's timeline and tags (or its release) once, and only when a wait elsewhere names this run.
 */
export function selfBlocker(api: AzureDevOps, context: RunContext): BlockedBySelf {
  let own: Promise<{ tags: string[]; stages: Map<string, boolean>; done: boolean }> | undefined;
  const load = () =>
    (own ??= (async () => {
      if (context.kind === 'release') {
        // A classic release: its environments are its stages; it is done once none is deploying or waiting to.
        const release = context.runId ? await api.getRelease(context.project, context.runId) : null;
        const stages = new Map<string, boolean>();
        for (const e of release?.environments ?? []) {
          if (e.name) stages.set(e.name.toLowerCase(), e.status === EnvironmentStatus.Succeeded || e.status === EnvironmentStatus.PartiallySucceeded);
        }
        const active = (release?.environments ?? []).some((e) => e.status === EnvironmentStatus.InProgress || e.status === EnvironmentStatus.Queued || e.status === EnvironmentStatus.Scheduled);
        return { tags: release?.tags ?? [], stages, done: !active };
      }
      const build = context.runId ? await api.getBuild(context.project, context.runId) : null;
      const timeline = context.runId ? await api.getTimeline(context.project, context.runId) : null;
      const stages = new Map<string, boolean>();
      for (const r of (timeline?.records ?? []).filter((r) => r.type === 'Stage').sort((a, b) => (a.attempt ?? 1) - (b.attempt ?? 1))) {
        const finished = r.state === TimelineRecordState.Completed && (r.result === TaskResult.Succeeded || r.result === TaskResult.SucceededWithIssues);
        for (const name of [r.identifier, r.name]) if (name) stages.set(name.toLowerCase(), finished);
      }
      return { tags: build?.tags ?? [], stages, done: build?.status === BuildStatus.Completed };
    })());

  return async (target: WaitTarget) => {
    const { tags, stages, done } = await load();
    if (done) return false;
    if (target.gate !== undefined && target.train !== undefined) {
      // Any mark of that gate and train counts as arrived (on a release, of any environment and attempt): a deadlock
      // is reported only when this run surely has not arrived.
      return readGateMarks(tags, target.gate, target.train, context.kind === 'release' ? 'release' : 'build').length === 0;
    }
    if (target.stage !== undefined) return stages.get(target.stage.toLowerCase()) !== true;
    return true;
  };
}
