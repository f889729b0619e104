import assert from 'node:assert/strict';
import type { BuildInput, Scenario } from '../../emulator/scenario';
import { emulatorPerTest } from '../support/emulator-per-test';
import { failedTrain, goodRunId, jobToken, previous, retries, rollback, run, SCALE, train } from '../support/rollback-train';

/**
 * "Last good" means what was live on the member before this train deployed it, read from the member's history as a
 * real organisation has it: stage attempts made by earlier rollbacks, trains an earlier rollback undid, pull-request
 * and feature-branch runs. CoordinatedRollback@1 as the agent runs it, against the emulator.
 */
describe('CoordinatedRollback@1: what was live before the train (bundled task, emulator)', function () {
  this.timeout(40_000);
  const start = emulatorPerTest(SCALE);
  const hour = 3_600_000;
  /** Train N, deployed to api yesterday and undone by an earlier rollback. */
  const trainN = 'cccc000000000000000000000000000000000003';

  /** Only api, in project Shop; its train run of this train (#301) deployed Prod and failed its smoke test. */
  function apiHistory(history: BuildInput[]): Scenario {
    const current = run('api', 301, train, { Build: 'succeeded', Prod: 'succeeded', Smoke: 'failed', Rollback: 'inProgress' }, { status: 'inProgress', result: undefined, queueTime: -600_000 });
    current.stages![1] = { identifier: 'Prod', result: 'succeeded', startTime: -500_000, finishTime: -400_000 };
    return {
      token: jobToken,
      behaviour: { stageRetryMs: 20_000 },
      projects: [{ name: 'Shop', buildDefinitions: [{ id: 12, name: 'api', stages: ['Build', 'Prod', 'Smoke', 'Rollback'] }], builds: [...history, current] }],
    };
  }

  const rollbackApi = (scenario: Scenario) =>
    start(scenario).then((e) => ({ e, done: rollback(e, 'api', { participants: 'api@Prod' }, { variables: { 'Build.BuildId': '301', 'System.DefinitionId': '12' } }).done }));

  it('goes back to the run an earlier rollback made live again, not to the newer run of the train that rollback undid', async () => {
    // 2.2.0 (#101) deployed three days ago; train N (#201) replaced it yesterday, failed, and its rollback retried
    // 2.2.0's Prod two hours ago (attempt 2), marking #101. The newest run before this train is #201 — the wrong answer.
    const good = run('api', 101, previous, { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }, { queueTime: -72 * hour, finishTime: -2 * hour, tags: [`lockstep:rolled-back@${trainN}`] });
    good.stages![1] = { identifier: 'Prod', result: 'succeeded', attempt: 2, startTime: -2 * hour - 60_000, finishTime: -2 * hour };
    const undone = run('api', 201, trainN, { Build: 'succeeded', Prod: 'succeeded', Smoke: 'failed' }, { buildNumber: '2.2.5', queueTime: -24 * hour, finishTime: -23 * hour });
    undone.stages![1] = { identifier: 'Prod', result: 'succeeded', startTime: -24 * hour + 60_000, finishTime: -24 * hour + 120_000 };
    const { e, done } = await rollbackApi(apiHistory([good, undone]));
    const r = await done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.deepEqual(retries(e), [101]);
    const plan = JSON.parse(r.outputs.plan);
    assert.equal(plan[0].lastGoodRun.id, 101);
    assert.match(plan[0].lastGoodRun.why, new RegExp(`^live since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC, before this train deployed it: stage Prod attempt 2 of run 2\\.2\\.0 — rollback of train ${trainN}$`));
    assert.ok(r.log.some((l) => l.startsWith('    live since ') && l.includes('rollback of train')), r.stdout);
  });

  it('never goes back to a pull-request or feature-branch run, however new', async () => {
    const main = run('api', 101, previous, { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }, { queueTime: -72 * hour, finishTime: -71 * hour });
    const pr = run('api', 150, 'dddd000000000000000000000000000000000004', { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }, {
      buildNumber: '2.2.6-pr.7',
      sourceBranch: 'refs/pull/7/merge',
      reason: 'pullRequest',
      queueTime: -24 * hour,
      finishTime: -23 * hour,
    });
    const feature = run('api', 160, 'eeee000000000000000000000000000000000005', { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }, {
      buildNumber: '2.2.7-feature',
      sourceBranch: 'refs/heads/feature/checkout',
      queueTime: -20 * hour,
      finishTime: -19 * hour,
    });
    const { e, done } = await rollbackApi(apiHistory([main, pr, feature]));
    const r = await done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.deepEqual(retries(e), [101]);
    const history = e.requests.filter((q) => q.route === 'builds.list' && q.query.$top === '50');
    assert.ok(history.length > 0 && history.every((q) => q.query.branchName === 'refs/heads/main'), 'the history is read on the train\'s branch only');
  });

  it('goes back to what was live before the train deployed, not to a run that succeeded while the train was deploying', async () => {
    // #101 deployed long ago; #170 of another commit finished its Prod AFTER this train had started deploying api.
    const before = run('api', 101, previous, { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }, { queueTime: -72 * hour, finishTime: -71 * hour });
    before.stages![1] = { identifier: 'Prod', result: 'succeeded', startTime: -72 * hour + 60_000, finishTime: -72 * hour + 120_000 };
    const during = run('api', 170, 'ffff000000000000000000000000000000000006', { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }, { queueTime: -700_000, finishTime: -300_000 });
    during.stages![1] = { identifier: 'Prod', result: 'succeeded', startTime: -480_000, finishTime: -450_000 };
    const { e, done } = await rollbackApi(apiHistory([before, during]));
    const r = await done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.deepEqual(retries(e), [101]);
  });

  it('re-running the Rollback stage after a member\'s rollback failed tries that member again, never "nothing to do"', async () => {
    const e = await start(failedTrain({}, { behaviour: { stageRetryMs: 20_000, stageRetryResult: 'failed' } }));
    const first = await rollback(e, 'web', { participants: 'web@Prod' }).done;
    assert.equal(first.result.status, 'Failed', first.stdout);
    e.state.behaviour.stageRetryResult = 'succeeded';
    const again = await rollback(e, 'web', { participants: 'web@Prod' }, { variables: { 'System.StageAttempt': '2' } }).done;
    assert.equal(again.result.status, 'Succeeded', again.stdout);
    assert.ok(again.log.includes('web@Prod: an earlier rollback of it did not succeed (stage Prod of run 2.2.0 failed); trying again.'), again.stdout);
    assert.deepEqual(retries(e), [goodRunId('web'), goodRunId('web')]);
  });

  it('goes back to the release an earlier rollback redeployed in a classic environment, read from its deployment history', async () => {
    const scenario = failedTrain();
    const shop = scenario.projects[0];
    shop.releaseDefinitions = [{ id: 3, name: 'Legacy Web', environments: ['Staging', 'Production'] }];
    const artifact = (commit: string) => [{ alias: 'web', isPrimary: true, sourceVersion: commit, branch: 'refs/heads/main' }];
    shop.releases = [
      // Release-30 deployed three days ago; train N's Release-40 replaced it yesterday; N's rollback redeployed
      // Release-30's Production two hours ago (attempt 2) and marked it.
      { id: 30, definition: 'Legacy Web', name: 'Release-30', createdOn: -72 * hour, artifacts: artifact(previous), tags: [`lockstep:rolled-back@${trainN}:Production~1`], environments: [{ name: 'Production', status: 'succeeded' }] },
      { id: 40, definition: 'Legacy Web', name: 'Release-40', createdOn: -24 * hour, artifacts: artifact(trainN), environments: [{ name: 'Production', status: 'succeeded' }] },
      { id: 50, definition: 'Legacy Web', name: 'Release-50', createdOn: -600_000, artifacts: artifact(train), environments: [{ name: 'Production', status: 'succeeded' }] },
    ];
    scenario.events = [
      { at: -2 * hour, release: 30, environment: 'Production', status: 'inProgress' },
      { at: -2 * hour + 60_000, release: 30, environment: 'Production', status: 'succeeded' },
    ];
    const e = await start(scenario);
    const r = await rollback(e, 'web', { participants: 'release:Legacy Web@Production' }).done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    const plan = JSON.parse(r.outputs.plan);
    assert.equal(plan[0].lastGoodRun.id, 30, r.stdout);
    assert.match(plan[0].lastGoodRun.why, new RegExp(`: Production attempt 2 of release Release-30 — rollback of train ${trainN}$`));
    assert.deepEqual(e.requests.filter((q) => q.route === 'release.environments.update').map((q) => /releases\/(\d+)\//.exec(q.path)![1]), ['30']);
  });

  it('looks past the first page of runs: sixty newer runs whose deploy failed do not hide the run that was live', async () => {
    const good = run('api', 101, previous, { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }, { queueTime: -96 * hour, finishTime: -95 * hour });
    good.stages![1] = { identifier: 'Prod', result: 'succeeded', startTime: -96 * hour + 60_000, finishTime: -96 * hour + 120_000 };
    const failed = Array.from({ length: 60 }, (_, i) =>
      run('api', 400 + i, `${(1000 + i).toString(16)}`.padStart(40, 'a'), { Build: 'succeeded', Prod: 'failed', Smoke: 'skipped' }, { buildNumber: `2.2.${100 + i}`, queueTime: -90 * hour + i * hour, finishTime: -90 * hour + i * hour + 600_000 }),
    );
    const { e, done } = await rollbackApi(apiHistory([good, ...failed]));
    const r = await done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.deepEqual(retries(e), [101]);
    const pages = e.requests.filter((q) => q.route === 'builds.list' && q.query.$top === '50');
    assert.equal(pages.length, 2, 'a second page, asked with the continuation token of the first');
    assert.ok(pages[1].query.continuationToken, 'the second page continues the first');
  });

  it('says loudly when the service ran the stages after the retried one again (retryDependencies is not in the 7.1 contract)', async () => {
    const e = await start(failedTrain({}, { behaviour: { stageRetryMs: 20_000, retryDependenciesIgnored: true } }));
    const r = await rollback(e, 'web', { participants: 'web@Prod' }).done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.ok(r.warnings.some((w) => w.startsWith("web@Prod: the service also ran stage Smoke of run 2.2.0 again after the rollback's retry of Prod")), r.warnings.join('\n'));
    assert.match(JSON.parse(r.outputs.result)[0].reason, /; the service also ran stage Smoke again$/);
  });

  it('looks on another branch when lastGoodBranch names one', async () => {
    const hotfix = run('api', 101, previous, { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }, { sourceBranch: 'refs/heads/release/2.2', queueTime: -72 * hour, finishTime: -71 * hour });
    const scenario = apiHistory([hotfix]);
    const onTrainBranch = await rollbackApi(scenario);
    const first = await onTrainBranch.done;
    assert.equal(JSON.parse(first.outputs.plan)[0].action, 'none', 'nothing on the train run\'s branch');
    const e = await start(apiHistory([hotfix]));
    const r = await rollback(e, 'api', { participants: 'api@Prod', lastGoodBranch: 'release/2.2' }, { variables: { 'Build.BuildId': '301', 'System.DefinitionId': '12' } }).done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.deepEqual(retries(e), [101]);
  });

  it('rolls a member back again when its switch was run again after the rollback, never "already rolled back" while it is on the bad version', async () => {
    const e = await start(failedTrain({}, { behaviour: { stageRetryMs: 20_000 } }));
    const first = await rollback(e, 'web', { participants: 'web@Prod' }).done;
    assert.equal(first.result.status, 'Succeeded', first.stdout);
    // Someone runs web's Prod stage of the train again: 2.3.0 is live on web once more.
    e.state.apply({ at: 0, build: 213, stage: 'Prod', state: 'inProgress' });
    await new Promise((r) => setTimeout(r, 100));
    e.state.apply({ at: 0, build: 213, stage: 'Prod', result: 'succeeded' });
    const again = await rollback(e, 'web', { participants: 'web@Prod' }, { variables: { 'System.StageAttempt': '2' } }).done;
    assert.equal(again.result.status, 'Succeeded', again.stdout);
    assert.ok(!again.result.message?.includes('already rolled back'), again.result.message);
    assert.deepEqual(retries(e), [goodRunId('web'), goodRunId('web')], 'web went back to 2.2.0 a second time');
  });
});
