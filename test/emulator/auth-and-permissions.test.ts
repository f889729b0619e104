import * as assert from 'node:assert/strict';
import * as azdev from 'azure-devops-node-api';
import type { Scenario } from '../../emulator';
import { DEFAULT_TOKEN } from '../../emulator';
import { raw, shopScenario, webApi, withEmulator } from './support';

type ClientError = Error & { statusCode?: number; result?: { message?: string; typeKey?: string } };

function denying(deny: NonNullable<Scenario['permissions']>['deny']): Scenario {
  return { ...shopScenario(), permissions: { deny } };
}

describe('emulator: authentication and permissions', () => {
  it('has a fixed 52-character PAT by default, which the client sends as Basic', () => withEmulator(async (em) => {
    assert.equal(em.token, DEFAULT_TOKEN);
    assert.equal(em.token.length, 52);
    await (await webApi(em).getBuildApi()).getBuild('Shop', 101);
    assert.equal(em.requests.at(-1)?.status, 200);
  }));

  it('accepts the token as a bearer token too', () => withEmulator(async (em) => {
    const web = new azdev.WebApi(em.collectionUrl, azdev.getBearerHandler(em.token));
    assert.equal((await (await web.getBuildApi()).getBuild('Shop', 101)).id, 101);
  }, { scenario: { ...shopScenario(), token: 'eyJ0eXAiOiJKV1Qi.system-access-token' } }));

  it('refuses any other token with 401, an empty body and WWW-Authenticate', () => withEmulator(async (em) => {
    const res = await raw(em, 'GET', '/lockstep/Shop/_apis/build/builds/101', { token: 'x'.repeat(52) });
    assert.equal(res.status, 401);
    assert.equal(await res.text(), '');
    assert.match(res.headers.get('www-authenticate') ?? '', /Basic realm=/);
    const build = new azdev.WebApi(em.collectionUrl, azdev.getHandlerFromToken('y'.repeat(52)));
    await assert.rejects(build.getBuildApi(), (e: ClientError) => e.statusCode === 401 && e.message === 'Failed request: (401)');
    assert.equal((await raw(em, 'GET', '/lockstep/_apis/projects', { token: null })).status, 401);
    assert.equal((await raw(em, 'GET', '/lockstep/_apis/ResourceAreas', { token: null })).status, 401, 'discovery wants the token too');
  }));

  it('answers 401 to everything after the scenario\'s failAfterRequests', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi(); // 3 requests: OPTIONS Location, ResourceAreas, OPTIONS build
    await build.getBuild('Shop', 101);
    await assert.rejects(build.getBuild('Shop', 101), (e: ClientError) => e.statusCode === 401);
  }, { scenario: { ...shopScenario(), auth: { failAfterRequests: 4 } } }));

  it('denies View builds in a project with 403 and a TF215106 message naming identity and permission', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const error = await build.getBuilds('Shop').then(() => undefined, (e: ClientError) => e);
    assert.equal(error?.statusCode, 403);
    assert.equal(error?.message, "TF215106: Access denied. Project Collection Build Service (lockstep) needs View builds permissions for build pipelines in team project Shop to perform the action. For more information, contact the Azure DevOps Server administrator.");
    assert.equal(error?.result?.typeKey, 'AccessDeniedException');
    await assert.rejects(build.getBuildTimeline('Shop', 202), (e: ClientError) => e.statusCode === 403);
    assert.equal((await build.getBuilds('Other Project')).length, 1, 'other projects are not affected');
  }, { scenario: denying([{ permission: 'View builds', project: 'Shop' }]) }));

  it('trims the builds of a denied definition from the list and refuses them one by one', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    assert.deepEqual((await build.getBuilds('Shop')).map((b) => b.id), [201, 203, 204, 103]);
    await assert.rejects(build.getBuild('Shop', 202), (e: ClientError) => e.statusCode === 403 && /build pipeline api in team project Shop/.test(e.message));
  }, { scenario: denying([{ permission: 'View builds', project: 'Shop', definition: 'api' }]) }));

  it('denies Update build information on property writes, not on tag writes or reads', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    await assert.rejects(build.updateBuildProperties(undefined, [{ op: 'add', path: '/a', value: 'b' }], 'Shop', 101), (e: ClientError) => e.statusCode === 403 && /needs Update build information permissions/.test(e.message));
    assert.deepEqual(await build.addBuildTags(['x'], 'Shop', 101), ['release', 'x']);
  }, { scenario: denying([{ permission: 'Update build information' }]) }));

  it('denies Edit build quality on tag writes, as the service does ("can add tags to a build"), but not on reads', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    assert.deepEqual(await build.getBuildTags('Shop', 101), ['release']);
    await assert.rejects(build.addBuildTag('Shop', 101, 'x'), (e: ClientError) => e.statusCode === 403 && /needs Edit build quality permissions/.test(e.message));
    await assert.rejects(build.addBuildTags(['x'], 'Shop', 101), (e: ClientError) => e.statusCode === 403);
    assert.deepEqual(em.state.build(101)!.tags, ['release']);
  }, { scenario: denying([{ permission: 'Edit build quality' }]) }));

  it('denies Queue builds on queueing, running a pipeline and retrying a stage', () => withEmulator(async (em) => {
    const web = webApi(em);
    const build = await web.getBuildApi();
    await assert.rejects(build.queueBuild({ definition: { id: 13 } }, 'Shop'), (e: ClientError) => e.statusCode === 403 && /Queue builds/.test(e.message));
    await assert.rejects((await web.getPipelinesApi()).runPipeline({}, 'Shop', 13), (e: ClientError) => e.statusCode === 403);
    await assert.rejects(build.updateStage({ state: 1, forceRetryAllJobs: false }, 204, 'Test', 'Shop'), (e: ClientError) => e.statusCode === 403);
  }, { scenario: denying([{ permission: 'Queue builds', project: 'Shop' }]) }));

  it('denies View releases and Manage deployments with the release service\'s VS402904 message', () => withEmulator(async (em) => {
    const release = await webApi(em).getReleaseApi();
    await assert.rejects(release.getReleases('Shop'), (e: ClientError) => e.statusCode === 403
      && e.message === 'VS402904: Access denied: User Project Collection Build Service (lockstep) does not have view releases permission. Contact your release manager.');
    em.state.denials.splice(0, em.state.denials.length, { permission: 'Manage deployments' });
    const env = em.state.environment(31, 'Staging')!;
    await assert.rejects(release.updateReleaseEnvironment({ status: 2 } as never, 'Shop', 31, env.id),
      (e: ClientError) => e.statusCode === 403 && /manage deployments permission/.test(e.message));
    assert.equal((await release.getRelease('Shop', 31)).id, 31, 'reads are allowed again');
  }, { scenario: { ...denying([{ permission: 'View releases' }]), identity: 'Project Collection Build Service (lockstep)' } }));
});
