import * as assert from 'node:assert/strict';
import { BuildResult, BuildStatus, type Build } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { COMMIT, raw, START, waitFor, webApi, withEmulator } from './support';

describe('emulator: a build', () => {
  it('arrives with enums turned into the client\'s numbers and dates into Date objects', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const b = await build.getBuild('Shop', 103);
    assert.equal(b.status, BuildStatus.Completed);
    assert.equal(b.result, BuildResult.Succeeded);
    assert.ok(b.finishTime instanceof Date);
    assert.equal(b.queueTime?.toISOString(), new Date(Date.parse(START) - 3_600_000).toISOString());
    assert.equal(b.sourceVersion, COMMIT);
    assert.equal(b.definition?.name, 'web');
    assert.deepEqual(b.tags, ['rc', 'web']);
  }));

  it('leaves out the keys a build does not have yet, rather than sending nulls', () => withEmulator(async (em) => {
    const res = await raw(em, 'GET', '/lockstep/Shop/_apis/build/builds/203');
    const wire = await res.json() as Record<string, unknown>;
    assert.equal(wire.status, 'notStarted');
    for (const key of ['startTime', 'finishTime', 'result']) assert.ok(!(key in wire), `${key} should be absent`);
    assert.match(String(wire.queueTime), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const links = wire._links as Record<string, { href: string }>;
    assert.equal(links.self.href, `${em.collectionUrl}/6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c/_apis/build/Builds/203`);
    assert.match(links.web.href, /_build\/results\?buildId=203$/);
  }));

  it('queues a build that runs its definition\'s stages one after another and completes', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const queued = await build.queueBuild({ definition: { id: 11 }, sourceBranch: 'refs/heads/main', sourceVersion: COMMIT } as Build, 'Shop');
    assert.equal(queued.status, BuildStatus.NotStarted);
    assert.equal(em.requests.at(-1)?.route, 'builds.queue');
    assert.deepEqual(em.requests.at(-1)?.body, { definition: { id: 11 }, sourceBranch: 'refs/heads/main', sourceVersion: COMMIT });
    const id = queued.id!;
    await waitFor(async () => (await build.getBuild('Shop', id)).status === BuildStatus.InProgress, 3000, 'in progress');
    await waitFor(async () => (await build.getBuild('Shop', id)).status === BuildStatus.Completed, 3000, 'completed');
    const done = await build.getBuild('Shop', id);
    assert.equal(done.result, BuildResult.Succeeded);
    assert.equal(done.sourceVersion, COMMIT);
    const stages = em.state.build(id)!.stages.map((s) => `${s.identifier}:${s.state}:${s.result}`);
    assert.deepEqual(stages, ['Build:completed:succeeded', 'Deploy_Prod:completed:succeeded']);
  }, { timeScale: 100 }));

  it('cancels on PATCH {status: 4}: cancelling at once, then completed and canceled', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const answer = await build.updateBuild({ status: BuildStatus.Cancelling } as Build, 'Shop', 202);
    assert.equal(answer.status, BuildStatus.Cancelling);
    assert.deepEqual(em.requests.at(-1)?.body, { status: 4 });
    await waitFor(async () => (await build.getBuild('Shop', 202)).status === BuildStatus.Completed, 3000, 'canceled');
    const b = await build.getBuild('Shop', 202);
    assert.equal(b.result, BuildResult.Canceled);
    assert.deepEqual(em.state.build(202)!.stages.map((s) => s.result), ['canceled', 'skipped']);
  }, { timeScale: 100 }));

  it('retries a failed build with ?retry=true from its failed stage', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const answer = await build.updateBuild({} as Build, 'Shop', 204, true);
    assert.equal(em.requests.at(-1)?.query.retry, 'true');
    assert.equal(answer.status, BuildStatus.InProgress);
    await waitFor(() => em.state.build(204)!.status === 'completed', 3000, 'retried build to complete');
    assert.deepEqual(em.state.build(204)!.stages.map((s) => `${s.identifier}:${s.result}:${s.attempt}`),
      ['Build:succeeded:1', 'Test:succeeded:2', 'Prod:succeeded:1']);
    assert.equal(em.state.build(204)!.result, 'succeeded');
  }, { timeScale: 100 }));

  it('answers a missing build with null for the client and the service\'s JSON 404 on the wire', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    assert.equal(await build.getBuild('Shop', 4242), null);
    const res = await raw(em, 'GET', '/lockstep/Shop/_apis/build/builds/4242');
    assert.equal(res.status, 404);
    const body = await res.json() as Record<string, unknown>;
    assert.equal(body.typeKey, 'BuildNotFoundException');
    assert.equal(body.$id, '1');
    assert.equal(body.innerException, null);
    assert.equal(body.eventId, 3000);
    assert.equal(await build.getBuild('Other Project', 101), null, 'a build is only found in its own project');
  }));
});
