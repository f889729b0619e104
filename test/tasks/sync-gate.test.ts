import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../emulator';
import { emulatorPerTest } from '../support/emulator-per-test';
import { api, db, gateTask, jobToken, Member, SCALE, trainRun, trainScenario, web } from '../support/gate-task';
import type { BuildInput, Scenario } from '../../emulator/scenario';
import { gateMarks } from '../../src/gate/gate-marks';
import { gatePropertyName, readGateRecord } from '../../src/gate/gate-record';
import { harnessRun, runTask, TaskResult, TaskRunOptions } from '../../emulator/agent/agent-harness';

/**
 * SyncGate@1 as the agent runs it: several bundled task processes at once, one per member run, against the
 * emulator. Policy time runs SCALE times faster (a 15 s interval is 0.75 s, a one-minute timeout 3 s).
 */
const commit = harnessRun.commit;
/** The train of api, web and db in Shop, with the given runs. */
const shop = (builds: BuildInput[], extra: Partial<Scenario> = {}): Scenario => trainScenario([api, web, db], builds, extra);

describe('SyncGate@1 (bundled tasks, agent harness, emulator)', function () {
  this.timeout(40_000);
  const start = emulatorPerTest(SCALE);

  /** One member's SyncGate step, in its own run. */
  const gate = (e: Emulator, m: Member, inputs: Record<string, string> = {}, options: Partial<TaskRunOptions> = {}) =>
    gateTask(e, m, { participants: 'api\nweb\ndb', ...inputs }, options);

  /** A WaitForDependency step beside the gates (deadlock tests), in a YAML run or, with host 'release', a classic release. */
  function waitStep(e: Emulator, dependencies: string, variables: Record<string, string>, host?: 'release') {
    return runTask({
      task: 'wait-for-dependency',
      collectionUrl: e.collectionUrl,
      token: jobToken,
      ...(host ? { host } : {}),
      inputs: { dependencies, pollIntervalSeconds: '5' },
      variables,
      env: { LOCKSTEP_TIME_SCALE: String(SCALE) },
    });
  }

  const tagsOf = (e: Emulator, buildId: number) => e.state.build(buildId)!.tags;
  const marks = gateMarks('prod', commit);
  const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('fails before arriving when it may not mark its arrival or read a member, naming every missing permission, and marks nothing', async () => {
    const e = await start(shop([trainRun(api), trainRun(web), trainRun(db)], { permissions: { deny: [{ permission: 'Edit build quality', definition: 'api' }, { permission: 'View builds', definition: 'db' }] } }));
    const r = await gate(e, api).done;
    assert.equal(r.result.status, 'Failed');
    assert.equal(
      r.result.message,
      "Project Collection Build Service (lockstep) lacks 2 permission(s) this task needs, so it waited for and changed nothing: 'View builds' on pipeline db (project Shop); 'Edit build quality' on pipeline api (project Shop). Where to grant each is in the log.",
    );
    assert.ok(r.log.some((l) => l.startsWith("Missing: 'Edit build quality' on pipeline api (project Shop), to tag its own run with its arrival at the gate. Grant it to Project Collection Build Service (lockstep) in Pipelines › api › ⋯ › Manage security")), r.stdout);
    assert.deepEqual(tagsOf(e, api.buildId), []);
    assert.deepEqual(e.requests.filter((q) => q.method === 'PATCH' || q.route === 'builds.list'), [], 'no arrival, no wait');
  });

  it('fails at once, saying so, when its arrival is answered without error but its own run is gone (a write that did nothing)', async () => {
    const e = await start(shop([trainRun(api), trainRun(web)]));
    e.state.deleteBuild(api.buildId);
    const r = await gate(e, api, { participants: 'api\nweb' }).done;
    assert.equal(r.result.status, 'Failed');
    assert.equal(r.result.message, `PATCH the properties of run ${api.buildId} in project 'Shop' was answered without an error, but it had no effect: the run no longer exists (deleted, perhaps by retention).`);
  });

  it('lets three members arriving at different times pass together, each within one poll of the last arrival', async () => {
    const e = await start(shop([trainRun(api), trainRun(web), trainRun(db)]));
    const first = gate(e, api);
    await later(600);
    const second = gate(e, web);
    await later(600);
    const lastStarted = Date.now();
    const last = gate(e, db);
    const runs = [first, second, last];
    const ends: number[] = [];
    const results = await Promise.all(runs.map((r) => r.done.then((x) => (ends.push(Date.now()), x))));
    results.forEach((r) => assert.equal(r.result.status, 'Succeeded', r.stdout));
    const skew = Math.max(...ends) - Math.min(...ends);
    console.log(`      skew (latest pass - earliest pass): ${skew} ms real = ${(skew * SCALE) / 1000} s policy time; last member passed ${Math.max(...ends) - lastStarted} ms after starting`);
    assert.ok(skew <= 5_000 / SCALE + 400, `skew ${skew} ms real exceeds one poll interval`);
    for (const m of [api, web, db]) assert.ok(tagsOf(e, m.buildId).includes(marks.open), `${m.name} shows it passed: ${tagsOf(e, m.buildId)}`);
    const arrived = JSON.parse(results[0].outputs.arrived);
    assert.deepEqual(arrived.map((a: { member: string }) => a.member).sort(), ['api', 'db', 'web']);
    assert.match(results[0].outputs.openedAt, /^\d{4}-\d\d-\d\dT/);
    assert.ok(results[0].log.some((l) => /^db: run 2\.3\.0-db \(#103\) (arrived|passed the gate)$/.test(l)), results[0].stdout);
    assert.ok(results[0].attachments.some((a) => a.type === 'Distributedtask.Core.Summary' && a.content?.includes('Lockstep · SyncGate `prod`')));
  });

  it('lets members that start together pass within the final-approach interval of each other', async () => {
    const e = await start(shop([trainRun(api), trainRun(web), trainRun(db)]));
    const ends: number[] = [];
    const results = await Promise.all([api, web, db].map((m) => gate(e, m).done.then((r) => (ends.push(Date.now()), r))));
    results.forEach((r) => assert.equal(r.result.status, 'Succeeded', r.stdout));
    const skew = Math.max(...ends) - Math.min(...ends);
    console.log(`      skew when starting together: ${skew} ms real = ${(skew * SCALE) / 1000} s policy time`);
    assert.ok(skew <= 1_000 / SCALE + 300, `skew ${skew} ms real: more than the 1 s final approach`);
  });

  it('checks every second for one interval after an arrival and on the final approach, at the steady interval otherwise', async () => {
    const e = await start(shop([trainRun(api), trainRun(web), trainRun(db)]));
    const lists = () => e.requests.filter((q) => q.route === 'builds.list').length;
    const a = gate(e, api, { participants: 'api\nweb\ndb' });
    await a.waitForLine(/^Arrived at gate/);
    const arrived = lists();
    // One interval (5 s, 0.25 s real) after arriving: a check a second, in case the train's members started together.
    await later(500);
    const burst = lists() - arrived;
    const steadyFrom = lists();
    await later(1_500);
    const steady = lists() - steadyFrom;
    const b = gate(e, web);
    await b.waitForLine(/^Arrived at gate/);
    const approachFrom = lists();
    await later(1_500);
    const finalApproach = lists() - approachFrom;
    gate(e, db);
    await Promise.all([a.done, b.done]);
    // Steady state: one list per 5 s (0.25 s real); final approach: one a second (50 ms real), per waiting member.
    console.log(`      builds-list requests: ${burst} in the interval after arriving; in 1.5 s real, steady ${steady} (one member), final approach ${finalApproach} (two members)`);
    assert.ok(burst <= 5 + 2 + 2, `burst ${burst}: more than one check a second for one interval (and one at the end)`);
    assert.ok(steady <= 1.5 / 0.25 + 2, `steady ${steady}`);
    assert.ok(finalApproach >= 2 * steady, `final approach ${finalApproach} vs steady ${steady}`);
  });

  it('checks on whole seconds of the clock on the final approach, so every waiting member checks at the same instants', async () => {
    const e = await start(shop([trainRun(api), trainRun(web), trainRun(db)]));
    const a = gate(e, api);
    const w = gate(e, web);
    await Promise.all([a.waitForLine(/^Arrived at gate/), w.waitForLine(/^Arrived at gate/)]);
    const from = e.requests.length;
    await later(1_000);
    const checks = e.requests.slice(from).filter((q) => q.route === 'builds.list');
    gate(e, db);
    await Promise.all([a.done, w.done]);
    // Milliseconds past the whole second (policy time) at which each check reached the service: the tasks and the
    // emulator count scaled time from whole seconds alike, as synchronised agents and the service do. A check takes a
    // few real ms to arrive (×20 here); random phases would put only 2 in 5 under 400.
    const phases = checks.map((q) => (e.epochMs + q.time) % 1000);
    const onTick = phases.filter((p) => p < 400).length;
    console.log(`      ${checks.length} checks in 1 s real; ${onTick} reached the service within 400 ms (policy) after a whole second`);
    assert.ok(checks.length >= 20, `${checks.length} checks`);
    assert.ok(onTick >= 0.8 * checks.length, `phases ${phases.join(', ')}`);
  });

  it('fails fast, naming the member and its run, when a member\'s train run fails before arriving', async () => {
    const e = await start(shop([trainRun(api), trainRun(web), trainRun(db)], { events: [{ at: 8_000, build: db.buildId, status: 'completed', result: 'failed' }] }));
    const [a, w] = await Promise.all([gate(e, api).done, gate(e, web).done]);
    for (const r of [a, w]) {
      assert.equal(r.result.status, 'Failed');
      assert.match(r.result.message, /^db: its train run 2\.3\.0-db ended failed before arriving at gate 'prod' \(http:\/\/\S+buildId=103\)\.$/);
    }
    assert.ok(!tagsOf(e, api.buildId).includes(marks.arrived), 'api withdrew');
  });

  it('fails fast, naming the member, when a member that arrived is killed at the gate (its mark stays, its run ends)', async () => {
    const record = JSON.stringify({ gate: 'prod', train: commit, state: 'arrived', stage: 'Gate', stageAttempt: 1, jobId: 'x', arrivedAt: '2026-11-27T08:00:00Z' });
    // db arrived, then its agent died: the arrival mark and record stay on a run that ended failed.
    const dead = trainRun(db, {
      status: 'completed',
      result: 'failed',
      tags: [marks.arrived],
      properties: { [gatePropertyName('prod', commit)]: record },
      stages: [{ identifier: 'Build', state: 'completed', result: 'succeeded' }, { identifier: 'Gate', state: 'completed', result: 'failed' }, { identifier: 'Deploy', state: 'completed', result: 'skipped' }],
    });
    const e = await start(shop([trainRun(api), trainRun(web), dead]));
    const started = Date.now();
    const [a, w] = await Promise.all([gate(e, api, { timeoutMinutes: '5' }).done, gate(e, web, { timeoutMinutes: '5' }).done]);
    for (const r of [a, w]) {
      assert.equal(r.result.status, 'Failed');
      assert.match(r.result.message, /^db: its train run 2\.3\.0-db ended failed after arriving at gate 'prod', without passing \(http:\/\/\S+buildId=103\); its arrival no longer counts\.$/);
    }
    assert.ok(Date.now() - started < 5 * 60_000 / SCALE / 2, 'well before the timeout');
  });

  it('times out naming who is missing and their state, and withdraws its own arrival', async () => {
    const e = await start(shop([trainRun(api), trainRun(web), trainRun(db)]));
    // web stays a little longer, so api's last look still sees it there.
    const [a, w] = await Promise.all([gate(e, api, { timeoutMinutes: '1' }).done, gate(e, web, { timeoutMinutes: '2' }).done]);
    assert.equal(a.result.status, 'Failed');
    assert.match(a.result.message, /^Gate 'prod' of train '3f2a9c1e\w+' did not open after 1m0\ds: 2 of 3 needed have arrived\. Missing: db \(run 2\.3\.0-db \(#103\) inProgress, not arrived\)$/);
    assert.equal(w.result.status, 'Failed');
    assert.match(w.result.message, /Missing: api \(run 2\.3\.0-api \(#101\) inProgress, not arrived\); db /);
    assert.deepEqual([tagsOf(e, api.buildId), tagsOf(e, web.buildId)], [[], []]);
  });

  it('opens with a quorum of 2 of 3 once two have arrived', async () => {
    const e = await start(shop([trainRun(api), trainRun(web), trainRun(db)]));
    const [a, w] = await Promise.all([gate(e, api, { quorum: '2' }).done, gate(e, web, { quorum: '2' }).done]);
    assert.equal(a.result.status, 'Succeeded', a.stdout);
    assert.equal(w.result.status, 'Succeeded', w.stdout);
  });

  it('withdraws the arrival of a member canceled at the gate, so a later arrival does not pass because of it', async () => {
    const e = await start(shop([trainRun(api), trainRun(web), trainRun(db)]));
    const a = gate(e, api, {}, { env: { LOCKSTEP_TIME_SCALE: '1' } });
    await a.waitForLine(/^Arrived at gate/);
    const at = Date.now();
    a.sigint();
    const canceled = await a.done;
    assert.ok(Date.now() - at < 2_000);
    assert.match(canceled.result.message, /^Canceled while waiting at gate 'prod' of train '\w+'; arrival withdrawn\. Missing: /);
    assert.deepEqual(tagsOf(e, api.buildId), []);
    assert.equal(readGateRecord(e.state.build(api.buildId)!.properties, gatePropertyName('prod', commit))?.state, 'withdrawn');
    const [w, d] = await Promise.all([gate(e, web, { timeoutMinutes: '1' }).done, gate(e, db, { timeoutMinutes: '1' }).done]);
    assert.equal(w.result.status, 'Failed');
    assert.equal(d.result.status, 'Failed');
    assert.match(w.result.message, /Missing: api \(run 2\.3\.0-api \(#101\) inProgress, not arrived\)/);
  });

  it('takes a classic release as a member, and runs inside a classic release', async () => {
    const scenario = shop([trainRun(api)]);
    scenario.projects[0].releaseDefinitions = [{ id: 3, name: 'Legacy Web', environments: ['Staging', 'Production'] }];
    scenario.projects[0].releases = [
      { id: 31, definition: 'Legacy Web', name: 'Release-31', artifacts: [{ alias: '_web', isPrimary: true, sourceVersion: commit }], environments: [{ name: 'Staging', status: 'succeeded' }, { name: 'Production', status: 'inProgress' }] },
    ];
    const e = await start(scenario);
    const inputs = { participants: 'api\nrelease:Legacy Web' };
    const [a, legacy] = await Promise.all([
      gate(e, api, inputs).done,
      gate(e, api, inputs, {
        host: 'release',
        variables: { 'Release.ReleaseId': '31', 'Release.DefinitionId': '3', 'Release.DefinitionName': 'Legacy Web', 'Release.EnvironmentName': 'Production', 'Build.BuildId': '' },
      }).done,
    ]);
    assert.equal(a.result.status, 'Succeeded', a.stdout);
    assert.equal(legacy.result.status, 'Succeeded', legacy.stdout);
    assert.ok(e.state.release(31)!.tags.includes(gateMarks('prod', commit, { kind: 'release', environment: 'Production', attempt: 1 }).open));
  });

  it('keeps a second train at the same gate independent, with a train id awkward in URLs', async () => {
    const awkward = 'release/2.3 #4?.';
    const e = await start(shop([trainRun(api, { tags: [awkward] }), trainRun(web, { tags: [awkward] }), trainRun(db)]));
    const inputs = { train: awkward, trainMatch: 'tag', participants: 'api\nweb' };
    const [a, w] = await Promise.all([gate(e, api, inputs).done, gate(e, web, inputs).done]);
    assert.equal(a.result.status, 'Succeeded', a.stdout);
    assert.equal(w.result.status, 'Succeeded', w.stdout);
    assert.ok(tagsOf(e, api.buildId).includes('lockstep:prod@release%2F2.3 %234%3F%2E:open'), String(tagsOf(e, api.buildId)));
    // The commit train of the same gate saw none of it.
    const alone = await gate(e, db, { timeoutMinutes: '1' }).done;
    assert.equal(alone.result.status, 'Failed');
    assert.match(alone.result.message, /2 of 3 needed|1 of 3 needed/);
  });

  // Whether Builds - List fills in properties is undocumented: the records must read the same either way.
  for (const listProperties of ['filled', 'absent'] as const) it(`does not pass on stale marks of an earlier, canceled attempt of a retried stage (list answers ${listProperties === 'filled' ? 'with' : 'without'} properties)`, async () => {
    const stale = JSON.stringify({ gate: 'prod', train: commit, state: 'open', stage: 'Gate', stageAttempt: 1, arrivedAt: '2026-11-27T08:00:00Z', openedAt: '2026-11-27T08:01:00Z' });
    const e = await start(
      shop([
        trainRun(api, {
          tags: [marks.arrived, marks.open],
          properties: { [gatePropertyName('prod', commit)]: stale },
          stages: [
            { identifier: 'Build', state: 'completed', result: 'succeeded' },
            { identifier: 'Gate', state: 'inProgress', attempt: 2 },
          ],
        }),
        trainRun(web),
      ], { behaviour: { listProperties } }),
    );
    const w = gate(e, web, { participants: 'api\nweb', timeoutMinutes: '1' });
    await later(1_500);
    assert.equal(w.lines().some((l) => /Gate 'prod' .* is open/.test(l)), false, 'web did not pass on the stale open mark');
    const a = await gate(e, api, { participants: 'api\nweb' }, { variables: { 'System.StageAttempt': '2' } }).done;
    const webResult = await w.done;
    assert.equal(a.result.status, 'Succeeded', a.stdout);
    assert.equal(webResult.result.status, 'Succeeded', webResult.stdout);
    const ownGets = e.requests.filter((q) => q.route === 'builds.properties.get').length;
    if (listProperties === 'absent') assert.ok(ownGets > 0, 'the records were read with their own GET');
    else assert.equal(ownGets, 0, 'nothing beyond the list when it carries the properties');
  });

  it('joins a gate a live member has already passed after checking that member alone, not every arrival', async () => {
    const record = (m: Member, state: 'arrived' | 'open') =>
      JSON.stringify({ gate: 'prod', train: commit, state, stage: 'Gate', stageAttempt: 1, arrivedAt: '2026-11-27T08:00:00Z', ...(state === 'open' ? { openedAt: '2026-11-27T08:01:00Z' } : {}) });
    const e = await start(
      shop([
        trainRun(api, { tags: [marks.arrived, marks.open], properties: { [gatePropertyName('prod', commit)]: record(api, 'open') } }),
        trainRun(web, { tags: [marks.arrived], properties: { [gatePropertyName('prod', commit)]: record(web, 'arrived') } }),
        trainRun(db),
      ]),
    );
    const d = await gate(e, db).done;
    assert.equal(d.result.status, 'Succeeded', d.stdout);
    const timelines = e.requests.filter((q) => q.route === 'timeline.get').map((q) => Number(/\/builds\/(\d+)\/timeline/i.exec(q.path)?.[1]));
    // api's timeline shows its Gate stage is still the attempt that passed; web's arrival is not read at all.
    assert.deepEqual(timelines, [api.buildId]);
  });

  it('opens on a full house after checking every arrival once, all at the same time', async () => {
    const arrivedRecord = JSON.stringify({ gate: 'prod', train: commit, state: 'arrived', stage: 'Gate', stageAttempt: 1, arrivedAt: '2026-11-27T08:00:00Z' });
    const e = await start(
      shop([
        trainRun(api, { tags: [marks.arrived], properties: { [gatePropertyName('prod', commit)]: arrivedRecord } }),
        trainRun(web, { tags: [marks.arrived], properties: { [gatePropertyName('prod', commit)]: arrivedRecord } }),
        trainRun(db),
      ], { faults: [{ kind: 'delay', route: 'timeline.get', delayMs: 300 }] }),
    );
    const d = await gate(e, db).done;
    assert.equal(d.result.status, 'Succeeded', d.stdout);
    const timelines = e.requests.filter((q) => q.route === 'timeline.get');
    assert.deepEqual(timelines.map((q) => Number(/\/builds\/(\d+)\/timeline/i.exec(q.path)?.[1])).sort(), [api.buildId, web.buildId]);
    // Both were asked before either answered.
    assert.ok(Math.abs(timelines[0].time - timelines[1].time) < 300 * SCALE, `asked ${timelines[0].time} and ${timelines[1].time}`);
  });

  it('waits one check for the last arrival to open the gate rather than every member reading every arrival at once', async () => {
    // Real time here (x1): a check a second. db's open mark is written 700 ms late, so the others mostly see db arrive
    // a check before they see the gate open (unless db arrives in the 0.3 s before a check; then they see both at once,
    // with the same reads); they wait that check for the mark instead of each reading every arrival's timeline. The
    // mark must land before their next check: it does unless db takes over 300 ms from its arrival to writing the mark
    // (at x2 with 425 ms, 75 ms of a loaded machine's delays were enough to miss it).
    const scale = 1;
    const e = await startEmulator({
      scenario: shop([trainRun(api), trainRun(web), trainRun(db)], {
        faults: [{ kind: 'delay', route: 'builds.properties.update', path: '/builds/103/', afterRequests: 1, delayMs: 700 }],
      }),
      timeScale: scale,
    });
    try {
      const atScale = { env: { LOCKSTEP_TIME_SCALE: String(scale) } };
      const a = gate(e, api, {}, atScale);
      const w = gate(e, web, {}, atScale);
      await Promise.all([a.waitForLine(/^Arrived at gate/), w.waitForLine(/^Arrived at gate/)]);
      await later(300);
      const results = await Promise.all([a.done, w.done, gate(e, db, {}, atScale).done]);
      results.forEach((r) => assert.equal(r.result.status, 'Succeeded', r.stdout));
      const timelines = e.requests.filter((q) => q.route === 'timeline.get').map((q) => Number(/\/builds\/(\d+)\/timeline/i.exec(q.path)?.[1]));
      // db checks api and web once each as it opens the gate; api and web then check db alone.
      assert.deepEqual(timelines.sort(), [api.buildId, web.buildId, db.buildId, db.buildId].sort());
    } finally {
      await e.close();
    }
  });

  for (const listProperties of ['filled', 'absent'] as const) it(`detects a deadlock with a WaitForDependency across pipelines and fails both within two polls, printing the cycle (list answers ${listProperties === 'filled' ? 'with' : 'without'} properties)`, async () => {
    const e = await start(shop([trainRun(api), trainRun(web, { stages: [{ identifier: 'Build', state: 'inProgress' }, { identifier: 'Gate', state: 'pending' }] })], { behaviour: { listProperties } }));
    const a = gate(e, api, { participants: 'api\nweb' });
    await a.waitForLine(/^Arrived at gate/);
    const w = waitStep(e, 'api@Deploy', { 'Build.BuildId': String(web.buildId), 'Build.DefinitionName': 'web', 'System.DefinitionId': String(web.definitionId), 'System.StageName': 'Build' });
    const [gateResult, waitResult]: TaskResult[] = await Promise.all([a.done, w.done]);
    assert.equal(gateResult.result.status, 'Failed');
    assert.equal(gateResult.result.message, 'Deadlock: api@prod → web → api@Deploy. These waits can never end; change the order of the stages or the gates.');
    assert.equal(waitResult.result.status, 'Failed');
    assert.equal(waitResult.result.message, 'Deadlock: web → api@Deploy → web (awaited at gate prod). These waits can never end; change the order of the stages or the gates.');
    assert.ok(Number(waitResult.outputs.waitedSeconds) <= 2 * 5 + 2, `detected after ${waitResult.outputs.waitedSeconds}s`);
  });

  it('detects a deadlock through a classic release, which publishes its wait in path-safe tags, and fails both sides', async () => {
    const scenario = shop([trainRun(api, { stages: [{ identifier: 'Build', state: 'completed', result: 'succeeded' }, { identifier: 'Gate', state: 'inProgress' }, { identifier: 'Deploy', state: 'pending' }] })]);
    scenario.projects[0].releaseDefinitions = [{ id: 3, name: 'Legacy Web', environments: ['Staging', 'Production'] }];
    scenario.projects[0].releases = [
      { id: 31, definition: 'Legacy Web', name: 'Release-31', artifacts: [{ alias: '_web', isPrimary: true, sourceVersion: commit }], environments: [{ name: 'Staging', status: 'succeeded' }, { name: 'Production', status: 'inProgress' }] },
    ];
    const e = await start(scenario);
    // Legacy Web's Production waits for api's Deploy; api waits at its Gate stage for Legacy Web's Production.
    const legacy = waitStep(e, 'api@Deploy', { 'Release.ReleaseId': '31', 'Release.DefinitionId': '3', 'Release.DefinitionName': 'Legacy Web', 'Release.EnvironmentName': 'Production', 'Build.BuildId': '' }, 'release');
    await legacy.waitForLine(/^Waiting for 1 dependencies/);
    const waitTags = e.state.release(31)!.tags.filter((t) => t.startsWith('lockstep.waiting.'));
    assert.ok(waitTags.length > 0 && waitTags.every((t) => /^[A-Za-z0-9._-]+$/.test(t)), `path-safe wait tags: ${waitTags}`);
    const a = waitStep(e, 'release:Legacy Web@Production', { 'Build.BuildId': String(api.buildId), 'Build.DefinitionName': 'api', 'System.DefinitionId': String(api.definitionId), 'System.StageName': 'Gate' });
    const [legacyResult, apiResult]: TaskResult[] = await Promise.all([legacy.done, a.done]);
    assert.equal(apiResult.result.status, 'Failed', apiResult.stdout);
    assert.equal(apiResult.result.message, 'Deadlock: api → release:Legacy Web@Production → api@Deploy. These waits can never end; change the order of the stages or the gates.');
    assert.equal(legacyResult.result.status, 'Failed', legacyResult.stdout);
    assert.equal(legacyResult.result.message, 'Deadlock: Legacy Web → api@Deploy → Legacy Web@Production. These waits can never end; change the order of the stages or the gates.');
    assert.ok(Number(apiResult.outputs.waitedSeconds) <= 2 * 5 + 2, `detected after ${apiResult.outputs.waitedSeconds}s`);
  });

  describe('bad input fails with a clear message before waiting', () => {
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      ['an empty gate', { gate: '' }, /^Input 'gate' is required\.$/],
      ['an empty train', { train: '' }, /^Input 'train' is required\.$/],
      ['an unknown participant', { participants: 'api\nwbe' }, /^Pipeline 'wbe' not found in project 'Shop'\. Did you mean 'web' or 'db'\?$/],
      ['a quorum larger than the train', { quorum: '4' }, /^quorum 4 is larger than the train: 3 members \(api, web, db, this run included\)\.$/],
      ['a stage part in a participant', { participants: 'api@Prod' }, /a stage or environment is not allowed here/],
    ];
    for (const [what, inputs, message] of cases) {
      it(what, async () => {
        const e = await start(shop([trainRun(api)]));
        const r = await gate(e, api, inputs).done;
        assert.equal(r.result.status, 'Failed');
        assert.match(r.result.message, message);
        assert.deepEqual(tagsOf(e, api.buildId), [], 'nothing was written');
      });
    }

    it('accepts a participant list that names this run\'s own pipeline', async () => {
      const e = await start(shop([trainRun(api), trainRun(web)]));
      const [a, w] = await Promise.all([gate(e, api, { participants: 'api\nweb' }).done, gate(e, web, { participants: 'web\napi' }).done]);
      assert.equal(a.result.status, 'Succeeded', a.stdout);
      assert.equal(w.result.status, 'Succeeded', w.stdout);
    });
  });
});
