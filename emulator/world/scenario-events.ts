/**
 * Applies one scenario event (see ScenarioEvent) to the world at a scenario time.
 * Scenario events say what happens; they do not trigger the emulator's own reactions, except that a
 * stage that starts starts its build, a queued build without a status runs its stages, and a manual stage a person
 * runs (`run: true`) runs as the service would run it.
 */
import type { ScenarioEvent } from '../scenario';
import { answerApproval, completeBuild, deleteBuild, runManualStage, setStage, skipUnreached, startBuild, touch } from './build-lifecycle';
import { createBuild } from './create-build';
import { createRelease } from './create-release';
import { applyRetention, dropLeasesOf } from './leases';
import { setProperty } from './properties';
import { setEnvironmentStatus } from './release-lifecycle';
import { addTags } from './tags';
import { findEnvironment, findStage, type EmulatorState } from './world';

type WithoutAt<T> = T extends unknown ? Omit<T, 'at'> & { at?: number } : never;
/** A scenario event whose time is "now". */
export type EventChange = WithoutAt<ScenarioEvent>;

export function applyScenarioEvent(world: EmulatorState, event: EventChange, at: number): void {
  if ('retention' in event) {
    applyRetention(world, at);
  } else if ('deleteBuild' in event) {
    const build = world.buildsById.get(event.deleteBuild);
    if (!build) throw new Error(`Scenario event at ${at}: build ${event.deleteBuild} does not exist.`);
    deleteBuild(world, build);
    dropLeasesOf(world, build.id);
  } else if ('queueBuild' in event) {
    createBuild(world, event.queueBuild, at, true);
  } else if ('createRelease' in event) {
    createRelease(world, event.createRelease, at);
  } else if ('release' in event) {
    const release = world.releasesById.get(event.release);
    if (!release) throw new Error(`Scenario event at ${at}: release ${event.release} does not exist.`);
    const env = findEnvironment(release, event.environment);
    if (!env) throw new Error(`Scenario event at ${at}: release ${event.release} has no environment '${event.environment}'.`);
    setEnvironmentStatus(world, release, env, event.status, at);
  } else if ('stage' in event) {
    const build = world.buildsById.get(event.build);
    if (!build) throw new Error(`Scenario event at ${at}: build ${event.build} does not exist.`);
    const stage = findStage(build, event.stage);
    if (!stage) throw new Error(`Scenario event at ${at}: build ${event.build} has no stage '${event.stage}'.`);
    if (event.approve || event.reject) answerApproval(world, build, stage, event.approve === true, at);
    else if (event.run) runManualStage(world, build, stage, at);
    else setStage(build, stage, { state: event.state, result: event.result }, at);
  } else {
    const build = world.buildsById.get(event.build);
    if (!build) throw new Error(`Scenario event at ${at}: build ${event.build} does not exist.`);
    if (event.status === 'inProgress') startBuild(build, at);
    if (event.status === 'completed' || (event.result && !event.status)) {
      // A finished run has no stage left to reach but those a person can still start.
      skipUnreached(build, at);
      completeBuild(build, event.result ?? 'succeeded', at);
    } else if (event.status) {
      build.status = event.status;
      if (event.result) build.result = event.result;
      touch(build, at);
    }
    if (event.addTags) addTags(build.tags, event.addTags);
    for (const [name, value] of Object.entries(event.properties ?? {})) setProperty(build.properties, name, value);
  }
}
