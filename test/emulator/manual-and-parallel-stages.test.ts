import * as assert from 'node:assert/strict';
import { StageUpdateType, TimelineRecordState } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { startEmulator, type Emulator, type Scenario } from '../../emulator';
import { jobRecordId } from '../../emulator/world/build-lifecycle';
import { START, waitFor, webApi } from './support';

/**
 * Stages that wait for others (`dependsOn`), run beside each other, and `trigger: manual` stages a person starts.
 * A queued run runs each stage queuedRunMs (1 s scenario time, 10 ms real, unless a test says otherwise).
 */
describe('emulator: parallel stages and manual stages', () => {
  const scenario = (extra: Partial<Scenario> = {}): Scenario => ({
    startDate: START,
    behaviour: { queuedRunMs: 1000, manualStageMs: 1000 },
    projects: [
      {
        name: 'Shop',
        buildDefinitions: [
          // Infra and App run side by side after Build; Deploy waits for both.
          { id: 11, name: 'svc-a', stages: ['Build', { identifier: 'Infra', dependsOn: ['Build'] }, { identifier: 'App', dependsOn: ['Build'] }, { identifier: 'Deploy', dependsOn: ['Infra', 'App'] }] },
          // Prod is manual; Smoke comes after it.
          { id: 12, name: 'api', stages: ['Build', { identifier: 'Prod', trigger: 'manual' }, 'Smoke'] },
        ],
      },
    ],
    ...extra,
  });
  let em: Emulator;
  const start = async (s: Scenario = scenario()) => (em = await startEmulator({ scenario: s, timeScale: 100 }));
  afterEach(async () => em?.close());
  const states = (id: number) => em.state.build(id)!.stages.map((s) => `${s.identifier}:${s.state}${s.result ? `:${s.result}` : ''}`);

  it('runs stages with the same dependencies at the same time, and a stage that waits for both after them', async () => {
    await start(scenario({ behaviour: { queuedRunMs: 20_000 } }));
    em.state.addBuild({ id: 301, definition: 'svc-a', project: 'Shop' });
    await waitFor(() => em.state.stage(301, 'Infra')!.state === 'inProgress', 3000, 'Infra to start');
    assert.equal(em.state.stage(301, 'App')!.state, 'inProgress', 'App runs beside Infra');
    assert.equal(em.state.stage(301, 'Deploy')!.state, 'pending');
    assert.equal(em.state.stage(301, 'Infra')!.startTime, em.state.stage(301, 'App')!.startTime);
    await waitFor(() => em.state.build(301)!.status === 'completed', 3000, 'the run to complete');
    assert.deepEqual(states(301), ['Build:completed:succeeded', 'Infra:completed:succeeded', 'App:completed:succeeded', 'Deploy:completed:succeeded']);
    assert.ok(em.state.stage(301, 'Deploy')!.startTime! >= em.state.stage(301, 'App')!.finishTime!);
  });

  it('skips, when an event completes a run, the stages it never reached, but a manual stage and the stages after it', async () => {
    await start();
    em.state.addBuild({
      id: 302, definition: 'svc-a', project: 'Shop', status: 'inProgress',
      stages: [{ identifier: 'Build', result: 'succeeded' }, { identifier: 'Infra', state: 'inProgress' }, { identifier: 'App', state: 'inProgress' }, { identifier: 'Deploy' }],
    });
    em.state.addBuild({ id: 404, definition: 'api', project: 'Shop', status: 'inProgress', stages: [{ identifier: 'Build', state: 'inProgress' }, { identifier: 'Prod' }, { identifier: 'Smoke' }] });
    em.state.apply({ build: 302, stage: 'Infra', result: 'failed' });
    em.state.apply({ build: 302, stage: 'App', result: 'succeeded' });
    em.state.apply({ build: 302, status: 'completed', result: 'failed' });
    assert.deepEqual(states(302), ['Build:completed:succeeded', 'Infra:completed:failed', 'App:completed:succeeded', 'Deploy:completed:skipped']);
    em.state.apply({ build: 404, stage: 'Build', result: 'succeeded' });
    em.state.apply({ build: 404, status: 'completed', result: 'succeeded' });
    assert.deepEqual(states(404), ['Build:completed:succeeded', 'Prod:pending', 'Smoke:pending']);
  });

  it('completes a run while its manual stage and the stages after it wait, pending, for a person', async () => {
    await start();
    em.state.addBuild({ id: 401, definition: 'api', project: 'Shop' });
    await waitFor(() => em.state.build(401)!.status === 'completed', 3000, 'the run to complete');
    assert.deepEqual(states(401), ['Build:completed:succeeded', 'Prod:pending', 'Smoke:pending']);
    assert.equal(em.state.build(401)!.result, 'succeeded');
    const timeline = await (await webApi(em).getBuildApi()).getBuildTimeline('Shop', 401);
    const prod = timeline.records!.find((r) => r.type === 'Stage' && r.identifier === 'Prod')!;
    assert.equal(prod.state, TimelineRecordState.Pending);
    assert.equal(prod.result, null);
    assert.equal(prod.attempt, 1);
    // A completed run from scenario input without stages: the same.
    em.state.addBuild({ id: 400, definition: 'api', project: 'Shop', status: 'completed' });
    assert.deepEqual(states(400), ['Build:completed:succeeded', 'Prod:pending', 'Smoke:pending']);
  });

  it('starts a manual stage through PATCH stages/{ref} {state: 2}: the run goes back in progress, the stage runs, the run completes anew', async () => {
    await start(scenario({ behaviour: { queuedRunMs: 1000, manualStageMs: 20_000 } }));
    em.state.addBuild({ id: 402, definition: 'api', project: 'Shop' });
    await waitFor(() => em.state.build(402)!.status === 'completed', 3000, 'the run to complete');
    const firstFinish = em.state.build(402)!.finishTime!;
    const build = await webApi(em).getBuildApi();
    assert.equal(await build.updateStage({ state: StageUpdateType.Run, forceRetryAllJobs: false }, 402, 'Prod', 'Shop'), null, '204');
    assert.equal(em.requests.at(-1)?.status, 204);
    assert.equal(em.state.build(402)!.status, 'inProgress');
    assert.equal(em.state.build(402)!.result, undefined);
    assert.equal(em.state.build(402)!.finishTime, undefined);
    assert.equal(em.state.stage(402, 'Prod')!.state, 'inProgress');
    assert.equal(em.state.stage(402, 'Prod')!.attempt, 1, 'its first run');
    await waitFor(() => em.state.build(402)!.status === 'completed', 3000, 'the run to complete again');
    assert.deepEqual(states(402), ['Build:completed:succeeded', 'Prod:completed:succeeded', 'Smoke:completed:succeeded']);
    assert.ok(em.state.build(402)!.finishTime! > firstFinish, 'a new finish time');
    assert.ok(em.state.stage(402, 'Smoke')!.startTime! >= em.state.stage(402, 'Prod')!.finishTime!, 'Smoke after Prod');
  });

  it('starts a manual stage on a scenario event, and refuses to run a stage that is not manual or has run', async () => {
    await start(scenario({
      behaviour: { manualStageMs: 1000, manualStageResult: 'failed' },
      events: [{ at: 500, build: 403, stage: 'Prod', run: true }],
    }));
    em.state.addBuild({ id: 403, definition: 'api', project: 'Shop', stages: [{ identifier: 'Build', result: 'succeeded' }, { identifier: 'Prod' }, { identifier: 'Smoke' }] });
    assert.equal(em.state.stage(403, 'Prod')!.manual, true, 'manual from the definition');
    await waitFor(() => em.state.stage(403, 'Prod')!.state === 'completed', 3000, 'Prod to run');
    await waitFor(() => em.state.build(403)!.status === 'completed', 3000, 'the run to complete');
    assert.deepEqual(states(403), ['Build:completed:succeeded', 'Prod:completed:failed', 'Smoke:completed:skipped']);
    assert.equal(em.state.build(403)!.result, 'failed');
    const build = await webApi(em).getBuildApi();
    await assert.rejects(build.updateStage({ state: StageUpdateType.Run, forceRetryAllJobs: false }, 403, 'Prod', 'Shop'),
      (e: Error & { statusCode?: number }) => e.statusCode === 409 && /cannot be run because it is completed/.test(e.message));
    await assert.rejects(build.updateStage({ state: StageUpdateType.Run, forceRetryAllJobs: false }, 403, 'Smoke', 'Shop'),
      (e: Error & { statusCode?: number }) => e.statusCode === 400);
  });

  it('refuses a manual stage with dependencies, as the service refuses such a pipeline', async () => {
    const bad: Scenario = { projects: [{ name: 'Shop', buildDefinitions: [{ id: 1, name: 'x', stages: ['Build', { identifier: 'Prod', trigger: 'manual', dependsOn: ['Build'] }] }] }] };
    await assert.rejects(startEmulator({ scenario: bad }), /Manually triggered stages cannot have dependencies/);
  });

  it('keeps a job that ended (a killed waiter) ended while the run goes on, and names it by a stable job record id', async () => {
    await start();
    em.state.addBuild({
      id: 303, definition: 'svc-a', project: 'Shop', status: 'inProgress', properties: { 'Lockstep.Waiting': '{"waitsFor":[]}' },
      stages: [{ identifier: 'Build', result: 'succeeded' }, { identifier: 'Infra', state: 'inProgress' }, { identifier: 'App', state: 'inProgress' }, { identifier: 'Deploy' }],
    });
    // The agent running App dies: its job ends failed, the record it published stays, Infra runs on.
    em.state.apply({ build: 303, stage: 'App', result: 'failed' });
    const timeline = await (await webApi(em).getBuildApi()).getBuildTimeline('Shop', 303);
    const job = timeline.records!.find((r) => r.id === jobRecordId(em.state.stage(303, 'App')!.recordId))!;
    assert.equal(job.type, 'Job');
    assert.equal(job.state, TimelineRecordState.Completed);
    assert.equal(em.state.build(303)!.status, 'inProgress');
    assert.ok(em.state.build(303)!.properties['Lockstep.Waiting'], 'the published wait stays');
  });
});
