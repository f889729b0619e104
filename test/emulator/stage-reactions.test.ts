import * as assert from 'node:assert/strict';
import { StageUpdateType } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { raw, shopScenario, waitFor, webApi, withEmulator } from './support';

describe('emulator: stage updates and how the build reacts', () => {
  it('retries a failed stage: new record id, attempt 2, previousAttempts, in progress, then the configured result', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const before = em.state.stage(204, 'Test')!.recordId;
    const answer = await build.updateStage({ state: StageUpdateType.Retry, forceRetryAllJobs: false }, 204, 'Test', 'Shop');
    assert.equal(answer, null, 'the service answers 204 No Content');
    assert.equal(em.requests.at(-1)?.status, 204);
    assert.deepEqual(em.requests.at(-1)?.body, { state: 1, forceRetryAllJobs: false });

    // The retry runs a second of real time (100 s at ×100): the 20 ms of the default could end before the 204 reached
    // the client on a loaded machine.
    const test = em.state.stage(204, 'Test')!;
    assert.notEqual(test.recordId, before);
    assert.equal(test.attempt, 2);
    assert.deepEqual(test.previousAttempts, [{ attempt: 1, timelineId: before, recordId: before }]);
    assert.equal(test.state, 'inProgress');
    assert.equal(em.state.build(204)!.status, 'inProgress');
    assert.equal(em.state.build(204)!.result, undefined);

    await waitFor(() => em.state.build(204)!.status === 'completed', 3000, 'the build to complete again');
    assert.equal(em.state.stage(204, 'Test')!.result, 'failed');
    assert.equal(em.state.build(204)!.result, 'failed');
    assert.equal(em.state.stage(204, 'Prod')!.result, 'skipped', 'a stage after a failed retry stays skipped');
  }, { timeScale: 100, scenario: { ...shopScenario(), behaviour: { stageRetryResult: 'failed', stageRetryMs: 100_000 } } }));

  it('runs the skipped stages after a successful retry unless retryDependencies is false', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    await build.updateStage({ state: StageUpdateType.Retry, forceRetryAllJobs: false, retryDependencies: false }, 204, 'Test', 'Shop');
    await waitFor(() => em.state.build(204)!.status === 'completed', 3000, 'completion');
    assert.deepEqual(em.state.build(204)!.stages.map((s) => s.result), ['succeeded', 'succeeded', 'skipped']);
    assert.equal(em.state.build(204)!.result, 'succeeded');
  }, { timeScale: 100 }));

  it('cancels a running stage: it ends canceled, later pending stages are skipped, the build is canceled', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    await build.updateStage({ state: StageUpdateType.Cancel, forceRetryAllJobs: false }, 202, 'Build', 'Shop');
    assert.deepEqual(em.state.build(202)!.stages.map((s) => `${s.state}:${s.result}`), ['completed:canceled', 'completed:skipped']);
    assert.equal(em.state.build(202)!.status, 'completed');
    assert.equal(em.state.build(202)!.result, 'canceled');
  }));

  it('refuses to retry a stage that is still running (409) and any state but Cancel or Retry (400)', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    await assert.rejects(build.updateStage({ state: StageUpdateType.Retry, forceRetryAllJobs: false }, 202, 'Build', 'Shop'),
      (e: Error & { statusCode?: number; result?: { typeKey?: string } }) => e.statusCode === 409
        && e.result?.typeKey === 'InvalidPipelineOperationException' && /cannot be retried/.test(e.message));
    await assert.rejects(build.updateStage({ state: StageUpdateType.Run, forceRetryAllJobs: false }, 202, 'Prod', 'Shop'),
      (e: Error & { statusCode?: number }) => e.statusCode === 400);
    const unknown = await raw(em, 'PATCH', '/lockstep/Shop/_apis/build/builds/202/stages/Nope', { body: '{"state":1}' });
    assert.equal(unknown.status, 404);
  }));

  it('finds a stage by display name as well as by identifier', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    await build.updateStage({ state: StageUpdateType.Cancel, forceRetryAllJobs: false }, 202, 'Production', 'Shop');
    assert.equal(em.state.stage(202, 'Prod')!.result, 'canceled');
  }));
});
