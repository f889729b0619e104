import * as assert from 'node:assert/strict';
import { raw, webApi, withEmulator } from './support';

const AWKWARD = ['a/b', 'c#d', 'e?f', 'g h', 'v1.'];

describe('emulator: build and release tags, build properties', () => {
  it('keeps tags with "/", "#", "?", a space and a trailing dot sent in a POST body', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const after = await build.addBuildTags(AWKWARD, 'Shop', 101);
    assert.deepEqual(em.requests.at(-1)?.body, AWKWARD);
    assert.deepEqual(after, ['a/b', 'c#d', 'e?f', 'g h', 'release', 'v1.']);
    assert.deepEqual(await build.getBuildTags('Shop', 101), after);
  }));

  it('takes one tag in the path, URL-decoded, for PUT and DELETE, when the path rule is off; each answers the whole list', () => withEmulator(async (em) => {
    // The service's path rule (test/emulator/path-rule.test.ts) would refuse 'e?f' and drop the dot of 'v1.'.
    em.state.behaviour.pathRule = false;
    const build = await webApi(em).getBuildApi();
    for (const tag of AWKWARD) await build.addBuildTag('Shop', 101, tag);
    const puts = em.requests.filter((r) => r.route === 'builds.tags.add').map((r) => r.path.split('/tags/')[1]);
    assert.deepEqual(puts, ['a%2Fb', 'c%23d', 'e%3Ff', 'g%20h', 'v1.']);
    assert.deepEqual(await build.getBuildTags('Shop', 101), ['a/b', 'c#d', 'e?f', 'g h', 'release', 'v1.']);
    const left = await build.deleteBuildTag('Shop', 101, 'a/b');
    assert.deepEqual(left, ['c#d', 'e?f', 'g h', 'release', 'v1.']);
  }));

  it('treats tags without regard to case and trims them, as the service does', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    assert.deepEqual(await build.addBuildTags(['Release', '  extra  '], 'Shop', 101), ['extra', 'release']);
    assert.deepEqual(await build.deleteBuildTag('Shop', 101, 'RELEASE'), ['extra']);
  }));

  it('answers every tags verb with the {count, value} list on the wire', () => withEmulator(async (em) => {
    const res = await raw(em, 'PUT', '/lockstep/Shop/_apis/build/builds/101/tags/x', { body: 'null' });
    assert.deepEqual(await res.json(), { count: 2, value: ['release', 'x'] });
  }));

  it('tags releases through PATCH one, POST many, GET and DELETE', () => withEmulator(async (em) => {
    const release = await webApi(em).getReleaseApi();
    assert.deepEqual(await release.addReleaseTag('Shop', 31, 'a/b c'), ['a/b c', 'train-2.3']);
    assert.equal(em.requests.at(-1)?.method, 'PATCH');
    assert.deepEqual(await release.addReleaseTags(['z', 'v2.'], 'Shop', 31), ['a/b c', 'train-2.3', 'v2.', 'z']);
    assert.deepEqual(await release.getReleaseTags('Shop', 31), ['a/b c', 'train-2.3', 'v2.', 'z']);
    assert.deepEqual(await release.deleteReleaseTag('Shop', 31, 'train-2.3'), ['a/b c', 'v2.', 'z']);
    assert.deepEqual(em.requests.filter((r) => r.route.startsWith('release.tags')).map((r) => r.route),
      ['release.tags.add', 'release.tags.addMany', 'release.tags.list', 'release.tags.delete']);
  }));

  it('reads build properties with a name filter in the PropertiesCollection wire shape', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const all = await build.getBuildProperties('Shop', 103);
    assert.deepEqual(all, {
      count: 2,
      value: { train: { $type: 'System.String', $value: '2.3' }, attempt: { $type: 'System.Int32', $value: 1 } },
    });
    const some = await build.getBuildProperties('Shop', 103, ['Train', 'missing']);
    assert.equal(em.requests.at(-1)?.query.filter, 'Train,missing');
    assert.deepEqual(some, { count: 1, value: { train: { $type: 'System.String', $value: '2.3' } } });
  }));

  it('changes build properties with a JSON patch: add, replace, remove', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const answer = await build.updateBuildProperties(undefined, [
      { op: 'add', path: '/lockstep.gate', value: 'passed' },
      { op: 'replace', path: '/attempt', value: 2 },
      { op: 'remove', path: '/train' },
      { op: 'add', path: '/flag', value: true },
    ], 'Shop', 103);
    assert.deepEqual(answer, {
      count: 3,
      value: {
        attempt: { $type: 'System.Int32', $value: 2 },
        'lockstep.gate': { $type: 'System.String', $value: 'passed' },
        flag: { $type: 'System.Boolean', $value: true },
      },
    });
    assert.equal(em.requests.at(-1)?.route, 'builds.properties.update');
    assert.equal(em.state.build(103)!.properties['lockstep.gate'].$value, 'passed');
  }));

  it('refuses a patch operation it cannot apply and changes nothing', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    await assert.rejects(build.updateBuildProperties(undefined, [
      { op: 'add', path: '/kept', value: 'no' },
      { op: 'move', path: '/x', from: '/train' },
    ], 'Shop', 103), (e: Error & { statusCode?: number }) => e.statusCode === 400 && /move/.test(e.message));
    assert.equal(em.state.build(103)!.properties.kept, undefined);
  }));
});
