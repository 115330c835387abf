// GET updates and PUT forcereset (docs/api.md "GET updates", "PUT forcereset"): the answer's
// shape, st >= since, the server_time rule (never ahead of a write still to come), reset and
// its time, and mt older than the reset failing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { now, storedItem } from '../lib/harness.mjs';
import { waitFor } from '../deploy/lib/proc.mjs';
import { assertError, assertJson, keysOf, put, putOk, rec, serverFixture, setting } from '../lib/apitest.mjs';

const users = { u1: 'p1', u2: 'p2', u3: 'p3', u4: 'p4' };
const S = serverFixture({ users });
const as = async (user) => S.api(await S.token(user));

async function updates(c, since) {
  const body = assertJson(await c.get(`updates?since=${since}`));
  assert.deepEqual(Object.keys(body).sort(), ['records', 'reset', 'server_time', 'settings']);
  assert.equal(typeof body.server_time, 'number');
  assert.equal(typeof body.reset, 'boolean');
  assert.ok(Array.isArray(body.records) && Array.isArray(body.settings));
  return body;
}

test('since=0 returns every record and setting with a server_time of now', async () => {
  const c = await as('u1');
  await putOk(c, 'records', [rec('a', 1, 2, 'x', 1), rec('b', 3, 3, 'run', 1)]);
  await putOk(c, 'settings', [setting('s', 1, 1)]);
  const t0 = now();
  const u = await updates(c, 0);
  assert.deepEqual(keysOf(u.records), ['a', 'b']);
  assert.deepEqual(keysOf(u.settings), ['s']);
  assert.ok(Math.abs(u.server_time - t0) < 5, `server_time ${u.server_time} vs ${t0}`);
  for (const r of u.records) assert.ok(r.st > 0 && r.st <= u.server_time + 1e-6, `st ${r.st} <= server_time ${u.server_time}`);
});

test('items with st >= since are returned: since equal to an st includes that item', async () => {
  const c = await as('u2');
  await putOk(c, 'records', [rec('first', 1, 2, 'x', 1)]);
  const { records: [first] } = await updates(c, 0);
  await waitFor('the clock passes the first st', () => now() > first.st + 0.001);
  await putOk(c, 'records', [rec('second', 1, 2, 'x', 1)]);
  const all = await updates(c, 0);
  const second = all.records.find((r) => r.key === 'second');
  assert.ok(second.st > first.st);
  assert.deepEqual(keysOf((await updates(c, first.st)).records), ['first', 'second']);
  assert.deepEqual(keysOf((await updates(c, second.st)).records), ['second']);
  assert.deepEqual(keysOf((await updates(c, second.st + 0.00001)).records), []);
  // Settings follow the same rule.
  await putOk(c, 'settings', [setting('z', 1, 1)]);
  const z = (await updates(c, 0)).settings.find((s) => s.key === 'z');
  assert.deepEqual(keysOf((await updates(c, z.st)).settings), ['z']);
  assert.deepEqual(keysOf((await updates(c, z.st + 0.00001)).settings), []);
});

test('nothing new: server_time is never ahead of now, nor ahead of since', async () => {
  const c = await as('u2');
  const future = Math.floor(now()) + 100000;
  const a = await updates(c, future);
  assert.deepEqual(a.records, []);
  assert.deepEqual(a.settings, []);
  assert.equal(a.reset, false);
  assert.ok(a.server_time <= now() + 1, `server_time ${a.server_time} is in the future`);
  // Since in the recent past, after the last write: min(since, now) or a locked now; never less than since.
  const u = await updates(c, 0);
  const since = u.server_time;
  const b = await updates(c, since);
  assert.deepEqual(b.records, []);
  assert.ok(b.server_time >= since - 1e-6 && b.server_time <= now() + 1, `${b.server_time} for since ${since}`);
});

test('polling with the last server_time never misses a write', async () => {
  const c = await as('u3');
  let since = 0;
  const seen = new Map();
  for (let i = 0; i < 40; i++) {
    await putOk(c, 'records', [rec(`p${i}`, 1, 2, `v${i}`, 1)]);
    if (i % 3 === 0) await putOk(c, 'records', [rec('shared', 1, 2, `v${i}`, i + 1)]);
    const u = await updates(c, since);
    for (const r of u.records) seen.set(r.key, r);
    since = u.server_time;
  }
  const final = await updates(c, since);
  for (const r of final.records) seen.set(r.key, r);
  for (let i = 0; i < 40; i++) assert.ok(seen.has(`p${i}`), `p${i} seen`);
  assert.equal(seen.get('shared').ds, 'v39');
});

test('forcereset: {"status": "ok"}; a since at or before it gets reset and everything', async () => {
  const c = await as('u4');
  await putOk(c, 'records', [rec('old1', 1, 2, 'x', 1), rec('old2', 5, 6, 'y', 1)]);
  await putOk(c, 'settings', [setting('olds', 1, 1)]);
  const before = await updates(c, 0);
  const sinceBefore = before.server_time;
  await waitFor('the clock passes that server_time', () => now() > sinceBefore + 0.001);
  const fr = assertJson(await c.put('forcereset', ''));
  assert.deepEqual(fr, { status: 'ok' });
  const after = await updates(c, sinceBefore);
  assert.equal(after.reset, true);
  assert.deepEqual(keysOf(after.records), ['old1', 'old2'], 'every item, also those older than since');
  assert.deepEqual(keysOf(after.settings), ['olds']);
  // The reset time is kept in userinfo; a since exactly at it still resets, just after it does not.
  const { ob } = storedItem(S.server, 'u4', 'userinfo', 'reset_time');
  const resetTime = JSON.parse(ob).value;
  assert.equal(typeof resetTime, 'number');
  assert.ok(resetTime > sinceBefore && resetTime <= now() + 1, `reset_time ${resetTime}`);
  assert.equal((await updates(c, resetTime)).reset, true, 'since == reset time');
  assert.equal((await updates(c, resetTime - 1)).reset, true, 'since before reset time');
  assert.equal((await updates(c, 0)).reset, true, 'since 0');
  const later = await updates(c, resetTime + 0.001);
  assert.equal(later.reset, false);
  assert.deepEqual(later.records, []);
  assert.equal((await updates(c, after.server_time)).reset, false, 'the server_time of the reset answer moves past it');
});

test('after a forcereset, items with an mt older than it fail; newer ones are fine', async () => {
  const c = await as('u4');
  assertJson(await c.put('forcereset', ''));
  const t = Math.floor(now());
  const body = await put(c, 'records', [rec('stale', 1, 2, 'x', t - 3600), rec('fresh', 1, 2, 'x', t + 5)]);
  assert.deepEqual(body.accepted, ['fresh']);
  assert.deepEqual(body.failed, ['stale']);
  assert.deepEqual(body.errors, ['Item was modified after a reset'], 'TimeTagger\'s text');
  const sb = await put(c, 'settings', [setting('stale', 1, t - 3600), setting('fresh', 1, t + 5)]);
  assert.deepEqual(sb.accepted, ['fresh']);
  assert.deepEqual(sb.failed, ['stale']);
  assert.deepEqual(sb.errors, ['Item was modified after a reset']);
});

test('forcereset with a body or a query is the same; GET is 405', async () => {
  const c = await as('u4');
  assertJson(await c.put('forcereset', '{}'));
  assertJson(await c.put('forcereset?x=1', ''));
  assertError(await c.get('forcereset'), 405, { exact: 'method not allowed: /forcereset can only be used with PUT' });
});

test('a reset of one user leaves other users alone', async () => {
  const c1 = await as('u1');
  const before = await updates(c1, 1);
  assert.equal(before.reset, false);
  const c4 = await as('u4');
  assertJson(await c4.put('forcereset', ''));
  assert.equal((await updates(c1, 1)).reset, false);
});
