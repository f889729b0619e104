import assert from 'node:assert/strict';
import { emulatorPerTest } from '../support/emulator-per-test';
import { api, classicGateTask, classicTrainScenario, gateTask, jobToken, SCALE, web } from '../support/gate-task';
import { member, readTrainOf } from '../support/train-view-source';

/**
 * A classic release in the train, in the train view's reader: as a member seen from a YAML run, and as the origin
 * (the release tab), its records read from its tags — through the bundled SyncGate tasks in the emulator.
 */
describe('readTrain: a classic release in the train (bundled SyncGate, FetchSource over HTTP, emulator)', function () {
  this.timeout(40_000);
  const start = emulatorPerTest(SCALE);

  it('shows a classic member beside the YAML ones — its train release, environments in order, its arrival — and the same train from the release tab', async () => {
    const e = await start(classicTrainScenario());
    const tasks = [classicGateTask(e), gateTask(e, api, { participants: 'api\nweb\nrelease:Legacy Web', timeoutMinutes: '30' })];
    await Promise.all(tasks.map((t) => t.waitForLine(/^Arrived at gate/)));
    try {
      const fromApi = await readTrainOf(e, jobToken, api.buildId);
      const legacy = member(fromApi.snapshot, 'release:Legacy Web');
      assert.equal(legacy.kind, 'release');
      assert.deepEqual([legacy.run?.kind, legacy.run?.id, legacy.run?.name, legacy.run?.state], ['release', 31, 'Release-31', 'inProgress'], 'the train\'s release, not Release-30');
      assert.match(legacy.run!.webUrl, /_release\?releaseId=31/);
      assert.deepEqual(legacy.stages.map((s) => [s.name, s.state, s.attempt]), [['QA', 'succeeded', 1], ['Staging', 'succeeded', 1], ['Production', 'inProgress', 1]]);
      assert.equal(legacy.step?.state, 'atGate');
      const gate = fromApi.snapshot.gates[0];
      assert.deepEqual(gate.arrived.map((a) => [a.label, a.open, Boolean(a.at)]), [['api', false, true], ['release:Legacy Web', false, true]]);
      assert.deepEqual(gate.missing, ['web']);
      assert.deepEqual(fromApi.routes.sort(), ['builds.get', 'builds.list', 'builds.properties.get', 'release.releases.list', 'timeline.get', 'timeline.get']);

      const fromRelease = await readTrainOf(e, jobToken, 31, 'release');
      const s = fromRelease.snapshot;
      assert.deepEqual([s.origin.kind, s.origin.id, s.origin.name, s.origin.definitionName], ['release', 31, 'Release-31', 'Legacy Web']);
      assert.deepEqual(s.members.map((m) => [m.label, m.run?.id]), [['Legacy Web', 31], ['api', api.buildId], ['web', web.buildId]]);
      const step = member(s, 'Legacy Web').step!;
      assert.deepEqual([step.task, step.stage, step.state], ['SyncGate', 'Production', 'atGate']);
      assert.deepEqual(step.waitsFor, [{ label: 'api', gate: 'prod', met: true }, { label: 'web', gate: 'prod', met: false }]);
      assert.deepEqual(s.gates.map((g) => [g.gate, g.needed, g.arrived.map((a) => a.label), g.missing]), [['prod', 3, ['Legacy Web', 'api'], ['web']]]);
      // The release (its tags carry its records), one builds list, a timeline per YAML member.
      assert.deepEqual(fromRelease.routes.sort(), ['builds.list', 'release.releases.get', 'timeline.get', 'timeline.get']);
    } finally {
      tasks.forEach((t) => t.sigint());
      await Promise.all(tasks.map((t) => t.done));
    }
  });
});
