import * as assert from 'node:assert/strict';
import type { Emulator } from '../../emulator';
import { webApi, withEmulator } from './support';

/** Where the Marketplace CDN serves an extension's page from; the service treats it as any untrusted origin. */
const PAGE_ORIGIN = 'https://lockstep-dev.gallerycdn.vsassets.io';

function buildUrl(em: Emulator, id = 202): string {
  return `${em.collectionUrl}/Shop/_apis/build/builds/${id}?api-version=7.1`;
}

/** What a browser sends before a GET with Authorization from another origin. */
function preflight(em: Emulator, url: string, requestHeaders = 'authorization') {
  return fetch(url, {
    method: 'OPTIONS',
    headers: { Origin: PAGE_ORIGIN, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': requestHeaders },
  });
}

function fromPage(em: Emulator, url: string, token = em.token) {
  return fetch(url, { headers: { Origin: PAGE_ORIGIN, Authorization: `Bearer ${token}`, Accept: 'application/json' } });
}

describe('emulator: CORS for a page served from another origin', () => {
  it('answers a preflight without credentials with the methods, the asked headers and authorization, for an hour', () => withEmulator(async (em) => {
    const res = await preflight(em, buildUrl(em), 'content-type,x-tfs-fedauthredirect');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('access-control-allow-credentials'), null, 'the CDN origin is not trusted with cookies');
    assert.equal(res.headers.get('access-control-allow-methods'), 'OPTIONS,GET,POST,PATCH,PUT,DELETE');
    assert.equal(res.headers.get('access-control-allow-headers'), 'content-type,x-tfs-fedauthredirect, authorization');
    assert.equal(res.headers.get('access-control-max-age'), '3600');
    assert.deepEqual(em.requests.map((r) => [r.method, r.route, r.status, r.origin, r.authScheme]),
      [['OPTIONS', 'cors.preflight', 200, PAGE_ORIGIN, undefined]]);
  }));

  it('echoes the asked headers as they are when they name authorization', () => withEmulator(async (em) => {
    const res = await preflight(em, buildUrl(em), 'authorization,x-vss-reauthenticationaction,x-tfs-session');
    assert.equal(res.headers.get('access-control-allow-headers'), 'authorization,x-vss-reauthenticationaction,x-tfs-session');
  }));

  it('answers the actual request with the origin allowed and the continuation token readable, not Retry-After', () => withEmulator(async (em) => {
    const res = await fromPage(em, buildUrl(em));
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { id: number }).id, 202);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const exposed = res.headers.get('access-control-expose-headers')!.split(',');
    assert.deepEqual(exposed, ['ActivityId', 'X-TFS-Session', 'X-MS-ContinuationToken', 'X-VSS-GlobalMessage', 'ETag']);
    assert.ok(!exposed.some((h) => /retry-after|ratelimit/i.test(h)), 'the service does not expose its throttling headers');
    assert.deepEqual(em.requests.map((r) => [r.route, r.origin, r.authScheme]), [['builds.get', PAGE_ORIGIN, 'Bearer']]);
  }));

  it('puts the CORS headers on a 401, a 404 and a 429 too, so the page can read the status', () => withEmulator(async (em) => {
    const unauthorized = await fromPage(em, buildUrl(em), 'not-the-token');
    assert.equal(unauthorized.status, 401);
    assert.equal(unauthorized.headers.get('access-control-allow-origin'), '*');
    const missing = await fromPage(em, buildUrl(em, 99999));
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('access-control-allow-origin'), '*');
    em.faults.add({ kind: 'throttle', route: 'builds.get', count: 1, retryAfterSeconds: 7 });
    const throttled = await fromPage(em, buildUrl(em));
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('access-control-allow-origin'), '*');
    assert.equal(throttled.headers.get('retry-after'), '7', 'sent, though a browser page cannot read it');
  }));

  it('answers a preflight before faults and authentication', () => withEmulator(async (em) => {
    em.faults.add({ kind: 'error', status: 503 });
    const res = await preflight(em, buildUrl(em));
    assert.equal(res.status, 200);
    assert.equal(em.requests[0].fault, undefined);
    assert.equal((await fromPage(em, buildUrl(em))).status, 503, 'the actual request meets the fault');
  }));

  it('leaves the CORS headers off a gateway failure, which comes from the front door', () => withEmulator(async (em) => {
    em.faults.add({ kind: 'error', status: 502, count: 1 });
    const res = await fromPage(em, buildUrl(em));
    assert.equal(res.status, 502);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  }));

  it('refuses cross-origin requests when told to: a plain preflight answer and no CORS headers', () => withEmulator(async (em) => {
    em.state.behaviour.corsRefused = true;
    const pre = await preflight(em, buildUrl(em));
    assert.equal(pre.status, 200);
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
    assert.equal(pre.headers.get('access-control-allow-headers'), null);
    const res = await fromPage(em, buildUrl(em));
    assert.equal(res.status, 200, 'the service answers; the browser is what blocks it');
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  }));

  it('adds nothing to a request without Origin, so the tasks see the service as before', () => withEmulator(async (em) => {
    const res = await fetch(buildUrl(em), { headers: { Authorization: `Bearer ${em.token}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal(em.requests[0].origin, undefined);
  }));

  it('still answers the client\'s location request, an OPTIONS without Origin, with the area\'s locations', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    assert.equal((await build.getBuild('Shop', 202)).id, 202);
    assert.deepEqual(em.requests.map((r) => r.route), ['location.options', 'resourceAreas', 'build.options', 'builds.get']);
    const raw = await fetch(`${em.collectionUrl}/_apis/build`, { method: 'OPTIONS', headers: { Authorization: `Bearer ${em.token}`, Origin: PAGE_ORIGIN } });
    assert.equal(raw.status, 200, 'an OPTIONS with Origin but no Access-Control-Request-Method is not a preflight');
    assert.ok(((await raw.json()) as { count: number }).count > 0);
    assert.equal(raw.headers.get('access-control-allow-origin'), '*');
  }));
});
