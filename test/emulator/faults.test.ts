import * as assert from 'node:assert/strict';
import { raw, shopScenario, webApi, withEmulator } from './support';

type ClientError = Error & { statusCode?: number; result?: Record<string, unknown>; rateLimit?: Record<string, number | string>; code?: string };

describe('emulator: fault injection', () => {
  it('throttles with 429, Retry-After and X-RateLimit headers; the client error carries statusCode and rateLimit', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    em.faults.add({ kind: 'throttle', route: 'builds.list', retryAfterSeconds: 7, count: 1 });
    const error = await build.getBuilds('Shop').then(() => undefined, (e: ClientError) => e);
    assert.equal(error?.statusCode, 429);
    assert.match(error!.message, /^TF400733: The request has been canceled/);
    assert.equal(error?.result?.typeKey, 'RequestBlockedException');
    assert.equal(error?.rateLimit?.retryAfter, 7);
    assert.equal(error?.rateLimit?.resource, 'Core');
    assert.equal(error?.rateLimit?.remaining, 0);
    assert.equal(em.requests.at(-1)?.fault, 'throttle');
    assert.ok((await build.getBuilds('Shop')).length > 0, 'count: 1 lets the next request through');
  }));

  it('answers a burst of N 5xx and then recovers; the client does not retry a 500', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    em.faults.add({ kind: 'error', status: 500, route: 'builds.get', count: 2 });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(build.getBuild('Shop', 101), (e: ClientError) => e.statusCode === 500 && /^TF400898/.test(e.message));
    }
    assert.equal((await build.getBuild('Shop', 101)).id, 101);
    assert.deepEqual(em.requests.filter((r) => r.route === 'builds.get').map((r) => r.status), [500, 500, 200]);
  }));

  it('lets a client with allowRetries retry 503s by itself, and gateway 502/504 come as HTML', () => withEmulator(async (em) => {
    const build = await webApi(em, em.token, { allowRetries: true, maxRetries: 3 }).getBuildApi();
    em.faults.add({ kind: 'error', status: 503, route: 'builds.get', count: 2 });
    assert.equal((await build.getBuild('Shop', 101)).id, 101);
    assert.deepEqual(em.requests.filter((r) => r.route === 'builds.get').map((r) => r.status), [503, 503, 200]);
    em.faults.add({ kind: 'error', status: 504, route: 'builds.get', count: 1 });
    const res = await raw(em, 'GET', '/lockstep/Shop/_apis/build/builds/101');
    assert.equal(res.status, 504);
    assert.match(await res.text(), /<html>.*504 Gateway Time-out/);
  }));

  it('resets the connection, which the client reports as a network error', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const id = em.faults.add({ kind: 'reset', route: 'timeline.get' });
    const error = await build.getBuildTimeline('Shop', 202).then(() => undefined, (e: ClientError) => e);
    assert.ok(error, 'the call fails');
    assert.equal(error?.statusCode, undefined);
    assert.match(`${error?.code} ${error?.message}`, /ECONNRESET|socket hang up/);
    assert.equal(em.requests.at(-1)?.status, 0);
    em.faults.remove(id);
    assert.ok(await build.getBuildTimeline('Shop', 202));
  }));

  it('slows answers down by the given real milliseconds', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    em.faults.add({ kind: 'delay', delayMs: 150, path: '/builds/101$', method: 'GET', count: 1 });
    const started = Date.now();
    await build.getBuild('Shop', 101);
    assert.ok(Date.now() - started >= 140, `took ${Date.now() - started} ms`);
  }));

  it('answers 401 after N matching requests, until the rule is removed', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    em.faults.add({ kind: 'unauthorized', route: 'builds.get', afterRequests: 2 });
    await build.getBuild('Shop', 101);
    await build.getBuild('Shop', 101);
    await assert.rejects(build.getBuild('Shop', 101), (e: ClientError) => e.statusCode === 401 && e.message === 'Failed request: (401)');
    em.faults.clear();
    assert.equal(em.faults.list().length, 0);
    assert.equal((await build.getBuild('Shop', 101)).id, 101);
  }));

  it('matches a rule by path regexp and method, and only then', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    em.faults.add({ kind: 'error', status: 503, path: '/tags', method: 'POST' });
    assert.deepEqual(await build.getBuildTags('Shop', 101), ['release']);
    await assert.rejects(build.addBuildTags(['x'], 'Shop', 101), (e: ClientError) => e.statusCode === 503);
    assert.deepEqual(em.state.build(101)!.tags, ['release'], 'a failed write does not happen');
  }));

  it('can fail the answer after the write happened (applyWrite), as a lost response does', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    em.faults.add({ kind: 'error', status: 502, route: 'builds.tags.addMany', applyWrite: true, count: 1 });
    await assert.rejects(build.addBuildTags(['x'], 'Shop', 101), (e: ClientError) => e.statusCode === 502);
    assert.deepEqual(em.state.build(101)!.tags, ['release', 'x']);
  }));

  it('takes fault rules from the scenario as data, path as a regexp string', () => withEmulator(async (em) => {
    const release = await webApi(em).getReleaseApi();
    await assert.rejects(release.getRelease('Shop', 31), (e: ClientError) => e.statusCode === 429);
    assert.equal((await release.getRelease('Shop', 31)).id, 31);
  }, { scenario: { ...shopScenario(), faults: [{ kind: 'throttle', path: '/_apis/release/releases/\\d+$', count: 1 }] } }));
});
