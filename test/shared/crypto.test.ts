/**
 * @module test/shared/crypto
 *
 * The constant-time comparison every secret check goes through (AU-15): right answers for
 * equal, different, prefixed and differently long values, and no throw on a length mismatch
 * (node's `timingSafeEqual` throws on buffers of different lengths).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { constantTimeEqual } from '../../src/shared/crypto.js';

describe('constantTimeEqual', () => {
  it('is true only for the same string', () => {
    assert.equal(constantTimeEqual('s3cret-value', 's3cret-value'), true);
    assert.equal(constantTimeEqual('', ''), true);
    assert.equal(constantTimeEqual('s3cret-value', 's3cret-valuf'), false);
    assert.equal(constantTimeEqual('s3cret', 's3cret-value'), false);
    assert.equal(constantTimeEqual('s3cret-value', 's3cret'), false);
    assert.equal(constantTimeEqual('ab', 'ab\u0000'), false);
    assert.equal(constantTimeEqual('é', 'e\u0301'), false, 'no Unicode normalisation');
    assert.equal(constantTimeEqual('x'.repeat(100_000), 'x'.repeat(100_000)), true);
  });
});
