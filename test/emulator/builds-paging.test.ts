import * as assert from 'node:assert/strict';
import type { IBuildApi } from 'azure-devops-node-api/BuildApi';
import { BuildQueryOrder } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import type { Scenario } from '../../emulator';
import { START, webApi, withEmulator } from './support';

const BUILDS_LOCATION = '0cd358e1-9217-4d94-8269-1c1ee6f93dcf';

/** One pipeline with 60 finished runs, one a minute, ids 1001..1060 (1060 newest). */
function sixtyRuns(): Scenario {
  return {
    startDate: START,
    projects: [{
      name: 'Shop',
      buildDefinitions: [{ id: 12, name: 'api' }, { id: 13, name: 'web' }],
      builds: Array.from({ length: 60 }, (_, i) => ({
        id: 1001 + i, definition: i % 3 === 0 ? 'web' : 'api', queueTime: -3_700_000 + i * 60_000, finishTime: -3_600_000 + i * 60_000,
      })),
    }],
  };
}

/**
 * One page of Builds - List with the header the service sends. getBuilds in node-api 17 drops the
 * response headers, so a caller that pages reads them through the client's own rest client.
 */
async function page(build: IBuildApi, query: Record<string, unknown>): Promise<{ ids: number[]; token?: string }> {
  const verData = await build.vsoClient.getVersioningData('7.2-preview.7', 'build', BUILDS_LOCATION, { project: 'Shop' }, query);
  const res = await build.rest.get<{ count: number; value: Array<{ id: number }> }>(verData.requestUrl!, build.createRequestOptions('application/json', verData.apiVersion));
  return { ids: res.result!.value.map((b) => b.id), token: (res.headers as Record<string, string | undefined>)['x-ms-continuationtoken'] };
}

describe('emulator: paging the builds list', () => {
  it('answers at most $top builds and a continuation token that continues after the last one', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const seen: number[] = [];
    const tokens: Array<string | undefined> = [];
    let token: string | undefined;
    do {
      const next = await page(build, { $top: 25, continuationToken: token });
      assert.ok(next.ids.length <= 25);
      seen.push(...next.ids);
      tokens.push(next.token);
      token = next.token;
    } while (token);
    assert.deepEqual(seen, Array.from({ length: 60 }, (_, i) => 1060 - i), 'every run once, newest first');
    assert.equal(tokens.length, 3);
    assert.equal(tokens[2], undefined, 'no header on the last page');
    assert.equal(em.requests.at(-1)?.query.continuationToken, tokens[1]);
  }, { scenario: sixtyRuns() }));

  it('sends the token on the wire but getBuilds of node-api 17 does not hand it to the caller', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const first = await build.getBuilds('Shop', undefined, undefined, undefined, undefined, undefined, undefined, undefined,
      undefined, undefined, undefined, undefined, 25);
    assert.equal(first.length, 25);
    assert.equal((first as { continuationToken?: string }).continuationToken, undefined);
    const { token } = await page(build, { $top: 25 });
    const second = await build.getBuilds('Shop', undefined, undefined, undefined, undefined, undefined, undefined, undefined,
      undefined, undefined, undefined, undefined, 25, token);
    assert.deepEqual(second.map((b) => b.id), Array.from({ length: 25 }, (_, i) => 1035 - i));
  }, { scenario: sixtyRuns() }));

  it('keeps its place when a run is queued between pages, in any query order, with maxBuildsPerDefinition', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const first = await page(build, { $top: 10, queryOrder: BuildQueryOrder.QueueTimeAscending, maxBuildsPerDefinition: 15 });
    em.state.addBuild({ id: 2000, definition: 'api', status: 'completed' });
    const second = await page(build, { $top: 10, queryOrder: BuildQueryOrder.QueueTimeAscending, maxBuildsPerDefinition: 15, continuationToken: first.token });
    const third = await page(build, { $top: 10, queryOrder: BuildQueryOrder.QueueTimeAscending, maxBuildsPerDefinition: 15, continuationToken: second.token });
    const all = [...first.ids, ...second.ids, ...third.ids];
    assert.equal(new Set(all).size, 30, '15 runs of each pipeline, none twice');
    assert.deepEqual(all.slice(0, 3), [1001, 1002, 1003]);
    assert.ok(!all.includes(2000), 'the new run is not among the 15 oldest of its pipeline');
    assert.equal(third.token, undefined);
  }, { scenario: sixtyRuns() }));

  it('answers 1000 builds at most when $top is absent', () => withEmulator(async (em) => {
    for (let i = 0; i < 1001; i++) em.state.addBuild({ id: 5000 + i, definition: 'api', status: 'completed' });
    const build = await webApi(em).getBuildApi();
    const { ids, token } = await page(build, {});
    assert.equal(ids.length, 1000);
    assert.ok(token);
    assert.equal((await page(build, { continuationToken: token })).ids.length, 61);
  }, { scenario: sixtyRuns() }));

  it('refuses a continuation token it did not give', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    await assert.rejects(page(build, { continuationToken: 'not-a-token' }), (e: Error & { statusCode?: number }) => e.statusCode === 400);
  }, { scenario: sixtyRuns() }));
});
