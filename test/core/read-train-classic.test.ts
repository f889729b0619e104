import assert from 'node:assert/strict';
import type { Emulator } from '../../emulator';
import { harnessRun, runTask } from '../../emulator/agent/agent-harness';
import type { Scenario } from '../../emulator/scenario';
import { emulatorPerTest } from '../support/emulator-per-test';
import { api, gateTask, jobToken, SCALE, trainProject, trainRun, web } from '../support/gate-task';
import { member, readTrainOf } from '../support/train-view-source';

/**
 * A classic release in the train, in the train view's reader: as a member seen from a YAML run, and as the origin
 * (the release tab), its records read from its tags — through the bundled SyncGate tasks in the emulator.
 */
const commit = harnessRun.commit;

function train(): Scenario {
  return {
    token: jobToken,
    projects: [
      {
        ...trainProject([api, web], [trainRun(api), trainRun(web)]),
        releaseDefinitions: [{ id: 3, name: 'Legacy Web', environments: ['QA', 'Staging', 'Production'] }],
        releases: [
          { id: 30, definition: 'Legacy Web', name: 'Release-30', artifacts: [{ alias: '_web', isPrimary: true, sourceVersion: 'b'.repeat(40) }], environments: [{ name: 'QA', status: 'succeeded' }, { name: 'Staging', status: 'succeeded' }, { name: 'Production', status: 'succeeded' }] },
          { id: 31, definition: 'Legacy Web', name: 'Release-31', artifacts: [{ alias: '_web', isPrimary: true, sourceVersion: commit }], environments: [{ name: 'QA', status: 'succeeded' }, { name: 'Staging', status: 'succeeded' }, { name: 'Production', status: 'inProgress' }] },
        ],
      },
    ],
  };
}

/** The classic member's SyncGate step in Release-31's Production. */
function classic(e: Emulator) {
  return runTask({
    task: 'sync-gate',
    collectionUrl: e.collectionUrl,
    token: jobToken,
    host: 'release',
    inputs: { gate: 'prod', participants: 'api\nweb\nrelease:Legacy Web', pollIntervalSeconds: '5', timeoutMinutes: '30' },
    variables: { 'Release.ReleaseId': '31', 'Release.ReleaseName': 'Release-31', 'Release.DefinitionId': '3', 'Release.DefinitionName': 'Legacy Web', 'Release.EnvironmentName': 'Production', 'Release.AttemptNumber': '1', 'Build.BuildId': '' },
    env: { LOCKSTEP_TIME_SCALE: String(SCALE) },
  });
}

describe('readTrain: a classic release in the train (bundled SyncGate, FetchSource over HTTP, emulator)', function () {
  this.timeout(40_000);
  const start = emulatorPerTest(SCALE);

  it('shows a classic member beside the YAML ones — its train release, environments in order, its arrival — and the same train from the release tab', async () => {
    const e = await start(train());
    const tasks = [classic(e), gateTask(e, api, { participants: 'api\nweb\nrelease:Legacy Web', timeoutMinutes: '30' })];
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
