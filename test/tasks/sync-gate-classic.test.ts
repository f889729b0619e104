import assert from 'node:assert/strict';
import type { Emulator } from '../../emulator';
import type { ReleaseInput, Scenario } from '../../emulator/scenario';
import { harnessRun, runTask, TaskRunOptions } from '../../emulator/agent/agent-harness';
import { gateMarks } from '../../src/gate/gate-marks';
import { isWaitTag, readWaitRecordFromTags } from '../../src/waits/wait-tags';
import { emulatorPerTest } from '../support/emulator-per-test';
import { api, gateTask, jobToken, Member, SCALE, trainProject, trainRun, web } from '../support/gate-task';

/**
 * SyncGate@1 with a classic release as a member, as the agent runs it, against the emulator with the service's path
 * rule on (a release tag is removed by its URL path, where `:` is refused): the classic member leaves the gate, comes
 * back on a redeploy, dies at the gate, and has environments of its own that fail. Policy time runs SCALE times faster.
 */
const commit = harnessRun.commit;

/** api and web (YAML) and Legacy Web (classic: QA, Staging, Production), whose train release is Release-31. */
function train(environments: ReleaseInput['environments'], tags: string[] = [], status: ReleaseInput['status'] = 'active'): Scenario {
  return {
    token: jobToken,
    projects: [
      {
        ...trainProject([api, web], [trainRun(api), trainRun(web)]),
        releaseDefinitions: [{ id: 3, name: 'Legacy Web', environments: ['QA', 'Staging', 'Production'] }],
        releases: [{ id: 31, definition: 'Legacy Web', name: 'Release-31', status, artifacts: [{ alias: '_web', isPrimary: true, sourceVersion: commit }], environments, tags }],
      },
    ],
  };
}

/** The classic member's marks at gate prod, for its Production environment at one deployment attempt. */
const production = (attempt: number) => gateMarks('prod', commit, { kind: 'release', environment: 'Production', attempt });
/** Its gate marks; its published wait stays when the wait ends, rewritten with how (read by endedAs). */
const gateTags = (e: Emulator) => e.state.release(31)!.tags.filter((t) => t.toLowerCase().startsWith('lockstep') && !isWaitTag(t)).sort();
const endedAs = (e: Emulator) => readWaitRecordFromTags(e.state.release(31)!.tags)?.ended?.outcome;
/** Answers the service gives a path it refuses: none may come, whatever the classic member does. */
const refused = (e: Emulator) => e.requests.filter((q) => q.status === 400).map((q) => `${q.method} ${q.path}`);
const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SyncGate@1 with classic members, under the service\'s path rule (bundled tasks, emulator)', function () {
  this.timeout(40_000);
  const start = emulatorPerTest(SCALE);

  /** A YAML member's SyncGate step. */
  const gate = (e: Emulator, m: Member, inputs: Record<string, string> = {}) => gateTask(e, m, { participants: 'api\nweb\nrelease:Legacy Web', ...inputs });

  /** The classic member's SyncGate step, in Release-31's Production at a deployment attempt. */
  function classic(e: Emulator, inputs: Record<string, string> = {}, attempt = 1, options: Partial<TaskRunOptions> = {}) {
    return runTask({
      task: 'sync-gate',
      collectionUrl: e.collectionUrl,
      token: jobToken,
      host: 'release',
      inputs: { gate: 'prod', participants: 'api\nweb\nrelease:Legacy Web', pollIntervalSeconds: '5', ...inputs },
      variables: {
        'Release.ReleaseId': '31',
        'Release.ReleaseName': 'Release-31',
        'Release.DefinitionId': '3',
        'Release.DefinitionName': 'Legacy Web',
        'Release.EnvironmentName': 'Production',
        'Release.AttemptNumber': String(attempt),
        'Build.BuildId': '',
      },
      env: { LOCKSTEP_TIME_SCALE: String(SCALE), ...options.env },
    });
  }

  it('withdraws a classic member that times out at the gate, removing its arrival mark, and a member arriving later does not pass on it', async () => {
    const e = await start(train([{ name: 'QA', status: 'succeeded' }, { name: 'Staging', status: 'succeeded' }, { name: 'Production', status: 'inProgress' }]));
    const legacy = await classic(e, { timeoutMinutes: '1' }).done;
    assert.equal(legacy.result.status, 'Failed');
    assert.match(legacy.result.message, /^Gate 'prod' of train '\w+' did not open after 1m0\ds: 1 of 3 needed have arrived\. Missing: api .*; web /);
    assert.ok(legacy.log.includes(`Withdrew this run's arrival at gate 'prod' of train '${commit}'.`), legacy.stdout);
    assert.deepEqual(legacy.warnings, []);
    assert.deepEqual(gateTags(e), [], 'no arrival mark');
    assert.equal(endedAs(e), 'timedOut', 'its published wait says it ended, so no deadlock detection counts it');
    // Production still deploys (the job goes on after the step): api and web arrive, and must not pass on the release.
    const [a, w] = await Promise.all([gate(e, api, { timeoutMinutes: '1' }).done, gate(e, web, { timeoutMinutes: '1' }).done]);
    for (const r of [a, w]) {
      assert.equal(r.result.status, 'Failed', r.stdout);
      assert.match(r.result.message, /[:;] release:Legacy Web \(release Release-31 \(#31\) not arrived\)$/);
    }
    assert.deepEqual(refused(e), []);
  });

  it('withdraws a classic member canceled at the gate within the clean-up budget, removing its arrival mark by its path', async () => {
    const e = await start(train([{ name: 'Production', status: 'inProgress' }]));
    const t = classic(e, {}, 1, { env: { LOCKSTEP_TIME_SCALE: '1' } });
    await t.waitForLine(/^Arrived at gate/);
    assert.ok(gateTags(e).includes(production(1).arrived), String(gateTags(e)));
    const at = Date.now();
    t.sigint();
    const canceled = await t.done;
    assert.ok(Date.now() - at < 2_000);
    assert.match(canceled.result.message, /^Canceled while waiting at gate 'prod' of train '\w+'; arrival withdrawn\. Missing: /);
    assert.deepEqual(gateTags(e), []);
    assert.equal(endedAs(e), 'canceled');
    assert.ok(e.requests.some((q) => q.route === 'release.tags.delete' && q.status === 200 && decodeURIComponent(q.path).endsWith(`/tags/${production(1).arrived}`)));
    assert.deepEqual(refused(e), []);
  });

  it('arrives again on a redeploy of a classic member that passed before, clears the old open mark, and no member passes on that mark meanwhile', async () => {
    // Attempt 1 of Production passed the gate; a person redeploys Production: attempt 2 runs up to the gate.
    const e = await start(train([{ name: 'Production', status: 'inProgress', attempt: 2 }], [production(1).arrived, production(1).open]));
    const a = gate(e, api, { participants: 'api\nrelease:Legacy Web', timeoutMinutes: '5' });
    let apiDone = false;
    void a.done.then(() => (apiDone = true));
    await a.waitForLine(/^Arrived at gate/);
    await later(1_000);
    assert.equal(apiDone, false, 'api waits: the open mark is attempt 1\'s, and attempt 2 has not arrived');
    const legacy = classic(e, { participants: 'api\nrelease:Legacy Web' }, 2);
    const [ra, rl] = await Promise.all([a.done, legacy.done]);
    assert.equal(ra.result.status, 'Succeeded', ra.stdout);
    assert.equal(rl.result.status, 'Succeeded', rl.stdout);
    assert.deepEqual(gateTags(e), [production(2).arrived, production(2).open].sort());
    assert.equal(endedAs(e), 'passed');
    assert.deepEqual(refused(e), []);
  });

  it('fails the others fast, naming it, when a classic member that arrived has its environment rejected, while another environment still deploys; its arrival never counts again', async () => {
    // Legacy Web arrived in Production (attempt 1), then its agent died; QA deploys in parallel.
    const e = await start(train([{ name: 'QA', status: 'inProgress' }, { name: 'Production', status: 'inProgress' }], [production(1).arrived]));
    const a = gate(e, api, { timeoutMinutes: '5' });
    await a.waitForLine(/^Arrived at gate/);
    const at = Date.now();
    e.state.apply({ at: 0, release: 31, environment: 'Production', status: 'rejected' });
    const r = await a.done;
    assert.equal(r.result.status, 'Failed');
    assert.match(
      r.result.message,
      /^release:Legacy Web: its train run Release-31 \(Production\) ended rejected after arriving at gate 'prod', without passing \(http:\/\/\S+releaseId=31\S*\); its arrival no longer counts\.$/,
    );
    assert.ok(Date.now() - at < 5 * 60_000 / SCALE / 2, 'well before the timeout');
    // web with a quorum of 2 (itself and Legacy Web) and ignoring failures: the dead arrival must not open the gate.
    const w = await gate(e, web, { quorum: '2', onParticipantFailure: 'ignore', timeoutMinutes: '1' }).done;
    assert.equal(w.result.status, 'Failed', w.stdout);
    assert.match(w.result.message, /did not open after 1m0\ds: 1 of 2 needed have arrived\. Missing: api .*; release:Legacy Web \(release Release-31 \(#31\) arrived in Production, which then ended rejected\)$/);
  });

  it('does not fail the train for an environment of a classic member that was rejected elsewhere (QA), while its gate environment is yet to deploy', async () => {
    const e = await start(train([{ name: 'QA', status: 'rejected' }, { name: 'Staging', status: 'succeeded' }, { name: 'Production', status: 'notStarted' }]));
    const a = gate(e, api, { participants: 'api\nrelease:Legacy Web', timeoutMinutes: '5' });
    let apiDone = false;
    void a.done.then(() => (apiDone = true));
    await a.waitForLine(/^Arrived at gate/);
    await later(1_000);
    assert.equal(apiDone, false, 'api waits for Production, which a person may still deploy');
    e.state.apply({ at: 0, release: 31, environment: 'Production', status: 'inProgress' });
    const [ra, rl] = await Promise.all([a.done, classic(e, { participants: 'api\nrelease:Legacy Web' }).done]);
    assert.equal(ra.result.status, 'Succeeded', ra.stdout);
    assert.equal(rl.result.status, 'Succeeded', rl.stdout);
  });

  it('never counts an abandoned train release: the others wait for a release of the train and time out naming the member', async () => {
    // Drafts and abandoned releases never match (docs/tasks/wait-for-dependency.md, "Which run decides"): a person may
    // create a new release of the same build, which the train then waits for.
    const e = await start(train([{ name: 'QA', status: 'rejected' }], [], 'abandoned'));
    const r = await gate(e, api, { participants: 'api\nrelease:Legacy Web', timeoutMinutes: '1' }).done;
    assert.equal(r.result.status, 'Failed');
    assert.match(r.result.message, /release:Legacy Web \(no train release yet\)/);
    assert.ok(e.requests.filter((q) => q.route === 'release.releases.list').every((q) => q.query.statusFilter === '2'), 'every releases list asks for active releases only');
  });
});
