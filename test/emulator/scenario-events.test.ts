import * as assert from 'node:assert/strict';
import { BuildStatus, TaskResult } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { EnvironmentStatus } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import type { Scenario } from '../../emulator';
import { shopScenario, START, waitFor, webApi, withEmulator } from './support';

function withEvents(events: Scenario['events']): Scenario {
  return { ...shopScenario(), events };
}

describe('emulator: scenario events over (accelerated) time', () => {
  it('applies each event at its scenario time, seen by the client and in the state', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const stageOf = async () => (await build.getBuildTimeline('Shop', 202)).records!.find((r) => r.identifier === 'Prod')!;
    // At ×5 Prod succeeds a second of real time after the start: this first read must not race it on a loaded machine
    // (it did at ×100, 50 ms).
    assert.equal((await stageOf()).result, null);
    await waitFor(() => em.state.stage(202, 'Prod')!.state === 'inProgress', 3000, 'Prod to start');
    await waitFor(async () => (await stageOf()).result === TaskResult.Succeeded, 3000, 'Prod to succeed');
    await waitFor(async () => (await build.getBuild('Shop', 202)).status === BuildStatus.Completed, 3000, 'the build to complete');
    // Each change carries its own scenario time, whenever it was applied.
    const prod = em.state.stage(202, 'Prod')!;
    assert.equal(prod.startTime, 2000);
    assert.equal(prod.finishTime, 5000);
    assert.equal((await build.getBuild('Shop', 202)).finishTime?.toISOString(), new Date(Date.parse(START) + 6000).toISOString());
    assert.ok(em.elapsedMs() >= 6000);
  }, {
    timeScale: 5,
    scenario: withEvents([
      { at: 1000, build: 202, stage: 'Build', result: 'succeeded' },
      { at: 2000, build: 202, stage: 'Prod', state: 'inProgress' },
      { at: 5000, build: 202, stage: 'Prod', result: 'succeeded' },
      { at: 6000, build: 202, status: 'completed', result: 'succeeded' },
    ]),
  }));

  it('does nothing before an event is due, in real time', () => withEmulator(async (em) => {
    assert.equal(em.state.pendingChanges(), 1);
    assert.equal(em.state.stage(202, 'Build')!.state, 'inProgress');
  }, { scenario: withEvents([{ at: 60_000, build: 202, stage: 'Build', result: 'succeeded' }]) }));

  it('queues a build and creates a release at their times; a queued build without status runs', () => withEmulator(async (em) => {
    await waitFor(() => em.state.build(300) !== undefined && em.state.release(50) !== undefined, 3000, 'build and release to appear');
    assert.equal(em.state.build(300)!.queueTime, 500);
    await waitFor(() => em.state.build(300)!.status === 'completed', 3000, 'the queued build to run');
    assert.equal(em.state.build(300)!.result, 'succeeded');
    // The deployment succeeds a second of real time after the start (100 s at ×100), well after this read (it raced
    // it at 300 ms on a loaded machine).
    const release = await (await webApi(em).getReleaseApi()).getRelease('Shop', 50);
    assert.equal(release.environments?.[0].status, EnvironmentStatus.InProgress);
    await waitFor(() => em.state.environment(50, 'Production')!.status === 'succeeded', 3000, 'deployment event');
  }, {
    timeScale: 100,
    scenario: withEvents([
      { at: 500, queueBuild: { id: 300, project: 'Shop', definition: 'web', sourceVersion: 'abc' } },
      { at: 700, createRelease: { id: 50, project: 'Shop', definition: 'Docs', environments: [{ name: 'Production', status: 'inProgress' }] } },
      { at: 100_000, release: 50, environment: 'Production', status: 'succeeded' },
    ]),
  }));

  it('lets a test schedule and apply events itself', () => withEmulator(async (em) => {
    em.state.schedule({ at: em.elapsedMs() + 1000, release: 31, environment: 'Production', status: 'succeeded' });
    em.state.apply({ build: 201, stage: 'Deploy_Prod', result: 'failed' });
    assert.equal(em.state.stage(201, 'Deploy_Prod')!.result, 'failed');
    await waitFor(() => em.state.environment(31, 'Production')!.status === 'succeeded', 3000, 'scheduled event');
  }, { timeScale: 100 }));

  it('reports an event that names something missing, and goes on with the others', () => withEmulator(async (em) => {
    await waitFor(() => em.state.stage(202, 'Build')!.state === 'completed', 3000, 'the good event');
    assert.deepEqual(em.state.eventErrors.map((e) => e.message), ['Scenario event at 10: build 999 does not exist.']);
  }, {
    timeScale: 100,
    scenario: withEvents([
      { at: 10, build: 999, stage: 'Build', result: 'succeeded' },
      { at: 20, build: 202, stage: 'Build', result: 'succeeded' },
    ]),
  }));

  it('refuses a scenario whose build names a definition that does not exist', async () => {
    const scenario = shopScenario();
    scenario.projects[0].builds!.push({ id: 777, definition: 'nope' });
    await assert.rejects(withEmulator(async () => undefined, { scenario }), /build 777: build definition 'nope' not found/);
  });
});
