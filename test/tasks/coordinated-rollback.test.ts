import assert from 'node:assert/strict';
import { waitFor } from '../emulator/support';
import { emulatorPerTest } from '../support/emulator-per-test';
import { defId, failedTrain, goodRunId, members, previous, retries, rollback, run, SCALE, train, trainRunId, writes } from '../support/rollback-train';

/**
 * CoordinatedRollback@1 as the agent runs it, from the members' own runs, against the emulator (test/support/rollback-train.ts).
 * Policy time runs SCALE times faster (a 15 s poll is 0.75 s; a stage retry of 20 s takes 1 s).
 */
describe('CoordinatedRollback@1 (bundled tasks, agent harness, emulator)', function () {
  this.timeout(40_000);
  const start = emulatorPerTest(SCALE);


  it('cancels the train in flight, then re-runs the last good stage of web, api, db one at a time, each awaited', async () => {
    const scenario = failedTrain({
      'db-migrations': [
        run('db-migrations', goodRunId('db-migrations'), previous, { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }),
        run('db-migrations', trainRunId('db-migrations'), train, { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }),
      ],
      api: [
        run('api', goodRunId('api'), previous, { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }),
        run('api', trainRunId('api'), train, { Build: 'succeeded', Prod: 'succeeded', Smoke: 'inProgress' }, { status: 'inProgress', result: undefined }),
      ],
    });
    const e = await start(scenario);
    const r = await rollback(e, 'web').done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.deepEqual(retries(e), [goodRunId('web'), goodRunId('api'), goodRunId('db-migrations')]);
    const cancel = e.requests.filter((q) => q.route === 'builds.update');
    assert.deepEqual(cancel.map((q) => q.path.replace(/.*builds\//, '')), [String(trainRunId('api'))], 'only the train run still in flight, never this run');
    // One at a time: each retry is issued only after the previous member's stage has finished again.
    const times = e.requests.filter((q) => q.route === 'stages.update').map((q) => q.time);
    assert.ok(times[1] - times[0] >= 900 && times[2] - times[1] >= 900, `retries ${times.map((t) => t - times[0])} ms apart`);
    assert.deepEqual(JSON.parse(r.outputs.result), members.map((m) => ({ member: `${m}@Prod`, status: 'rolledBack', reason: `stage Prod of run 2.2.0 succeeded` })));
    const plan = JSON.parse(r.outputs.plan);
    assert.deepEqual(plan.map((p: { action: string; lastGoodRun: { id: number } }) => [p.action, p.lastGoodRun.id]), members.map((m) => ['retryStage', goodRunId(m)]));
    assert.ok(r.log.some((l) => l === `  web@Prod: train run 2.3.0 (#${trainRunId('web')}) → retry stage Prod of run 2.2.0 (#${goodRunId('web')})`), r.stdout);
    assert.ok(r.attachments.some((a) => a.content?.includes('CoordinatedRollback · train')));
    assert.ok(e.state.build(goodRunId('db-migrations'))!.tags.includes(`lockstep:rolled-back@${train}`));
  });

  it('skips a member that never deployed in this train, reports one with no earlier good run, and rolls back the rest', async () => {
    const e = await start(
      failedTrain({
        'db-migrations': [run('db-migrations', trainRunId('db-migrations'), train, { Build: 'succeeded', Prod: 'succeeded' })],
        api: [
          run('api', goodRunId('api'), previous, { Build: 'succeeded', Prod: 'succeeded' }),
          run('api', trainRunId('api'), train, { Build: 'succeeded', Prod: 'skipped' }),
        ],
      }),
    );
    const r = await rollback(e, 'web').done;
    assert.equal(r.result.status, 'SucceededWithIssues', r.stdout);
    assert.deepEqual(JSON.parse(r.outputs.result), [
      { member: 'db-migrations@Prod', status: 'failed', reason: 'no earlier run whose stage Prod succeeded' },
      { member: 'api@Prod', status: 'skipped', reason: 'stage Prod was skipped in this train' },
      { member: 'web@Prod', status: 'rolledBack', reason: 'stage Prod of run 2.2.0 succeeded' },
    ]);
    assert.deepEqual(retries(e), [goodRunId('web')]);
  });

  it('rolls back exactly once when three members ask at the same moment; the others name who does it and follow it', async () => {
    const e = await start(failedTrain());
    const runs = await Promise.all(members.map((m) => rollback(e, m).done));
    runs.forEach((r) => assert.equal(r.result.status, 'Succeeded', r.stdout));
    assert.deepEqual(retries(e).sort(), members.map(goodRunId).sort(), 'one stage retry per member');
    // Exactly one led. It is the lowest run id when all three claims landed within one settle period (4 s); on a
    // loaded machine the processes' start-up can spread them wider, and then a run that settled before seeing a lower
    // one's claim leads.
    const led = members.filter((_, i) => !runs[i].log.some((l) => l.startsWith('The rollback is performed by ')));
    assert.equal(led.length, 1, `led: ${led.join(', ')}`);
    const claimedAt = members.map((m) => writes(e).find((q) => q.path.includes(`/builds/${trainRunId(m)}/`))!.time);
    if (Math.max(...claimedAt) - Math.min(...claimedAt) < 4_000) assert.deepEqual(led, ['db-migrations'], `claims at ${claimedAt}`);
    const leader = `run #${trainRunId(led[0])} of ${led[0]}`;
    for (const r of runs.filter((_, i) => members[i] !== led[0])) {
      assert.ok(r.log.includes(`The rollback is performed by ${leader}.`), r.stdout);
      assert.equal(r.result.message, `The rollback was performed by ${leader}.`);
      assert.deepEqual(JSON.parse(r.outputs.result).map((x: { status: string }) => x.status), ['rolledBack', 'rolledBack', 'rolledBack']);
    }
  });

  it('has another member take over when the leader is canceled midway, repeating nothing it did', async () => {
    const e = await start(failedTrain());
    const leader = rollback(e, 'db-migrations');
    // The follower starts once the leader has claimed (its first write, a tag on its own run): started together, the
    // lower run id leads only if both claims land within one settle period, which a loaded machine's process start-up
    // can miss — and then the follower led.
    await waitFor(() => writes(e).some((q) => q.path.includes(`/builds/${trainRunId('db-migrations')}/`)), 20_000, 'the leader to claim');
    const follower = rollback(e, 'api');
    await leader.waitForLine(/^web@Prod: retry stage Prod/, 20_000);
    leader.sigint();
    const stopped = await leader.done;
    assert.match(stopped.result.message, /^Canceled during the rollback of train '\w+'\. Rolled back: .*\. Not rolled back: .*api@Prod/);
    const r = await follower.done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    // It saw the leader stop and says it takes over — or, on a slow machine, found the leader already gone when it
    // chose one after the settle period, and leads from the start. Either way it carries on from the leader's step.
    const carriesOn = (l: string) => /stopped leading the rollback; this run takes over/.test(l) || new RegExp(`^web@Prod: already issued \\(by run #${trainRunId('db-migrations')}\\); following it\\.$`).test(l);
    assert.ok(r.log.some(carriesOn), r.stdout);
    assert.deepEqual(retries(e).sort(), members.map(goodRunId).sort(), 'web was not retried twice');
  });

  it('is a no-op that says so for a train already rolled back', async () => {
    const e = await start(failedTrain());
    await rollback(e, 'web').done;
    const before = writes(e).length;
    const again = await rollback(e, 'api').done;
    assert.equal(again.result.status, 'Succeeded', again.stdout);
    assert.match(again.result.message, new RegExp(`^Train '${train}' was already rolled back \\(by run #${trainRunId('web')}\\); nothing to do\\.$`));
    assert.equal(writes(e).length, before, 'nothing was written');
  });

  it('queues a run of each pipeline at its last good commit with the template parameters (queueRun)', async () => {
    const e = await start(failedTrain());
    const r = await rollback(e, 'web', { strategy: 'queueRun', templateParameters: '{"rollback": true, "reason": "train failed"}', participants: 'web@Prod' }).done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    const queued = e.requests.filter((q) => q.route === 'pipelines.runs.run');
    assert.equal(queued.length, 1);
    assert.match(queued[0].path, new RegExp(`/pipelines/${defId('web')}/runs$`));
    assert.deepEqual(queued[0].body, { templateParameters: { rollback: 'true', reason: 'train failed' }, resources: { repositories: { self: { refName: 'refs/heads/main', version: previous } } } });
  });

  it('redeploys the last good release\'s environment of a classic member, with a comment naming the train', async () => {
    const scenario = failedTrain();
    scenario.projects[0].releaseDefinitions = [{ id: 3, name: 'Legacy Web', environments: ['Staging', 'Production'] }];
    scenario.projects[0].releases = [
      { id: 30, definition: 'Legacy Web', name: 'Release-30', artifacts: [{ alias: 'web', isPrimary: true, sourceVersion: previous }], environments: [{ name: 'Staging', status: 'succeeded' }, { name: 'Production', status: 'succeeded' }] },
      { id: 31, definition: 'Legacy Web', name: 'Release-31', artifacts: [{ alias: 'web', isPrimary: true, sourceVersion: train }], environments: [{ name: 'Staging', status: 'succeeded' }, { name: 'Production', status: 'succeeded' }] },
    ];
    const e = await start(scenario);
    const r = await rollback(e, 'web', { participants: 'release:Legacy Web@Production\nweb@Prod' }).done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    const patch = e.requests.filter((q) => q.route === 'release.environments.update');
    assert.equal(patch.length, 1);
    assert.match(patch[0].path, /\/releases\/30\/environments\/\d+$/);
    assert.deepEqual(patch[0].body, { status: 2, comment: `Lockstep: rollback of train ${train} (requested by run ${trainRunId('web')})` });
  });

  describe('faults and bad input', () => {
    it('refuses a participant without the stage that deploys it, before any request', async () => {
      const e = await start(failedTrain());
      const r = await rollback(e, 'web', { participants: 'db-migrations@Prod\napi' }).done;
      assert.equal(r.result.message, "Line 2, 'api': name the stage or environment that deploys this member (for example api@Prod).");
      assert.equal(e.requests.length, 0);
    });

    it('refuses templateParameters that are not a JSON object', async () => {
      const e = await start(failedTrain());
      const r = await rollback(e, 'web', { strategy: 'queueRun', templateParameters: '[1, 2]' }).done;
      assert.match(r.result.message, /^templateParameters must be a JSON object/);
    });

    it('gives up at its timeout when a rollback never finishes, saying so', async () => {
      const e = await start(failedTrain({}, { behaviour: { stageRetryMs: 10 * 3_600_000 } }));
      const r = await rollback(e, 'web', { participants: 'web@Prod', timeoutMinutes: '1' }).done;
      assert.equal(r.result.status, 'Failed');
      assert.match(r.result.message, /^The rollback of train '\w+' did not finish within 1m0\ds: web@Prod in progress\.$/);
      assert.deepEqual(retries(e), [goodRunId('web')]);
    });

    it('survives throttling on the way', async () => {
      const e = await start(failedTrain({}, { faults: [{ kind: 'throttle', route: 'timeline.get', count: 2, retryAfterSeconds: 10 }] }));
      const r = await rollback(e, 'web', { participants: 'web@Prod' }).done;
      assert.equal(r.result.status, 'Succeeded', r.stdout);
      assert.equal(r.log.filter((l) => /throttling requests/.test(l)).length, 2);
    });

    it('stops between steps on SIGINT and reports what was done', async () => {
      const e = await start(failedTrain());
      const t = rollback(e, 'web');
      await t.waitForLine(/^web@Prod: retry stage Prod/, 20_000);
      t.sigint();
      const r = await t.done;
      assert.equal(r.result.status, 'Failed');
      assert.match(r.result.message, /^Canceled during the rollback of train '\w+'\. Rolled back: nothing\. Not rolled back: web@Prod, api@Prod, db-migrations@Prod\.$/);
      assert.deepEqual(retries(e), [goodRunId('web')], 'the step issued before the signal stands, and nothing after it');
    });
  });
});
