import * as assert from 'node:assert/strict';
import * as azdev from 'azure-devops-node-api';
import { ClientApiBase } from 'azure-devops-node-api/ClientApiBases';
import type { Emulator, Scenario } from '../../emulator';
import { raw, shopScenario, webApi, withEmulator } from './support';

type ClientError = Error & { statusCode?: number; result?: { message?: string; typeKey?: string } };

const SHOP = '6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c';
const BUILD_NS = '33344d9c-fc72-4d6f-aba5-fa317101a7e9';
const RELEASE_NS = 'c788c23e-1b46-4162-8f5e-d7585343b5de';
const BATCH_LOCATION = 'cf1faa59-1b63-4448-bf04-13d981a46f5d';
const PERMISSIONS_LOCATION = 'dd3b8bd6-c7fc-4cbd-929a-933d9c011c9d';
const UPDATE_BUILD_INFORMATION = 64;
const QUEUE_BUILDS = 128;
const MANAGE_DEPLOYMENTS = 2048;

function withPermissions(permissions: Scenario['permissions']): Scenario {
  return { ...shopScenario(), permissions };
}

/** The generic client machinery a task uses for an area node-api has no client for. */
function securityClient(em: Emulator): ClientApiBase {
  return new ClientApiBase(em.collectionUrl, [azdev.getHandlerFromToken(em.token)], 'lockstep-test');
}

interface Evaluation { securityNamespaceId: string; token: string; permissions: number; value?: boolean }

async function evaluateBatch(em: Emulator, evaluations: Evaluation[]): Promise<Evaluation[]> {
  const client = securityClient(em);
  const verData = await client.vsoClient.getVersioningData('7.1-preview.1', 'Security', BATCH_LOCATION, {});
  const options = client.createRequestOptions('application/json', verData.apiVersion);
  const res = await client.rest.create<{ evaluations: Evaluation[] }>(verData.requestUrl!, { alwaysAllowAdministrators: false, evaluations }, options);
  return res.result!.evaluations;
}

describe('emulator: permission model and the Security permission-evaluation API', () => {
  it('denies every definition in a folder and below it, and none outside it', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    // api (12) lives in \team\svc; web (13) in the root folder.
    await assert.rejects(build.queueBuild({ definition: { id: 12 } }, 'Shop'), (e: ClientError) => e.statusCode === 403
      && /needs Queue builds permissions for build pipeline api in team project Shop/.test(e.message));
    assert.equal((await build.queueBuild({ definition: { id: 13 } }, 'Shop')).definition?.id, 13);
  }, { scenario: withPermissions({ deny: [{ permission: 'Queue builds', folder: '\\team' }] }) }));

  it('scopes Manage deployments to one release environment, by name or definition-environment id', () => withEmulator(async (em) => {
    const release = await webApi(em).getReleaseApi();
    const production = em.state.environment(31, 'Production')!;
    const staging = em.state.environment(31, 'Staging')!;
    await assert.rejects(release.updateReleaseEnvironment({ status: 2 } as never, 'Shop', 31, production.id),
      (e: ClientError) => e.statusCode === 403 && /VS402904: .* does not have manage deployments permission/.test(e.message));
    assert.equal((await release.updateReleaseEnvironment({ status: 2 } as never, 'Shop', 31, staging.id)).id, staging.id);
    em.state.denials.splice(0, em.state.denials.length, { permission: 'Manage deployments', environment: staging.definitionEnvironmentId });
    const again = em.state.environment(30, 'Staging')!;
    await assert.rejects(release.updateReleaseEnvironment({ status: 2 } as never, 'Shop', 30, again.id), (e: ClientError) => e.statusCode === 403);
  }, { scenario: withPermissions({ deny: [{ permission: 'Manage deployments', environment: 'Production' }] }) }));

  it('models the build service with the buildService preset: no Manage deployments, everything else allowed', () => withEmulator(async (em) => {
    const web = webApi(em);
    const release = await web.getReleaseApi();
    const staging = em.state.environment(31, 'Staging')!;
    await assert.rejects(release.updateReleaseEnvironment({ status: 2 } as never, 'Shop', 31, staging.id), (e: ClientError) => e.statusCode === 403);
    assert.deepEqual(await release.addReleaseTag('Shop', 31, 'ok'), ['ok', 'train-2.3']);
    assert.deepEqual(await (await web.getBuildApi()).addBuildTag('Shop', 101, 'ok'), ['ok', 'release']);
    const [deploy, tag] = await evaluateBatch(em, [
      { securityNamespaceId: RELEASE_NS, token: SHOP, permissions: MANAGE_DEPLOYMENTS },
      { securityNamespaceId: BUILD_NS, token: `${SHOP}/team/svc/12`, permissions: UPDATE_BUILD_INFORMATION },
    ]);
    assert.equal(deploy.value, false);
    assert.equal(tag.value, true);
  }, { scenario: withPermissions({ preset: 'buildService' }) }));

  it('demands Stop builds to cancel a run and Manage releases to tag a release', () => withEmulator(async (em) => {
    const web = webApi(em);
    const build = await web.getBuildApi();
    await assert.rejects(build.updateBuild({ status: 4 } as never, 'Shop', 202), (e: ClientError) => e.statusCode === 403 && /Stop builds/.test(e.message));
    await assert.rejects(build.updateStage({ state: 0, forceRetryAllJobs: false }, 202, 'Build', 'Shop'), (e: ClientError) => e.statusCode === 403);
    const release = await web.getReleaseApi();
    await assert.rejects(release.addReleaseTag('Shop', 31, 'x'), (e: ClientError) => e.statusCode === 403 && /manage releases permission/.test(e.message));
    await assert.rejects(release.addReleaseTags(['x'], 'Shop', 31), (e: ClientError) => e.statusCode === 403);
    await assert.rejects(release.deleteReleaseTag('Shop', 31, 'train-2.3'), (e: ClientError) => e.statusCode === 403);
    assert.equal(em.state.build(202)!.status, 'inProgress');
  }, { scenario: withPermissions({ deny: [{ permission: 'Stop builds' }, { permission: 'Manage releases', definition: 'Legacy Web' }] }) }));

  it('answers Has Permissions Batch through ClientApiBase, getVersioningData and rest.create', () => withEmulator(async (em) => {
    const answers = await evaluateBatch(em, [
      { securityNamespaceId: BUILD_NS, token: SHOP, permissions: QUEUE_BUILDS },
      { securityNamespaceId: BUILD_NS, token: `${SHOP}/team`, permissions: QUEUE_BUILDS },
      { securityNamespaceId: BUILD_NS, token: `${SHOP}/team/svc/12`, permissions: QUEUE_BUILDS },
      { securityNamespaceId: BUILD_NS, token: `${SHOP}/13`, permissions: QUEUE_BUILDS },
      { securityNamespaceId: BUILD_NS, token: `${SHOP}/team/svc/12`, permissions: UPDATE_BUILD_INFORMATION },
      // The wrong token for api (it is in a folder): no denial sits on it, as on the service.
      { securityNamespaceId: BUILD_NS, token: `${SHOP}/12`, permissions: QUEUE_BUILDS },
      { securityNamespaceId: RELEASE_NS, token: `${SHOP}/legacy/3/Environment/${em.state.releaseDefinition('Shop', 3)!.environments[1].id}`, permissions: MANAGE_DEPLOYMENTS },
      { securityNamespaceId: RELEASE_NS, token: `${SHOP}/legacy/3`, permissions: MANAGE_DEPLOYMENTS },
    ]);
    assert.deepEqual(answers.map((a) => a.value), [true, true, false, true, true, true, false, true]);
    assert.deepEqual(answers[0], { securityNamespaceId: BUILD_NS, token: SHOP, permissions: QUEUE_BUILDS, value: true });
    const logged = em.requests.find((r) => r.route === 'security.permissionEvaluationBatch')!;
    assert.equal(logged.method, 'POST');
    assert.equal(logged.path, '/lockstep/_apis/Security/PermissionEvaluationBatch');
    assert.equal(logged.apiVersion, '7.1-preview.1');
  }, { scenario: withPermissions({ deny: [
    { permission: 'Queue builds', project: 'Shop', folder: '\\team\\svc' },
    { permission: 'Manage deployments', environment: 'Production' },
  ] }) }));

  it('answers Has Permissions with one boolean per token; a definition denial leaves its project allowed', () => withEmulator(async (em) => {
    const client = securityClient(em);
    const verData = await client.vsoClient.getVersioningData('7.1-preview.2', 'Security', PERMISSIONS_LOCATION,
      { securityNamespaceId: BUILD_NS, permissions: QUEUE_BUILDS }, { tokens: `${SHOP};${SHOP}/13;${SHOP}/team/svc/12`, delimiter: ';', alwaysAllowAdministrators: false });
    const res = await client.rest.get<{ count: number; value: boolean[] }>(verData.requestUrl!, client.createRequestOptions('application/json', verData.apiVersion));
    assert.deepEqual(res.result, { count: 3, value: [true, false, true] });
    assert.equal(em.requests.at(-1)?.route, 'security.permissions');
    const combined = await raw(em, 'GET', `/lockstep/_apis/permissions/${BUILD_NS}/${QUEUE_BUILDS | UPDATE_BUILD_INFORMATION}?tokens=${SHOP}/13,${SHOP}/11`);
    assert.deepEqual(await combined.json(), { count: 2, value: [false, true] }, 'several bits: all must be granted');
  }, { scenario: withPermissions({ deny: [{ permission: 'Queue builds', definition: 13 }] }) }));

  it('answers 403 on both evaluation routes when evaluation is forbidden', () => withEmulator(async (em) => {
    await assert.rejects(evaluateBatch(em, [{ securityNamespaceId: BUILD_NS, token: SHOP, permissions: 1 }]),
      (e: ClientError) => e.statusCode === 403 && e.result?.typeKey === 'AccessCheckException');
    const res = await raw(em, 'GET', `/lockstep/_apis/permissions/${BUILD_NS}/1?tokens=${SHOP}`);
    assert.equal(res.status, 403);
    em.state.permissionEvaluation = 'answer';
    assert.equal((await evaluateBatch(em, [{ securityNamespaceId: BUILD_NS, token: SHOP, permissions: 1 }]))[0].value, true);
  }, { scenario: withPermissions({ evaluation: 'forbidden' }) }));

  it('serves no evaluation route and announces no Security location when evaluation is absent', () => withEmulator(async (em) => {
    await assert.rejects(evaluateBatch(em, []), /Failed to find api location for area: Security/);
    const options = await raw(em, 'OPTIONS', '/lockstep/_apis/Security');
    assert.deepEqual(await options.json(), { count: 0, value: [] });
    const res = await raw(em, 'POST', '/lockstep/_apis/security/permissionevaluationbatch', { body: '{"evaluations":[]}' });
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.match(await res.text(), /^The controller for path '\/lockstep\/_apis\/security\/permissionevaluationbatch' was not found/);
  }, { scenario: withPermissions({ evaluation: 'absent' }) }));

  it('answers 404 for a security namespace it does not know', () => withEmulator(async (em) => {
    const res = await raw(em, 'GET', `/lockstep/_apis/permissions/00000000-0000-0000-0000-000000000001/1?tokens=${SHOP}`);
    assert.equal(res.status, 404);
    assert.equal((await res.json() as { typeKey: string }).typeKey, 'InvalidSecurityNamespaceException');
  }));
});
