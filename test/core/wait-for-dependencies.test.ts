import assert from 'node:assert/strict';
import type { Emulator } from '../../emulator';
import { emulatorPerTest } from '../support/emulator-per-test';
import type { Scenario } from '../../emulator/scenario';
import { ApiError, CanceledError, InputError } from '../../src/errors';
import { openApi } from '../../src/open-api';
import { defaultPollPolicy } from '../../src/polling/poll-policy';
import { waitForDependencies } from '../../src/polling/wait-for-dependencies';
import { WaitSettings } from '../../src/polling/wait-settings';
import { recordingHost } from '../support/recording-host';
import { commit, otherCommit, running, shop } from '../support/scenarios';

describe('waiting for dependencies (core against the emulator)', function () {
  this.timeout(20_000);
  const start = emulatorPerTest();

  const settings = (dependencies: string[], overrides: Partial<WaitSettings> = {}): WaitSettings => ({
    dependencies: dependencies.join('\n'),
    match: { mode: 'sameCommit', commit },
    acceptPartiallySucceeded: false,
    onDependencyFailure: 'fail',
    onTimeout: 'fail',
    project: 'Shop',
    poll: { ...defaultPollPolicy, intervalMs: 100 },
    ...overrides,
  });

  async function run(scenario: Scenario, waitSettings: WaitSettings, hostOptions: Parameters<typeof recordingHost>[0] = {}) {
    const emulator = await start(scenario);
    const recorded = recordingHost(hostOptions);
    const api = await openApi({ collectionUrl: emulator.collectionUrl, token: emulator.token }, recorded.host);
    const outcome = waitForDependencies(waitSettings, api, recorded.host);
    return { ...recorded, outcome, emulator };
  }

  const routes = (e: Emulator) => e.requests.map((r) => r.route);

  it('succeeds once the dependency stage succeeds, while its later stages still run', async () => {
    // Prod succeeds 1.5 s in: the first look, after connecting and resolving, must see it running even on a loaded
    // machine (at 400 ms it sometimes came too late).
    const scenario = shop(['api'], [running(201, 'api', { Build: 'succeeded', Prod: 'inProgress', Smoke: 'pending' })], {
      events: [{ at: 1500, build: 201, stage: 'Prod', result: 'succeeded' }],
    });
    const { outcome, lines, outputs, summaries, progress } = await run(scenario, settings(['api@Prod']));
    const result = await outcome;
    assert.equal(result.result, 'Succeeded');
    assert.deepEqual(
      lines.filter((l) => l.startsWith('api@Prod:')),
      ['api@Prod: run 2.3.201 (#201): stage Prod inProgress', 'api@Prod: run 2.3.201 (#201): stage Prod succeeded'],
    );
    const resolved = JSON.parse(outputs.resolvedRuns);
    assert.equal(resolved[0].runId, 201);
    assert.equal(resolved[0].result, 'succeeded');
    assert.match(resolved[0].webUrl, /buildId=201|\/201/);
    assert.ok(Number(outputs.waitedSeconds) >= 0);
    assert.match(summaries[0].markdown, /\| ✅ `api@Prod` \| Shop \| \[2\.3\.201 \(#201\)\]\(.+\) \| run 2\.3\.201 \(#201\): stage Prod succeeded \|/);
    assert.deepEqual(progress.at(-1), { fraction: 1, text: '1 of 1 met' });
  });

  it('batches ten YAML dependencies of one project into one request per poll', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `svc-${i}`);
    const scenario = shop(
      names,
      names.map((n, i) => running(300 + i, n, { Build: 'inProgress' })),
      { events: names.map((_, i) => ({ at: 300 + 30 * i, build: 300 + i, status: 'completed' as const, result: 'succeeded' as const })) },
    );
    const { outcome, sleeps, emulator: e } = await run(scenario, settings(names));
    assert.equal((await outcome).result, 'Succeeded');
    const afterResolution = routes(e).slice(routes(e).lastIndexOf('buildDefinitions.list') + 1);
    const polls = sleeps.length + 1;
    assert.ok(polls >= 3, `expected several polls, saw ${polls}`);
    // The permission check first (the Security area's location, one evaluation of all ten), then one request per poll.
    assert.deepEqual(afterResolution, ['security.options', 'security.permissionEvaluationBatch', ...new Array(polls).fill('builds.list')]);
    const query = e.requests.find((r) => r.route === 'builds.list')!.query;
    assert.equal(query.definitions.split(',').length, 10);
  });

  it('reads timelines only for runs still in progress with a stage condition, and a finished run once', async () => {
    const scenario = shop(
      ['api', 'web', 'db'],
      [
        running(401, 'api', { Build: 'succeeded', Prod: 'inProgress', Smoke: 'pending' }),
        running(402, 'web', { Build: 'inProgress' }),
        { ...running(403, 'db', { Build: 'succeeded', Prod: 'succeeded', Smoke: 'succeeded' }), status: 'completed', result: 'succeeded' },
      ],
      { events: [{ at: 500, build: 401, stage: 'Prod', result: 'succeeded' }, { at: 500, build: 402, status: 'completed', result: 'succeeded' }] },
    );
    const { outcome, sleeps, emulator: e } = await run(scenario, settings(['api@Prod', 'web', 'db@Prod']));
    assert.equal((await outcome).result, 'Succeeded');
    const timelineOf = (id: number) => e.requests.filter((r) => r.route === 'timeline.get' && r.path.includes(`/builds/${id}/`)).length;
    // One read while resolving (the stage exists in the last run), one in the first poll; never again once finished.
    assert.equal(timelineOf(403), 2);
    assert.equal(timelineOf(402), 0);
    assert.ok(timelineOf(401) >= sleeps.length, 'the running stage is read every poll');
  });

  it('never matches a run of another commit, and finds a matching run queued later', async () => {
    const scenario = shop(['api'], [{ ...running(501, 'api', { Build: 'succeeded', Prod: 'succeeded' }), sourceVersion: otherCommit, status: 'completed', result: 'succeeded' }], {
      events: [{ at: 300, queueBuild: { id: 502, definition: 'api', project: 'Shop', buildNumber: '2.3.502', sourceVersion: commit } }],
      behaviour: { queuedRunMs: 100 },
    });
    const { outcome, lines } = await run(scenario, settings(['api@Prod']));
    const result = await outcome;
    assert.equal(result.result, 'Succeeded');
    assert.equal(result.statuses[0].observation.run?.id, 502);
    assert.ok(lines.includes('api@Prod: no matching run yet'));
  });

  it('fails within one poll when the matched stage fails, naming the pipeline, run, link and stage', async () => {
    const scenario = shop(['api'], [running(601, 'api', { Build: 'succeeded', Prod: 'inProgress' })], {
      events: [{ at: 300, build: 601, stage: 'Prod', result: 'failed' }],
    });
    const { outcome, sleeps } = await run(scenario, settings(['api@Prod']));
    const result = await outcome;
    assert.equal(result.result, 'Failed');
    assert.match(result.message!, /^api@Prod: run 2\.3\.601 failed \(http:\/\/127\.0\.0\.1:\d+\/.+601.*\)\. run 2\.3\.601 \(#601\): stage Prod failed$/);
    assert.ok(sleeps.length <= 5);
  });

  it('keeps waiting past a failed run for a newer matching one when onDependencyFailure is wait', async () => {
    const scenario = shop(['api'], [{ ...running(701, 'api', { Build: 'failed' }), status: 'completed', result: 'failed' }], {
      events: [{ at: 300, queueBuild: { id: 702, definition: 'api', project: 'Shop', buildNumber: '2.3.702', sourceVersion: commit } }],
      behaviour: { queuedRunMs: 50 },
    });
    const { outcome, lines } = await run(scenario, settings(['api'], { onDependencyFailure: 'wait' }));
    const result = await outcome;
    assert.equal(result.result, 'Succeeded');
    assert.equal(result.statuses[0].observation.run?.id, 702);
    assert.equal(lines.filter((l) => l.startsWith('warning: api: run 2.3.701 failed; waiting for a newer')).length, 1);
  });

  it('waits on a classic release environment of the same commit', async () => {
    const scenario: Scenario = {
      projects: [
        {
          name: 'Shop',
          releaseDefinitions: [{ id: 3, name: 'Legacy Web', environments: ['Staging', 'Production'] }],
          releases: [
            { id: 30, definition: 'Legacy Web', name: 'Release-30', artifacts: [{ alias: 'web', isPrimary: true, sourceVersion: otherCommit, buildNumber: '2.2.0' }], environments: [{ name: 'Production', status: 'succeeded' }] },
            { id: 31, definition: 'Legacy Web', name: 'Release-31', artifacts: [{ alias: 'web', isPrimary: true, sourceVersion: commit, buildNumber: '2.3.0' }], environments: [{ name: 'Staging', status: 'succeeded' }, { name: 'Production', status: 'inProgress' }] },
          ],
        },
      ],
      events: [{ at: 300, release: 31, environment: 'Production', status: 'succeeded' }],
    };
    const { outcome, lines } = await run(scenario, settings(['release:Legacy Web@Production']));
    const result = await outcome;
    assert.equal(result.result, 'Succeeded');
    assert.equal(result.statuses[0].observation.run?.id, 31);
    assert.ok(lines.includes('release:Legacy Web@Production: release Release-31 (#31): Production inProgress'));
  });

  describe('bad references fail before any waiting', () => {
    const scenario = (): Scenario => ({
      projects: [
        {
          name: 'Shop',
          buildDefinitions: [
            { id: 11, name: 'api-service', stages: ['Build', 'Prod'] },
            { id: 12, name: 'web', path: '\\team-a', stages: ['Build'] },
            { id: 13, name: 'web', path: '\\team-b', stages: ['Build'] },
          ],
          builds: [{ id: 90, definition: 'api-service', sourceVersion: commit }],
        },
        { name: 'Payments' },
      ],
    });
    const rejects = async (deps: string[], pattern: RegExp) => {
      const { outcome } = await run(scenario(), settings(deps));
      await assert.rejects(outcome, (e: unknown) => e instanceof InputError && pattern.test(e.message));
    };

    it('names an unknown pipeline and offers the closest names', () =>
      rejects(['api-servce@Prod'], /^Pipeline 'api-servce' not found in project 'Shop'\. Did you mean 'api-service'\?$/));
    it('asks for the folder or id when a name is ambiguous', () =>
      rejects(['web'], /^Pipeline name 'web' is ambiguous in project 'Shop': \\team-a\\web \(id 12\), \\team-b\\web \(id 13\)\. Write the folder path/));
    it('accepts the folder path that settles an ambiguous name', async () => {
      const { outcome } = await run(scenario(), settings(['\\team-b\\web'], { poll: { ...defaultPollPolicy, intervalMs: 100, timeoutMs: 150 } }));
      const result = await outcome;
      assert.equal(result.statuses[0].ref.definitionId, 13);
    });
    it('lists the stages of the last run for an unknown stage', () =>
      rejects(['api-service@Production'], /^Stage 'Production' not found in pipeline 'api-service'\. Stages in its last run \(#.+\): Build, Prod\.$/));
    it('names an unknown project and offers the closest', () => rejects(['Paymnts/api'], /^Project 'Paymnts' not found in .+\. Did you mean 'Payments'\?$/));
  });

  it('waits as a 429 asks (Retry-After) and carries on', async () => {
    const scenario = shop(['api'], [{ ...running(801, 'api', { Build: 'succeeded' }), status: 'completed', result: 'succeeded' }], {
      faults: [{ kind: 'throttle', route: 'builds.list', count: 2, retryAfterSeconds: 7 }],
    });
    const { outcome, sleeps, lines } = await run(scenario, settings(['api']), { virtualTime: true });
    assert.equal((await outcome).result, 'Succeeded');
    assert.deepEqual(sleeps, [7000, 7000]);
    assert.equal(lines.filter((l) => /throttling requests \(HTTP 429, resource Core\); waiting 7\.0s/.test(l)).length, 2);
  });

  it('retries a burst of 503s and connection resets with backoff', async () => {
    const scenario = shop(['api'], [{ ...running(802, 'api', { Build: 'succeeded' }), status: 'completed', result: 'succeeded' }], {
      faults: [
        { kind: 'error', route: 'builds.list', status: 503, count: 3 },
        { kind: 'reset', route: 'builds.list', count: 1 },
      ],
    });
    const { outcome, sleeps, emulator: e } = await run(scenario, settings(['api']), { virtualTime: true });
    assert.equal((await outcome).result, 'Succeeded');
    assert.equal(sleeps.length, 4);
    assert.ok(sleeps.every((ms, i) => ms >= 700 * 2 ** i && ms <= 1000 * 2 ** i), `backoffs ${sleeps}`);
    assert.equal(e.requests.filter((r) => r.route === 'builds.list').length, 5);
  });

  it('fails at once on 403, naming the identity and the missing permission, where permissions cannot be checked in advance', async () => {
    const scenario = shop(['api'], [], { permissions: { deny: [{ permission: 'View builds', project: 'Shop' }], evaluation: 'absent' } });
    const { outcome, emulator: e } = await run(scenario, settings(['api']));
    await assert.rejects(outcome, (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.status, 403);
      assert.match(err.message, /^Project Collection Build Service \(lockstep\) was denied GET runs of pipelines 11 in project 'Shop' \(HTTP 403\): it needs the 'View builds' permission on project 'Shop'\. Grant it in Pipelines > \(the pipeline\) > More actions > Manage security\.$/);
      return true;
    });
    assert.equal(e.requests.filter((r) => r.status === 403).length, 1);
  });

  it('fails at once on 401 without retrying', async () => {
    const scenario = shop(['api'], [], { faults: [{ kind: 'unauthorized', route: 'buildDefinitions.list' }] });
    const { outcome, emulator: e } = await run(scenario, settings(['api']));
    await assert.rejects(outcome, /The token was rejected by http:\/\/127\.0\.0\.1:\d+\/lockstep \(HTTP 401\)/);
    assert.equal(e.requests.filter((r) => r.status === 401).length, 1);
  });

  it('times out after 60 minutes in milliseconds, listing each unmet dependency and its last state', async () => {
    const scenario = shop(['api', 'web'], [running(901, 'web', { Build: 'inProgress' })]);
    const started = Date.now();
    const { outcome, lines, outputs } = await run(scenario, settings(['api@Prod', 'web'], { poll: { ...defaultPollPolicy, timeoutMs: 60 * 60_000 } }), { virtualTime: true });
    const result = await outcome;
    assert.ok(Date.now() - started < 10_000);
    assert.equal(result.result, 'Failed');
    assert.equal(result.message, 'Timed out after 1h00m waiting for 2 of 2 dependencies: api@Prod (no matching run yet); web (run 2.3.901 (#901) inProgress)');
    assert.equal(lines.filter((l) => l.startsWith('Still waiting after')).length, 12, 'a heartbeat every 5 minutes while nothing changes');
    assert.equal(outputs.waitedSeconds, '3600');
  });

  it('succeeds with issues on timeout when onTimeout says so', async () => {
    const scenario = shop(['api'], []);
    const { outcome } = await run(scenario, settings(['api'], { onTimeout: 'succeedWithIssues', poll: { ...defaultPollPolicy, timeoutMs: 60_000 } }), { virtualTime: true });
    const result = await outcome;
    assert.equal(result.result, 'SucceededWithIssues');
    assert.match(result.message!, /^Timed out after 1m00s; continuing as onTimeout is succeedWithIssues\. Unmet: api \(no matching run yet\)$/);
  });

  it('stops promptly when canceled, saying what it was waiting for', async () => {
    const scenario = shop(['api'], [running(950, 'api', { Build: 'inProgress' })]);
    const { outcome, cancel, summaries } = await run(scenario, settings(['api'], { poll: { ...defaultPollPolicy, intervalMs: 10_000 } }));
    await new Promise((r) => setTimeout(r, 300));
    const at = Date.now();
    cancel();
    await assert.rejects(outcome, (e: unknown) => e instanceof CanceledError && e.message === 'Canceled while waiting for api (run 2.3.950 (#950) inProgress).');
    assert.ok(Date.now() - at < 500);
    assert.equal(summaries.length, 1, 'the summary is still written');
  });
});
