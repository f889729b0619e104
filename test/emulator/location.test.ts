import * as assert from 'node:assert/strict';
import { BuildApi } from 'azure-devops-node-api/BuildApi';
import { getPersonalAccessTokenHandler } from 'azure-devops-node-api';
import { CoreApi } from 'azure-devops-node-api/CoreApi';
import { LocationsApi } from 'azure-devops-node-api/LocationsApi';
import { PipelinesApi } from 'azure-devops-node-api/PipelinesApi';
import { ReleaseApi } from 'azure-devops-node-api/ReleaseApi';
import type { Emulator } from '../../emulator';
import { raw, webApi, withEmulator } from './support';

describe('emulator: location negotiation and resource areas', () => {
  it('answers the discovery requests WebApi sends before the first build call, in order', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    await build.getBuilds('Shop');
    assert.deepEqual(em.requests.map((r) => `${r.method} ${r.path} ${r.route}`), [
      'OPTIONS /lockstep/_apis/Location location.options',
      'GET /lockstep/_apis/ResourceAreas resourceAreas',
      'OPTIONS /lockstep/_apis/build build.options',
      'GET /lockstep/Shop/_apis/build/builds builds.list',
    ]);
    assert.equal(em.requests[1].apiVersion, '7.2-preview.1');
    assert.equal(em.requests[3].apiVersion, '7.2-preview.7');
  }));

  it('sends the release client to the release host announced in the resource areas', () => withEmulator(async (em) => {
    const release = await webApi(em).getReleaseApi();
    const got = await release.getRelease('Shop', 31);
    assert.equal(got.id, 31);
    const paths = em.requests.map((r) => r.path);
    assert.ok(paths.includes('/vsrm/lockstep/_apis/Release'), paths.join(', '));
    assert.ok(paths.includes('/vsrm/lockstep/Shop/_apis/Release/releases/31'), paths.join(', '));
    assert.equal(em.releaseUrl, em.collectionUrl.replace('/lockstep', '/vsrm/lockstep'));
  }));

  it('lists the work-item-tracking area so getPipelinesApi() finds its (wrong) area id', () => withEmulator(async (em) => {
    const pipelines = await webApi(em).getPipelinesApi();
    const runs = await pipelines.listRuns('Shop', 12);
    assert.ok(runs.length > 0);
  }));

  it('serves clients constructed directly with the collection URL, without resource areas', () => withEmulator(async (em) => {
    const build = new BuildApi(em.collectionUrl, [getPersonalAccessTokenHandler(em.token)]);
    const b = await build.getBuild('Shop', 101);
    assert.equal(b.buildNumber, '2.2.0');
    assert.deepEqual(em.requests.map((r) => r.route), ['build.options', 'builds.get']);
  }));

  it('serves the pipelines, core and locations clients constructed directly too', () => withEmulator(async (em) => {
    const handlers = [getPersonalAccessTokenHandler(em.token)];
    assert.equal((await new PipelinesApi(em.collectionUrl, handlers).getRun('Shop', 12, 202)).id, 202);
    assert.equal((await new CoreApi(em.collectionUrl, handlers).getProject('Shop')).name, 'Shop');
    const areas = await new LocationsApi(em.collectionUrl, handlers).getResourceAreas();
    assert.ok(areas.some((a) => a.name === 'Release'));
    assert.deepEqual(em.requests.map((r) => r.route),
      ['pipelines.options', 'pipelines.runs.get', 'core.options', 'projects.get', 'location.options', 'resourceAreas']);
  }));

  it('has no release locations on the collection host, as the service, so the client says so', () => withEmulator(async (em) => {
    const release = new ReleaseApi(em.collectionUrl, [getPersonalAccessTokenHandler(em.token)]);
    await assert.rejects(release.getRelease('Shop', 31), /Failed to find api location for area: Release/);
    const direct = new ReleaseApi(em.releaseUrl, [getPersonalAccessTokenHandler(em.token)]);
    assert.equal((await direct.getRelease('Shop', 31)).id, 31);
  }));

  it('names the scenario identity in the connection data', () => withEmulator(async (em) => {
    const locations = await webApi(em).getLocationsApi();
    const data = await locations.getConnectionData();
    assert.equal(data.authenticatedUser?.providerDisplayName, 'Project Collection Build Service (lockstep)');
    assert.equal(em.requests.at(-1)?.route, 'connectionData');
    const viaConnect = await webApi(em).connect();
    assert.equal(viaConnect.authorizedUser?.providerDisplayName, 'Project Collection Build Service (lockstep)');
  }, { scenario: { projects: [] } }));

  it('announces each area as ApiResourceLocations the client negotiates its api-version against', () => withEmulator(async (em: Emulator) => {
    const res = await raw(em, 'OPTIONS', '/lockstep/_apis/build');
    const body = await res.json() as { count: number; value: Array<{ id: string; area: string; maxVersion: string; releasedVersion: string }> };
    assert.equal(body.count, body.value.length);
    assert.ok(body.value.some((l) => l.id === '0cd358e1-9217-4d94-8269-1c1ee6f93dcf' && l.maxVersion === '7.2' && l.releasedVersion === '7.1'));
    const areas = await (await raw(em, 'GET', '/lockstep/_apis/ResourceAreas')).json() as { value: Array<{ id: string; locationUrl: string }> };
    const release = areas.value.find((a) => a.id === 'efc2f575-36ef-48e9-b672-0c6fb4a48ac5');
    assert.equal(release?.locationUrl, `${em.releaseUrl}/`);
    assert.ok(areas.value.some((a) => a.id === '5264459e-e5e0-4bd8-b118-0985e68a4ec5'));
  }));

  it('matches route paths without regard to case, as the client spells "Timeline" and "Release"', () => withEmulator(async (em) => {
    assert.equal((await raw(em, 'GET', '/LOCKSTEP/shop/_APIS/Build/BUILDS/101/timeline')).status, 200);
    assert.equal((await raw(em, 'GET', '/vsrm/lockstep/Shop/_apis/release/Releases/31')).status, 200);
  }));

  it('answers an unknown route with the front end\'s plain-text 404', () => withEmulator(async (em) => {
    const res = await raw(em, 'GET', '/lockstep/Shop/_apis/wit/workItems/1');
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(await res.text(), /was not found or does not implement IController/);
    assert.equal(em.requests.at(-1)?.route, 'unknown');
  }));

  it('accepts the api-version in the Accept header or the query and refuses one beyond 7.2', () => withEmulator(async (em) => {
    assert.equal((await raw(em, 'GET', '/lockstep/Shop/_apis/build/builds/101?api-version=7.1')).status, 200);
    const tooNew = await raw(em, 'GET', '/lockstep/Shop/_apis/build/builds/101', { headers: { Accept: 'application/json;api-version=9.0' } });
    assert.equal(tooNew.status, 400);
    assert.equal((await tooNew.json() as { typeKey: string }).typeKey, 'VssVersionOutOfRangeException');
  }));
});
