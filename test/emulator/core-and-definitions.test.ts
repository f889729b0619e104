import * as assert from 'node:assert/strict';
import { DefinitionQueryOrder } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { ReleaseDefinitionExpands } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { webApi, withEmulator } from './support';

describe('emulator: projects and definitions', () => {
  it('lists projects and finds one by name (with a space) or by id', () => withEmulator(async (em) => {
    const core = await webApi(em).getCoreApi();
    const projects = await core.getProjects();
    assert.deepEqual(projects.map((p) => p.name), ['Other Project', 'Shop']);
    const byName = await core.getProject('Other Project');
    assert.equal(em.requests.at(-1)?.path, '/lockstep/_apis/projects/Other%20Project');
    const byId = await core.getProject(byName.id!);
    assert.equal(byId.name, 'Other Project');
    assert.equal(byId.defaultTeam?.name, 'Other Project Team');
  }));

  it('resolves an unknown project to null, as the client does with every 404', () => withEmulator(async (em) => {
    const core = await webApi(em).getCoreApi();
    assert.equal(await core.getProject('Nope'), null);
    assert.equal(em.requests.at(-1)?.status, 404);
    const build = await webApi(em).getBuildApi();
    assert.equal(await build.getBuild('Nope', 101), null);
  }));

  it('filters build definitions by name with wildcards, folder, ids and $top, in the asked order', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const names = async (...args: Parameters<typeof build.getDefinitions>) => (await build.getDefinitions(...args)).map((d) => d.name);
    assert.deepEqual(await names('Shop'), ['db-migrations', 'api', 'web']);
    assert.deepEqual(await names('Shop', 'API'), ['api']);
    assert.deepEqual(await names('Shop', 'w*'), ['web']);
    assert.deepEqual(await names('Shop', undefined, undefined, undefined, DefinitionQueryOrder.DefinitionNameDescending), ['web', 'db-migrations', 'api']);
    assert.deepEqual(await names('Shop', undefined, undefined, undefined, DefinitionQueryOrder.DefinitionNameAscending, 2), ['api', 'db-migrations']);
    assert.deepEqual(await names('Shop', undefined, undefined, undefined, undefined, undefined, undefined, undefined, [13, 11]), ['db-migrations', 'web']);
    assert.deepEqual(await names('Shop', undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, '\\team'), ['api']);
    assert.deepEqual(await names('Shop', undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, '\\team\\svc'), ['api']);
    const query = em.requests.filter((r) => r.route === 'buildDefinitions.list').map((r) => r.query);
    assert.deepEqual(query[3], { queryOrder: '4' });
    assert.deepEqual(query[5], { definitionIds: '13,11' });
    assert.deepEqual(query[6], { path: '\\team' });
  }));

  it('answers a definition with its folder, YAML process and repository, and dates as Date objects', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const d = await build.getDefinition('Shop', 12);
    assert.equal(d.path, '\\team\\svc');
    assert.deepEqual(d.process, { yamlFilename: 'azure-pipelines.yml', type: 2 });
    assert.equal(d.repository?.defaultBranch, 'refs/heads/main');
    assert.ok(d.createdDate instanceof Date);
    assert.equal(d.project?.name, 'Shop');
    assert.equal(await build.getDefinition('Shop', 99), null);
  }));

  it('lists release definitions by search text and folder, with environments only when expanded', () => withEmulator(async (em) => {
    const release = await webApi(em).getReleaseApi();
    const all = await release.getReleaseDefinitions('Shop');
    assert.deepEqual(all.map((d) => d.name), ['Legacy Web', 'Docs']);
    assert.equal(all[0].environments, undefined);
    const legacy = await release.getReleaseDefinitions('Shop', 'legacy', ReleaseDefinitionExpands.Environments);
    assert.deepEqual(legacy.map((d) => d.environments?.map((e) => e.name)), [['Staging', 'Production']]);
    const inFolder = await release.getReleaseDefinitions('Shop', undefined, undefined, undefined, undefined, undefined, undefined, undefined, '\\legacy');
    assert.deepEqual(inFolder.map((d) => d.id), [3]);
    const one = await release.getReleaseDefinition('Shop', 4);
    assert.deepEqual(one.environments?.map((e) => [e.name, e.rank]), [['Production', 1]]);
  }));
});
