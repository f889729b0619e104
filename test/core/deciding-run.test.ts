import assert from 'node:assert/strict';
import { Build, BuildReason, BuildStatus, TaskResult, TimelineRecord, TimelineRecordState } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { EnvironmentStatus, Release, ReleaseStatus } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { decidingRun, didNotRunStage, neverDeployed, orderBuilds, orderReleases } from '../../src/runs/deciding-run';
import { buildFilters, releaseMatches } from '../../src/runs/match-mode';

const build = (id: number, sourceBranch: string, queueTime: number, b: Partial<Build> = {}) => ({ id, sourceBranch, queueTime: new Date(queueTime), ...b }) as Build;
const release = (id: number, r: Partial<Release>) => ({ id, status: ReleaseStatus.Active, ...r }) as Release;
const stage = (state: TimelineRecordState, result?: TaskResult) => ({ type: 'Stage', identifier: 'Prod', state, result }) as TimelineRecord;

describe('which matching run decides', () => {
  it('orders this run\'s branch first, newest first, for sameCommit, runNumber and tag, and leaves latest and versionRange newest first', () => {
    const runs = [build(1, 'refs/heads/main', 100), build(2, 'refs/tags/v2.3.0', 300), build(3, 'refs/heads/main', 200)];
    for (const mode of ['sameCommit', 'runNumber', 'tag'] as const) assert.deepEqual(orderBuilds(runs, { mode, branch: 'refs/heads/main' }).map((b) => b.id), [3, 1, 2], mode);
    for (const mode of ['latest', 'versionRange'] as const) assert.deepEqual(orderBuilds(runs, { mode, branch: 'refs/heads/main' }).map((b) => b.id), [2, 3, 1], mode);
    assert.deepEqual(orderBuilds(runs, { mode: 'sameCommit' }).map((b) => b.id), [2, 3, 1], 'no branch known: newest first');
  });

  it('orders releases by their primary artifact\'s branch, with or without refs/heads/', () => {
    const onBranch = (id: number, branch: string) => release(id, { artifacts: [{ isPrimary: true, type: 'Git', definitionReference: { branch: { id: branch } } }] });
    assert.deepEqual(orderReleases([onBranch(1, 'main'), onBranch(2, 'release/2.3')], { mode: 'sameCommit', branch: 'refs/heads/main' }).map((r) => r.id), [1, 2]);
  });

  it('passes over a run whose stage was skipped or that finished without it, never one still on its way to the stage', () => {
    const done = build(1, 'm', 0, { status: BuildStatus.Completed });
    const going = build(2, 'm', 0, { status: BuildStatus.InProgress });
    assert.equal(didNotRunStage(going, [stage(TimelineRecordState.Completed, TaskResult.Skipped)], 'Prod'), true);
    assert.equal(didNotRunStage(done, [stage(TimelineRecordState.Pending)], 'Prod'), true);
    assert.equal(didNotRunStage(done, [], 'Prod'), true);
    assert.equal(didNotRunStage(done, [stage(TimelineRecordState.Completed, TaskResult.Failed)], 'Prod'), false);
    assert.equal(didNotRunStage(going, [stage(TimelineRecordState.Pending)], 'Prod'), false);
    assert.equal(didNotRunStage(going, [], 'Prod'), false);
  });

  it('passes over a release whose environment was never deployed or that has no such environment', () => {
    const r = release(1, { environments: [{ name: 'QA', status: EnvironmentStatus.Succeeded }, { name: 'Production', status: EnvironmentStatus.NotStarted }] });
    assert.equal(neverDeployed(r, 'Production'), true);
    assert.equal(neverDeployed(r, 'Staging'), true);
    assert.equal(neverDeployed(r, 'QA'), false);
    assert.equal(neverDeployed(r, undefined), false);
  });

  it('takes the first candidate not passed over, looks at no more than the limit, and falls back to the first', async () => {
    const looked: number[] = [];
    const look = async (n: number) => (looked.push(n), n);
    assert.deepEqual(await decidingRun([1, 2, 3, 4], 3, look, (n) => n < 3), { run: 3, seen: 3 });
    assert.deepEqual(looked, [1, 2, 3]);
    assert.deepEqual(await decidingRun([1, 2, 3, 4], 2, look, () => true), { run: 1, seen: 1 });
    assert.equal(await decidingRun([], 3, look, () => true), undefined);
  });
});

describe('release and builds-list matching for the deciding run', () => {
  const commit = '3f2a9c1e5b7d4f60a8e2c9b1d3f5a7c9e1b3d5f7';

  it('takes a Git or GitHub artifact\'s version as its commit, and a Build artifact\'s source version', () => {
    const withArtifact = (type: string, ref: Record<string, { id: string }>) => release(1, { artifacts: [{ type, isPrimary: true, definitionReference: ref }] });
    assert.equal(releaseMatches({ mode: 'sameCommit', commit }, withArtifact('Git', { version: { id: commit } })), true);
    assert.equal(releaseMatches({ mode: 'sameCommit', commit }, withArtifact('GitHub', { version: { id: commit.toUpperCase() } })), true);
    assert.equal(releaseMatches({ mode: 'sameCommit', commit }, withArtifact('Build', { version: { id: commit } })), false, 'a Build artifact\'s version is a run id');
    assert.equal(releaseMatches({ mode: 'sameCommit', commit }, withArtifact('Build', { sourceVersion: { id: commit } })), true);
    assert.equal(releaseMatches({ mode: 'sameBranch', branch: 'refs/heads/main' }, withArtifact('Git', { branch: { id: 'main' } })), true);
  });

  it('never matches a draft or an abandoned release', () => {
    const r = (status: ReleaseStatus) => release(1, { status, name: '2.3.0' });
    assert.equal(releaseMatches({ mode: 'runNumber', value: '2.3.0' }, r(ReleaseStatus.Active)), true);
    assert.equal(releaseMatches({ mode: 'runNumber', value: '2.3.0' }, r(ReleaseStatus.Draft)), false);
    assert.equal(releaseMatches({ mode: 'runNumber', value: '2.3.0' }, r(ReleaseStatus.Abandoned)), false);
  });

  it('leaves pull requests\' runs out on the server for sameCommit, unless this run is a pull request\'s', () => {
    assert.equal(buildFilters({ mode: 'sameCommit', commit, branch: 'refs/heads/main' }).reasonFilter, BuildReason.All & ~BuildReason.PullRequest);
    assert.equal(buildFilters({ mode: 'sameCommit', commit, branch: 'refs/pull/7/merge' }).reasonFilter, undefined);
    assert.equal(buildFilters({ mode: 'latest' }).reasonFilter, undefined);
  });
});
