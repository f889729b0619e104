import assert from 'node:assert/strict';
import { backoffMs, defaultRetryPolicy } from '../../src/client/retry-policy';
import { readHttpFailure } from '../../src/client/http-failure';

describe('the retry policy', () => {
  it('doubles the backoff per attempt up to its cap, with jitter below the full delay', () => {
    const noJitter = { ...defaultRetryPolicy, jitter: 0 };
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((a) => backoffMs(noJitter, a)), [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    assert.equal(backoffMs(defaultRetryPolicy, 1, () => 0), 700);
    assert.equal(backoffMs(defaultRetryPolicy, 1, () => 1), 1000);
  });

  it('reads Retry-After in seconds or as a date, else X-RateLimit-Reset, from a 429', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    const err = (headers: Record<string, string>) => Object.assign(new Error('throttled'), { statusCode: 429, responseHeaders: headers });
    assert.equal(readHttpFailure(err({ 'Retry-After': '7' }), now).retryAfterMs, 7000);
    assert.equal(readHttpFailure(err({ 'retry-after': 'Fri, 27 Nov 2026 10:00:30 GMT' }), now).retryAfterMs, 30000);
    assert.equal(readHttpFailure(err({ 'x-ratelimit-reset': String(now / 1000 + 12) }), now).retryAfterMs, 12000);
    assert.equal(readHttpFailure(err({}), now).retryAfterMs, undefined);
  });

  it('tells network errors from answered failures', () => {
    assert.equal(readHttpFailure(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 0).network, true);
    assert.equal(readHttpFailure(new Error('Request timeout: /x'), 0).network, true);
    const answered = readHttpFailure(Object.assign(new Error('x'), { statusCode: 503, result: { message: 'TF: down' } }), 0);
    assert.deepEqual([answered.network, answered.status, answered.message], [false, 503, 'TF: down']);
  });
});
