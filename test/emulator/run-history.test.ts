import * as assert from 'node:assert/strict';
import { StageUpdateType } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { ReleaseDefinitionExpands } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import type { Scenario } from '../../emulator';
import { raw, shopScenario, waitFor, webApi, withEmulator } from './support';

type WireRecord = { id: string; parentId: string | null; type: string; name: string; state: string; result: string | null; startTime: string | null };

function withBehaviour(behaviour: Scenario['behaviour']): Scenario {
  return { ...shopScenario(), behaviour };
}

const retry = { state: StageUpdateType.Retry, forceRetryAllJobs: false };

describe('emulator: run history the real service has', () => {
  it('ends a retried stage canceled (an exclusive lock giving way to a newer run): later stages skipped, build canceled', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    await build.updateStage(retry, 204, 'Test', 'Shop');
    // The retry runs a second of real time (100 s at ×100): the 20 ms of the default could end before the 204 reached
    // the client on a loaded machine.
    assert.equal(em.state.stage(204, 'Test')!.state, 'inProgress');
    await waitFor(() => em.state.build(204)!.status === 'completed', 3000, 'the build to complete');
    assert.deepEqual(em.state.build(204)!.stages.map((s) => `${s.state}:${s.result}`), ['completed:succeeded', 'completed:canceled', 'completed:skipped']);
    assert.equal(em.state.build(204)!.result, 'canceled');
    const got = await build.getBuild('Shop', 204);
    assert.equal(got.result, 32, 'BuildResult.Canceled on the wire');
    const timeline = await build.getBuildTimeline('Shop', 204);
    assert.equal(timeline.records!.find((r) => r.type === 'Stage' && r.identifier === 'Test')!.result, 3, 'TaskResult.Canceled');
  }, { timeScale: 100, scenario: withBehaviour({ stageRetryResult: 'canceled', stageRetryMs: 100_000 }) }));

  it('holds a retried stage pending behind a Checkpoint.Approval until a scenario event approves it', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    await build.updateStage(retry, 204, 'Test', 'Shop');
    const stage = em.state.stage(204, 'Test')!;
    assert.equal(stage.state, 'pending');
    assert.equal(stage.attempt, 2);
    assert.equal(em.state.build(204)!.status, 'inProgress');

    const res = await raw(em, 'GET', '/lockstep/Shop/_apis/build/builds/204/Timeline');
    const records = (await res.json() as { records: WireRecord[] }).records;
    const stageRecord = records.find((r) => r.type === 'Stage' && r.name === 'Test')!;
    const checkpoint = records.find((r) => r.type === 'Checkpoint' && r.parentId === stageRecord.id)!;
    const approval = records.find((r) => r.type === 'Checkpoint.Approval' && r.parentId === checkpoint.id)!;
    assert.equal(stageRecord.state, 'pending');
    assert.equal(checkpoint.state, 'inProgress');
    assert.deepEqual([approval.name, approval.state, approval.result], ['Checkpoint.Approval', 'inProgress', null]);
    assert.match(approval.startTime ?? '', /Z$/);

    // It waits for ever unless someone answers.
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(em.state.stage(204, 'Test')!.state, 'pending');

    em.state.apply({ build: 204, stage: 'Test', approve: true });
    assert.equal(em.state.stage(204, 'Test')!.state, 'inProgress');
    await waitFor(() => em.state.build(204)!.status === 'completed', 3000, 'the build to complete');
    assert.equal(em.state.build(204)!.result, 'succeeded');
    const after = (await build.getBuildTimeline('Shop', 204)).records!;
    const done = after.find((r) => r.type === 'Checkpoint.Approval')!;
    assert.equal(done.state, 2, 'TimelineRecordState.Completed');
    assert.equal(done.result, 0, 'TaskResult.Succeeded');
  }, { timeScale: 100, scenario: withBehaviour({ stageRetryApproval: true }) }));

  it('fails the stage and the build when the approval is rejected by a scheduled event', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    await build.updateStage(retry, 204, 'Test', 'Shop');
    em.state.schedule({ at: em.state.now() + 500, build: 204, stage: 'Test', reject: true });
    await waitFor(() => em.state.build(204)!.status === 'completed', 3000, 'the build to complete');
    assert.deepEqual(em.state.build(204)!.stages.map((s) => `${s.state}:${s.result}`), ['completed:succeeded', 'completed:failed', 'completed:skipped']);
    assert.equal(em.state.build(204)!.result, 'failed');
    assert.equal(em.state.stage(204, 'Test')!.approval?.result, 'failed');
  }, { timeScale: 100, scenario: withBehaviour({ stageRetryApproval: true }) }));

  it('deletes a run at a scenario time: reads resolve null, lists omit it, writes answer 404', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    // The deletion is due a second of real time after the start (100 s at ×100): the read before it must not race it
    // on a loaded machine (it did at 10 ms).
    assert.equal((await build.getBuild('Shop', 204)).id, 204);
    await waitFor(() => em.state.build(204) === undefined, 3000, 'retention to delete the run');
    assert.equal(await build.getBuild('Shop', 204), null);
    assert.equal(await build.getBuildTimeline('Shop', 204), null);
    assert.equal(await build.getBuildProperties('Shop', 204), null);
    assert.equal(await build.getBuildTags('Shop', 204), null);
    assert.ok(!(await build.getBuilds('Shop')).some((b) => b.id === 204));
    assert.equal(await build.updateStage(retry, 204, 'Test', 'Shop'), null, 'the client resolves the 404 with null');
    assert.equal(em.requests.at(-1)?.status, 404);
    assert.equal(await build.updateBuild({ status: 4 } as never, 'Shop', 204), null);
    assert.equal(await build.updateBuildProperties(undefined, [{ op: 'add', path: '/a', value: 'b' }], 'Shop', 204), null);
    assert.equal(await build.addBuildTag('Shop', 204, 'x'), null);
    for (const path of ['builds/204/stages/Test', 'builds/204', 'builds/204/properties', 'builds/204/tags']) {
      const res = await raw(em, 'PATCH', `/lockstep/Shop/_apis/build/${path}`, { body: path.endsWith('properties') ? '[]' : '{}' });
      assert.equal(res.status, 404, path);
      assert.equal((await res.json() as { typeKey: string }).typeKey, 'BuildNotFoundException');
    }
    em.state.deleteBuild(101);
    assert.equal(await build.getBuild('Shop', 101), null);
    assert.ok(em.state.nextBuildId() > 204, 'ids of deleted runs are not reused');
  }, { timeScale: 100, scenario: { ...shopScenario(), events: [{ at: 100_000, deleteBuild: 204 }] } }));

  it('answers 404 for a stage the run does not have and for a release environment that does not exist', () => withEmulator(async (em) => {
    const web = webApi(em);
    const build = await web.getBuildApi();
    assert.equal(await build.updateStage(retry, 204, 'Deploy_Prod', 'Shop'), null, 'the trap: the client resolves null');
    const res = await raw(em, 'PATCH', '/lockstep/Shop/_apis/build/builds/204/stages/Deploy_Prod', { body: JSON.stringify({ state: 1 }) });
    assert.equal(res.status, 404);
    assert.equal((await res.json() as { typeKey: string }).typeKey, 'StageNotFoundException');
    const release = await web.getReleaseApi();
    assert.equal(await release.updateReleaseEnvironment({ status: 2 } as never, 'Shop', 31, 999_999), null);
    assert.equal(em.requests.at(-1)?.status, 404);
  }));

  it('renders each environment\'s queuing policy as executionPolicy in definition lists and gets', () => withEmulator(async (em) => {
    const release = await webApi(em).getReleaseApi();
    const listed = await release.getReleaseDefinitions('Shop', undefined, ReleaseDefinitionExpands.Environments);
    const policies = (id: number) => listed.find((d) => d.id === id)!.environments!.map((e) => [e.name, e.executionPolicy]);
    assert.deepEqual(policies(3), [
      ['Staging', { concurrencyCount: 0, queueDepthCount: 0 }],
      ['Production', { concurrencyCount: 1, queueDepthCount: 1 }],
    ]);
    assert.deepEqual(policies(4), [['Production', { concurrencyCount: 2, queueDepthCount: 0 }]]);
    const one = await release.getReleaseDefinition('Shop', 3);
    assert.deepEqual(one.environments!.map((e) => e.executionPolicy), [
      { concurrencyCount: 0, queueDepthCount: 0 }, { concurrencyCount: 1, queueDepthCount: 1 },
    ]);
  }, {
    scenario: (() => {
      const s = shopScenario();
      s.projects[0].releaseDefinitions = [
        { id: 3, name: 'Legacy Web', path: '\\legacy', environments: [{ name: 'Staging', concurrency: 0 }, { name: 'Production', queuePolicy: 'latestOnly' }] },
        { id: 4, name: 'Docs', environments: [{ name: 'Production', queuePolicy: 'allInSequence', concurrency: 2 }] },
      ];
      return s;
    })(),
  }));
});
