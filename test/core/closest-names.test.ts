import assert from 'node:assert/strict';
import { closestNames, didYouMean } from '../../src/refs/closest-names';

describe('closest-name suggestions', () => {
  const names = ['api-service', 'web', 'db-migrations', 'web-admin', 'billing'];

  it('offers the names within a few edits, closest first', () => {
    assert.deepEqual(closestNames('api-servce', names), ['api-service']);
    assert.deepEqual(closestNames('db-migratoins', names), ['db-migrations']);
  });

  it('offers names that contain what was typed', () => {
    assert.deepEqual(closestNames('admin', names), ['web-admin']);
  });

  it('says nothing when no name is close', () => {
    assert.equal(didYouMean('payments', names), '');
    assert.equal(didYouMean('api-servce', names), " Did you mean 'api-service'?");
    assert.equal(didYouMean('wbe', ['web', 'wb']), " Did you mean 'wb' or 'web'?");
  });
});
