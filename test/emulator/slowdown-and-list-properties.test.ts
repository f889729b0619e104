import * as assert from 'node:assert/strict';
import { raw, shopScenario, webApi, withEmulator } from './support';

type RateLimited = { rateLimit?: { retryAfter?: number; resource?: string; delay?: number; limit?: number; remaining?: number; reset?: number } };

describe('emulator: throttling before it blocks, and lists without properties', () => {
  it('answers a slowed-down request normally with Retry-After and X-RateLimit headers; the client attaches rateLimit', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    em.faults.add({ kind: 'slowdown', route: 'builds.get', retryAfterSeconds: 4, delaySeconds: 2.5, resource: 'Build', count: 2 });
    const before = Math.floor(Date.now() / 1000);
    const got = await build.getBuild('Shop', 101) as Awaited<ReturnType<typeof build.getBuild>> & RateLimited;
    assert.equal(got.id, 101);
    assert.equal(em.requests.at(-1)?.status, 200);
    assert.equal(em.requests.at(-1)?.fault, 'slowdown');
    assert.equal(got.rateLimit?.retryAfter, 4);
    assert.equal(got.rateLimit?.resource, 'Build');
    assert.equal(got.rateLimit?.delay, 2.5);
    assert.ok(got.rateLimit!.reset! >= before + 4);

    const res = await raw(em, 'GET', '/lockstep/Shop/_apis/build/builds/101');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('retry-after'), '4');
    assert.equal(res.headers.get('x-ratelimit-resource'), 'Build');
    assert.equal(res.headers.get('x-ratelimit-delay'), '2.500');
    assert.equal(res.headers.get('x-ratelimit-limit'), '200');
    assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(((await res.json()) as { id: number }).id, 101);

    const after = await raw(em, 'GET', '/lockstep/Shop/_apis/build/builds/101');
    assert.equal(after.headers.get('retry-after'), null, 'count: 2 ends the slowdown');
  }));

  it('lets a slowed-down write happen and answers it as usual (204 for a stage retry), defaults included', () => withEmulator(async (em) => {
    em.faults.add({ kind: 'slowdown', route: 'stages.update', delayMs: 30 });
    const started = Date.now();
    const res = await raw(em, 'PATCH', '/lockstep/Shop/_apis/build/builds/204/stages/Test', { body: JSON.stringify({ state: 1, forceRetryAllJobs: false }) });
    assert.equal(res.status, 204);
    assert.ok(Date.now() - started >= 25, 'delayMs waits real time');
    assert.equal(res.headers.get('retry-after'), '10');
    assert.equal(res.headers.get('x-ratelimit-resource'), 'Core');
    assert.equal(res.headers.get('x-ratelimit-delay'), '0.000');
    assert.equal(em.state.stage(204, 'Test')!.attempt, 2);
  }));

  it('leaves properties out of the builds list with listProperties "absent"; the properties route still has them', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const listed = await build.getBuilds('Shop', undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined,
      undefined, undefined, ['train', 'attempt']);
    const b103 = listed.find((b) => b.id === 103)!;
    assert.equal('properties' in b103, false);
    const res = await raw(em, 'GET', '/lockstep/Shop/_apis/build/builds?properties=train');
    const body = await res.json() as { value: Array<Record<string, unknown>> };
    assert.ok(body.value.every((b) => !('properties' in b)));
    const props = await build.getBuildProperties('Shop', 103, ['train']);
    assert.deepEqual(props, { count: 1, value: { train: { $type: 'System.String', $value: '2.3' } } });
    em.state.behaviour.listProperties = 'filled';
    const filled = await (await raw(em, 'GET', '/lockstep/Shop/_apis/build/builds?properties=train')).json() as { value: Array<{ id: number; properties: object }> };
    assert.deepEqual(filled.value.find((b) => b.id === 103)!.properties, { train: { $type: 'System.String', $value: '2.3' } });
  }, { scenario: { ...shopScenario(), behaviour: { listProperties: 'absent' } } }));
});
