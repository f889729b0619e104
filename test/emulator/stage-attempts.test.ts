import * as assert from 'node:assert/strict';
import type { IBuildApi } from 'azure-devops-node-api/BuildApi';
import { StageUpdateType, TaskResult, TimelineRecordState, type TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import type { Scenario } from '../../emulator';
import { shopScenario, START, waitFor, webApi, withEmulator } from './support';

const at = (ms: number) => new Date(Date.parse(START) + ms);

/** Shop, plus run 301 of "web" whose Prod stage ran three times: failed, canceled, then succeeded. */
function historyScenario(): Scenario {
  const scenario = shopScenario();
  scenario.projects[0].builds!.push({
    id: 301, definition: 'web', buildNumber: '2.3.2', queueTime: -4_000_000, startTime: -3_900_000, finishTime: -1_000_000,
    stages: [
      { identifier: 'Build', result: 'succeeded', startTime: -3_900_000, finishTime: -3_800_000 },
      { identifier: 'Test', result: 'succeeded', startTime: -3_800_000, finishTime: -3_700_000 },
      {
        identifier: 'Prod',
        attempts: [
          { result: 'failed', startTime: -3_700_000, finishTime: -3_600_000 },
          { result: 'canceled', startTime: -2_000_000, finishTime: -1_900_000 },
          { result: 'succeeded', startTime: -1_200_000, finishTime: -1_000_000 },
        ],
      },
    ],
  });
  return scenario;
}

function stageRecord(records: TimelineRecord[] | undefined, identifier?: string): TimelineRecord {
  const found = records?.find((r) => r.type === 'Stage' && (identifier === undefined || r.identifier === identifier));
  assert.ok(found, `a Stage record${identifier ? ` for ${identifier}` : ''}`);
  return found;
}

async function attemptStage(build: IBuildApi, buildId: number, timelineId: string): Promise<TimelineRecord> {
  return stageRecord((await build.getBuildTimeline('Shop', buildId, timelineId)).records);
}

describe('emulator: a stage\'s earlier attempts', () => {
  it('fabricates attempt history from scenario input, each earlier attempt with its own result and times', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const prod = stageRecord((await build.getBuildTimeline('Shop', 301)).records, 'Prod');
    assert.equal(prod.attempt, 3);
    assert.deepEqual([prod.state, prod.result, prod.startTime, prod.finishTime],
      [TimelineRecordState.Completed, TaskResult.Succeeded, at(-1_200_000), at(-1_000_000)]);
    assert.deepEqual(prod.previousAttempts!.map((a) => a.attempt), [1, 2]);

    const first = await attemptStage(build, 301, prod.previousAttempts![0].timelineId!);
    assert.deepEqual([first.id, first.attempt, first.result, first.startTime, first.finishTime],
      [prod.previousAttempts![0].recordId, 1, TaskResult.Failed, at(-3_700_000), at(-3_600_000)]);
    const second = await attemptStage(build, 301, prod.previousAttempts![1].timelineId!);
    assert.deepEqual([second.attempt, second.result, second.startTime, second.finishTime],
      [2, TaskResult.Canceled, at(-2_000_000), at(-1_900_000)]);
    assert.deepEqual(second.previousAttempts!.map((a) => a.attempt), [1], 'an earlier attempt names the ones before it');
  }, { scenario: historyScenario() }));

  it('keeps `attempt: n` as before: n-1 failed attempts with the current record\'s times', () => withEmulator(async (em) => {
    const added = em.state.addBuild({
      id: 302, definition: 'web', status: 'completed', result: 'succeeded',
      stages: [{ identifier: 'Build', result: 'succeeded', attempt: 2, startTime: -50_000, finishTime: -40_000 }],
    });
    const build = await webApi(em).getBuildApi();
    const stage = stageRecord((await build.getBuildTimeline('Shop', added.id)).records, 'Build');
    const first = await attemptStage(build, 302, stage.previousAttempts![0].timelineId!);
    assert.deepEqual([first.attempt, first.result, first.startTime, first.finishTime], [1, TaskResult.Failed, at(-50_000), at(-40_000)]);
  }));

  it('refuses attempts that disagree with attempt', async () => {
    const scenario = shopScenario();
    scenario.projects[0].builds!.push({
      id: 303, definition: 'web', stages: [{ identifier: 'Build', attempt: 3, attempts: [{ result: 'failed' }, { result: 'succeeded' }] }],
    });
    await assert.rejects(withEmulator(async () => undefined, { scenario }), /build 303 stage 'Build': attempts has 2 entries/);
  });

  it('records the times of an attempt a PATCH retried, and keeps the attempt before it with its own', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const before = stageRecord((await build.getBuildTimeline('Shop', 204)).records, 'Test');
    const retriedAt = em.elapsedMs();
    await build.updateStage({ state: StageUpdateType.Retry, forceRetryAllJobs: false, retryDependencies: true }, 204, 'Test', 'Shop');
    await waitFor(() => em.state.build(204)!.status === 'completed', 3000, 'the retried run to complete');

    const after = stageRecord((await build.getBuildTimeline('Shop', 204)).records, 'Test');
    assert.equal(after.attempt, 2);
    assert.equal(after.result, TaskResult.Succeeded);
    assert.ok(after.startTime!.getTime() >= at(retriedAt).getTime(), 'the new attempt started at the retry');
    assert.ok(after.finishTime!.getTime() >= after.startTime!.getTime() + 2000, 'and finished stageRetryMs later');
    const previous = await attemptStage(build, 204, after.previousAttempts![0].timelineId!);
    assert.deepEqual([previous.id, previous.result, previous.startTime, previous.finishTime],
      [before.id, TaskResult.Failed, before.startTime, before.finishTime]);
  }, { timeScale: 100 }));
});
