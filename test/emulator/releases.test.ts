import * as assert from 'node:assert/strict';
import {
  EnvironmentStatus, ReleaseExpands, ReleaseQueryOrder, ReleaseStatus, type ReleaseEnvironmentUpdateMetadata,
} from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import type { IReleaseApi } from 'azure-devops-node-api/ReleaseApi';
import { COMMIT, START, shopScenario, waitFor, webApi, withEmulator } from './support';

type Args = Parameters<IReleaseApi['getReleases']>;

function releases(api: IReleaseApi, f: {
  definitionId?: number; definitionEnvironmentId?: number; searchText?: string; createdBy?: string; statusFilter?: ReleaseStatus;
  environmentStatusFilter?: number; minCreatedTime?: Date; queryOrder?: ReleaseQueryOrder; top?: number; expand?: ReleaseExpands;
  artifactVersionId?: string; sourceBranchFilter?: string; tagFilter?: string[];
}): Promise<number[]> {
  const args: Args = ['Shop', f.definitionId, f.definitionEnvironmentId, f.searchText, f.createdBy, f.statusFilter, f.environmentStatusFilter,
    f.minCreatedTime, undefined, f.queryOrder, f.top, undefined, f.expand, undefined, undefined, f.artifactVersionId, f.sourceBranchFilter,
    undefined, f.tagFilter];
  return api.getReleases(...args).then((list) => list.map((r) => r.id!));
}

describe('emulator: classic releases', () => {
  it('lists releases newest first and filters them the way getReleases asks', () => withEmulator(async (em) => {
    const api = await webApi(em).getReleaseApi();
    assert.deepEqual(await releases(api, {}), [40, 31, 30]);
    assert.deepEqual(await releases(api, { definitionId: 3 }), [31, 30]);
    assert.deepEqual(await releases(api, { queryOrder: ReleaseQueryOrder.Ascending, top: 2 }), [30, 31]);
    assert.deepEqual(await releases(api, { tagFilter: ['train-2.3'] }), [31]);
    assert.deepEqual(await releases(api, { artifactVersionId: '103' }), [31]);
    assert.deepEqual(await releases(api, { sourceBranchFilter: 'refs/heads/main' }), [40, 30]);
    assert.deepEqual(await releases(api, { environmentStatusFilter: EnvironmentStatus.InProgress }), [31]);
    assert.deepEqual(await releases(api, { searchText: 'release-3' }), [31, 30]);
    assert.deepEqual(await releases(api, { statusFilter: ReleaseStatus.Abandoned }), []);
    assert.deepEqual(await releases(api, { minCreatedTime: new Date(Date.parse(START) - 200_000) }), [40, 31]);
    const definitionEnvironmentId = em.state.release(40)!.environments[0].definitionEnvironmentId;
    assert.deepEqual(await releases(api, { definitionEnvironmentId }), [40]);
  }));

  it('leaves environments and artifacts out of the list unless $expand asks, and always has them on a GET', () => withEmulator(async (em) => {
    const api = await webApi(em).getReleaseApi();
    const [plain] = await api.getReleases('Shop', 3);
    assert.equal(plain.environments, undefined);
    assert.equal(plain.artifacts, undefined);
    const [expanded] = await api.getReleases('Shop', 3, undefined, undefined, undefined, undefined, undefined, undefined, undefined,
      undefined, undefined, undefined, ReleaseExpands.Environments | ReleaseExpands.Artifacts);
    assert.equal(em.requests.at(-1)?.query.$expand, '6');
    assert.deepEqual(expanded.environments?.map((e) => [e.name, e.status]), [['Staging', EnvironmentStatus.Succeeded], ['Production', EnvironmentStatus.InProgress]]);
    const release = await api.getRelease('Shop', 31);
    const [artifact] = release.artifacts!;
    assert.equal(artifact.type, 'Build');
    assert.equal(artifact.isPrimary, true);
    assert.equal(artifact.definitionReference!.version.id, '103');
    assert.equal(artifact.definitionReference!.version.name, '2.3.0-rc.1');
    assert.equal(artifact.definitionReference!.sourceVersion.id, COMMIT);
    assert.equal(artifact.definitionReference!.branch.id, 'refs/heads/release/2.3');
    assert.ok(release.createdOn instanceof Date);
  }));

  it('redeploys an environment on PATCH {status: 2, comment}: queued, in progress, then succeeded', () => withEmulator(async (em) => {
    const api = await webApi(em).getReleaseApi();
    const staging = em.state.environment(31, 'Staging')!;
    const body = { status: EnvironmentStatus.InProgress, comment: 'lockstep: redeploy for train 2.3' } as ReleaseEnvironmentUpdateMetadata;
    const answer = await api.updateReleaseEnvironment(body, 'Shop', 31, staging.id);
    assert.deepEqual(em.requests.at(-1)?.body, { status: 2, comment: 'lockstep: redeploy for train 2.3' });
    assert.equal(answer.status, EnvironmentStatus.Queued);
    // The deployment runs a second of real time (100 s at ×100): polled through the client, a 30 ms window in
    // progress (the default 3 s) could pass unseen on a loaded machine.
    await waitFor(async () => (await api.getRelease('Shop', 31)).environments![0].status === EnvironmentStatus.InProgress, 3000, 'in progress');
    await waitFor(async () => (await api.getRelease('Shop', 31)).environments![0].status === EnvironmentStatus.Succeeded, 3000, 'succeeded');
    const env = em.state.environment(31, 'Staging')!;
    assert.equal(env.deploySteps.length, 2);
    assert.equal(env.deploySteps[1].reason, 'redeployTrigger');
    assert.equal(env.deploySteps[1].comment, 'lockstep: redeploy for train 2.3');
    assert.deepEqual(env.log.slice(-3).map((l) => [l.status, l.comment]), [
      ['queued', 'lockstep: redeploy for train 2.3'], ['inProgress', undefined], ['succeeded', undefined],
    ]);
    const wire = (await api.getRelease('Shop', 31)).environments![0].deploySteps!;
    assert.equal(wire.length, 2);
  }, { timeScale: 100, scenario: { ...shopScenario(), behaviour: { redeployMs: 100_000 } } }));

  it('accepts the status as a name too, and refuses to deploy an environment that is already deploying', () => withEmulator(async (em) => {
    const api = await webApi(em).getReleaseApi();
    const production = em.state.environment(31, 'Production')!;
    await assert.rejects(api.updateReleaseEnvironment({ status: 'inProgress' } as unknown as ReleaseEnvironmentUpdateMetadata, 'Shop', 31, production.id),
      (e: Error & { statusCode?: number }) => e.statusCode === 400 && /already being deployed/.test(e.message));
    const canceled = await api.updateReleaseEnvironment({ status: EnvironmentStatus.Canceled } as ReleaseEnvironmentUpdateMetadata, 'Shop', 31, production.id);
    assert.equal(canceled.status, EnvironmentStatus.Canceled);
  }));

  it('creates a release from a definition and build artifacts', () => withEmulator(async (em) => {
    const api = await webApi(em).getReleaseApi();
    const created = await api.createRelease({
      definitionId: 4, description: 'docs for 2.3',
      artifacts: [{ alias: 'docs', instanceReference: { id: '103', name: '2.3.0-rc.1' } }],
    } as never, 'Shop');
    assert.equal(created.id, 41);
    assert.equal(created.status, ReleaseStatus.Active);
    assert.deepEqual(created.environments?.map((e) => [e.name, e.status]), [['Production', EnvironmentStatus.NotStarted]]);
    assert.equal(created.artifacts?.[0].definitionReference?.sourceVersion.id, COMMIT);
  }));
});
