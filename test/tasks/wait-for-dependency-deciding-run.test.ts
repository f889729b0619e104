import assert from 'node:assert/strict';
import type { Emulator } from '../../emulator';
import { apiProject as shop, apiRun as run, SCALE, waitTask as task, waiterEmulatorPerTest } from '../support/wait-task';
import type { BuildInput, ProjectInput, ReleaseInput } from '../../emulator/scenario';
import { harnessRun } from '../../emulator/agent/agent-harness';
import { leastWaitedSeconds } from '../support/least-waited';
import { waitFor } from '../emulator/support';

/**
 * Which of several runs of "the same release" decides (issue 13, case 3; src/runs/deciding-run.ts), and how far back
 * the history is searched for one (case 6), through the bundled WaitForDependency@1 against the emulator. The waiting
 * run is run 1001 of pipeline 'waiter' (id 90) in Shop, on refs/heads/main at harnessRun.commit. Policy time runs
 * SCALE times faster; scenario times below are policy time.
 */
const commit = harnessRun.commit;

describe('WaitForDependency@1: which matching run decides, and how far back it looks (bundled task, emulator)', function () {
  this.timeout(40_000);
  const start = waiterEmulatorPerTest(SCALE);

  /** A finished run of api for this commit whose Prod a condition skipped. */
  const skippedProd = (id: number, extra: Partial<BuildInput>): BuildInput =>
    run(id, { Build: 'succeeded', Prod: 'skipped', Smoke: 'skipped' }, { status: 'completed', result: 'succeeded', ...extra });

  const runIdOf = (outputs: Record<string, string>) => JSON.parse(outputs.resolvedRuns)[0].runId;
  const polls = (e: Emulator) => e.requests.filter((q) => q.route === 'builds.list' && !q.query.$top && !q.query.buildIds);
  /** Timeline reads of one run from the first check on (checking the stage name before it reads one too). */
  const timelineReadsOf = (e: Emulator, buildId: number) =>
    e.requests.slice(e.requests.indexOf(polls(e)[0])).filter((q) => q.route === 'timeline.get' && q.path.includes(`/builds/${buildId}/`)).length;

  describe('runs that share the commit', () => {
    it('waits for the main run deploying Prod, not a newer run of the same commit on a tag whose Prod a branch condition skipped', async () => {
      const e = await start({
        projects: [shop([run(201, { Build: 'succeeded', Prod: 'inProgress' }, { reason: 'individualCI' }), skippedProd(202, { sourceBranch: 'refs/tags/v2.3.0', reason: 'individualCI', buildNumber: 'v2.3.0', queueTime: -30_000 })])],
        events: [{ at: 15_000, build: 201, stage: 'Prod', result: 'succeeded' }],
      });
      const r = await task(e, { dependencies: 'api@Prod' }).done;
      assert.equal(r.result.status, 'Succeeded', r.stdout);
      assert.equal(runIdOf(r.outputs), 201);
      assert.ok(Number(r.outputs.waitedSeconds) >= leastWaitedSeconds(e, 15_000), 'it waited for the main run\'s Prod');
      assert.equal(timelineReadsOf(e, 202), 0, 'the tag run is not this run\'s branch: the main run, first in line, decided, and the tag run was never looked at');
    });

    it('waits for the run deploying Prod, not a newer scheduled run of the same commit and branch that skipped Prod, reading the skipped run\'s timeline once', async () => {
      const e = await start({
        projects: [shop([run(211, { Build: 'succeeded', Prod: 'inProgress' }, { reason: 'individualCI' }), skippedProd(212, { reason: 'schedule', buildNumber: 'nightly', queueTime: -30_000 })])],
        events: [{ at: 20_000, build: 211, stage: 'Prod', result: 'succeeded' }],
      });
      const r = await task(e, { dependencies: 'api@Prod' }).done;
      assert.equal(r.result.status, 'Succeeded', r.stdout);
      assert.equal(runIdOf(r.outputs), 211);
      assert.ok(r.log.includes('api@Prod: run 2.3.211 (#211): stage Prod inProgress'), r.stdout);
      assert.ok(!r.log.some((l) => l.includes('#212')), 'the scheduled run never shows as the dependency\'s run');
      const checks = polls(e).length;
      assert.ok(checks >= 4, `${checks} checks`);
      assert.equal(timelineReadsOf(e, 212), 1, 'a finished run\'s timeline is read once and kept');
      assert.ok(timelineReadsOf(e, 211) <= checks, 'the deciding run\'s timeline at most once per check');
    });

    it('takes this run\'s own branch first: the main run deploying Prod decides over a newer run of the commit on a release branch whose Prod failed', async () => {
      const e = await start({
        projects: [shop([run(221, { Build: 'succeeded', Prod: 'inProgress' }), run(222, { Build: 'succeeded', Prod: 'failed' }, { status: 'completed', result: 'failed', sourceBranch: 'refs/heads/release/2.3', queueTime: -30_000 })])],
        events: [{ at: 10_000, build: 221, stage: 'Prod', result: 'succeeded' }],
      });
      const r = await task(e, { dependencies: 'api@Prod' }).done;
      assert.equal(r.result.status, 'Succeeded', r.stdout);
      assert.equal(runIdOf(r.outputs), 221);
    });

    it('still fails on the run that skipped Prod when no other run of the commit ran it', async () => {
      const e = await start({ projects: [shop([skippedProd(231, { reason: 'schedule' }), run(232, { Build: 'succeeded', Prod: 'skipped' }, { status: 'completed', result: 'succeeded', queueTime: -90_000 })])] });
      const r = await task(e, { dependencies: 'api@Prod' }).done;
      assert.equal(r.result.status, 'Failed');
      assert.match(r.result.message, /^api@Prod: run 2\.3\.231 skipped .*stage Prod skipped$/);
    });
  });

  describe('classic releases of the same build', () => {
    const legacy = (releases: ReleaseInput[]): ProjectInput => ({
      ...shop([]),
      releaseDefinitions: [{ id: 3, name: 'Legacy Web', environments: ['QA', 'Production'] }],
      releases,
    });
    const buildArtifact = [{ alias: 'web', isPrimary: true, buildNumber: '2.3.0', sourceVersion: commit, branch: 'refs/heads/main' }];

    it('passes on the release that deployed Production, not a second release of the same build that was never deployed', async () => {
      const e = await start({
        projects: [
          legacy([
            { id: 31, definition: 'Legacy Web', artifacts: buildArtifact, environments: [{ name: 'QA', status: 'succeeded' }, { name: 'Production', status: 'succeeded' }] },
            { id: 32, definition: 'Legacy Web', artifacts: buildArtifact },
          ]),
        ],
      });
      const r = await task(e, { dependencies: 'release:Legacy Web@Production', timeoutMinutes: '1' }).done;
      assert.equal(r.result.status, 'Succeeded', r.stdout);
      assert.equal(runIdOf(r.outputs), 31);
    });

    it('never matches an abandoned or draft release: it waits for the active release deploying Production', async () => {
      const e = await start({
        projects: [
          legacy([
            { id: 40, definition: 'Legacy Web', artifacts: buildArtifact, environments: [{ name: 'Production', status: 'inProgress' }] },
            { id: 41, definition: 'Legacy Web', status: 'abandoned', artifacts: buildArtifact, environments: [{ name: 'Production', status: 'rejected' }] },
            { id: 42, definition: 'Legacy Web', status: 'draft', artifacts: buildArtifact },
          ]),
        ],
        events: [{ at: 10_000, release: 40, environment: 'Production', status: 'succeeded' }],
      });
      const r = await task(e, { dependencies: 'release:Legacy Web@Production' }).done;
      assert.equal(r.result.status, 'Succeeded', r.stdout);
      assert.equal(runIdOf(r.outputs), 40);
      const lists = e.requests.filter((q) => q.route === 'release.releases.list');
      assert.ok(lists.length > 0 && lists.every((q) => q.query.statusFilter === '2'), 'only active releases are asked for');
    });

    it('matches by sameCommit a release whose primary artifact is a Git repository (its version is the commit)', async () => {
      const e = await start({
        projects: [
          legacy([
            { id: 50, definition: 'Legacy Web', artifacts: [{ alias: '_app', type: 'Git', sourceVersion: 'aaaa000000000000000000000000000000000001', branch: 'refs/heads/main' }], environments: [{ name: 'Production', status: 'rejected' }] },
            { id: 51, definition: 'Legacy Web', artifacts: [{ alias: '_app', type: 'Git', sourceVersion: commit, branch: 'refs/heads/main' }], environments: [{ name: 'Production', status: 'inProgress' }] },
          ]),
        ],
        events: [{ at: 10_000, release: 51, environment: 'Production', status: 'succeeded' }],
      });
      const r = await task(e, { dependencies: 'release:Legacy Web@Production' }).done;
      assert.equal(r.result.status, 'Succeeded', r.stdout);
      assert.equal(runIdOf(r.outputs), 51);
    });

    it('matches by sameCommit a release whose primary artifact is a GitHub repository', async () => {
      const e = await start({
        projects: [legacy([{ id: 55, definition: 'Legacy Web', artifacts: [{ alias: '_app', type: 'GitHub', repository: 'contoso/web', sourceVersion: commit, branch: 'main' }], environments: [{ name: 'Production', status: 'succeeded' }] }])],
      });
      const r = await task(e, { dependencies: 'release:Legacy Web@Production', timeoutMinutes: '1' }).done;
      assert.equal(r.result.status, 'Succeeded', r.stdout);
      assert.equal(runIdOf(r.outputs), 55);
    });
  });

  describe('a long history (sameCommit)', () => {
    /** `count` finished runs of other commits, newer than everything else, newest last. */
    const newer = (count: number, first: number, extra: (i: number) => Partial<BuildInput> = () => ({})): BuildInput[] =>
      Array.from({ length: count }, (_, i) => ({
        id: first + i,
        definition: 'api',
        buildNumber: `2.4.${first + i}`,
        sourceVersion: `${first + i}`.padStart(40, 'c'),
        queueTime: -600_000 + i * 1_000,
        ...extra(i),
      }));

    it('finds the commit\'s run behind 30 newer pull-request runs in the first request: pull requests\' runs are left out on the server', async () => {
      const prs = newer(30, 300, (i) => ({ reason: 'pullRequest', pullRequest: { number: 100 + i } }));
      const e = await start({ projects: [shop([run(299, { Build: 'succeeded', Prod: 'succeeded' }, { status: 'completed', result: 'succeeded', queueTime: -3_600_000 }), ...prs])] });
      const r = await task(e, { dependencies: 'api@Prod' }).done;
      assert.equal(r.result.status, 'Succeeded', r.stdout);
      assert.equal(runIdOf(r.outputs), 299);
      const lists = e.requests.filter((q) => q.route === 'builds.list' && q.query.$top !== '1');
      assert.equal(lists.length, 1, 'one list request, no paging');
      assert.equal(lists[0].query.reasonFilter, '1775', 'every reason but pullRequest (All 2031 without 256)');
    });

    it('pages back once to find the commit\'s run behind 30 newer runs, then reads it by id at each later check instead of paging again', async () => {
      const e = await start({ projects: [shop([run(399, { Build: 'succeeded', Prod: 'inProgress' }, { queueTime: -3_600_000 }), ...newer(30, 400)])] });
      const waiting = task(e, { dependencies: 'api@Prod' });
      // Prod succeeds 30 s after the first check, whenever the task's process got to it (a loaded machine starts it
      // late), so six checks or more always come before it.
      await waitFor(() => polls(e).length > 0, 20_000, 'the first check');
      e.state.schedule({ at: polls(e)[0].time + 30_000, build: 399, stage: 'Prod', result: 'succeeded' });
      const r = await waiting.done;
      assert.equal(r.result.status, 'Succeeded', r.stdout);
      assert.equal(runIdOf(r.outputs), 399);
      const pages = e.requests.filter((q) => q.route === 'builds.list' && q.query.$top === '100');
      assert.equal(pages.length, 1, 'one page of 100 reached it');
      assert.equal(pages[0].query.definitions, '11');
      const checks = polls(e);
      assert.ok(checks.length >= 6, `${checks.length} checks`);
      const byId = e.requests.filter((q) => q.route === 'builds.list' && q.query.buildIds === '399');
      assert.equal(byId.length, checks.length - 1, 'every check after the first reads the run it found by id');
    });

    it('searches at most 500 runs back, says so, and searches again only every 20th check', async function () {
      this.timeout(90_000);
      const e = await start({ projects: [shop([run(999, { Build: 'succeeded', Prod: 'succeeded' }, { status: 'completed', result: 'succeeded', queueTime: -86_400_000 }), ...newer(520, 2000)])] });
      const r = await task(e, { dependencies: 'api@Prod', timeoutMinutes: '2' }).done;
      assert.equal(r.result.status, 'Failed');
      assert.match(r.result.message, /api@Prod \(no matching run among its 500 newest runs\)$/);
      const checks = polls(e).length;
      const pages = e.requests.filter((q) => q.route === 'builds.list' && q.query.$top === '100');
      assert.ok(checks >= 21 && checks < 40, `${checks} checks`);
      assert.equal(pages.length, 10, 'five pages at the first check and five at the 21st');
      assert.equal(pages.filter((q) => q.query.continuationToken).length, 8, 'each search continues page after page');
    });
  });
});
