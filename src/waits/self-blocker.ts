import { BuildStatus, TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { AzureDevOps } from '../client/azure-devops';
import { readGateMarks } from '../gate/gate-marks';
import { RunContext } from '../run-context';
import { releaseActive } from '../runs/release-state';
import { BlockedBySelf } from './deadlock';
import { WaitTarget } from './wait-record';
import { environmentBlocks, stageBlocks } from './wait-liveness';

/**
 * Decides whether this (waiting) run blocks a target that names it. The stage (or classic environment) it waits in,
 * and a stage it has not started, cannot finish while it waits — a stage already running or finished runs beside it
 * (see stageBlocks); the whole run cannot finish; a gate it has not arrived at cannot see it arrive. Reads this run's
 * timeline and tags (or its release) once, and only when a wait elsewhere names this run.
 */
export function selfBlocker(api: AzureDevOps, context: RunContext): BlockedBySelf {
  let own: Promise<{ tags: string[]; records: TimelineRecord[]; release: Release | null; done: boolean }> | undefined;
  const load = () =>
    (own ??= (async () => {
      if (context.kind === 'release') {
        // A classic release: its environments are its stages; it is done once none is deploying or waiting to.
        const release = context.runId ? await api.getRelease(context.project, context.runId) : null;
        return { tags: release?.tags ?? [], records: [], release, done: !release || !releaseActive(release) };
      }
      const build = context.runId ? await api.getBuild(context.project, context.runId) : null;
      const timeline = context.runId ? await api.getTimeline(context.project, context.runId) : null;
      return { tags: build?.tags ?? [], records: timeline?.records ?? [], release: null, done: build?.status === BuildStatus.Completed };
    })());

  return async (target: WaitTarget) => {
    const { tags, records, release, done } = await load();
    if (done) return false;
    if (target.gate !== undefined && target.train !== undefined) {
      // Any mark of that gate and train counts as arrived (on a release, of any environment and attempt): a deadlock
      // is reported only when this run surely has not arrived.
      return readGateMarks(tags, target.gate, target.train, context.kind === 'release' ? 'release' : 'build').length === 0;
    }
    if (target.stage === undefined) return true;
    return context.kind === 'release' ? environmentBlocks(context.stage, target.stage, release) : stageBlocks(context.stage, target.stage, records);
  };
}
