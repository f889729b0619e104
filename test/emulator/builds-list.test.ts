import * as assert from 'node:assert/strict';
import { BuildQueryOrder, BuildReason, BuildResult, BuildStatus } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import type { IBuildApi } from 'azure-devops-node-api/BuildApi';
import { startEmulator, type Emulator } from '../../emulator';
import { shopScenario, START, webApi } from './support';

type Args = Parameters<IBuildApi['getBuilds']>;

/** getBuilds with named arguments, so each test says which filter it uses. */
function query(build: IBuildApi, f: {
  definitions?: number[]; buildNumber?: string; minTime?: Date; maxTime?: Date; requestedFor?: string; reasonFilter?: BuildReason;
  statusFilter?: BuildStatus; resultFilter?: BuildResult; tagFilters?: string[]; properties?: string[]; top?: number;
  maxBuildsPerDefinition?: number; queryOrder?: BuildQueryOrder; branchName?: string; buildIds?: number[]; repositoryId?: string; repositoryType?: string;
}): Promise<number[]> {
  const args: Args = ['Shop', f.definitions, undefined, f.buildNumber, f.minTime, f.maxTime, f.requestedFor, f.reasonFilter,
    f.statusFilter, f.resultFilter, f.tagFilters, f.properties, f.top, undefined, f.maxBuildsPerDefinition, undefined,
    f.queryOrder, f.branchName, f.buildIds, f.repositoryId, f.repositoryType];
  return build.getBuilds(...args).then((builds) => builds.map((b) => b.id!));
}

describe('emulator: the builds list and its filters', () => {
  let em: Emulator;
  let build: IBuildApi;
  before(async () => {
    em = await startEmulator({ scenario: shopScenario() });
    build = await webApi(em).getBuildApi();
  });
  after(() => em.close());

  it('answers newest first: unfinished runs, started before not started, then by finish time', async () => {
    assert.deepEqual(await query(build, {}), [202, 201, 203, 204, 103, 102, 101]);
  });

  it('filters by definitions (comma-joined ids) and by exact or wildcard build numbers', async () => {
    assert.deepEqual(await query(build, { definitions: [11, 13] }), [201, 203, 204, 103]);
    assert.equal(em.requests.at(-1)?.query.definitions, '11,13');
    assert.deepEqual(await query(build, { buildNumber: '2.3.0' }), [202, 201, 203]);
    assert.deepEqual(await query(build, { buildNumber: '2.2.*' }), [102, 101]);
  });

  it('filters by status and result sent as numeric flags', async () => {
    assert.deepEqual(await query(build, { statusFilter: BuildStatus.InProgress }), [202, 201]);
    assert.equal(em.requests.at(-1)?.query.statusFilter, '1');
    assert.deepEqual(await query(build, { statusFilter: BuildStatus.InProgress | BuildStatus.NotStarted }), [202, 201, 203]);
    assert.deepEqual(await query(build, { resultFilter: BuildResult.Failed }), [204, 102]);
    assert.deepEqual(await query(build, { statusFilter: BuildStatus.Completed, resultFilter: BuildResult.Succeeded }), [103, 101]);
  });

  it('filters by branch, tags (all of them), reason, ids and requester', async () => {
    assert.deepEqual(await query(build, { branchName: 'refs/heads/release/2.3' }), [103]);
    assert.deepEqual(await query(build, { branchName: 'refs/heads/release/*' }), [103]);
    assert.deepEqual(await query(build, { tagFilters: ['rc', 'WEB'] }), [103]);
    assert.equal(em.requests.at(-1)?.query.tagFilters, 'rc,WEB');
    assert.deepEqual(await query(build, { tagFilters: ['rc', 'missing'] }), []);
    assert.deepEqual(await query(build, { reasonFilter: BuildReason.IndividualCI }), [101]);
    assert.deepEqual(await query(build, { buildIds: [101, 203, 999] }), [203, 101]);
    assert.deepEqual(await query(build, { requestedFor: 'Dana Developer' }), [202]);
  });

  it('takes minTime and maxTime as toUTCString dates on the finish time unless the order says queue time', async () => {
    const start = Date.parse(START);
    const minTime = new Date(start - 4_000_000);
    assert.deepEqual(await query(build, { minTime }), [204, 103]);
    assert.match(em.requests.at(-1)!.query.minTime, /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    assert.deepEqual(await query(build, { minTime, queryOrder: BuildQueryOrder.QueueTimeDescending }), [203, 202, 201, 204, 103]);
    assert.deepEqual(await query(build, { maxTime: new Date(start - 5_000_000), queryOrder: BuildQueryOrder.QueueTimeAscending }), [101, 102]);
  });

  it('orders as asked and cuts with $top and maxBuildsPerDefinition', async () => {
    assert.deepEqual(await query(build, { queryOrder: BuildQueryOrder.QueueTimeAscending }), [101, 102, 103, 204, 201, 202, 203]);
    assert.deepEqual(await query(build, { queryOrder: BuildQueryOrder.FinishTimeAscending, top: 3 }), [101, 102, 103]);
    assert.equal(em.requests.at(-1)?.query.$top, '3');
    assert.deepEqual(await query(build, { queryOrder: BuildQueryOrder.QueueTimeDescending, maxBuildsPerDefinition: 1 }), [203, 202, 201]);
  });

  it('includes the named properties only when the properties filter asks for them', async () => {
    const [plain] = await build.getBuilds('Shop', undefined, undefined, undefined, undefined, undefined, undefined, undefined,
      undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, [103]);
    assert.deepEqual(plain.properties, {});
    const [withProps] = await build.getBuilds('Shop', undefined, undefined, undefined, undefined, undefined, undefined, undefined,
      undefined, undefined, undefined, ['train'], undefined, undefined, undefined, undefined, undefined, undefined, [103]);
    assert.deepEqual(withProps.properties, { train: { $type: 'System.String', $value: '2.3' } });
  });

  it('filters by repository id and type, and only lists the route\'s project', async () => {
    const definition = await build.getDefinition('Shop', 12);
    assert.deepEqual(await query(build, { repositoryId: definition.repository!.id, repositoryType: 'TfsGit' }), [202, 102, 101]);
    const other = await build.getBuilds('Other Project');
    assert.deepEqual(other.map((b) => b.id), [900]);
  });
});
