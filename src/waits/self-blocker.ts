import type { TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import type { Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import type { AzureDevOps } from '../client/azure-devops';
import { readGateMarks } from '../gate/gate-marks';
import type { RunContext } from '../run-context';
import { enumName } from '../runs/build-state';
import { releaseActive } from '../runs/release-state';
import { BuildStatus } from '../runs/wire-enums';
import type { BlockedBySelf } from './deadlock';
import type { WaitTarget } from './wait-record';
import { environmentBlocks, stageBlocks } from './wait-liveness';

/** What a waiting run is, as read once: its tags, its timeline (YAML) or release (classic), and whether it is done. */
export interface OwnRun {
  kind: 'build' | 'release';
  /** The stage (or environment) the wait runs in. */
  stage?: string;
  tags: string[];
  records: TimelineRecord[];
  release: Release | null;
  done: boolean;
}

/**
 * Decides whether this (waiting) run blocks a target that names it. The stage (or classic environment) it waits in,
 * and a stage it has not started, cannot finish while it waits — a stage already running or finished runs beside it
 * (see stageBlocks); the whole run cannot finish; a gate it has not arrived at cannot see it arrive. Reads this run's
 * timeline and tags (or its release) once, and only when a wait elsewhere names this run.
 */
export function selfBlocker(api: AzureDevOps, context: RunContext): BlockedBySelf {
  let own: Promise<OwnRun> | undefined;
  const load = () =>
    (own ??= (async (): Promise<OwnRun> => {
      if (context.kind === 'release') {
        // A classic release: its environments are its stages; it is done once none is deploying or waiting to.
        const release = context.runId ? await api.getRelease(context.project, context.runId) : null;
        return { kind: 'release', stage: context.stage, tags: release?.tags ?? [], records: [], release, done: !release || !releaseActive(release) };
      }
      const build = context.runId ? await api.getBuild(context.project, context.runId) : null;
      const timeline = context.runId ? await api.getTimeline(context.project, context.runId) : null;
      return { kind: 'build', stage: context.stage, tags: build?.tags ?? [], records: timeline?.records ?? [], release: null, done: enumName(BuildStatus, build?.status) === 'completed' };
    })());

  return async (target: WaitTarget) => blocks(await load(), target);
}

/** Whether a waiting run, as read, blocks a target that names it (see selfBlocker). */
export function blocks(own: OwnRun, target: WaitTarget): boolean {
  if (own.done) return false;
  if (target.gate !== undefined && target.train !== undefined) {
    // Any mark of that gate and train counts as arrived (on a release, of any environment and attempt): a deadlock
    // is reported only when this run surely has not arrived.
    return readGateMarks(own.tags, target.gate, target.train, own.kind).length === 0;
  }
  if (target.stage === undefined) return true;
  return own.kind === 'release' ? environmentBlocks(own.stage, target.stage, own.release) : stageBlocks(own.stage, target.stage, own.records);
}
