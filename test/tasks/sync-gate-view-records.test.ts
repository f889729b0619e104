import assert from 'node:assert/strict';
import type { Emulator } from '../../emulator';
import { harnessRun, runTask } from '../../emulator/agent/agent-harness';
import { gatePropertyName, GateRecord } from '../../src/gate/gate-record';
import type { WaitRecord } from '../../src/waits/wait-record';
import { isWaitTag, readWaitRecordFromTags, waitRecordTags } from '../../src/waits/wait-tags';
import { emulatorPerTest } from '../support/emulator-per-test';
import { gateWaitDeadlock, api, db, gateTask, jobToken, SCALE, trainRun, trainScenario, web } from '../support/gate-task';

/**
 * What SyncGate@1 leaves on its run for the train view (issue 14), through the bundled task against the emulator: the
 * published wait stays when the member leaves the gate, rewritten with how (passed, timedOut, deadlock with its
 * cycle), with the members needed and the train match, in the requests that removed it before.
 */
const property = <T>(e: Emulator, buildId: number, name: string): T | undefined => {
  const value = e.state.build(buildId)!.properties[name]?.$value;
  return value === undefined ? undefined : JSON.parse(String(value));
};
const waitOn = (e: Emulator, buildId: number) => property<WaitRecord>(e, buildId, 'Lockstep.Waiting');
const gateRecordOn = (e: Emulator, buildId: number) => property<GateRecord>(e, buildId, gatePropertyName('prod', harnessRun.commit));

describe('SyncGate@1 records for the train view (bundled task, emulator)', function () {
  this.timeout(40_000);
  const start = emulatorPerTest(SCALE);

  it('keeps each member\'s wait when the gate opens, saying it passed, with the members needed and the match, in two writes as before', async () => {
    const e = await start(trainScenario([api, web], [trainRun(api), trainRun(web)]));
    const results = await Promise.all([api, web].map((m) => gateTask(e, m, { participants: 'api\nweb' }).done));
    results.forEach((r) => assert.equal(r.result.status, 'Succeeded', r.stdout));
    for (const m of [api, web]) {
      const wait = waitOn(e, m.buildId)!;
      assert.equal(wait.ended?.outcome, 'passed');
      assert.equal(wait.needed, 2);
      assert.deepEqual(wait.match, { mode: 'sameCommit', commit: harnessRun.commit, branch: harnessRun.branch });
      assert.equal(wait.gate, 'prod');
      assert.equal(gateRecordOn(e, m.buildId)?.state, 'open');
      const writes = e.requests.filter((q) => q.route === 'builds.properties.update' && q.path.includes(`/builds/${m.buildId}/`));
      assert.equal(writes.length, 2, 'arrived, then open with the wait ended (the write that removed it before)');
    }
  });

  it('says a member timed out at the gate, beside its withdrawn arrival and the reason', async () => {
    const e = await start(trainScenario([api, web, db], [trainRun(api), trainRun(web), trainRun(db)]));
    const r = await gateTask(e, api, { participants: 'api\nweb\ndb', quorum: '2', timeoutMinutes: '1' }).done;
    assert.equal(r.result.status, 'Failed', r.stdout);
    const wait = waitOn(e, api.buildId)!;
    assert.equal(wait.ended?.outcome, 'timedOut');
    assert.equal(wait.needed, 2, 'the quorum');
    const record = gateRecordOn(e, api.buildId)!;
    assert.equal(record.state, 'withdrawn');
    assert.equal(record.reason, r.result.message);
  });

  it('leaves a deadlock\'s cycle on the run, pipeline by pipeline, beside the text', async () => {
    const e = await start(trainScenario([api, web], [trainRun(api), trainRun(web, { stages: [{ identifier: 'Build', state: 'inProgress' }, { identifier: 'Gate', state: 'pending' }, { identifier: 'Deploy', state: 'pending' }] })]));
    // web's Build stage waits for api's Deploy, which comes after the gate where api waits for web.
    const { gate: a, wait: w } = await gateWaitDeadlock(e);
    const [ra, rw] = await Promise.all([a.done, w.done]);
    assert.equal(ra.result.status, 'Failed', ra.stdout);
    assert.equal(rw.result.status, 'Failed', rw.stdout);
    const gate = waitOn(e, api.buildId)!;
    assert.equal(gate.ended?.outcome, 'deadlock');
    assert.equal(gate.deadlock, 'api@prod → web → api@Deploy');
    assert.deepEqual(gate.cycle?.map((s) => [s.definitionName, s.gate ?? s.stage]), [['api', 'prod'], ['web', 'prod'], ['api', 'Deploy']]);
    assert.equal(waitOn(e, web.buildId)?.ended?.outcome, 'deadlock');
  });

  it('replaces a classic member\'s ended wait when it arrives again on a redeploy, so its record reads whole', async () => {
    const scenario = trainScenario([api], [trainRun(api)]);
    scenario.projects[0].releaseDefinitions = [{ id: 3, name: 'Legacy Web', environments: ['Production'] }];
    scenario.projects[0].releases = [{ id: 31, definition: 'Legacy Web', name: 'Release-31', artifacts: [{ alias: '_web', isPrimary: true, sourceVersion: harnessRun.commit }], environments: [{ name: 'Production', status: 'inProgress' }] }];
    const e = await start(scenario);
    const classic = (attempt: number) =>
      runTask({
        task: 'sync-gate',
        collectionUrl: e.collectionUrl,
        token: jobToken,
        host: 'release',
        inputs: { gate: 'prod', participants: 'api\nrelease:Legacy Web', pollIntervalSeconds: '5' },
        variables: { 'Release.ReleaseId': '31', 'Release.DefinitionId': '3', 'Release.DefinitionName': 'Legacy Web', 'Release.EnvironmentName': 'Production', 'Release.AttemptNumber': String(attempt), 'Build.BuildId': '' },
        env: { LOCKSTEP_TIME_SCALE: String(SCALE) },
      });
    const first = await Promise.all([classic(1).done, gateTask(e, api, { participants: 'api\nrelease:Legacy Web' }).done]);
    first.forEach((r) => assert.equal(r.result.status, 'Succeeded', r.stdout));
    assert.equal(readWaitRecordFromTags(e.state.release(31)!.tags)?.stageAttempt, 1);
    // A person redeploys Production: attempt 2 runs up to the gate, and passes on api's open mark.
    e.state.apply({ release: 31, environment: 'Production', status: 'succeeded' });
    e.state.apply({ release: 31, environment: 'Production', status: 'inProgress' });
    const again = await classic(2).done;
    assert.equal(again.result.status, 'Succeeded', again.stdout);
    const record = readWaitRecordFromTags(e.state.release(31)!.tags);
    assert.deepEqual([record?.stageAttempt, record?.ended?.outcome], [2, 'passed']);
    const waitTags = e.state.release(31)!.tags.filter(isWaitTag);
    assert.equal(waitTags.length, waitRecordTags(record!).length + 1, `only attempt 2's record and the tag that says it ended: ${waitTags.join(', ')}`);
  });
});
