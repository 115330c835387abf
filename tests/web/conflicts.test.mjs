// Lost changes (www/app/data/conflicts.js): a change made here and not yet confirmed that a
// newer version from another device replaces is found, and nothing else is (the echo of our
// own push, a remote copy that loses to a newer local one, a copy of something not changed
// here); the log keeps one entry per item until the user chooses; "use mine" wins again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreCore } from '../../www/app/data/core.js';
import { isLostEdit, lostEdits, readLog, addToLog, removeFromLog, useMine, logKey } from '../../www/app/data/conflicts.js';

/** A pull into `core` the way store.applyRemote does it: the losses it causes. */
function pull(core, kind, items) {
  const before = new Map(items.filter((it) => core.items[kind].has(it.key)).map((it) => [it.key, core.items[kind].get(it.key)]));
  return lostEdits(kind, before, core.applyRemote(kind, items));
}
const edit = (core, kind, item, now) => core.applyLocal(kind, core.prepareLocal(kind, [item], now));

/** localStorage's interface over a Map, for node. */
function memStorage() {
  const m = new Map();
  return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)), removeItem: (k) => m.delete(k), m };
}

test('an offline change that a newer one from another device replaces is found', () => {
  const core = new StoreCore();
  assert.deepEqual(pull(core, 'records', [{ key: 'r', t1: 100, t2: 200, ds: 'first', mt: 100, st: 101 }]), [], 'new to us: nothing lost');
  edit(core, 'records', { key: 'r', t1: 100, t2: 300, ds: 'mine #offline' }, 1000);
  const lost = pull(core, 'records', [{ key: 'r', t1: 100, t2: 200, ds: 'theirs #phone', mt: 1005, st: 1010 }]);
  assert.equal(lost.length, 1);
  assert.equal(lost[0].kind, 'records');
  assert.equal(lost[0].mine.ds, 'mine #offline');
  assert.equal(lost[0].mine.t2, 300);
  assert.equal(lost[0].theirs.ds, 'theirs #phone');
  assert.equal(core.items.records.get('r').ds, 'theirs #phone', 'the newer one is what the store holds');
  // a deletion elsewhere replaces an edit here: lost as well
  edit(core, 'records', { key: 'r', t1: 100, t2: 200, ds: 'edited' }, 2000);
  const del = pull(core, 'records', [{ key: 'r', t1: 100, t2: 200, ds: 'HIDDEN theirs #phone', mt: 2010, st: 2011 }]);
  assert.deepEqual(del.map((l) => [l.mine.ds, l.theirs.ds]), [['edited', 'HIDDEN theirs #phone']]);
  // the same second on both devices: the waiting change here stays (core.js keeps it) and is sent
  edit(core, 'records', { key: 'r', t1: 100, t2: 200, ds: 'same second' }, 3000);
  assert.deepEqual(pull(core, 'records', [{ key: 'r', t1: 100, t2: 200, ds: 'other', mt: 3000, st: 3001 }]), []);
  assert.equal(core.items.records.get('r').ds, 'same second');
});

test('no loss: our own echo, a remote copy older than our change, something we never changed', () => {
  const core = new StoreCore();
  pull(core, 'records', [{ key: 'r', t1: 1, t2: 2, ds: 'a', mt: 10, st: 11 }, { key: 'q', t1: 1, t2: 2, ds: 'q', mt: 10, st: 11 }]);
  edit(core, 'records', { key: 'r', t1: 1, t2: 2, ds: 'pushed' }, 100);
  assert.deepEqual(pull(core, 'records', [{ key: 'r', t1: 1, t2: 2, ds: 'pushed', mt: 100, st: 101 }]), [], 'the echo of our push');
  edit(core, 'records', { key: 'r', t1: 1, t2: 2, ds: 'newest' }, 500);
  assert.deepEqual(pull(core, 'records', [{ key: 'r', t1: 1, t2: 2, ds: 'older', mt: 450, st: 501 }]), [], 'ours is newer and stays');
  assert.equal(core.items.records.get('r').ds, 'newest');
  assert.deepEqual(pull(core, 'records', [{ key: 'q', t1: 1, t2: 2, ds: 'q changed', mt: 600, st: 601 }]), [], 'not changed here');
  assert.equal(isLostEdit(undefined, { st: 1 }), false);
});

test('settings are lost and found the same way', () => {
  const core = new StoreCore();
  edit(core, 'settings', { key: 'taginfo #work', value: { color: '#ff0000', targets: {} } }, 100);
  const lost = pull(core, 'settings', [{ key: 'taginfo #work', value: { color: '#00ff00', targets: {} }, mt: 120, st: 121 }]);
  assert.equal(lost.length, 1);
  assert.deepEqual(lost[0].mine.value, { color: '#ff0000', targets: {} });
  assert.deepEqual(pull(core, 'settings', [{ key: 'taginfo #work', value: { color: '#00ff00', targets: {} }, mt: 120, st: 122 }]), [],
    'the same value again (a later st) is no loss');
});

test('the log: one entry per item, newest first, per user, a month at most', () => {
  const st = memStorage();
  const loss = (key, mt, ds) => ({ kind: 'records', key, mine: { key, t1: 1, t2: 2, ds: 'mine ' + ds, mt: mt - 5, st: 0 }, theirs: { key, t1: 1, t2: 2, ds, mt, st: mt + 1 } });
  addToLog(st, 'ann', [loss('a', 100, 'x')], 1000);
  addToLog(st, 'ann', [loss('b', 200, 'y')], 1100);
  assert.deepEqual(readLog(st, 'ann', 1200).map((e) => e.key), ['b', 'a']);
  assert.deepEqual(readLog(st, 'bob', 1200), [], 'per user');
  addToLog(st, 'ann', [loss('a', 100, 'x')], 1300); // seen again by another tab
  assert.deepEqual(readLog(st, 'ann', 1300).map((e) => [e.key, e.at]), [['b', 1100], ['a', 1000]]);
  addToLog(st, 'ann', [loss('a', 300, 'z')], 1400); // lost again, later
  assert.deepEqual(readLog(st, 'ann', 1400).map((e) => [e.key, e.theirs.ds]), [['a', 'z'], ['b', 'y']]);
  assert.deepEqual(removeFromLog(st, 'ann', 'records', 'a', 1500).map((e) => e.key), ['b']);
  assert.deepEqual(readLog(st, 'ann', 1100 + 31 * 86400), [], 'gone after a month');
  removeFromLog(st, 'ann', 'records', 'b', 1600);
  assert.equal(st.getItem(logKey('ann')), null, 'nothing left behind');
  st.setItem(logKey('ann'), 'not json');
  assert.deepEqual(readLog(st, 'ann', 0), []);
});

test('use mine: the lost version comes back as the newest change', async () => {
  const core = new StoreCore();
  const store = { put: async (kind, items) => core.applyLocal(kind, core.prepareLocal(kind, items, 1100)) };
  pull(core, 'records', [{ key: 'r', t1: 1, t2: 2, ds: 'a', mt: 10, st: 11 }]);
  edit(core, 'records', { key: 'r', t1: 5, t2: 60, ds: 'mine' }, 1000);
  const [e] = pull(core, 'records', [{ key: 'r', t1: 1, t2: 2, ds: 'theirs', mt: 1200, st: 1201 }]);
  await useMine(store, e);
  const r = core.items.records.get('r');
  assert.deepEqual([r.t1, r.t2, r.ds, r.st], [5, 60, 'mine', 0]);
  assert.ok(r.mt >= 1200, 'not older than theirs, so the server takes it');
  assert.ok(core.queue.records.has('r'), 'queued for the push');
});
