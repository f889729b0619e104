import * as assert from 'node:assert/strict';
import { RunResult, RunState } from 'azure-devops-node-api/interfaces/PipelinesInterfaces';
import { COMMIT, waitFor, webApi, withEmulator } from './support';

describe('emulator: pipeline runs', () => {
  it('lists a pipeline\'s runs newest first with state and result, not status', () => withEmulator(async (em) => {
    const pipelines = await webApi(em).getPipelinesApi();
    const runs = await pipelines.listRuns('Shop', 12);
    assert.deepEqual(runs.map((r) => [r.id, r.state, r.result]), [
      [202, RunState.InProgress, undefined],
      [102, RunState.Completed, RunResult.Failed],
      [101, RunState.Completed, RunResult.Succeeded],
    ]);
    assert.ok(runs[1].createdDate instanceof Date);
    assert.equal(runs[0].pipeline?.folder, '\\team\\svc');
  }));

  it('gets one run with its repository version', () => withEmulator(async (em) => {
    const pipelines = await webApi(em).getPipelinesApi();
    const run = await pipelines.getRun('Shop', 12, 202);
    assert.equal(run.name, '2.3.0');
    assert.equal(run.resources?.repositories?.self.version, COMMIT);
    assert.equal(await pipelines.getRun('Shop', 13, 202), null, 'a run belongs to one pipeline');
  }));

  it('runs a pipeline with template parameters at a given commit, and the run moves through its stages', () => withEmulator(async (em) => {
    const pipelines = await webApi(em).getPipelinesApi();
    const run = await pipelines.runPipeline({
      templateParameters: { environment: 'prod' },
      resources: { repositories: { self: { refName: 'refs/heads/release/2.3', version: COMMIT } } },
    }, 'Shop', 13);
    assert.deepEqual(em.requests.at(-1)?.body, {
      templateParameters: { environment: 'prod' },
      resources: { repositories: { self: { refName: 'refs/heads/release/2.3', version: COMMIT } } },
    });
    assert.equal(run.state, RunState.InProgress);
    assert.deepEqual(run.templateParameters, { environment: 'prod' });
    const build = em.state.build(run.id!)!;
    assert.equal(build.sourceBranch, 'refs/heads/release/2.3');
    assert.equal(build.sourceVersion, COMMIT);
    await waitFor(async () => (await pipelines.getRun('Shop', 13, run.id!)).state === RunState.Completed, 3000, 'the run to finish');
    assert.equal((await pipelines.getRun('Shop', 13, run.id!)).result, RunResult.Succeeded);
    assert.deepEqual(em.state.build(run.id!)!.stages.map((s) => s.result), ['succeeded', 'succeeded', 'succeeded']);
  }, { timeScale: 200 }));

  it('skips the stages a run asks to skip', () => withEmulator(async (em) => {
    const pipelines = await webApi(em).getPipelinesApi();
    const run = await pipelines.runPipeline({ stagesToSkip: ['Test'] }, 'Shop', 13);
    await waitFor(() => em.state.build(run.id!)!.status === 'completed', 3000, 'completion');
    assert.deepEqual(em.state.build(run.id!)!.stages.map((s) => `${s.identifier}:${s.result}`), ['Build:succeeded', 'Test:skipped', 'Prod:succeeded']);
  }, { timeScale: 200 }));
});
