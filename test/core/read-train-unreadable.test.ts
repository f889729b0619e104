import assert from 'node:assert/strict';
import { harnessRun } from '../../emulator/agent/agent-harness';
import { defaultRetryPolicy } from '../../src/client/retry-policy';
import { FetchSource } from '../../src/snapshot/fetch-source';
import { readTrain } from '../../src/snapshot/read-train';
import { commitRun, jobToken, waiterEmulatorPerTest, waitTask, yamlProject } from '../support/wait-task';
import { member, readTrainOf } from '../support/train-view-source';

/**
 * What the train view's reader puts in place of what it cannot read — a member the identity may not read (403), a run
 * that vanished (404), a run with nothing recorded yet — and how it rides out throttling, as the tasks do. The waiting
 * run's history is made by the bundled WaitForDependency in the emulator; denials are added after it, as a person
 * opening the view may be allowed less than the job was.
 */
const waiterRun = harnessRun.buildId;
const ops = (builds: Parameters<typeof yamlProject>[1]) => ({ ...yamlProject(['db'], builds, 'Ops'), buildDefinitions: [{ id: 31, name: 'db', stages: ['Build', { identifier: 'Prod', name: 'Production' }, 'Smoke'] }] });

describe('readTrain: what it cannot read (bundled WaitForDependency, FetchSource over HTTP, emulator)', function () {
  this.timeout(40_000);
  const start = waiterEmulatorPerTest();

  /** The waiter has waited for api, web (Shop) and Ops/db, all met. */
  async function waitedTrain() {
    const e = await start({
      projects: [
        yamlProject(['api', 'web'], [commitRun(201, 'api', { Build: 'succeeded', Prod: 'succeeded' }), commitRun(202, 'web', { Build: 'succeeded', Prod: 'succeeded' })]),
        ops([commitRun(301, 'db', { Build: 'succeeded', Prod: 'succeeded' })]),
      ],
    });
    const r = await waitTask(e, { dependencies: 'api@Prod\nweb@Prod\nOps/db@Prod' }).done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    return e;
  }

  it('puts a line in the place of members it may not read: a project it may not read (403), a pipeline whose runs the list leaves out', async () => {
    const e = await waitedTrain();
    e.state.denials.push({ permission: 'View builds', project: 'Ops' }, { permission: 'View builds', project: 'Shop', definition: 'web' });
    const { snapshot } = await readTrainOf(e, jobToken, waiterRun);
    assert.deepEqual(snapshot.members.map((m) => m.label), ['waiter', 'api', 'web', 'Ops/db']);
    assert.equal(member(snapshot, 'Ops/db').unreadable, 'No permission to read pipeline db in Ops (View builds) — 403');
    assert.equal(member(snapshot, 'Ops/db').run, undefined);
    // The service's list leaves out, without a word, the runs of a pipeline the identity may not read.
    assert.equal(member(snapshot, 'web').noRun, 'no run of web to be seen: none matches the train yet, or this identity may not read its runs (View builds on pipeline web in Shop)');
    assert.equal(member(snapshot, 'api').run?.id, 201);
    assert.deepEqual(member(snapshot, 'waiter').step?.waitsFor.map((w) => [w.label, w.met]), [['api', true], ['web', false], ['Ops/db', false]]);
  });

  it('says a run vanished: the origin, and a member\'s run deleted after the list named it', async () => {
    const e = await waitedTrain();
    e.faults.add({ kind: 'error', status: 404, route: 'timeline.get', path: '/builds/202/' });
    const { snapshot } = await readTrainOf(e, jobToken, waiterRun);
    assert.equal(member(snapshot, 'web').unreadable, 'Run #202 of web no longer exists');
    assert.equal(member(snapshot, 'api').unreadable, undefined);

    e.state.deleteBuild(waiterRun);
    const gone = (await readTrainOf(e, jobToken, waiterRun)).snapshot;
    assert.deepEqual([gone.members, gone.gates, gone.notices, gone.settled], [[], [], [`Run #${waiterRun} in Shop no longer exists`], true]);
    assert.equal(gone.requests, 3);
  });

  it('says so when the run has recorded nothing yet, and shows the run', async () => {
    const e = await start({ projects: [yamlProject(['api'], [commitRun(201, 'api', { Build: 'succeeded', Prod: 'inProgress' })])] });
    const { snapshot } = await readTrainOf(e, jobToken, 201);
    assert.deepEqual(snapshot.notices, ['Run 2.3.201 of api has recorded no Lockstep wait, gate or rollback yet']);
    assert.deepEqual(snapshot.members.map((m) => [m.label, m.run?.id, m.step]), [['api', 201, undefined]]);
    assert.equal(snapshot.requests, 3);
  });

  it('says it may not read the run itself (403)', async () => {
    const e = await start({ projects: [yamlProject(['api'], [commitRun(201, 'api', { Build: 'succeeded' })])], permissions: { deny: [{ permission: 'View builds', project: 'Shop', definition: 'api' }] } });
    const { snapshot } = await readTrainOf(e, jobToken, 201);
    assert.deepEqual(snapshot.notices, ['No permission to read run #201 in Shop (View builds) — 403']);
  });

  it('waits as a 429\'s Retry-After asks and backs off on 503, as the tasks\' policy says, counting every request sent', async () => {
    const e = await waitedTrain();
    e.faults.add({ kind: 'throttle', route: 'builds.list', count: 1, retryAfterSeconds: 7 });
    e.faults.add({ kind: 'error', status: 503, route: 'timeline.get', path: '/builds/201/', count: 2 });
    const waits: number[] = [];
    const source = new FetchSource({ collectionUrl: e.collectionUrl, releaseUrl: e.releaseUrl, token: async () => jobToken, sleep: async (ms) => void waits.push(ms), policy: undefined });
    const snapshot = await readTrain(source, { kind: 'build', project: 'Shop', id: waiterRun });
    assert.equal(member(snapshot, 'api').run?.id, 201);
    assert.equal(waits[0], 7_000, 'the 429 waited as Retry-After said');
    assert.equal(waits.length, 3);
    assert.ok(waits.slice(1).every((w) => w >= 700 && w <= 2_000), `backoff ${waits}`);
    // origin 3, Shop's list 1 (+1 throttled), Ops' list 1, timelines 3 (+2 failed).
    assert.equal(snapshot.requests, 3 + 2 + 1 + 3 + 2);
  });

  it('gives up on a service it cannot reach after the policy\'s attempts and says why, so the view tries again later instead of settling', async () => {
    const waits: number[] = [];
    const source = new FetchSource({ collectionUrl: 'http://127.0.0.1:1/lockstep', releaseUrl: 'http://127.0.0.1:1/vsrm/lockstep', token: jobToken, sleep: async (ms) => void waits.push(ms), policy: { ...defaultRetryPolicy, maxAttempts: 3 } });
    await assert.rejects(readTrain(source, { kind: 'build', project: 'Shop', id: 1 }), /^\w*Error: Could not reach Azure DevOps for run 1 in project 'Shop': /);
    assert.equal(source.requests, 3 * 3, 'three reads of the origin at once, each sent three times');
    assert.equal(waits.length, 3 * 2);
  });
});

