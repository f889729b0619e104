import assert from 'node:assert/strict';
import type { Scenario } from '../../emulator/scenario';
import { emulatorPerTest } from '../support/emulator-per-test';
import { defId, failedTrain, goodRunId, members, participants, previous, retries, rollback, run, SCALE, train, trainRunId, writes } from '../support/rollback-train';

/**
 * CoordinatedRollback@1 on a real organisation's terms, as the agent runs it against the emulator: the permission
 * check before anything changes, the readiness check (dryRun) at the start of a release, and writes whose effect is
 * confirmed — a target deleted by retention, a 404 the client turns into success, a retry that is canceled or waits
 * for an approval.
 */
describe('CoordinatedRollback@1 readiness, permissions and confirmed writes (bundled task, emulator)', function () {
  this.timeout(40_000);
  const start = emulatorPerTest(SCALE);
  const identity = 'Project Collection Build Service (lockstep)';

  /** The train has just started: every member's train run is building, its Prod stage still pending. */
  function trainStarting(extra: Partial<Scenario> = {}): Scenario {
    const starting = Object.fromEntries(
      members.map((m) => [
        m,
        [
          run(m, goodRunId(m), previous, { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }),
          run(m, trainRunId(m), train, { Build: 'inProgress', Prod: 'pending', Smoke: 'pending', Rollback: 'pending' }, { status: 'inProgress', result: undefined }),
        ],
      ]),
    );
    return failedTrain(starting, extra);
  }

  /** A classic member, Legacy Web: Release-30 deployed Production before the train; Release-31 is the train's. */
  function withClassicMember(scenario: Scenario, production: Record<string, unknown> = {}, trainProduction: 'notStarted' | 'succeeded' = 'notStarted'): Scenario {
    const shop = scenario.projects[0];
    shop.releaseDefinitions = [{ id: 3, name: 'Legacy Web', environments: ['Staging', { name: 'Production', ...production }] }];
    shop.releases = [
      { id: 30, definition: 'Legacy Web', name: 'Release-30', artifacts: [{ alias: 'web', isPrimary: true, sourceVersion: previous }], environments: [{ name: 'Staging', status: 'succeeded' }, { name: 'Production', status: 'succeeded' }] },
      { id: 31, definition: 'Legacy Web', name: 'Release-31', artifacts: [{ alias: 'web', isPrimary: true, sourceVersion: train }], environments: [{ name: 'Staging', status: 'succeeded' }, { name: 'Production', status: trainProduction }] },
    ];
    return scenario;
  }

  describe('readiness (dryRun) at the start of a release', () => {
    it('succeeds when every member has a run to go back to and every permission is granted, and changes nothing but retention leases', async () => {
      const e = await start(trainStarting());
      const r = await rollback(e, 'web', { dryRun: 'true' }).done;
      assert.equal(r.result.status, 'Succeeded', r.stdout);
      assert.equal(r.result.message, `The rollback of train '${train}' could run: each of its 3 members has what a rollback needs, and every permission is granted. Nothing was changed but the targets' retention leases.`);
      // Its one kind of write: a retention lease on each member's target, so retention cannot delete it before it is needed.
      assert.deepEqual(writes(e).map((q) => q.route), ['leases.add', 'leases.add', 'leases.add']);
      assert.deepEqual(e.state.leases().map((l) => [l.ownerId, l.runId]).sort(), members.map((m) => [`Lockstep:rollback-target:${defId(m)}`, goodRunId(m)]).sort());
      const plan = JSON.parse(r.outputs.plan) as Array<{ member: string; action: string; lastGoodRun: { id: number } }>;
      assert.deepEqual(plan.map((p) => [p.member, p.action, p.lastGoodRun.id]), members.map((m) => [`${m}@Prod`, 'retryStage', goodRunId(m)]));
      assert.ok(
        r.log.includes(`  web@Prod: train run 2.3.0 (#${trainRunId('web')}) → retry stage Prod of run 2.2.0 (#${goodRunId('web')}) (once the train has deployed it: stage Prod never started in this train)`),
        r.stdout,
      );
      // One evaluation covers every member: read, tag, ledger, retry and cancel on each, and the claim on its own run.
      const evaluations = e.requests.filter((q) => q.route === 'security.permissionEvaluationBatch');
      assert.equal(evaluations.length, 1);
      assert.equal((evaluations[0].body as { evaluations: unknown[] }).evaluations.length, 15);
    });

    it('fails, naming what to grant and where, when a rollback could not run; warns of what would spoil one; changes nothing but retention leases', async () => {
      const scenario = withClassicMember(trainStarting({ permissions: { preset: 'buildService' } }), { queuePolicy: 'latestOnly', concurrency: 1 });
      // db-migrations deploys for the first time in this train: nothing to go back to.
      scenario.projects[0].builds = scenario.projects[0].builds!.filter((b) => b.id !== goodRunId('db-migrations'));
      const e = await start(scenario);
      const r = await rollback(e, 'web', { dryRun: 'true', participants: `${participants}\nrelease:Legacy Web@Production` }).done;
      assert.equal(r.result.status, 'Failed', r.stdout);
      assert.equal(
        r.result.message,
        `The rollback of train '${train}' could not run: ${identity} lacks 'Manage deployments' on classic release pipeline Legacy Web, environment Production (project Shop) ` +
          `(to redeploy Production of its last good release; cancel its train release while it deploys). Nothing was changed but the targets' retention leases.`,
      );
      assert.ok(
        r.log.includes(
          `Missing: 'Manage deployments' on classic release pipeline Legacy Web, environment Production (project Shop), to redeploy Production of its last good release; cancel its train release while it deploys. ` +
            `Grant it to ${identity} in Pipelines › Releases › Legacy Web › Edit › stage Production › ⋯ › Security (this environment), or Pipelines › Releases › Legacy Web › ⋯ › Security (the release pipeline).`,
        ),
        r.stdout,
      );
      assert.ok(r.warnings.some((w) => w.includes('db-migrations@Prod: no earlier run whose stage Prod succeeded; a rollback would leave it as the train left it')), r.warnings.join('\n'));
      assert.ok(r.warnings.some((w) => w.includes('environment Production deploys only the latest release and cancels the others') && w.includes('Release-30')), r.warnings.join('\n'));
      assert.deepEqual(writes(e).filter((q) => !q.route.startsWith('leases.')), [], 'nothing but retention leases');
      assert.deepEqual(JSON.parse(r.outputs.result).find((x: { member: string }) => x.member === 'release:Legacy Web@Production'), {
        member: 'release:Legacy Web@Production',
        status: 'failed',
        reason: "missing 'Manage deployments'",
      });
    });
  });

  describe('keeping the targets from retention', () => {
    it('moves its lease to the newer target, and retention then spares the target and deletes the run no one needs', async () => {
      const scenario = trainStarting({ behaviour: { retentionKeepNewest: 1 } });
      // An older run of web that an earlier readiness check kept as web's target.
      scenario.projects[0].builds!.unshift(run('web', 90, 'aaaa000000000000000000000000000000000009', { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }, { queueTime: -172_800_000 }));
      scenario.projects[0].leases = [{ runId: 90, ownerId: `Lockstep:rollback-target:${defId('web')}` }];
      const e = await start(scenario);
      const r = await rollback(e, 'web', { dryRun: 'true', participants: 'web@Prod' }).done;
      assert.equal(r.result.status, 'Succeeded', r.stdout);
      assert.deepEqual(e.state.leases().map((l) => l.runId), [goodRunId('web')]);
      assert.ok(r.log.includes('web@Prod: released 1 retention lease(s) on earlier rollback targets.'), r.stdout);
      const deleted = e.state.applyRetention();
      assert.ok(deleted.includes(90), `run 90 is no longer kept: ${deleted}`);
      assert.ok(!deleted.includes(goodRunId('web')), 'the target survives retention');
    });

    it('warns, naming the permission, and still ends Succeeded when it may not take a lease', async () => {
      const e = await start(trainStarting({ permissions: { deny: [{ permission: 'Retain indefinitely' }] } }));
      const r = await rollback(e, 'web', { dryRun: 'true', participants: 'web@Prod' }).done;
      assert.equal(r.result.status, 'Succeeded', r.stdout);
      assert.ok(r.warnings.some((w) => w.includes('web@Prod: could not keep run 2.2.0') && w.includes("'Retain indefinitely'")), r.warnings.join('\n'));
      assert.match(r.result.message, /could run, with 1 warning\(s\) above/);
    });
  });

  describe('permissions, checked before anything changes', () => {
    it('reports every missing permission at once — a folder denial and the build service default on a classic environment — and touches no member', async () => {
      const scenario = withClassicMember(failedTrain({}, { permissions: { preset: 'buildService', deny: [{ permission: 'Queue builds', folder: '\\team' }] } }), {}, 'succeeded');
      scenario.projects[0].buildDefinitions!.find((d) => d.name === 'api')!.path = '\\team\\svc';
      const e = await start(scenario);
      const r = await rollback(e, 'web', { participants: `${participants}\nrelease:Legacy Web@Production` }).done;
      assert.equal(r.result.status, 'Failed');
      assert.equal(
        r.result.message,
        `${identity} lacks 2 permission(s) this task needs, so it waited for and changed nothing: 'Queue builds' on pipeline \\team\\svc\\api (project Shop); ` +
          `'Manage deployments' on classic release pipeline Legacy Web, environment Production (project Shop). Where to grant each is in the log.`,
      );
      assert.ok(r.log.some((l) => l.startsWith("Missing: 'Queue builds' on pipeline \\team\\svc\\api (project Shop), to retry stage Prod of its last good run. Grant it to")), r.stdout);
      assert.deepEqual(writes(e), [], 'no claim, no cancel, no retry, no redeploy');
      const token = (e.requests.find((q) => q.route === 'security.permissionEvaluationBatch')!.body as { evaluations: Array<{ token: string; permissions: number }> }).evaluations.find((x) => x.permissions === 128 && x.token.includes(`/${defId('api')}`))!.token;
      assert.match(token, new RegExp(`^[0-9a-f-]{36}/team/svc/${defId('api')}$`), 'the token carries the folder, where the denial sits');
    });
  });

  describe('a classic takeover', () => {
    it('does not redeploy again when a leader stopped right after its redeploy was accepted, before the service listed the new attempt', async () => {
      const scenario = withClassicMember(failedTrain(), {}, 'succeeded');
      // The stopped leader's ledger mark: Production of Release-30 had 1 deployment attempt before its redeploy.
      scenario.projects[0].releases![0].tags = [`lockstep:rolled-back@${train}:Production~1`];
      const e = await start(scenario);
      const t = rollback(e, 'web', { participants: 'release:Legacy Web@Production' });
      await t.waitForLine(/^  release:Legacy Web@Production: train run/);
      // The service shows the stopped leader's redeploy queued, but does not list its attempt yet.
      e.state.environment(30, 'Production')!.status = 'queued';
      await new Promise((r) => setTimeout(r, 600));
      e.state.apply({ at: 0, release: 30, environment: 'Production', status: 'inProgress' });
      await new Promise((r) => setTimeout(r, 300));
      e.state.apply({ at: 0, release: 30, environment: 'Production', status: 'succeeded' });
      const r = await t.done;
      assert.equal(r.result.status, 'Succeeded', r.stdout);
      assert.deepEqual(e.requests.filter((q) => q.route === 'release.environments.update' && q.path.includes('/releases/30/')), [], 'the redeploy was not asked for twice');
      assert.ok(r.log.includes('release:Legacy Web@Production: already issued (by run #?); following it.'), r.stdout);
    });
  });

  describe('writes whose effect is confirmed', () => {
    it('claims nothing when no member has anything to go back to, and says so per member', async () => {
      const e = await start(failedTrain({}, { events: [] }));
      e.state.deleteBuild(goodRunId('web'));
      const r = await rollback(e, 'web', { participants: 'web@Prod' }).done;
      assert.equal(r.result.status, 'Failed');
      assert.equal(r.result.message, `The rollback of train '${train}' failed — web@Prod: no earlier run whose stage Prod succeeded.`);
      assert.deepEqual(writes(e), []);
    });

    it('fails at once, naming the member, when the run to go back to was deleted after the plan, before the rollback reached it', async () => {
      const e = await start(failedTrain());
      const t = rollback(e, 'web', { participants: 'web@Prod' });
      // Retention deletes web's last good run between the plan and the retry (the claims' settle period).
      await t.waitForLine(/^  web@Prod: train run/);
      e.state.deleteBuild(goodRunId('web'));
      const r = await t.done;
      assert.equal(r.result.status, 'Failed');
      assert.equal(r.result.message, `web@Prod: the run 2.2.0 (#${goodRunId('web')}) to go back to no longer exists (deleted, perhaps by retention); nothing was done to this member.`);
      assert.deepEqual(retries(e), []);
    });

    it('fails at once, naming the member, when a stage retry is answered without error but no new attempt appears (a 404 the client reads as success)', async () => {
      const e = await start(failedTrain({}, { faults: [{ kind: 'error', status: 404, route: 'stages.update' }] }));
      const r = await rollback(e, 'web', { participants: 'web@Prod' }).done;
      assert.equal(r.result.status, 'Failed');
      assert.equal(r.result.message, `web@Prod: PATCH retry of stage Prod of run 2.2.0 (#${goodRunId('web')}) was answered without an error, but it had no effect: stage Prod shows no new attempt after 8s.`);
      assert.equal(e.requests.filter((q) => q.route === 'stages.update').length, 1, 'asked once, then confirmed on the timeline');
    });

    it('fails at once, naming the member, when a cancel is answered without error but the run was gone (a 404 the client reads as success)', async () => {
      const e = await start(failedTrain({}, { faults: [{ kind: 'error', status: 404, route: 'builds.update' }] }));
      const r = await rollback(e, 'web').done;
      assert.equal(r.result.status, 'Failed');
      assert.equal(r.result.message, `db-migrations@Prod: PATCH cancel of run ${trainRunId('db-migrations')} in project 'Shop' was answered without an error, but it had no effect: the run no longer exists.`);
      assert.deepEqual(retries(e), [], 'no member was rolled back after the failed cancel');
    });

    it('fails at once, naming the member, when a redeploy is answered without error but the environment was gone', async () => {
      const e = await start(withClassicMember(failedTrain({}, { faults: [{ kind: 'error', status: 404, route: 'release.environments.update' }] }), {}, 'succeeded'));
      const r = await rollback(e, 'web', { participants: 'release:Legacy Web@Production' }).done;
      assert.equal(r.result.status, 'Failed');
      assert.match(r.result.message, /^release:Legacy Web@Production: PATCH environment \d+ of release 30 in project 'Shop' was answered without an error, but it had no effect: the release or its environment no longer exists\.$/);
    });

    it('reports a retried stage that ends canceled (an exclusive lock, or a person) as not rolled back', async () => {
      const e = await start(failedTrain({}, { behaviour: { stageRetryMs: 20_000, stageRetryResult: 'canceled' } }));
      const r = await rollback(e, 'web', { participants: 'web@Prod' }).done;
      assert.equal(r.result.status, 'Failed');
      const reason = 'stage Prod of run 2.2.0 was canceled before it finished (by a person, or by an exclusive lock a newer run took): NOT rolled back';
      assert.deepEqual(JSON.parse(r.outputs.result), [{ member: 'web@Prod', status: 'failed', reason }]);
      assert.equal(r.result.message, `The rollback of train '${train}' failed — web@Prod: ${reason}.`);
    });

    it('says a retried stage waits for an approval, keeps waiting, and at its timeout says the retry may still deploy', async () => {
      const e = await start(failedTrain({}, { behaviour: { stageRetryMs: 20_000, stageRetryApproval: true } }));
      const r = await rollback(e, 'web', { participants: 'web@Prod', timeoutMinutes: '1' }).done;
      assert.equal(r.result.status, 'Failed');
      assert.ok(r.log.some((l) => /^web@Prod: the retry of stage Prod of run 2\.2\.0 waits for approval since \d{4}-\d\d-\d\d \d\d:\d\d UTC; waiting \(timeout in /.test(l)), r.stdout);
      assert.match(
        r.result.message,
        /^The rollback of train '\w+' did not finish within 1m0\ds: web@Prod still pending: the retry of stage Prod of run 2\.2\.0 waits for approval since .+ UTC — it may still deploy later if someone approves it\.$/,
      );
    });
  });
});
