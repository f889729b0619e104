import assert from 'node:assert/strict';
import { commitRun as run, jobToken, SCALE, waitTask as task, waiterEmulatorPerTest, yamlProject } from '../support/wait-task';
import { webApi } from '../emulator/support';
import { StageUpdateType } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import type { BuildInput, Scenario } from '../../emulator/scenario';
import { harnessRun, TaskResult } from '../../emulator/agent/agent-harness';
import { leastWaitedSeconds } from '../support/least-waited';

/**
 * WaitForDependency@1 as the agent runs it: the bundled dist/tasks/wait-for-dependency/main.js in its own
 * process, against the emulator over HTTP. Policy time runs SCALE times faster in both (LOCKSTEP_TIME_SCALE),
 * so a 15 s poll interval takes 0.75 s and a one-minute timeout 3 s; scenario times below are policy time.
 */
const commit = harnessRun.commit;
const otherCommit = 'aaaa000000000000000000000000000000000001';

describe('WaitForDependency@1 (bundled task, agent harness, emulator)', function () {
  this.timeout(30_000);
  const start = waiterEmulatorPerTest(SCALE);

  const completed = (id: number, definition: string, result: 'succeeded' | 'failed' = 'succeeded', extra: Partial<BuildInput> = {}) =>
    run(id, definition, { Build: result, Prod: result, Smoke: result }, { status: 'completed', result, ...extra });

  const statesLogged = (r: TaskResult, label: string) => r.log.filter((l) => l.startsWith(`${label}: `));

  it('succeeds within one poll of the stage succeeding while later stages still run, with outputs and a summary', async () => {
    const e = await start({
      projects: [yamlProject(['api'], [run(201, 'api', { Build: 'succeeded', Prod: 'inProgress', Smoke: 'pending' })])],
      events: [{ at: 20_000, build: 201, stage: 'Prod', result: 'succeeded' }],
    });
    const r = await task(e, { dependencies: 'api@Prod' }).done;
    const exitedAt = e.elapsedMs();
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.ok(exitedAt - 20_000 <= 5_000 + 2_000, `exited ${exitedAt - 20_000} ms (policy time) after the stage succeeded`);
    assert.deepEqual(statesLogged(r, 'api@Prod'), ['api@Prod: run 2.3.201 (#201): stage Prod inProgress', 'api@Prod: run 2.3.201 (#201): stage Prod succeeded']);
    assert.match(r.log.join('\n'), /All 1 dependencies met after \d+s\./);
    const resolved = JSON.parse(r.outputs.resolvedRuns);
    assert.deepEqual(
      { reference: resolved[0].reference, kind: resolved[0].kind, project: resolved[0].project, runId: resolved[0].runId, runName: resolved[0].runName, result: resolved[0].result },
      { reference: 'api@Prod', kind: 'build', project: 'Shop', runId: 201, runName: '2.3.201', result: 'succeeded' },
    );
    assert.match(resolved[0].webUrl, /^http:\/\/127\.0\.0\.1:\d+\/lockstep\/.+buildId=201$/);
    assert.ok(Number(r.outputs.waitedSeconds) >= leastWaitedSeconds(e, 20_000), `waitedSeconds ${r.outputs.waitedSeconds}`);
    const summary = r.attachments.find((a) => a.type === 'Distributedtask.Core.Summary');
    assert.ok(summary?.content?.includes('| ✅ `api@Prod` | Shop | [2.3.201 (#201)]'), summary?.content);
    assert.deepEqual(r.progress.at(-1), { value: 100, text: '1 of 1 met' });
  });

  it('fails within one poll when the matched run or stage failed, was canceled or skipped, naming pipeline, run, link and stage', async () => {
    const e = await start({
      projects: [
        yamlProject(
          ['api', 'web', 'db'],
          [
            run(301, 'api', { Build: 'succeeded', Prod: 'inProgress' }),
            run(302, 'web', { Build: 'succeeded', Prod: 'inProgress' }),
            run(303, 'db', { Build: 'inProgress', Prod: 'pending' }),
          ],
        ),
      ],
      events: [
        { at: 10_000, build: 301, stage: 'Prod', result: 'failed' },
        { at: 10_000, build: 302, stage: 'Prod', result: 'canceled' },
        { at: 10_000, build: 303, stage: 'Build', result: 'failed' },
        { at: 10_000, build: 303, stage: 'Prod', result: 'skipped' },
      ],
    });
    const runs = await Promise.all(['api@Prod', 'web@Prod', 'db@Prod'].map((d) => task(e, { dependencies: d }).done));
    const expected = [
      /^api@Prod: run 2\.3\.301 failed \(http:\/\/\S+buildId=301\)\. run 2\.3\.301 \(#301\): stage Prod failed$/,
      /^web@Prod: run 2\.3\.302 canceled \(http:\/\/\S+buildId=302\)\. run 2\.3\.302 \(#302\): stage Prod canceled$/,
      /^db@Prod: run 2\.3\.303 skipped \(http:\/\/\S+buildId=303\)\. run 2\.3\.303 \(#303\): stage Prod skipped$/,
    ];
    runs.forEach((r, i) => {
      assert.equal(r.result.status, 'Failed');
      assert.match(r.result.message, expected[i]);
      assert.ok(Number(r.outputs.waitedSeconds) <= 10 + 5 + 2, `failed after ${r.outputs.waitedSeconds}s`);
    });
  });

  it('waits past a failed run for a newer matching run when onDependencyFailure is wait', async () => {
    const e = await start({ projects: [yamlProject(['api'], [completed(401, 'api', 'failed')])], behaviour: { queuedRunMs: 2_000 } });
    const t = task(e, { dependencies: 'api@Prod', onDependencyFailure: 'wait' });
    // The newer run is queued 10 s after the task saw the failed one: at a fixed 10 s from the emulator's start, a task
    // process that a loaded machine started late saw the newer run first and had nothing to warn about.
    await t.waitForLine(/^##vso\[task\.issue type=warning;.*run 2\.3\.401 failed/);
    e.state.schedule({ at: e.elapsedMs() + 10_000, queueBuild: { id: 402, definition: 'api', project: 'Shop', buildNumber: '2.3.402', sourceVersion: commit } });
    const r = await t.done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.deepEqual(r.warnings, ['api@Prod: run 2.3.401 failed; waiting for a newer matching run (onDependencyFailure: wait).']);
    assert.equal(JSON.parse(r.outputs.resolvedRuns)[0].runId, 402);
  });

  it('sees a stage retried after its run completed: Prod failed, was retried, succeeded (onDependencyFailure: wait)', async () => {
    const e = await start({ projects: [yamlProject(['api'], [completed(451, 'api', 'failed')])], behaviour: { stageRetryMs: 10_000 } });
    const t = task(e, { dependencies: 'api@Prod', onDependencyFailure: 'wait' });
    await t.waitForLine(/^##vso\[task\.issue type=warning;.*run 2\.3\.451 failed/);
    // Someone retries the failed Prod stage of the completed run, as the web UI's "Rerun failed jobs" does.
    const build = await webApi(e).getBuildApi();
    await build.updateStage({ state: StageUpdateType.Retry, forceRetryAllJobs: true }, 451, 'Prod', 'Shop');
    const r = await t.done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.equal(JSON.parse(r.outputs.resolvedRuns)[0].runId, 451, 'the same run, its retried stage');
  });

  it('finds a pipeline past the first 1,000 of its project (the definitions list pages with a header the client drops)', async () => {
    const many = Array.from({ length: 1_000 }, (_, i) => `svc-${String(i).padStart(4, '0')}`);
    const e = await start({ projects: [yamlProject([], []), yamlProject([...many, 'zz-api'], [completed(471, 'zz-api')], 'Big')] });
    const r = await task(e, { dependencies: 'Big/zz-api' }).done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    const pages = e.requests.filter((q) => q.route === 'buildDefinitions.list' && q.path.includes('/Big/'));
    assert.equal(pages.length, 2, 'two pages of 1,000');
    assert.ok(pages[1].query.continuationToken, 'the second page continues the first');
  });

  it('never takes a pull request\'s run for match latest, however new: it waits for the pipeline\'s own run', async () => {
    const e = await start({
      projects: [yamlProject(['api'], [run(601, 'api', { Build: 'inProgress' }), completed(602, 'api', 'succeeded', { sourceBranch: 'refs/pull/7/merge', reason: 'pullRequest', buildNumber: '2.4.0-pr.7', queueTime: -1_000 })])],
      events: [{ at: 10_000, build: 601, status: 'completed', result: 'succeeded' }],
    });
    const r = await task(e, { dependencies: 'api', match: 'latest' }).done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.equal(JSON.parse(r.outputs.resolvedRuns)[0].runId, 601);
    assert.ok(Number(r.outputs.waitedSeconds) >= leastWaitedSeconds(e, 10_000), 'it waited for run 601 instead of passing on the pull request\'s run');
  });

  it('looks again at a dependency met earlier: its Prod re-run and failed while the wait went on, so the wait fails instead of passing on the old verdict', async () => {
    const e = await start({
      projects: [yamlProject(['api', 'web'], [completed(701, 'api'), run(702, 'web', { Build: 'inProgress' })])],
      events: [{ at: 20_000, build: 702, status: 'completed', result: 'succeeded' }],
      behaviour: { stageRetryMs: 30_000, stageRetryResult: 'failed' },
    });
    const t = task(e, { dependencies: 'api@Prod\nweb' });
    await t.waitForLine(/^api@Prod: run 2\.3\.701 \(#701\): stage Prod succeeded$/);
    // Someone re-runs api's Prod (a redeploy) while the wait still waits for web; it fails.
    const build = await webApi(e).getBuildApi();
    await build.updateStage({ state: StageUpdateType.Retry, forceRetryAllJobs: true }, 701, 'Prod', 'Shop');
    const r = await t.done;
    assert.equal(r.result.status, 'Failed', r.stdout);
    assert.match(r.result.message, /^api@Prod: run 2\.3\.701 failed/);
  });

  it('waits while no run matches, never takes a run of another commit, and finds a matching run queued later', async () => {
    const e = await start({
      projects: [yamlProject(['api'], [completed(501, 'api', 'succeeded', { sourceVersion: otherCommit })])],
      events: [{ at: 12_000, queueBuild: { id: 502, definition: 'api', project: 'Shop', buildNumber: '2.3.502', sourceVersion: commit } }],
      behaviour: { queuedRunMs: 2_000 },
    });
    const r = await task(e, { dependencies: 'api' }).done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.equal(statesLogged(r, 'api')[0], 'api: no matching run yet');
    assert.equal(JSON.parse(r.outputs.resolvedRuns)[0].runId, 502);
  });

  it('mixes YAML and classic references, another project, and shows how many are met', async () => {
    const e = await start({
      projects: [
        {
          ...yamlProject(['api'], [completed(601, 'api')]),
          releaseDefinitions: [{ id: 3, name: 'Legacy Web', environments: ['Staging', 'Production'] }],
          releases: [
            { id: 30, definition: 'Legacy Web', name: 'Release-30', artifacts: [{ alias: 'web', isPrimary: true, sourceVersion: otherCommit }], environments: [{ name: 'Production', status: 'succeeded' }] },
            { id: 31, definition: 'Legacy Web', name: 'Release-31', artifacts: [{ alias: 'web', isPrimary: true, sourceVersion: commit }], environments: [{ name: 'Staging', status: 'succeeded' }, { name: 'Production', status: 'inProgress' }] },
          ],
        },
        yamlProject(['billing'], [run(602, 'billing', { Build: 'succeeded', Prod: 'inProgress' })], 'Payments'),
      ],
    });
    const t = task(e, { dependencies: 'api\nrelease:Legacy Web@Production\nPayments/billing@Prod' });
    // One dependency met at a time, counted from the task's first check (a loaded machine may start it late).
    await t.waitForLine(/^Waiting for 3 dependencies/);
    e.state.schedule({ at: e.elapsedMs() + 8_000, build: 602, stage: 'Prod', result: 'succeeded' });
    e.state.schedule({ at: e.elapsedMs() + 16_000, release: 31, environment: 'Production', status: 'succeeded' });
    const r = await t.done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.deepEqual(
      [...new Set(r.progress.map((p) => p.text))],
      ['1 of 3 met', '2 of 3 met', '3 of 3 met'],
    );
    const resolved = JSON.parse(r.outputs.resolvedRuns);
    assert.deepEqual(resolved.map((x: { kind: string; project: string; runId: number }) => [x.kind, x.project, x.runId]), [
      ['build', 'Shop', 601],
      ['release', 'Shop', 31],
      ['build', 'Payments', 602],
    ]);
  });

  it('matches classic releases by release name (runNumber) and by tag, and lets the environment status decide', async () => {
    const e = await start({
      projects: [
        {
          name: 'Shop',
          releaseDefinitions: [{ id: 3, name: 'Legacy Web', environments: ['Production'] }],
          releases: [
            { id: 40, definition: 'Legacy Web', name: '2.3.0', tags: ['train-7'], environments: [{ name: 'Production', status: 'succeeded' }] },
            { id: 41, definition: 'Legacy Web', name: '2.4.0', tags: ['train-8'], environments: [{ name: 'Production', status: 'rejected' }] },
          ],
        },
      ],
    });
    const [byName, byTag, rejected] = await Promise.all([
      task(e, { dependencies: 'release:Legacy Web@Production', match: 'runNumber', matchValue: '2.3.0' }).done,
      task(e, { dependencies: 'release:Legacy Web@Production', match: 'tag', matchValue: 'train-7' }).done,
      task(e, { dependencies: 'release:Legacy Web@Production', match: 'versionRange', matchValue: '>=2.4.0' }).done,
    ]);
    assert.equal(byName.result.status, 'Succeeded', byName.stdout);
    assert.equal(byTag.result.status, 'Succeeded', byTag.stdout);
    assert.equal(JSON.parse(byTag.outputs.resolvedRuns)[0].runId, 40);
    assert.equal(rejected.result.status, 'Failed');
    assert.match(rejected.result.message, /^release:Legacy Web@Production: run 2\.4\.0 rejected \(.+\)\. release 2\.4\.0 \(#41\): Production rejected$/);
  });

  it('runs inside a classic release, matching on the primary artifact\'s commit', async () => {
    const e = await start({ projects: [yamlProject(['api'], [completed(701, 'api', 'succeeded', { sourceVersion: otherCommit }), completed(702, 'api')])] });
    const r = await task(e, { dependencies: 'api@Prod' }, { host: 'release', variables: { 'Build.SourceVersion': otherCommit } }).done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.equal(JSON.parse(r.outputs.resolvedRuns)[0].runId, 702, 'Release.Artifacts.<primary>.SourceVersion, not Build.SourceVersion');
  });

  describe('times out', () => {
    it('failing with each unmet dependency and its last observed state', async () => {
      const e = await start({ projects: [yamlProject(['api', 'web'], [run(801, 'web', { Build: 'inProgress' })])] });
      const r = await task(e, { dependencies: 'api@Prod\nweb', timeoutMinutes: '1' }).done;
      assert.equal(r.result.status, 'Failed');
      // The elapsed time is the task's own: a second or two past the timeout when a loaded machine delays its last check.
      assert.match(r.result.message, /^Timed out after 1m0\ds waiting for 2 of 2 dependencies: api@Prod \(no matching run yet\); web \(run 2\.3\.801 \(#801\) inProgress\)$/);
    });

    it('or succeeding with issues when onTimeout is succeedWithIssues', async () => {
      const e = await start({ projects: [yamlProject(['api'], [])] });
      const r = await task(e, { dependencies: 'api', timeoutMinutes: '1', onTimeout: 'succeedWithIssues' }).done;
      assert.equal(r.result.status, 'SucceededWithIssues');
      assert.match(r.warnings[0], /^Timed out after 1m00s; continuing as onTimeout is succeedWithIssues\. Unmet: api \(no matching run yet\)$/);
    });
  });

  describe('bad input fails with a clear message before any waiting', () => {
    const scenario = (): Scenario => ({
      projects: [
        {
          name: 'Shop',
          buildDefinitions: [
            { id: 11, name: 'api-service', stages: ['Build', 'Prod'] },
            { id: 12, name: 'web', path: '\\team-a', stages: ['Build'] },
            { id: 13, name: 'web', path: '\\team-b', stages: ['Build'] },
          ],
          builds: [completed(90, 'api-service')],
        },
      ],
    });
    const cases: Array<[string, Record<string, string>, RegExp, 'no request' | 'no runs read']> = [
      ['an unknown pipeline, offering the closest names', { dependencies: 'api-servce' }, /^Pipeline 'api-servce' not found in project 'Shop'\. Did you mean 'api-service'\?$/, 'no runs read'],
      ['an ambiguous name', { dependencies: 'web' }, /^Pipeline name 'web' is ambiguous in project 'Shop': \\team-a\\web \(id 12\), \\team-b\\web \(id 13\)\./, 'no runs read'],
      ['an unknown stage, listing the stages of the last run', { dependencies: 'api-service@Deploy' }, /^Stage 'Deploy' not found in pipeline 'api-service'\. Stages in its last run \(#2\.3\.90\): Build, Prod, Smoke\.$/, 'no runs read'],
      ['an invalid semver range', { dependencies: 'api-service', match: 'versionRange', matchValue: 'two-point-three' }, /^matchValue 'two-point-three' is not a valid semver range/, 'no request'],
      ['a poll interval under 5 seconds', { dependencies: 'api-service', pollIntervalSeconds: '2' }, /^Input 'pollIntervalSeconds' must be at least 5, got 2\.$/, 'no request'],
      ['a missing matchValue where the mode needs one', { dependencies: 'api-service', match: 'runNumber' }, /^match 'runNumber' needs a matchValue \(the run number or release name to match\)\.$/, 'no request'],
      ['a malformed reference', { dependencies: 'api-service\nShop/a/b' }, /^Line 2, 'Shop\/a\/b': more than one '\/'/, 'no request'],
    ];
    for (const [what, inputs, message, requests] of cases) {
      it(what, async () => {
        const e = await start(scenario());
        const r = await task(e, inputs).done;
        assert.equal(r.result.status, 'Failed');
        assert.match(r.result.message, message);
        if (requests === 'no request') assert.equal(e.requests.length, 0);
        else assert.equal(e.requests.filter((q) => q.route === 'builds.list' && !q.query.$top).length, 0, 'no poll started');
      });
    }
  });

  it('waits out a 429 as Retry-After asks, retries a burst of 503s, and carries on', async () => {
    const e = await start({
      projects: [yamlProject(['api'], [completed(901, 'api')])],
      faults: [
        { kind: 'throttle', route: 'builds.list', count: 1, retryAfterSeconds: 30 },
        { kind: 'error', route: 'builds.list', status: 503, count: 3 },
      ],
    });
    const r = await task(e, { dependencies: 'api' }).done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.ok(r.log.some((l) => /throttling requests \(HTTP 429, resource Core\); waiting 30s as it asks/.test(l)), r.stdout);
    assert.equal(r.log.filter((l) => /failed \(503\); retry \d of 5/.test(l)).length, 3);
    assert.ok(Number(r.outputs.waitedSeconds) >= 30, 'the 30 s wait was kept (in policy time)');
  });

  it('fails before waiting when it may not read a dependency, naming the permission, the pipeline and where to grant it', async () => {
    const e = await start({
      projects: [yamlProject(['api', 'web'], [completed(911, 'api')])],
      permissions: { deny: [{ permission: 'View builds', project: 'Shop', definition: 'web' }, { permission: 'Update build information', project: 'Shop' }] },
    });
    const r = await task(e, { dependencies: 'api\nweb' }).done;
    assert.equal(r.result.status, 'Failed');
    assert.equal(r.result.message, "Project Collection Build Service (lockstep) lacks 1 permission(s) this task needs, so it waited for and changed nothing: 'View builds' on pipeline web (project Shop). Where to grant each is in the log.");
    assert.ok(r.log.includes("Missing: 'View builds' on pipeline web (project Shop), to read its runs. Grant it to Project Collection Build Service (lockstep) in Pipelines › web › ⋯ › Manage security (this pipeline), or Pipelines › All › ⋯ › Manage security (every pipeline of project Shop)."), r.stdout);
    // Publishing its wait is a feature it can do without: a warning, named, not a failure.
    assert.deepEqual(r.warnings, ["Project Collection Build Service (lockstep) lacks 'Update build information' on pipeline waiter (project Shop): deadlock detection is off for this run (it cannot publish what it waits for). Grant it in Pipelines › waiter › ⋯ › Manage security (this pipeline), or Pipelines › All › ⋯ › Manage security (every pipeline of project Shop)."]);
    assert.deepEqual(e.requests.filter((q) => q.route === 'builds.list' || q.method === 'PATCH'), [], 'nothing waited for, nothing written');
  });

  it('where the service will not evaluate permissions, says so once, goes on, and fails at once on 403 naming the permission, and on 401 without retrying', async () => {
    const e = await start({
      projects: [yamlProject(['api'], [completed(911, 'api')]), yamlProject(['web'], [], 'Web')],
      permissions: { deny: [{ permission: 'View builds', project: 'Shop' }], evaluation: 'forbidden' },
    });
    const [denied] = await Promise.all([task(e, { dependencies: 'api' }).done]);
    assert.equal(denied.result.status, 'Failed');
    assert.equal(denied.warnings.filter((w) => w.startsWith('Could not check permissions before starting (')).length, 1, denied.stdout);
    assert.match(denied.result.message, /was denied GET runs of pipelines 11 in project 'Shop' \(HTTP 403\): it needs the 'View builds' permission on project 'Shop'/);
    e.faults.add({ kind: 'unauthorized' });
    const unauthorized = await task(e, { dependencies: 'Web/web' }).done;
    assert.match(unauthorized.result.message, /^The token was rejected by .+ \(HTTP 401\)/);
    assert.equal(e.requests.filter((q) => q.status === 401).length, 1);
  });

  it('holds its next request as long as a Retry-After on a successful answer asks, and says so once', async () => {
    const e = await start({
      projects: [yamlProject(['api'], [run(941, 'api', { Build: 'inProgress' })])],
      events: [{ at: 30_000, build: 941, status: 'completed', result: 'succeeded' }],
      faults: [{ kind: 'slowdown', route: 'builds.list', count: 1, retryAfterSeconds: 40, delaySeconds: 2.5 }],
    });
    const r = await task(e, { dependencies: 'api' }).done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    const lists = e.requests.filter((q) => q.route === 'builds.list');
    const after = e.requests[e.requests.indexOf(lists[0]) + 1];
    assert.ok(after.time - lists[0].time >= 39_000, `next request ${after.time - lists[0].time} ms (policy) after the answer that asked for 40 s`);
    assert.equal(r.log.filter((l) => l.startsWith('Azure DevOps asks this task to slow down (Retry-After 40s on a successful answer, Core)')).length, 1, r.stdout);
    assert.equal(r.log.filter((l) => l.startsWith('Azure DevOps is delaying requests of this identity (this one by 2.5s, Core)')).length, 1, r.stdout);
  });

  it('never prints the token, even with system.debug=true', async () => {
    const e = await start({ projects: [yamlProject(['api'], [run(921, 'api', { Build: 'inProgress' })])], events: [{ at: 6_000, build: 921, status: 'completed', result: 'succeeded' }] });
    const r = await task(e, { dependencies: 'api' }, { variables: { 'System.Debug': 'true' } }).done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    assert.ok(r.debug.length > 0, 'debug output was on');
    assert.deepEqual(r.secrets, [jobToken]);
    const leaked = (r.stdout + r.stderr).split('\n').filter((l) => l.includes(jobToken) && !l.startsWith('##vso[task.setsecret]'));
    assert.deepEqual(leaked, []);
  });

  it('ends within 2 seconds of SIGINT, saying what it was waiting for', async () => {
    const e = await start({ projects: [yamlProject(['api'], [run(931, 'api', { Build: 'inProgress' })])] });
    const t = task(e, { dependencies: 'api' }, { env: { LOCKSTEP_TIME_SCALE: '1' } });
    await t.waitForLine(/^api: run 2\.3\.931/);
    const at = Date.now();
    t.sigint();
    const r = await t.done;
    assert.ok(Date.now() - at < 2_000, `took ${Date.now() - at} ms`);
    assert.equal(r.result.status, 'Failed');
    assert.equal(r.result.message, 'Canceled while waiting for api (run 2.3.931 (#931) inProgress).');
  });

  it('makes exactly one request per poll for ten YAML dependencies in one project without stage conditions', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `svc-${i}`);
    const e = await start({
      projects: [yamlProject(names, names.map((n, i) => run(1100 + i, n, { Build: 'inProgress' })))],
      events: names.slice(0, 9).map((_, i) => ({ at: 1_000, build: 1100 + i, status: 'completed' as const, result: 'succeeded' as const })),
    });
    const t = task(e, { dependencies: names.join('\n') });
    // The last one succeeds four intervals after the task's first check (a loaded machine may start it late).
    await t.waitForLine(/^Waiting for 10 dependencies/);
    e.state.schedule({ at: e.elapsedMs() + 21_000, build: 1109, status: 'completed', result: 'succeeded' });
    const r = await t.done;
    assert.equal(r.result.status, 'Succeeded', r.stdout);
    const lastResolution = e.requests.map((q) => q.route).lastIndexOf('buildDefinitions.list');
    const afterResolution = e.requests.slice(lastResolution + 1);
    const polling = afterResolution.filter((q) => q.method === 'GET');
    assert.ok(polling.length >= 4, `${polling.length} polls`);
    assert.deepEqual([...new Set(polling.map((q) => q.route))], ['builds.list']);
    assert.equal(polling[0].query.definitions.split(',').length, 10);
    const evaluation = afterResolution.find((q) => q.route === 'security.permissionEvaluationBatch')!;
    assert.equal((evaluation.body as { evaluations: unknown[] }).evaluations.length, 11, 'View builds on ten pipelines, Update build information on its own');
    // Besides the polls: the permission check before the wait (the Security area's location, then one evaluation of
    // all eleven permissions), publishing what this run waits for on its own run, and removing it at the end.
    assert.deepEqual(afterResolution.filter((q) => q.method !== 'GET').map((q) => `${q.route} ${q.path.replace(/.*\/builds\//, '')}`), [
      'security.options /lockstep/_apis/Security',
      'security.permissionEvaluationBatch /lockstep/_apis/Security/PermissionEvaluationBatch',
      `builds.properties.update ${harnessRun.buildId}/properties`,
      `builds.properties.update ${harnessRun.buildId}/properties`,
    ]);
  });
});
