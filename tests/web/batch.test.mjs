// Push batching under the byte limit and retry backoff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeBatches, backoffDelay, byteLength, MAX_BATCH_BYTES } from '../../www/app/data/batch.js';

const rec = (i, ds = 'x') => ({ key: 'k' + i, t1: i, t2: i + 60, mt: 1, st: 0, ds });

test('batches stay under the limit and keep every item in order', () => {
  for (const [n, ds] of [[0, ''], [1, 'a'], [1000, 'é'.repeat(200)], [5000, '#tag some text']]) {
    const items = Array.from({ length: n }, (_, i) => rec(i, ds));
    const batches = makeBatches(items);
    for (const b of batches) {
      assert.ok(byteLength(b.body) <= MAX_BATCH_BYTES, `batch of ${byteLength(b.body)} bytes`);
      assert.deepEqual(JSON.parse(b.body), b.items);
    }
    assert.deepEqual(batches.flatMap((b) => b.items), items);
    assert.ok(MAX_BATCH_BYTES < 100 * 1024);
  }
});

test('small limit: exact boundaries', () => {
  const items = [rec(1), rec(2), rec(3)];
  const one = JSON.stringify(items[0]).length;
  assert.equal(makeBatches(items, 2 + one).length, 3);
  assert.equal(makeBatches(items, 2 + 2 * one + 1).length, 2);
  assert.equal(makeBatches(items, 2 + 3 * one + 2).length, 1);
  assert.equal(makeBatches(items, 10).length, 3); // oversize items go alone
});

test('backoff grows, caps, and jitters', () => {
  const cases = [[0, 10000], [1, 2000], [2, 4000], [3, 8000], [6, 64000], [7, 120000], [20, 120000]];
  for (const [f, want] of cases) assert.equal(backoffDelay(f, { rand: 0 }), want, `failures ${f}`);
  assert.equal(backoffDelay(1, { rand: 0.999 }), Math.round(2000 * 1.1998));
});
