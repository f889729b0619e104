import assert from 'node:assert/strict';
import type { Emulator } from '../../emulator';
import type { Scenario } from '../../emulator/scenario';
import { harnessRun } from '../../emulator/agent/agent-harness';
import { gateMarks } from '../../src/gate/gate-marks';
import { emulatorPerTest } from '../support/emulator-per-test';
import { api, gateTask, jobToken, Member, SCALE, trainRun, web } from '../support/gate-task';

/**
 * SyncGate@1 with a member whose gate stage is `trigger: manual` (issue 13, case 2): web's train run completes
 * while its Gate stage, never started, stays pending; a person starts it later and web arrives then. Bundled task
 * processes against the emulator; policy time runs SCALE times faster (a 5 s interval is 0.25 s).
 */
const commit = harnessRun.commit;

describe('SyncGate@1 with a manual gate stage (bundled tasks, agent harness, emulator)', function () {
  this.timeout(40_000);
  const start = emulatorPerTest(SCALE);

  const scenario = (): Scenario => ({
    token: jobToken,
    // A started manual stage runs long enough for its gate to open.
    behaviour: { manualStageMs: 600_000 },
    projects: [
      {
        name: 'Shop',
        buildDefinitions: [
          { id: api.definitionId, name: 'api', stages: ['Build', 'Gate', 'Deploy'] },
          { id: web.definitionId, name: 'web', stages: ['Build', { identifier: 'Gate', trigger: 'manual' }, 'Deploy'] },
        ],
        builds: [
          trainRun(api, { status: 'inProgress', stages: [{ identifier: 'Build', result: 'succeeded' }, { identifier: 'Gate', state: 'inProgress' }, { identifier: 'Deploy' }] }),
          // web built, and completed: its Gate (manual) and Deploy (after it) wait for a person.
          trainRun(web, { status: 'completed', result: 'succeeded', stages: [{ identifier: 'Build', result: 'succeeded' }, { identifier: 'Gate' }, { identifier: 'Deploy' }] }),
        ],
      },
    ],
  });

  const gate = (e: Emulator, m: Member) => gateTask(e, m, { participants: 'api\nweb' });

  const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('does not fail the others while a member\'s manual gate stage waits for a person, says so, and opens for all once it is started and arrives', async () => {
    const e = await start(scenario());
    const a = gate(e, api);
    let apiEnded = false;
    void a.done.then(() => (apiEnded = true));
    await a.waitForLine(/^web: /);
    // Several checks go by: web's finished run does not fail api.
    await later(1_000);
    assert.equal(apiEnded, false, 'api still waits');
    // A person starts web's Gate stage; its SyncGate step runs and arrives.
    e.state.apply({ build: web.buildId, stage: 'Gate', run: true });
    assert.equal(e.state.build(web.buildId)!.status, 'inProgress', 'the run is back in progress');
    const [apiResult, webResult] = await Promise.all([a.done, gate(e, web).done]);
    assert.equal(apiResult.result.status, 'Succeeded', apiResult.stdout);
    assert.equal(webResult.result.status, 'Succeeded', webResult.stdout);
    const webLines = apiResult.log.filter((l) => l.startsWith('web: '));
    assert.equal(webLines[0], 'web: run 2.3.0-web (#102) completed; stages Gate, Deploy wait to be started by a person', apiResult.stdout);
    assert.match(webLines.at(-1)!, /^web: run 2\.3\.0-web \(#102\) (arrived|passed the gate)$/);
    for (const m of [api, web]) assert.ok(e.state.build(m.buildId)!.tags.includes(gateMarks('prod', commit).open), `${m.name} passed`);
  });

  it('reads a finished member\'s timeline once while it stays finished as it was, not at every check', async () => {
    const e = await start(scenario());
    const a = gate(e, api);
    await a.waitForLine(/^web: /);
    await later(1_000);
    const reads = () => e.requests.filter((q) => q.route === 'timeline.get' && q.path.includes(`/builds/${web.buildId}/`)).length;
    const checks = e.requests.filter((q) => q.route === 'builds.list').length;
    assert.ok(checks >= 4, `${checks} checks`);
    assert.equal(reads(), 1, 'one timeline read for web');
    a.sigint();
    await a.done;
  });
});
