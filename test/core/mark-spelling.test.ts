import assert from 'node:assert/strict';
import { fromTagText, isPathSafeTag, tagText } from '../../src/annotations/tag-text';
import { gateMarks, readGateMarks } from '../../src/gate/gate-marks';
import { readReleaseRolledBack, rollbackMarks, undoneTrains } from '../../src/rollback/ledger-marks';

const awkward = ['release/2.3 #4?.', 'a:b@c~d', '<x>*%&\\,;+', ' padded ', 'Prod.EU', 'v1.5', 'ünïcode'];

describe('the spelling of the marks on runs and releases', () => {
  it('keeps ordinary names readable on releases: prod, 2.3.0, Production', () => {
    assert.deepEqual(gateMarks('prod', '2.3.0', { kind: 'release', environment: 'Production', attempt: 1 }), {
      arrived: 'lockstep.prod@2.3.0@Production.1',
      open: 'lockstep.prod@2.3.0@Production.1@open',
    });
    assert.deepEqual(gateMarks('prod', '2.3.0'), { arrived: 'lockstep:prod@2.3.0', open: 'lockstep:prod@2.3.0:open' });
    assert.equal(rollbackMarks('2.3.0', 'release').releaseRolledBack('Production', 2), 'lockstep.rolled-back@2.3.0@Production.2');
  });

  it('spells every release mark safe in a URL path, whatever the gate, train or environment, and reads it back', () => {
    for (const text of awkward) {
      const release = tagText(text, 'release');
      assert.ok(isPathSafeTag(release) && !release.includes('@') && release.trim() === release, `${text} → ${release}`);
      assert.equal(fromTagText(release, 'release'), text);
      assert.equal(fromTagText(tagText(text)), text);
      const marks = gateMarks(text, text, { kind: 'release', environment: text, attempt: 3 });
      const rollback = rollbackMarks(text, 'release');
      for (const mark of [marks.arrived, marks.open, rollback.claim, rollback.lead, rollback.releaseRolledBack(text, 3)]) assert.ok(isPathSafeTag(mark), mark);
      assert.deepEqual(readGateMarks([marks.arrived, marks.open, 'other'], text, text, 'release').map((m) => [m.open, m.environment, m.attempt]), [
        [false, text, 3],
        [true, text, 3],
      ]);
      assert.equal(readReleaseRolledBack(rollback.releaseRolledBack(text, 3), text, text), 3);
      assert.deepEqual(undoneTrains([rollback.lead]), [text]);
    }
  });

  it('reads marks without regard to case, as the service keeps tags', () => {
    assert.deepEqual(readGateMarks(['LOCKSTEP.PROD@2.3.0@PRODUCTION.12@OPEN'], 'prod', '2.3.0', 'release'), [{ tag: 'LOCKSTEP.PROD@2.3.0@PRODUCTION.12@OPEN', open: true, environment: 'PRODUCTION', attempt: 12 }]);
    assert.deepEqual(readGateMarks(['LOCKSTEP:PROD@2.3.0'], 'prod', '2.3.0', 'build'), [{ tag: 'LOCKSTEP:PROD@2.3.0', open: false }]);
  });

  it('tells the marks of one gate and train from another\'s', () => {
    const mark = gateMarks('prod', '2.3', { kind: 'release', environment: 'Production', attempt: 1 }).arrived;
    assert.deepEqual(readGateMarks([mark], 'prod', '2.3.1', 'release'), []);
    assert.deepEqual(readGateMarks([mark], 'pro', 'd@2.3', 'release'), []);
    assert.deepEqual(readGateMarks([gateMarks('prod', '2.3').arrived], 'prod', '2.3', 'release'), [], 'a run\'s spelling is not a release\'s');
  });

  it('still reads the rollback marks Lockstep 0.1.0 left on releases', () => {
    assert.equal(readReleaseRolledBack('lockstep:rolled-back@2.3.0:Production~1', '2.3.0', 'Production'), 1);
    assert.deepEqual(undoneTrains(['lockstep:rolled-back@2.3.0:Production~1', 'lockstep:rollback-lead@2.2%2E']), ['2.3.0', '2.2.']);
  });
});
