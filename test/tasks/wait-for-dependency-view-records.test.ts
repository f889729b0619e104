import assert from 'node:assert/strict';
import type { Emulator } from '../../emulator';
import { harnessRun } from '../../emulator/agent/agent-harness';
import { readWaitRecordFromTags } from '../../src/waits/wait-tags';
import type { WaitRecord } from '../../src/waits/wait-record';
import { apiProject, apiRun, jobToken, SCALE, waiterEmulatorPerTest, waitTask } from '../support/wait-task';

/**
 * What WaitForDependency@1 leaves on its run for the train view (issue 14), through the bundled task against the
 * emulator: its wait record stays when the wait ends, rewritten with how it ended, the train match and the timeout —
 * in the request that removed it before — and deadlock detection no longer counts an ended wait.
 */
const waiterRun = harnessRun.buildId;
const recordOn = (e: Emulator, buildId: number): WaitRecord | undefined => {
  const value = e.state.build(buildId)!.properties['Lockstep.Waiting']?.$value;
  return value === undefined ? undefined : JSON.parse(String(value));
};
const propertyWrites = (e: Emulator, buildId: number) => e.requests.filter((q) => q.route === 'builds.properties.update' && q.path.includes(`/builds/${buildId}/`));

describe('WaitForDependency@1 records for the train view (bundled task, emulator)', function () {
  this.timeout(30_000);
  const start = waiterEmulatorPerTest(SCALE);

  it('keeps its wait record when the wait is met, saying so, with the train match and timeout, in two writes as before', async () => {
    const e = await start({ projects: [apiProject([apiRun(201, { Build: 'succeeded', Prod: 'inProgress', Smoke: 'pending' })])], events: [{ at: 10_000, build: 201, stage: 'Prod', result: 'succeeded' }] });
    const r = await waitTask(e, { dependencies: 'api@Prod', timeoutMinutes: '30' }).done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    const record = recordOn(e, waiterRun)!;
    assert.equal(record.ended?.outcome, 'met');
    // The task's own clock: it ended after it began (how long depends on when a loaded machine started the task).
    assert.ok(Date.parse(record.ended!.at) > Date.parse(record.since), `${record.since} → ${record.ended!.at}`);
    assert.deepEqual(record.match, { mode: 'sameCommit', commit: harnessRun.commit, branch: harnessRun.branch });
    assert.equal(Date.parse(record.timeoutAt!) - Date.parse(record.since), 30 * 60_000);
    assert.deepEqual(record.waitsFor.map((t) => [t.label, t.definitionId, t.stage]), [['api@Prod', 11, 'Prod']]);
    assert.equal(propertyWrites(e, waiterRun).length, 2, 'published, then rewritten as ended (the write that removed it before)');
  });

  it('says a wait timed out, and that it failed when its dependency failed', async () => {
    const e = await start({ projects: [apiProject([apiRun(201, { Build: 'succeeded', Prod: 'inProgress', Smoke: 'pending' })])] });
    const timedOut = await waitTask(e, { dependencies: 'api@Prod', timeoutMinutes: '1' }).done;
    assert.equal(timedOut.result.status, 'Failed', timedOut.stdout);
    assert.equal(recordOn(e, waiterRun)?.ended?.outcome, 'timedOut');

    const f = await start({ projects: [apiProject([apiRun(201, { Build: 'succeeded', Prod: 'inProgress', Smoke: 'pending' })])], events: [{ at: 5_000, build: 201, stage: 'Prod', result: 'failed' }] });
    const failed = await waitTask(f, { dependencies: 'api@Prod' }).done;
    assert.equal(failed.result.status, 'Failed', failed.stdout);
    assert.equal(recordOn(f, waiterRun)?.ended?.outcome, 'failed');
  });

  it('sees no deadlock in an ended wait that would close a cycle, where the same wait still going on is one', async () => {
    // api's run published, in its Build stage, that it waits for the waiter's Deploy — where the waiter waits for api@Prod.
    const apiWait = (ended?: WaitRecord['ended']): WaitRecord => ({
      task: 'WaitForDependency', kind: 'yaml', project: 'Shop', definitionId: 11, definitionName: 'api', stage: 'Build', since: '2026-11-27T08:00:00.000Z',
      waitsFor: [{ label: 'waiter@Deploy', kind: 'yaml', project: 'Shop', definitionId: 90, definitionName: 'waiter', stage: 'Deploy' }],
      ...(ended ? { ended } : {}),
    });
    const scenario = (record: WaitRecord) => ({
      projects: [apiProject([apiRun(201, { Build: 'inProgress', Prod: 'pending', Smoke: 'pending' }, { properties: { 'Lockstep.Waiting': JSON.stringify(record) } })])],
      events: [{ at: 15_000, build: 201, stage: 'Build', result: 'succeeded' as const }, { at: 15_000, build: 201, stage: 'Prod', state: 'inProgress' as const }, { at: 20_000, build: 201, stage: 'Prod', result: 'succeeded' as const }],
    });
    const ended = await start(scenario(apiWait({ at: '2026-11-27T08:01:00.000Z', outcome: 'met' })));
    const passes = await waitTask(ended, { dependencies: 'api@Prod' }).done;
    assert.equal(passes.result.status, 'Succeeded', passes.stdout);
    assert.ok(!passes.stdout.includes('Deadlock'), passes.stdout);

    const going = await start(scenario(apiWait()));
    const fails = await waitTask(going, { dependencies: 'api@Prod' }).done;
    assert.equal(fails.result.message, 'Deadlock: waiter → api@Prod → waiter@Deploy. These waits can never end; change the order of the stages or the gates.');
    const marked = recordOn(going, waiterRun)!;
    assert.equal(marked.ended?.outcome, 'deadlock');
    assert.equal(marked.deadlock, 'waiter → api@Prod → waiter@Deploy');
    assert.deepEqual(marked.cycle?.map((s) => [s.definitionName, s.stage]), [['waiter', undefined], ['api', 'Prod'], ['waiter', 'Deploy']]);
  });

  it('says on a classic release that its wait ended with one more tag, removing none', async () => {
    const e = await start({
      token: jobToken,
      projects: [
        {
          ...apiProject([apiRun(201, { Build: 'succeeded', Prod: 'inProgress', Smoke: 'pending' })]),
          releaseDefinitions: [{ id: 3, name: 'web-release', environments: ['Prod'] }],
          releases: [{ id: 31, definition: 'web-release', name: 'Release-31', artifacts: [{ alias: '_web', isPrimary: true, sourceVersion: harnessRun.commit, branch: harnessRun.branch }], environments: [{ name: 'Prod', status: 'inProgress' }] }],
        },
      ],
      events: [{ at: 5_000, build: 201, stage: 'Prod', result: 'succeeded' }],
    });
    const r = await waitTask(e, { dependencies: 'api@Prod' }, { host: 'release', variables: { 'Release.DefinitionId': '3', 'Release.DefinitionName': 'web-release' } }).done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    const record = readWaitRecordFromTags(e.state.release(31)!.tags)!;
    assert.equal(record.ended?.outcome, 'met');
    assert.equal(record.kind, 'release');
    const tagWrites = e.requests.filter((q) => q.route.startsWith('release.tags.') && q.method !== 'GET').map((q) => q.route);
    assert.deepEqual(tagWrites, ['release.tags.addMany', 'release.tags.addMany'], 'published in one request, ended in one more; before, each of its tags was removed by a request of its own');
  });
});
