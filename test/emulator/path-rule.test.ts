import * as assert from 'node:assert/strict';
import { raw, shopScenario, webApi, withEmulator } from './support';

type ClientError = Error & { statusCode?: number };

const RELEASE_TAGS = '/vsrm/lockstep/Shop/_apis/Release/releases/31/tags';

describe('emulator: the path rule on tags in the URL path (behaviour.pathRule)', () => {
  it('refuses a release tag with ":" in the path even percent-encoded, with the service\'s 400, and keeps the tag', () => withEmulator(async (em) => {
    const release = await webApi(em).getReleaseApi();
    await release.addReleaseTags(['lockstep:prod@2.3.0'], 'Shop', 31);
    const res = await raw(em, 'DELETE', `${RELEASE_TAGS}/lockstep%3Aprod%402.3.0`);
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      $id: '1',
      innerException: null,
      message: 'A potentially dangerous Request.Path value was detected from the client (:).',
      typeName: 'System.Web.HttpException, System.Web',
      typeKey: 'HttpException',
      errorCode: 0,
      eventId: 0,
    });
    assert.equal(res.headers.get('x-tfs-serviceerror'), encodeURIComponent('A potentially dangerous Request.Path value was detected from the client (:).'));
    await assert.rejects(release.deleteReleaseTag('Shop', 31, 'lockstep:prod@2.3.0'), (e: ClientError) => e.statusCode === 400 && /dangerous Request\.Path value .* \(:\)\.$/.test(e.message));
    assert.deepEqual(em.state.release(31)!.tags, ['lockstep:prod@2.3.0', 'train-2.3']);
  }));

  it('refuses each of ASP.NET\'s default characters < > * % & : \\ ? on both build and release tag routes, naming the first one', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const release = await webApi(em).getReleaseApi();
    for (const c of ['<', '>', '*', '%', '&', ':', '\\', '?']) {
      const named = (e: ClientError) => e.statusCode === 400 && e.message === `A potentially dangerous Request.Path value was detected from the client (${c}).`;
      await assert.rejects(build.addBuildTag('Shop', 101, `a${c}b:c`), named, `PUT build tag with ${c}`);
      await assert.rejects(build.deleteBuildTag('Shop', 101, `a${c}b`), named, `DELETE build tag with ${c}`);
      await assert.rejects(release.addReleaseTag('Shop', 31, `a${c}b`), named, `PATCH release tag with ${c}`);
      await assert.rejects(release.deleteReleaseTag('Shop', 31, `a${c}b`), named, `DELETE release tag with ${c}`);
    }
    assert.deepEqual(em.state.build(101)!.tags, ['release']);
  }));

  it('takes safe text in the path ("/", "#", "@", "~", spaces), and drops the trailing dot of a tag, as IIS does', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const release = await webApi(em).getReleaseApi();
    assert.deepEqual(await build.addBuildTag('Shop', 101, 'lockstep.prod@release~2F2.3 #4@Production.1'), ['lockstep.prod@release~2F2.3 #4@Production.1', 'release']);
    assert.deepEqual(await build.addBuildTag('Shop', 101, 'v1.'), ['lockstep.prod@release~2F2.3 #4@Production.1', 'release', 'v1']);
    await release.addReleaseTags(['v2.', 'v2'], 'Shop', 31);
    // DELETE .../tags/v2. reaches the service as "v2": the other tag goes, the one asked for stays.
    assert.deepEqual(await release.deleteReleaseTag('Shop', 31, 'v2.'), ['train-2.3', 'v2.']);
    assert.deepEqual(await release.deleteReleaseTag('Shop', 31, 'a/b'), ['train-2.3', 'v2.']);
  }));

  it('leaves the body forms alone: POST an array and PATCH tagsToAdd/tagsToRemove take any tag', () => withEmulator(async (em) => {
    const build = await webApi(em).getBuildApi();
    const release = await webApi(em).getReleaseApi();
    assert.deepEqual(await release.addReleaseTags(['lockstep:prod@2.3.0:open', 'a%b&c'], 'Shop', 31), ['a%b&c', 'lockstep:prod@2.3.0:open', 'train-2.3']);
    assert.deepEqual(await build.addBuildTags(['x:y', 'v1.'], 'Shop', 101), ['release', 'v1.', 'x:y']);
    assert.deepEqual(await build.updateBuildTags({ tagsToAdd: ['lockstep:prod@2.3.0'], tagsToRemove: ['x:y', 'v1.'] }, 'Shop', 101), ['lockstep:prod@2.3.0', 'release']);
  }));

  it('answers before the route looks at the release or the caller\'s permissions', () => withEmulator(async (em) => {
    em.state.denials.push({ permission: 'Manage releases' });
    const release = await webApi(em).getReleaseApi();
    await assert.rejects(release.deleteReleaseTag('Shop', 31, 'a:b'), (e: ClientError) => e.statusCode === 400);
    await assert.rejects(release.deleteReleaseTag('Shop', 999, 'a:b'), (e: ClientError) => e.statusCode === 400);
    await assert.rejects(release.deleteReleaseTag('Shop', 31, 'ab'), (e: ClientError) => e.statusCode === 403);
  }));

  it('takes any decoded tag, trailing dot included, with behaviour.pathRule false', () => withEmulator(async (em) => {
    const release = await webApi(em).getReleaseApi();
    await release.addReleaseTags(['lockstep:prod@2.3.0', 'v2.'], 'Shop', 31);
    assert.deepEqual(await release.deleteReleaseTag('Shop', 31, 'lockstep:prod@2.3.0'), ['train-2.3', 'v2.']);
    assert.deepEqual(await release.deleteReleaseTag('Shop', 31, 'v2.'), ['train-2.3']);
  }, { scenario: { ...shopScenario(), behaviour: { pathRule: false } } }));
});
