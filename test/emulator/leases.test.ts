import * as assert from 'node:assert/strict';
import type { Scenario } from '../../emulator';
import { raw, START, waitFor, webApi, withEmulator } from './support';

const DAY_MS = 86_400_000;

/** Pipeline "api" (12) with six finished runs 501..506 (506 newest), a running one, and "web" (13) with one run. */
function retentionScenario(extra: Partial<Scenario> = {}): Scenario {
  return {
    startDate: START,
    projects: [{
      name: 'Shop',
      buildDefinitions: [{ id: 12, name: 'api', path: '\\team\\svc' }, { id: 13, name: 'web' }],
      builds: [
        ...Array.from({ length: 6 }, (_, i) => ({ id: 501 + i, definition: 'api', queueTime: -7_000_000 + i * 600_000, finishTime: -6_000_000 + i * 600_000 })),
        { id: 507, definition: 'api', status: 'inProgress' as const, queueTime: -60_000 },
        { id: 601, definition: 'web', queueTime: -9_000_000 },
      ],
      leases: [{ runId: 501, ownerId: 'Pipeline:lockstep-train-2.2', daysValid: 30, createdOn: -1_000_000 }],
    }],
    ...extra,
  };
}

describe('emulator: retention leases', () => {
  it('adds leases and answers them as RetentionLease, with createdOn and validUntil daysValid later', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const added = await build.addRetentionLeases([
      { definitionId: 12, runId: 504, ownerId: 'Pipeline:lockstep-train-2.3', daysValid: 10, protectPipeline: false },
      { definitionId: 12, runId: 505, ownerId: 'Pipeline:lockstep-train-2.3', daysValid: 10, protectPipeline: true },
    ], 'Shop');
    assert.deepEqual(added.map((l) => [l.leaseId, l.runId, l.definitionId, l.ownerId, l.protectPipeline]), [
      [2, 504, 12, 'Pipeline:lockstep-train-2.3', false],
      [3, 505, 12, 'Pipeline:lockstep-train-2.3', true],
    ]);
    assert.ok(added[0].createdOn instanceof Date);
    assert.equal(added[0].validUntil!.getTime() - added[0].createdOn!.getTime(), 10 * DAY_MS);
    const request = em.requests.at(-1)!;
    assert.deepEqual([request.method, request.path, request.route, request.apiVersion], ['POST', '/lockstep/Shop/_apis/build/retention/leases', 'leases.add', '7.2-preview.2']);
    assert.deepEqual(em.state.leases().map((l) => l.runId), [501, 504, 505]);
  }, { scenario: retentionScenario() }));

  it('lists leases by owner, pipeline and run, by minimal leases, by run, and one by id', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    await build.addRetentionLeases([{ definitionId: 12, runId: 504, ownerId: 'Pipeline:lockstep-train-2.3', daysValid: 1, protectPipeline: false }], 'Shop');
    assert.deepEqual((await build.getRetentionLeasesByOwnerId('Shop', 'Pipeline:lockstep-train-2.3')).map((l) => l.runId), [504]);
    assert.deepEqual(em.requests.at(-1)?.query, { ownerId: 'Pipeline:lockstep-train-2.3' });
    assert.deepEqual((await build.getRetentionLeasesByOwnerId('Shop', undefined, 12, 501)).map((l) => l.leaseId), [1]);
    assert.deepEqual((await build.getRetentionLeasesByOwnerId('Shop', undefined, 13)).length, 0);
    assert.deepEqual((await build.getRetentionLeasesByOwnerId('Shop')).map((l) => l.runId), [501, 504]);
    // node-api joins leasesToFetch with '|' as they are: objects travel as "[object Object]" and the service refuses them.
    const wanted = { definitionId: 12, runId: 501, ownerId: 'Pipeline:lockstep-train-2.2' };
    await assert.rejects(build.getRetentionLeasesByMinimalRetentionLeases('Shop', [wanted]), (e: Error & { statusCode?: number }) => e.statusCode === 400);
    const asJson = [JSON.stringify(wanted)] as unknown as Parameters<typeof build.getRetentionLeasesByMinimalRetentionLeases>[1];
    assert.deepEqual((await build.getRetentionLeasesByMinimalRetentionLeases('Shop', asJson)).map((l) => l.leaseId), [1]);
    assert.deepEqual((await build.getRetentionLeasesForBuild('Shop', 504)).map((l) => l.ownerId), ['Pipeline:lockstep-train-2.3']);
    const one = await build.getRetentionLease('Shop', 1);
    assert.deepEqual([one.runId, one.ownerId, one.validUntil!.getTime() - one.createdOn!.getTime()], [501, 'Pipeline:lockstep-train-2.2', 30 * DAY_MS]);
    assert.equal(await build.getRetentionLease('Shop', 99), null, '404 resolves null');
  }, { scenario: retentionScenario() }));

  it('deletes leases by id with 204 and updates one', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const [added] = await build.addRetentionLeases([{ definitionId: 12, runId: 504, ownerId: 'x', daysValid: 1, protectPipeline: false }], 'Shop');
    const updated = await build.updateRetentionLease({ daysValid: 5, protectPipeline: true }, 'Shop', added.leaseId!);
    assert.equal(updated.protectPipeline, true);
    await build.deleteRetentionLeasesById('Shop', [1, added.leaseId!]);
    const request = em.requests.at(-1)!;
    assert.deepEqual([request.method, request.query.ids, request.status], ['DELETE', `1,${added.leaseId}`, 204]);
    assert.deepEqual(em.state.leases(), []);
    assert.equal(await build.getRetentionLease('Shop', 1), null);
  }, { scenario: retentionScenario() }));

  it('announces the lease locations in OPTIONS for area build', () => withEmulator(async (em) => {
    const res = await raw(em, 'OPTIONS', '/lockstep/_apis/build');
    const locations = (await res.json() as { value: Array<{ id: string; routeTemplate: string; resourceVersion: number }> }).value;
    assert.deepEqual(locations.filter((l) => l.id === '272051e4-9af1-45b5-ae22-8d960a5539d4' || l.id === '3da19a6a-f088-45c4-83ce-2ad3a87be6c4')
      .map((l) => [l.routeTemplate, l.resourceVersion]), [
      ['{project}/_apis/build/retention/leases/{leaseId}', 2],
      ['{project}/_apis/build/builds/{buildId}/leases', 1],
    ]);
  }, { scenario: retentionScenario() }));

  it('refuses lease writes without Retain indefinitely (403 TF215106), while reads go on', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    await assert.rejects(
      build.addRetentionLeases([{ definitionId: 12, runId: 504, ownerId: 'x', daysValid: 1, protectPipeline: false }], 'Shop'),
      (e: Error & { statusCode?: number }) => e.statusCode === 403 && /TF215106: .* needs Retain indefinitely permissions for build pipeline api/.test(e.message),
    );
    await assert.rejects(build.deleteRetentionLeasesById('Shop', [1]), (e: Error & { statusCode?: number }) => e.statusCode === 403);
    assert.equal(em.state.leases().length, 1, 'nothing added, nothing deleted');
    assert.equal((await build.getRetentionLeasesByOwnerId('Shop')).length, 1);
    // The denial is on the folder of "api": a lease on "web" is allowed.
    assert.equal((await build.addRetentionLeases([{ definitionId: 13, runId: 601, ownerId: 'x', daysValid: 1, protectPipeline: false }], 'Shop')).length, 1);
  }, { scenario: retentionScenario({ permissions: { deny: [{ permission: 'Retain indefinitely', folder: '\\team' }] } }) }));

  it('answers 404 (null to the client) for a lease on a run that does not exist, and adds none of the batch', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const answer = await build.addRetentionLeases([
      { definitionId: 12, runId: 504, ownerId: 'x', daysValid: 1, protectPipeline: false },
      { definitionId: 12, runId: 999, ownerId: 'x', daysValid: 1, protectPipeline: false },
    ], 'Shop');
    assert.equal(answer, null);
    assert.equal(em.requests.at(-1)?.status, 404);
    assert.equal(em.state.leases().length, 1);
  }, { scenario: retentionScenario() }));

  it('retention deletes finished runs past the newest K of each pipeline, sparing leased and running ones', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    await build.addRetentionLeases([{ definitionId: 12, runId: 502, ownerId: 'Pipeline:lockstep', daysValid: 1, protectPipeline: false }], 'Shop');
    await waitFor(() => em.state.build(503) === undefined, 3000, 'the retention event');
    const left = await build.getBuilds('Shop');
    assert.deepEqual(left.map((b) => b.id).sort(), [501, 502, 504, 505, 506, 507, 601]);
    assert.equal(await build.getBuild('Shop', 503), null, 'a deleted run answers 404');
    assert.deepEqual(em.state.eventErrors, []);
  }, { scenario: retentionScenario({ behaviour: { retentionKeepNewest: 3 }, events: [{ at: 300, retention: true }] }) }));

  it('runs retention from the state too, where an expired lease no longer protects and leases of deleted runs go', () => withEmulator(async (em) => {
    assert.deepEqual(em.state.applyRetention(), [501, 502, 503, 504]);
    assert.deepEqual(em.state.leases(), []);
    assert.deepEqual(em.state.builds().map((b) => b.id).sort(), [505, 506, 507, 601]);
  }, {
    scenario: (() => {
      const s = retentionScenario({ behaviour: { retentionKeepNewest: 2 } });
      // 1 day valid, made 2 days before the start: expired.
      s.projects[0].leases = [{ runId: 501, ownerId: 'old', daysValid: 1, createdOn: -2 * DAY_MS }];
      return s;
    })(),
  }));
});
