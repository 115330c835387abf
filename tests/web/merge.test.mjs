// The st/mt merge rule (docs/timetagger-client.md §3) and item validation, table-driven.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';

// Node 18 has Web Crypto only as crypto.webcrypto; the browser (and Node 19+) as a global
if (!globalThis.crypto) globalThis.crypto = webcrypto;
import { isNewer, validateRecord, validateSetting, newKey } from '../../www/app/data/merge.js';

test('merge rule', () => {
  const cases = [
    // incoming, current, accept?
    [{ mt: 1, st: 0 }, undefined, true],
    [{ mt: 5, st: 10 }, { mt: 9, st: 9 }, true],     // both acknowledged: st decides
    [{ mt: 9, st: 9 }, { mt: 5, st: 10 }, false],
    [{ mt: 9, st: 10 }, { mt: 9, st: 10 }, false],   // same st: an echo of what we have
    [{ mt: 9, st: 10 }, { mt: 9, st: 0 }, true],     // echo of our own push replaces the local copy
    [{ mt: 8, st: 10 }, { mt: 9, st: 0 }, false],    // unpushed newer local edit stays
    [{ mt: 9, st: 0 }, { mt: 9, st: 10 }, true],     // equal mt: incoming wins
    [{ mt: 8, st: 0 }, { mt: 9, st: 10 }, false],
    [{ mt: 10, st: 0 }, { mt: 9, st: 0 }, true],
  ];
  for (const [inc, cur, want] of cases) assert.equal(isNewer(inc, cur), want, JSON.stringify([inc, cur]));
});

test('validateRecord', () => {
  assert.deepEqual(validateRecord({ key: 'k', t1: 10, t2: 5, mt: 1.7, ds: ' x' }), { key: 'k', t1: 5, t2: 10, mt: 1, st: 0, ds: 'x' });
  assert.deepEqual(validateRecord({ key: 'k', t1: '10', t2: '20', mt: 3, st: 4.5 }), { key: 'k', t1: 10, t2: 20, mt: 3, st: 4.5 });
  const bad = [null, {}, { key: '', t1: 1, t2: 1, mt: 1 }, { key: 'k', t1: 'x', t2: 1, mt: 1 },
    { key: 'k', t1: 1, t2: 1 }, { key: 'k', t1: 1, t2: 1, mt: 1, ds: 5 }, { key: 'k', t1: NaN, t2: 1, mt: 1 }];
  for (const b of bad) assert.equal(validateRecord(b), null, JSON.stringify(b));
  assert.equal(validateRecord({ key: 'k', t1: 1, t2: 2, mt: 1, ds: '' }).ds, undefined);
});

test('validateSetting', () => {
  assert.deepEqual(validateSetting({ key: 'workdays', value: 2, mt: 5 }), { key: 'workdays', value: 2, mt: 5, st: 0 });
  assert.equal(validateSetting({ key: 'x', mt: 1 }), null);
  assert.equal(validateSetting({ key: 'x', value: 'a'.repeat(9000), mt: 1 }), null);
  assert.deepEqual(validateSetting({ key: 'x', value: null, mt: 1 }).value, null);
});

test('newKey: 8 letters, random', () => {
  const keys = new Set();
  for (let i = 0; i < 200; i++) {
    const k = newKey();
    assert.match(k, /^[a-zA-Z]{8}$/);
    keys.add(k);
  }
  assert.equal(keys.size, 200);
});
