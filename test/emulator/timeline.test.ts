import * as assert from 'node:assert/strict';
import { TaskResult, TimelineRecordState, type TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { raw, webApi, withEmulator } from './support';

describe('emulator: build timelines', () => {
  it('answers records out of tree order, with stages at the top (parentId null) under their YAML identifiers', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const timeline = await build.getBuildTimeline('Shop', 204);
    const records = timeline.records!;
    const types = records.map((r) => r.type);
    assert.notEqual(types[0], 'Stage', 'the first record is not the root of the tree');
    const stages = records.filter((r) => r.type === 'Stage');
    assert.deepEqual(stages.map((s) => [s.identifier, s.state, s.result, s.parentId]), [
      ['Build', TimelineRecordState.Completed, TaskResult.Succeeded, null],
      ['Test', TimelineRecordState.Completed, TaskResult.Failed, null],
      ['Prod', TimelineRecordState.Completed, TaskResult.Skipped, null],
    ]);
    const byId = new Map(records.map((r) => [r.id, r] as [string, TimelineRecord]));
    for (const r of records.filter((x) => x.type === 'Job')) {
      const phase = byId.get(r.parentId!)!;
      assert.equal(phase.type, 'Phase');
      assert.equal(byId.get(phase.parentId!)?.type, 'Stage');
    }
    assert.equal(em.requests.at(-1)?.path, '/lockstep/Shop/_apis/build/builds/204/Timeline');
  }));

  it('writes explicit nulls in records and the display name beside identifier and refName', () => withEmulator(async (em) => {
    const res = await raw(em, 'GET', '/lockstep/Shop/_apis/build/builds/202/Timeline');
    const wire = await res.json() as { records: Array<Record<string, unknown>>; id: string; changeId: number; url: string };
    const prod = wire.records.find((r) => r.type === 'Stage' && r.identifier === 'Prod')!;
    assert.equal(prod.name, 'Production');
    assert.equal(prod.refName, 'Prod');
    assert.equal(prod.state, 'pending');
    assert.equal(prod.result, null);
    assert.equal(prod.startTime, null);
    assert.equal(prod.parentId, null);
    assert.equal(prod.lastModified, '0001-01-01T00:00:00');
    assert.deepEqual(prod.previousAttempts, []);
    assert.match(wire.url, new RegExp(`/Timeline/${wire.id}$`));
  }));

  it('moves a stage through the states a scenario event gives it', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    em.state.apply({ build: 202, stage: 'Build', result: 'succeeded' });
    em.state.apply({ build: 202, stage: 'Production', state: 'inProgress' });
    const stages = (await build.getBuildTimeline('Shop', 202)).records!.filter((r) => r.type === 'Stage');
    assert.deepEqual(stages.map((s) => [s.identifier, s.state, s.result]), [
      ['Build', TimelineRecordState.Completed, TaskResult.Succeeded],
      ['Prod', TimelineRecordState.InProgress, null],
    ]);
  }));

  it('keeps an earlier attempt on its own timeline, named in previousAttempts', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    await build.updateStage({ state: 1, forceRetryAllJobs: false }, 204, 'Test', 'Shop');
    const timeline = await build.getBuildTimeline('Shop', 204);
    const test = timeline.records!.find((r) => r.type === 'Stage' && r.identifier === 'Test')!;
    assert.equal(test.attempt, 2);
    const [previous] = test.previousAttempts!;
    assert.equal(previous.attempt, 1);
    const old = await build.getBuildTimeline('Shop', 204, previous.timelineId);
    const oldStage = old.records!.find((r) => r.type === 'Stage')!;
    assert.equal(oldStage.id, previous.recordId);
    assert.equal(oldStage.result, TaskResult.Failed);
    assert.equal(em.requests.at(-1)?.path, `/lockstep/Shop/_apis/build/builds/204/Timeline/${previous.timelineId}`);
    assert.equal(await build.getBuildTimeline('Shop', 204, '00000000-0000-0000-0000-000000000001'), null);
  }));
});
