// The in-memory store: local edits, remote items, queue and requeue, drops, range queries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreCore } from '../../www/app/data/core.js';

const r = (key, t1, t2, extra = {}) => ({ key, t1, t2, ds: '#a', ...extra });

test('local edits are stamped, stored, queued and counted as pending', () => {
  const c = new StoreCore();
  const items = c.prepareLocal('records', [r('a', 10, 20), { key: 'bad' }], 1000.7);
  assert.equal(items.length, 1);
  assert.equal(items[0].mt, 1000);
  assert.equal(items[0].st, 0);
  c.applyLocal('records', items);
  assert.equal(c.pendingCount(), 1);
  assert.deepEqual(c.takeQueue('records').map((x) => x.key), ['a']);
  assert.equal(c.queuedCount(), 0);
  // the echo of the push clears the pending mark
  c.applyRemote('records', [{ ...items[0], st: 2000.5 }]);
  assert.equal(c.pendingCount(), 0);
  assert.equal(c.items.records.get('a').st, 2000.5);
});

test('a local edit never gets an mt below the copy it edits', () => {
  const c = new StoreCore();
  c.applyRemote('records', [{ ...r('a', 1, 2), mt: 5000, st: 1 }]); // from a device whose clock runs ahead
  const [it] = c.prepareLocal('records', [r('a', 1, 3)], 1000);
  assert.equal(it.mt, 5000);
  assert.equal(c.applyLocal('records', [it]).length, 1);
});

test('remote items follow the merge rule', () => {
  const c = new StoreCore();
  c.applyLocal('records', c.prepareLocal('records', [r('a', 1, 2)], 100));
  assert.equal(c.applyRemote('records', [{ ...r('a', 5, 6), mt: 99, st: 3 }]).length, 0); // older: local stays
  assert.equal(c.items.records.get('a').t1, 1);
  assert.equal(c.applyRemote('records', [{ ...r('a', 5, 6), mt: 101, st: 3 }]).length, 1); // newer
  assert.equal(c.items.records.get('a').t1, 5);
  assert.equal(c.queuedCount(), 0, 'a newer server copy replaces the queued edit');
  assert.equal(c.applyRemote('records', [{ ...r('a', 7, 8), mt: 90, st: 4 }]).length, 1); // later st wins
  assert.equal(c.applyRemote('records', [{ ...r('a', 9, 9), mt: 200, st: 3.5 }]).length, 0);
});

test('an edit made while its earlier version is in flight survives the echo', () => {
  const c = new StoreCore();
  const [v1] = c.prepareLocal('records', [r('a', 1, 2)], 100);
  c.applyLocal('records', [v1]);
  c.takeQueue('records'); // pushing v1
  const [v2] = c.prepareLocal('records', [r('a', 1, 50)], 100.5); // same second
  c.applyLocal('records', [v2]);
  c.applyRemote('records', [{ ...v1, st: 7 }]); // the echo of v1
  assert.equal(c.items.records.get('a').t2, 50);
  assert.equal(c.queuedCount(), 1);
});

test('requeue keeps newer queued edits; drop removes', () => {
  const c = new StoreCore();
  const [v1] = c.prepareLocal('records', [r('a', 1, 2)], 100);
  c.applyLocal('records', [v1]);
  const taken = c.takeQueue('records');
  const [v2] = c.prepareLocal('records', [r('a', 1, 3)], 105);
  c.applyLocal('records', [v2]);
  c.requeue('records', taken);
  assert.equal(c.queue.records.get('a').mt, 105);
  c.drop('records', ['a']);
  assert.equal(c.items.records.size, 0);
  assert.equal(c.pendingCount(), 0);
});

test('requeueUnsynced after a reload', () => {
  const c = new StoreCore();
  c.applyForced('records', [{ ...r('a', 1, 2), mt: 1, st: 0 }, { ...r('b', 1, 2), mt: 1, st: 5 }]);
  c.applyForced('settings', [{ key: 's', value: 1, mt: 1, st: 0 }]);
  c.requeueUnsynced();
  assert.deepEqual(c.takeQueue('records').map((x) => x.key), ['a']);
  assert.deepEqual(c.takeQueue('settings').map((x) => x.key), ['s']);
});

test('queryRecords: overlap, running, hidden', () => {
  const c = new StoreCore();
  c.applyForced('records', [
    { ...r('long', 0, 1000), mt: 1, st: 1 },
    { ...r('in', 400, 500), mt: 1, st: 1 },
    { ...r('after', 2000, 2100), mt: 1, st: 1 },
    { ...r('run', 100, 100), mt: 1, st: 1 },
    { ...r('hid', 450, 460), ds: 'HIDDEN #a', mt: 1, st: 1 },
    { ...r('edge', 300, 350), mt: 1, st: 1 },
  ]);
  const keys = (t1, t2, now, o) => c.queryRecords(t1, t2, now, o).map((x) => x.key).sort();
  assert.deepEqual(keys(420, 430, 5000), ['in', 'long', 'run']);
  assert.deepEqual(keys(420, 430, 50), ['in', 'long']);         // "now" before the running one started
  assert.deepEqual(keys(350, 350, 5000), ['edge', 'long', 'run']);
  assert.deepEqual(keys(420, 470, 5000, { hidden: true }), ['hid', 'in', 'long', 'run']);
  assert.deepEqual(keys(1500, 1600, 5000), ['run']);
  assert.deepEqual(c.runningRecords().map((x) => x.key), ['run']);
  assert.equal(c.allRecords().length, 5);
});

test('queryRecords over 10,000 records is fast', () => {
  const c = new StoreCore();
  const items = [];
  for (let i = 0; i < 10000; i++) items.push({ key: 'k' + i, t1: i * 3600, t2: i * 3600 + 1800, mt: 1, st: 1, ds: '#x' });
  c.applyForced('records', items);
  c.queryRecords(0, 1, 0);
  const t0 = performance.now();
  for (let i = 0; i < 1000; i++) c.queryRecords(i * 3600, i * 3600 + 86400, 0);
  assert.ok(performance.now() - t0 < 200);
  assert.equal(c.queryRecords(3600, 3600 + 86400, 0).length, 25);
});
