import assert from 'node:assert/strict';
import { Build, BuildReason } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { checkMatch } from '../../src/inputs/check-match';
import { buildMatches, MatchSettings, releaseMatches } from '../../src/runs/match-mode';

const names = { commit: 'Build.SourceVersion', branch: 'Build.SourceBranch' };
const build = (b: Partial<Build>) => ({ id: 1, buildNumber: '2.3.1', sourceVersion: 'abc123', sourceBranch: 'refs/heads/main', tags: [], ...b }) as Build;

describe('run matching', () => {
  it('needs a matchValue for runNumber, tag, versionRange and runId, and says what it should be', () => {
    assert.throws(() => checkMatch({ mode: 'versionRange', value: ' ' }, names), /match 'versionRange' needs a matchValue \(a semver range such as \^2.3.0\)/);
    assert.throws(() => checkMatch({ mode: 'tag' }, names), /needs a matchValue \(the tag the run must carry\)/);
  });

  it('rejects an invalid semver range and a run id that is not a number', () => {
    assert.throws(() => checkMatch({ mode: 'versionRange', value: 'banana' }, names), /'banana' is not a valid semver range/);
    assert.throws(() => checkMatch({ mode: 'runId', value: '12a' }, names), /'12a' is not a run id/);
  });

  it('needs this run\'s commit for sameCommit and names the variable it read', () => {
    assert.throws(() => checkMatch({ mode: 'sameCommit' }, names), /Build.SourceVersion is not set/);
  });

  it('matches a build on commit, branch, run number, tag, version range and id', () => {
    const m = (s: MatchSettings, b: Partial<Build>) => buildMatches(s, build(b));
    assert.equal(m({ mode: 'sameCommit', commit: 'ABC123' }, {}), true);
    assert.equal(m({ mode: 'sameCommit', commit: 'abc124' }, {}), false);
    assert.equal(m({ mode: 'sameBranch', branch: 'refs/heads/main' }, {}), true);
    assert.equal(m({ mode: 'runNumber', value: '2.3.1' }, {}), true);
    assert.equal(m({ mode: 'tag', value: 'rc' }, { tags: ['RC'] }), true);
    assert.equal(m({ mode: 'versionRange', value: '^2.3.0' }, {}), true);
    assert.equal(m({ mode: 'versionRange', value: '^2.4.0' }, {}), false);
    assert.equal(m({ mode: 'versionRange', value: '^2.4.0' }, { buildNumber: '20261127.1', tags: ['v2.4.2'] }), true);
    assert.equal(m({ mode: 'runId', value: '7, 1' }, {}), true);
  });

  it('never takes a pull request\'s run for versionRange or latest, nor a prerelease unless the range asks for one', () => {
    const m = (s: MatchSettings, b: Partial<Build>) => buildMatches(s, build(b));
    const pr = { buildNumber: '2.4.0-pr.7', sourceBranch: 'refs/pull/7/merge', reason: BuildReason.PullRequest };
    assert.equal(m({ mode: 'versionRange', value: '^2.3.0' }, pr), false);
    assert.equal(m({ mode: 'latest' }, pr), false);
    assert.equal(m({ mode: 'latest' }, {}), true);
    assert.equal(m({ mode: 'versionRange', value: '^2.3.0' }, { buildNumber: '2.4.0-rc.1' }), false, 'a prerelease is not in a plain range');
    assert.equal(m({ mode: 'versionRange', value: '>=2.4.0-rc.0' }, { buildNumber: '2.4.0-rc.1' }), true, 'unless the range asks for it');
    assert.equal(m({ mode: 'versionRange', value: '^2.3.0' }, { buildNumber: '2.4.1' }), true);
  });

  it('matches a classic release on any build artifact\'s commit, its name or its tags', () => {
    const release = {
      id: 9,
      name: 'Release-2.3.1',
      tags: ['v2.3.1'],
      artifacts: [{ alias: 'api', isPrimary: true, definitionReference: { sourceVersion: { id: 'abc123', name: 'abc123' }, branch: { id: 'refs/heads/main', name: 'main' } } }],
    } as unknown as Release;
    assert.equal(releaseMatches({ mode: 'sameCommit', commit: 'abc123' }, release), true);
    assert.equal(releaseMatches({ mode: 'sameBranch', branch: 'refs/heads/main' }, release), true);
    assert.equal(releaseMatches({ mode: 'runNumber', value: 'release-2.3.1' }, release), true);
    assert.equal(releaseMatches({ mode: 'versionRange', value: '~2.3' }, release), true);
    assert.equal(releaseMatches({ mode: 'runId', value: '8' }, release), false);
  });
});
