import assert from 'node:assert/strict';
import { harnessRun } from '../../emulator/agent/agent-harness';
import { listTrains } from '../../src/snapshot/list-trains';
import { emulatorPerTest } from '../support/emulator-per-test';
import { api, db, gateTask, jobToken, SCALE, trainRun, trainScenario, web } from '../support/gate-task';
import { viewSource } from '../support/train-view-source';

/**
 * The "Release trains" hub's list: the project's trains from one list of its newest runs and one of its newest
 * classic releases, their records made by running the bundled SyncGate tasks in the emulator, read over HTTP.
 */
const commit = harnessRun.commit;
const older = 'bbbb000000000000000000000000000000000002';

describe('listTrains: the project\'s trains for the hub (bundled SyncGate tasks, FetchSource over HTTP, emulator)', function () {
  this.timeout(40_000);
  const start = emulatorPerTest(SCALE);

  it('lists each train once with its runs, the active one on top, in one runs list and one releases list', async () => {
    // An older train (2.2.0) that passed its gate and finished; the current one (2.3.0) at its gate; a run with no record.
    const past = (m: typeof api, id: number) => trainRun({ ...m, buildId: id }, { sourceVersion: older, buildNumber: `2.2.0-${m.name}`, queueTime: -3_600_000 });
    const e = await start(
      trainScenario([api, web, db], [past(api, 91), past(web, 92), trainRun(api), trainRun(web), trainRun(db, { buildNumber: '2.3.0-db-unrecorded' })]),
    );
    const before = await Promise.all([api, web].map((m) => gateTask(e, { ...m, buildId: m === api ? 91 : 92 }, { participants: 'api\nweb', train: older }, { variables: { 'Build.SourceVersion': older } }).done));
    before.forEach((r) => assert.equal(r.result.status, 'Succeeded', r.stdout));
    // The older train's runs finish: api's deploys, web's fails after its gate.
    e.state.schedule({ at: e.elapsedMs(), build: 91, status: 'completed', result: 'succeeded' });
    e.state.schedule({ at: e.elapsedMs(), build: 92, status: 'completed', result: 'failed' });
    const waiting = gateTask(e, api, { participants: 'api\nweb\ndb', timeoutMinutes: '30' });
    await waiting.waitForLine(/^Arrived at gate/);
    try {
      const from = e.requests.length;
      const list = await listTrains(viewSource(e, jobToken), 'Shop');
      const routes = e.requests.slice(from).filter((q) => q.apiVersion === '7.1').map((q) => q.route);
      assert.deepEqual(list.notices, []);
      assert.deepEqual(list.trains.map((t) => [t.train, t.active, t.state, t.origin.id, t.runs.map((r) => `${r.definitionName} ${r.name} ${r.state}`)]), [
        [commit, true, 'inProgress', 101, ['api 2.3.0-api inProgress']],
        [older, false, 'failed', 92, ['web 2.2.0-web failed', 'api 2.2.0-api succeeded']],
      ]);
      assert.deepEqual(routes.sort(), ['builds.list', 'release.releases.list']);
      assert.equal(list.requests, 2);
    } finally {
      waiting.sigint();
      await waiting.done;
    }
  });

  it('says what it could not list instead of failing, and lists nothing from a project with no Lockstep records', async () => {
    const e = await start(trainScenario([api, web], [trainRun(api), trainRun(web)], { permissions: { deny: [{ permission: 'View releases', project: 'Shop' }] } }));
    const list = await listTrains(viewSource(e, jobToken), 'Shop');
    assert.deepEqual(list.trains, []);
    assert.equal(list.notices.length, 1);
    assert.match(list.notices[0], /^Could not list the newest classic releases of Shop — 403: /);
  });
});
