// PUT and GET records (docs/api.md "Objects", "Storing", "Queries"): validation of every field
// with its coercions and limits, unknown fields dropped, the merge rule, st stamping, SQL-like
// text, and the timerange/running/hidden/tag filters checked against a model of the rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonNumber, now, parseExact, sqlite, storedItem, userFile } from '../lib/harness.mjs';
import { assertError, assertJson, byKey, getRecords, keysOf, put, putOk, rec, serverFixture } from '../lib/apitest.mjs';

const users = Object.fromEntries(['val', 'merge', 'filter', 'tags', 'sql', 'stamp', 'bulk'].map((u) => [u, `pw-${u}`]));
const S = serverFixture({ users });
const as = async (user) => S.api(await S.token(user));

// Every record of the user, parsed with numbers kept as text.
async function allRecords(client) {
  const a = await client.get('updates?since=0');
  assertJson(a);
  return byKey(parseExact(a.text).records);
}
const num = (text) => new JsonNumber(text);

// --- validation ----------------------------------------------------------------------------

const base = { t1: 100, t2: 200, mt: 100, st: 0, ds: 'x' };
// [name, raw item JSON text (with $K for the key) or object, expected stored fields or 'failed']
const coerced = [
  ['float t1 is truncated', { t1: 100.9 }, { t1: '100' }],
  ['negative float is truncated toward zero', { t1: -5.7, t2: -1 }, { t1: '-5', t2: '-1' }],
  ['-0.5 becomes 0', { t1: -0.5 }, { t1: '0' }],
  ['0.5 becomes 0', { t1: 0.5 }, { t1: '0' }],
  ['exponent number', { t2: 1.5e3 }, { t2: '1500' }],
  ['string integer', { t1: '1234' }, { t1: '1234' }],
  ['string with plus sign', { t1: '+1234' }, { t1: '1234' }],
  ['string with minus sign', { t1: '-12', t2: '-3' }, { t1: '-12', t2: '-3' }],
  ['string with leading zeros', { t1: '007' }, { t1: '7' }],
  ['string mt', { mt: '5' }, { mt: '5' }],
  ['largest 64-bit string', { t2: '9223372036854775807' }, { t2: '9223372036854775807' }],
  ['smallest 64-bit string', { t1: '-9223372036854775808' }, { t1: '-9223372036854775808' }],
  ['largest 64-bit number', '{"key": "$K", "t1": 100, "t2": 9223372036854775807, "mt": 100, "st": 0, "ds": "x"}',
    { t2: '9223372036854775807' }],
  ['integral float', '{"key": "$K", "t1": 100.0, "t2": 200, "mt": 1E2, "st": 0, "ds": "x"}', { t1: '100', mt: '100' }],
  ['empty ds', { ds: '' }, { ds: '' }],
  ['ds of 255 code points', { ds: 'd'.repeat(255) }, { ds: 'd'.repeat(255) }],
  ['ds of 255 emoji (4 bytes each)', { ds: '😀'.repeat(255) }, { ds: '😀'.repeat(255) }],
  ['ds of 255 two-byte characters', { ds: 'é'.repeat(255) }, { ds: 'é'.repeat(255) }],
  ['no ds at all', { ds: undefined }, { ds: undefined }],
  ['st sent by the client is ignored', { st: 12345 }, {}],
];
const failing = [
  ['t1 true', { t1: true }], ['t1 false', { t1: false }], ['t1 null', { t1: null }], ['t1 "1.5"', { t1: '1.5' }],
  ['t1 "abc"', { t1: 'abc' }], ['t1 ""', { t1: '' }], ['t1 "1e3"', { t1: '1e3' }], ['t1 "0x10"', { t1: '0x10' }],
  ['t1 "12abc"', { t1: '12abc' }], ['t1 []', { t1: [] }], ['t1 {}', { t1: {} }], ['t1 [5]', { t1: [5] }],
  ['t1 beyond 64 bits as string', { t1: '9223372036854775808' }],
  ['t1 below 64 bits as string', { t1: '-9223372036854775809' }],
  ['t1 huge digit string', { t1: '9'.repeat(400) }],
  ['t1 1e19', { t1: 1e19 }], ['t1 -1e19', { t1: -1e19 }], ['t1 1e300', { t1: 1e300 }],
  ['t1 beyond 64 bits as number', '{"key": "$K", "t1": 9223372036854775808, "t2": 200, "mt": 100, "st": 0}'],
  ['t1 below 64 bits as number', '{"key": "$K", "t1": -9223372036854775809, "t2": 200, "mt": 100, "st": 0}'],
  ['t2 below 64 bits as number', '{"key": "$K", "t1": 100, "t2": -9223372036854775809, "mt": 100, "st": 0}'],
  ['mt below 64 bits as number', '{"key": "$K", "t1": 100, "t2": 200, "mt": -9223372036854775809, "st": 0}'],
  ['t1 far below 64 bits as number', '{"key": "$K", "t1": -99999999999999999999999, "t2": 200, "mt": 100, "st": 0}'],
  ['mt beyond 64 bits as number', '{"key": "$K", "t1": 100, "t2": 200, "mt": 18446744073709551616, "st": 0}'],
  ['t1 1e400', '{"key": "$K", "t1": 1e400, "t2": 200, "mt": 100, "st": 0}'],
  ['t2 false', { t2: false }], ['mt null', { mt: null }], ['mt "x"', { mt: 'x' }], ['mt 1e20', { mt: 1e20 }],
  ['t1 missing', { t1: undefined }], ['t2 missing', { t2: undefined }], ['mt missing', { mt: undefined }],
  ['ds number', { ds: 5 }], ['ds null', { ds: null }], ['ds list', { ds: ['x'] }], ['ds object', { ds: { a: 1 } }],
  ['ds true', { ds: true }], ['ds of 256 code points', { ds: 'd'.repeat(256) }],
  ['ds of 256 emoji', { ds: '😀'.repeat(256) }], ['ds of 256 two-byte characters', { ds: 'é'.repeat(256) }],
  ['ds of a million characters', { ds: 'x'.repeat(1000000) }],
];

let n = 0;
const newKey = () => `v${Date.now().toString(36)}${(n++).toString(36)}`;

function itemText(spec, key) {
  if (typeof spec === 'string') return spec.replace('$K', key);
  const item = { key, ...base };
  for (const [k, v] of Object.entries(spec)) {
    if (v === undefined) delete item[k];
    else item[k] = v;
  }
  return JSON.stringify(item);
}

for (const [name, spec, want] of coerced) {
  test(`PUT records accepts: ${name}`, async () => {
    const c = await as('val');
    const key = newKey();
    const body = await put(c, 'records', `[${itemText(spec, key)}]`);
    assert.deepEqual(body, { accepted: [key], failed: [], errors: [] });
    const stored = (await allRecords(c))[key];
    assert.ok(stored, 'stored');
    const expected = { key, t1: num('100'), t2: num('200'), mt: num('100'), ds: 'x' };
    for (const [k, v] of Object.entries(want)) {
      if (v === undefined) delete expected[k];
      else expected[k] = typeof v === 'string' && ['t1', 't2', 'mt'].includes(k) ? num(v) : v;
    }
    assert.ok(stored.st instanceof JsonNumber, 'st is a number');
    assert.ok(Math.abs(Number(stored.st.text) - now()) < 60, `st ${stored.st.text} is the server's time`);
    const { st, ...rest } = stored;
    assert.deepEqual(rest, expected);
  });
}

for (const [name, spec] of failing) {
  test(`PUT records fails the item: ${name}`, async () => {
    const c = await as('val');
    const key = newKey();
    const body = await put(c, 'records', `[${itemText(spec, key)}]`);
    assert.deepEqual(body.accepted, []);
    assert.deepEqual(body.failed, [key]);
    assert.equal(body.errors.length, 1);
    assert.equal(typeof body.errors[0], 'string');
    assert.ok(body.errors[0].length > 0 && body.errors[0].length < 1000, body.errors[0]);
    assert.equal((await allRecords(c))[key], undefined, 'not stored');
  });
}

test('PUT records: integers outside signed 64 bits fail their item, never clamped; the rest of the batch is stored', async () => {
  const c = await as('val');
  const [k1, k2, k3, k4, k5] = [newKey(), newKey(), newKey(), newKey(), newKey()];
  const body = await put(c, 'records', `[${itemText({}, k1)}, `
    + `{"key": "${k2}", "t1": -9223372036854775809, "t2": 200, "mt": 100},`
    + `{"key": "${k3}", "t1": 100, "t2": 9223372036854775808, "mt": 100},`
    + `{"key": "${k4}", "t1": -9223372036854775808, "t2": 9223372036854775807, "mt": 100},`
    + `${itemText({}, k5)}]`);
  assert.deepEqual(body.accepted, [k1, k4, k5]);
  assert.deepEqual(body.failed, [k2, k3]);
  assert.equal(body.errors.length, 2);
  const stored = await allRecords(c);
  assert.equal(stored[k2], undefined);
  assert.equal(stored[k3], undefined);
  assert.equal(stored[k4].t1.text, '-9223372036854775808');
  assert.equal(stored[k4].t2.text, '9223372036854775807');
  assert.ok(stored[k1] && stored[k5]);
});

test('PUT records: a key or ds of 256 characters or more fails with TimeTagger\'s text', async () => {
  const c = await as('val');
  const [k1, k2] = [newKey(), newKey()];
  const longKey = 'é'.repeat(256);
  const body = await put(c, 'records', [{ key: k1, ...base, ds: '😀'.repeat(256) }, { key: longKey, ...base },
    { key: k2, ...base }]);
  assert.deepEqual(body.accepted, [k2]);
  assert.deepEqual(body.failed, [k1, longKey]);
  assert.deepEqual(body.errors, ['String values must be less than 256 chars.', 'String values must be less than 256 chars.']);
});

test('PUT records: a NaN literal never gets stored (400 for the body, or the item fails)', async () => {
  const c = await as('val');
  const key = newKey();
  const a = await c.put('records', `[{"key": "${key}", "t1": NaN, "t2": 200, "mt": 100, "st": 0}]`);
  if (a.status === 400) assertError(a, 400, { prefix: 'bad request:' });
  else assert.deepEqual(assertJson(a).failed, [key]);
  assert.equal((await allRecords(c))[key], undefined);
});

test('PUT records: items without a string key are skipped with an error, not listed as failed', async () => {
  const c = await as('val');
  const skipped = ['5', '"x"', 'null', '[]', 'true', '{}', '{"key": 5, "t1": 1, "t2": 2, "mt": 1}',
    '{"key": null, "t1": 1, "t2": 2, "mt": 1}', '{"key": ["a"], "t1": 1, "t2": 2, "mt": 1}', '{"t1": 1, "t2": 2, "mt": 1}'];
  for (const s of skipped) {
    const body = await put(c, 'records', `[${s}]`);
    assert.deepEqual(body.accepted, [], s);
    assert.deepEqual(body.failed, [], s);
    assert.equal(body.errors.length, 1, s);
    assert.equal(typeof body.errors[0], 'string');
  }
  // Mixed with good and failing items: counts add up, the good ones are stored.
  const k1 = newKey();
  const k2 = newKey();
  const body = await put(c, 'records', `[5, ${itemText({}, k1)}, {"t1": 1}, ${itemText({ t1: 'bad' }, k2)}]`);
  assert.deepEqual(body.accepted, [k1]);
  assert.deepEqual(body.failed, [k2]);
  assert.equal(body.errors.length, 3);
  assert.ok((await allRecords(c))[k1]);
});

test('PUT records: errors in the order of failed, then one per item without a key; TimeTagger\'s texts', async () => {
  const c = await as('val');
  const [k1, k2, k3, k4] = [newKey(), newKey(), newKey(), newKey()];
  const body = await put(c, 'records', `[5, ${itemText({ t2: undefined }, k1)}, {"t1": 1}, ${itemText({}, k2)}, `
    + `${itemText({ t1: undefined, t2: undefined, mt: undefined }, k3)}, ${itemText({ ds: 'x'.repeat(300) }, k4)}, null]`);
  assert.deepEqual(body.accepted, [k2]);
  assert.deepEqual(body.failed, [k1, k3, k4]);
  assert.deepEqual(body.errors, [
    "A records is missing required fields: {'t2'}",
    "A records is missing required fields: {'mt', 't1', 't2'}",
    'String values must be less than 256 chars.',
    "Got item that is not a dict with str 'key' field.",
    "Got item that is not a dict with str 'key' field.",
    "Got item that is not a dict with str 'key' field.",
  ]);
});

test('PUT records: an empty key fails the item (listed as failed with its key "")', async () => {
  const c = await as('val');
  const body = await put(c, 'records', [{ key: '', ...base }]);
  assert.deepEqual(body.accepted, []);
  assert.deepEqual(body.failed, ['']);
  assert.equal(body.errors.length, 1);
});

test('PUT records: key length counts code points (255 ok, 256 fails)', async () => {
  const c = await as('val');
  for (const ch of ['k', 'é', '😀']) {
    const ok = ch.repeat(255);
    const bad = ch.repeat(256);
    const body = await put(c, 'records', [{ key: ok, ...base }, { key: bad, ...base }]);
    assert.deepEqual(body.accepted, [ok], ch);
    assert.deepEqual(body.failed, [bad], ch);
    assert.ok((await allRecords(c))[ok]);
  }
  const huge = 'k'.repeat(100000);
  const body = await put(c, 'records', [{ key: huge, ...base }]);
  assert.deepEqual(body.accepted, []);
  assert.equal(body.failed.length + body.errors.length >= 1, true);
});

test('PUT records: unknown fields are dropped, the server sets st', async () => {
  const c = await as('val');
  const key = newKey();
  await putOk(c, 'records', [{ key, ...base, foo: 'bar', _ob: 'x', value: 5, nested: { a: [1] }, st: 99, ' key': 'y' }]);
  const stored = (await allRecords(c))[key];
  assert.deepEqual(Object.keys(stored).sort(), ['ds', 'key', 'mt', 'st', 't1', 't2']);
  assert.notEqual(stored.st.text, '99');
});

test('PUT records: [] is a 200 with empty lists; a plain-text Content-Type is fine', async () => {
  const c = await as('val');
  assert.deepEqual(await put(c, 'records', '[]'), { accepted: [], failed: [], errors: [] });
  const key = newKey();
  const a = await c.put('records', [{ key, ...base }], { headers: { 'content-type': 'text/plain' } });
  assert.deepEqual(assertJson(a).accepted, [key]);
});

test('PUT records: deeply nested or odd JSON is a 400 or a skipped item, never a crash', async () => {
  const c = await as('val');
  for (const body of ['['.repeat(100000) + ']'.repeat(100000), `[${'{"a":'.repeat(50000)}1${'}'.repeat(50000)}]`,
    '[{"key": "a", "t1": 1, "t2": 2, "mt": 1, "ds": "\\ud800"}]', '[{"key": "\\u0000", "t1": 1, "t2": 2, "mt": 1}]',
    Buffer.from([0x5b, 0x22, 0xff, 0xfe, 0x22, 0x5d]), '[{"key": "dup", "key": "dup2", "t1": 1, "t2": 2, "mt": 1}]']) {
    const a = await c.put('records', body);
    assert.ok(a.status === 200 || a.status === 400, `${a.status} ${a.text.slice(0, 200)}`);
    if (a.status === 400) assertError(a, 400, { prefix: 'bad request:' });
  }
  assertJson(await c.get('version'));
});

// --- storing ---------------------------------------------------------------------------------

test('merge rule: a larger stored mt wins, an equal mt lets the incoming one win', async () => {
  const c = await as('merge');
  const get = async () => (await allRecords(c)).m1;
  await putOk(c, 'records', [rec('m1', 10, 20, 'A', 100)]);
  assert.equal((await get()).ds, 'A');
  let body = await put(c, 'records', [rec('m1', 10, 20, 'B', 50)]);
  assert.deepEqual(body.accepted, ['m1'], 'an older item is still accepted');
  assert.equal((await get()).ds, 'A', 'older mt loses');
  await putOk(c, 'records', [rec('m1', 10, 30, 'C', 100)]);
  assert.equal((await get()).ds, 'C', 'equal mt: incoming wins');
  assert.equal((await get()).t2.text, '30');
  await putOk(c, 'records', [rec('m1', 10, 40, 'D', 101)]);
  assert.equal((await get()).ds, 'D');
  // A record without ds replaces one with ds (the whole item is replaced, not merged by field).
  body = await putOk(c, 'records', [rec('m1', 10, 40, undefined, 102)]);
  assert.equal((await get()).ds, undefined);
});

test('the same key twice in one request: the later one is merged against the earlier', async () => {
  const c = await as('merge');
  await put(c, 'records', [rec('d1', 1, 2, 'first', 10), rec('d1', 1, 2, 'second', 5)]);
  assert.equal((await allRecords(c)).d1.ds, 'first');
  await put(c, 'records', [rec('d2', 1, 2, 'first', 5), rec('d2', 1, 2, 'second', 10)]);
  assert.equal((await allRecords(c)).d2.ds, 'second');
  await put(c, 'records', [rec('d3', 1, 2, 'first', 5), rec('d3', 1, 2, 'second', 5)]);
  assert.equal((await allRecords(c)).d3.ds, 'second');
  // A failing later copy does not undo the earlier one.
  await put(c, 'records', [rec('d4', 1, 2, 'good', 5), { ...rec('d4', 1, 2, 'bad', 6), t1: 'x' }]);
  assert.equal((await allRecords(c)).d4.ds, 'good');
});

test('st: strictly increasing on every write of a key, by at least 0.0001', async () => {
  const c = await as('stamp');
  let prev = -Infinity;
  for (let i = 0; i < 30; i++) {
    await putOk(c, 'records', [rec('s1', 1, 2, `v${i}`, 100 + i)]);
    const st = Number((await allRecords(c)).s1.st.text);
    assert.ok(st >= prev + 0.0001 - 1e-7, `write ${i}: st ${st} after ${prev}`);
    prev = st;
  }
});

test('st: a losing write and a failed write of an existing key still stamp it anew', async () => {
  const c = await as('stamp');
  await putOk(c, 'records', [rec('s2', 1, 2, 'keep', 1000)]);
  const st0 = Number((await allRecords(c)).s2.st.text);
  await put(c, 'records', [rec('s2', 1, 2, 'older', 10)]);
  const r1 = (await allRecords(c)).s2;
  assert.equal(r1.ds, 'keep');
  assert.ok(Number(r1.st.text) > st0, 'losing write: new st');
  const body = await put(c, 'records', [{ ...rec('s2', 1, 2, 'bad', 2000), t1: 'nope' }]);
  assert.deepEqual(body.failed, ['s2']);
  const r2 = (await allRecords(c)).s2;
  assert.equal(r2.ds, 'keep');
  assert.ok(Number(r2.st.text) > Number(r1.st.text), 'failed write of an existing key: new st');
  // A failed write of a key that does not exist stores nothing.
  await put(c, 'records', [{ ...rec('s3', 1, 2, 'bad', 1), t1: 'nope' }]);
  assert.equal((await allRecords(c)).s3, undefined);
});

test('a stored item comes back as its stored JSON text, byte for byte', async () => {
  const c = await as('stamp');
  await putOk(c, 'records', [rec('raw1', 1.7, '2', 'é "quoted" \\ back\tslash 😀 \u2028', 5)]);
  const stored = storedItem(S.server, 'stamp', 'records', 'raw1');
  assert.ok(stored, 'stored');
  const { ob } = stored;
  const a = await c.get('records?timerange=0-10');
  assert.ok(a.text.includes(ob), `${ob} not found verbatim in ${a.text.slice(0, 500)}`);
  const b = await c.get('updates?since=0');
  assert.ok(b.text.includes(ob));
  // The item as TimeTagger writes it: its fields, and the indexed columns repeat them.
  const parsed = JSON.parse(ob);
  assert.equal(parsed.t1, 1);
  assert.equal(parsed.t2, 2);
  assert.deepEqual([stored.t1, stored.t2, Number(stored.st)], ['1', '2', parsed.st]);
});

test('SQL-like text in keys, descriptions and tags is stored and found literally', async () => {
  const c = await as('sql');
  const nasty = ["'; DROP TABLE records; --", '" OR 1=1 --', "a'b", 'x%y', 'x_y', 'back\\slash', 'nul\u0000in', 'tab\there',
    "Robert'); DELETE FROM userinfo;--", '*', '%', '_'];
  const items = nasty.map((s, i) => rec(s, 1000 + i, 1001 + i, `#t${i} ${s} #q'--`, 5));
  await putOk(c, 'records', items);
  const got = byKey(await getRecords(c, 'timerange=0-5000'));
  for (const s of nasty) {
    assert.ok(got[s], `key ${JSON.stringify(s)}`);
    assert.equal(got[s].ds, `#t${nasty.indexOf(s)} ${s} #q'--`);
  }
  assert.equal(Object.keys(got).length, nasty.length);
  // The tables are intact.
  if (S.server.database) {
    assert.deepEqual((await S.server.database.psql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'tagwatch' AND table_name IN ('records', 'settings', 'userinfo') ORDER BY 1")).flat(), ['records', 'settings', 'userinfo']);
  } else {
    const file = userFile(S.server.datadir, 'sql');
    assert.deepEqual(sqlite(file, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"), ['records', 'settings', 'userinfo']);
  }
  // (Text after a NUL is invisible to SQLite's LIKE, in TimeTagger too: that one is left out.)
  assert.deepEqual(keysOf(await getRecords(c, `timerange=0-5000&tag=${encodeURIComponent("q'--")}`)),
    nasty.filter((k) => !k.includes('\u0000')).sort());
});

test('a PUT of 2000 records in one request is stored whole', async () => {
  const c = await as('bulk');
  const items = Array.from({ length: 2000 }, (_, i) => rec(`b${i}`, 10000 + i * 10, 10005 + i * 10, `#bulk item ${i}`, 7));
  const body = await putOk(c, 'records', items);
  assert.equal(body.accepted.length, 2000);
  const got = await getRecords(c, 'timerange=0-99999999');
  assert.equal(got.length, 2000);
});

// --- queries ---------------------------------------------------------------------------------

// The rules of docs/api.md "Queries", written out, to compare the server with.
const truthy = (v) => !['false', 'off', 'no', 'n', '0'].includes(v.toLowerCase());
const asciiLower = (s) => s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
function model(records, { A, B, running, hidden, tag }) {
  const a = Math.trunc(A);
  const b = Math.trunc(B);
  return records.filter((r) => {
    if (!((r.t2 >= a && r.t1 <= b) || (r.t1 === r.t2 && r.t1 <= b))) return false;
    if (running !== undefined && running !== '' && truthy(running) !== (r.t1 === r.t2)) return false;
    const isHidden = typeof r.ds === 'string' && asciiLower(r.ds).startsWith('hidden');
    if (hidden !== undefined && hidden !== '' && truthy(hidden) !== isHidden) return false;
    if (tag !== undefined && tag !== '') {
      const ds = asciiLower(r.ds ?? '');
      for (let t of tag.split(',')) {
        if (t === '') continue;
        t = `#${asciiLower(t.replace(/^#/, ''))}`;
        let ok = false;
        for (let i = ds.indexOf(t); i >= 0; i = ds.indexOf(t, i + 1)) {
          const next = ds[i + t.length];
          if (next === undefined || next === ' ') ok = true;
        }
        if (!ok) return false;
      }
    }
    return true;
  }).map((r) => r.key).sort();
}

const filterSet = [
  rec('R1', 100, 200, '#a #b', 1), rec('R2', 300, 300, 'run #a', 1), rec('R3', 50, 400, 'HIDDEN x', 1),
  rec('R4', 500, 600, undefined, 1), rec('R5', 700, 800, 'hidden lower #b', 1), rec('R6', 900, 950, '', 1),
  rec('R7', 1000, 1000, 'HiDdEn run', 1), rec('R8', 600, 600, 'running at 600', 1), rec('R9', 0, 0, 'at zero', 1),
  rec('R10', 2000, 3000, 'xHIDDEN not hidden', 1),
];

test('timerange: hand-checked cases', async () => {
  const c = await as('filter');
  await putOk(c, 'records', filterSet);
  const q = async (range) => keysOf(await getRecords(c, `timerange=${range}`));
  assert.deepEqual(await q('150-160'), ['R1', 'R3', 'R9']);
  assert.deepEqual(await q('0-99'), ['R3', 'R9']);
  assert.deepEqual(await q('1000-1500'), ['R2', 'R7', 'R8', 'R9']);
  assert.deepEqual(await q('150-150'), ['R1', 'R3', 'R9']);
  assert.deepEqual(await q('180-120'), ['R1', 'R3', 'R9'], 'A > B: records that span the whole range');
  assert.deepEqual(await q('600.5-650'), ['R2', 'R4', 'R8', 'R9'], 'fractions are truncated');
  assert.deepEqual(await q('6e2-6.5e2'), ['R2', 'R4', 'R8', 'R9'], 'exponents are fine');
  assert.deepEqual(await q('5000-6000'), ['R2', 'R7', 'R8', 'R9'], 'running records reach into the future');
});

test('timerange, running, hidden and tag filters agree with the rules for every combination', async () => {
  const c = await as('filter');
  await putOk(c, 'records', filterSet);
  const ranges = [[0, 10000], [150, 160], [200, 200], [300, 300], [301, 301], [180, 120], [350, 320], [599.9, 600],
    [600.5, 700], [1000, 1000], [999, 999], [5000, 6000], [0, 0], [1.5e2, 2.5e2], [2500, 2500], [3000, 3001], [3001, 3002]];
  const truths = [undefined, '', '1', '0', 'true', 'false', 'FALSE', 'off', 'No', 'n', 'yes', 'x', 'on'];
  let count = 0;
  for (const [A, B] of ranges) {
    for (const running of truths) {
      for (const hidden of [undefined, '', '1', '0', 'Off', 'TRUE']) {
        if (count++ % 3 && running !== undefined && hidden !== undefined) continue; // a third of the full product
        let q = `timerange=${A}-${B}`;
        if (running !== undefined) q += `&running=${encodeURIComponent(running)}`;
        if (hidden !== undefined) q += `&hidden=${encodeURIComponent(hidden)}`;
        assert.deepEqual(keysOf(await getRecords(c, q)), model(filterSet, { A, B, running, hidden }), q);
      }
    }
  }
});

const tagSet = ['#a #b', '#A', '#ab', '#a,', 'x #a', '#a#b', 'pre#a', '#a%b', '#axb', '#a_b', '#a\\b', '#aXb', '#café',
  '#CAFÉ', '#client/acme #dev', '#a\ttab', "#a'--", '#a"b', '#100%', '#b #a', 'no tags', '#Client/ACME', '#a  #b'];

test('tag filter: #tag followed by a space or the end, ASCII case-insensitive, % _ \\ literal', async () => {
  const c = await as('tags');
  const items = tagSet.map((ds, i) => rec(`T${i}`, 100, 200, ds, 1));
  await putOk(c, 'records', items);
  const tags = ['a', 'A', '#a', 'a,b', 'b,a', '#a,#b', 'ab', 'a%b', 'a_b', 'a\\b', 'axb', 'aXb', 'café', 'CAFÉ', 'CAFé', 'cafÉ',
    'client/acme', 'CLIENT/acme,dev', "a'--", 'a"b', '100%', '%', '_', 'a%', 'a_', 'b', 'client', 'tags'];
  for (const tag of tags) {
    const got = keysOf(await getRecords(c, `timerange=0-1000&tag=${encodeURIComponent(tag)}`));
    assert.deepEqual(got, model(items, { A: 0, B: 1000, tag }), `tag=${tag}`);
  }
  // Hand-checked, so the model itself is held to docs/api.md.
  const q = async (tag) => keysOf(await getRecords(c, `timerange=0-1000&tag=${encodeURIComponent(tag)}`))
    .map((k) => tagSet[Number(k.slice(1))]).sort();
  assert.deepEqual(await q('a'), ['#A', '#a  #b', '#a #b', '#b #a', 'x #a', 'pre#a'].sort());
  assert.deepEqual(await q('a%b'), ['#a%b']);
  assert.deepEqual(await q('a_b'), ['#a_b']);
  assert.deepEqual(await q('café'), ['#café']);
  assert.deepEqual(await q('client/acme,dev'), ['#client/acme #dev']);
});

test('running, hidden and tag values are trimmed first: running=%20false%20 is false', async () => {
  const c = await as('filter');
  await putOk(c, 'records', filterSet);
  const keys = async (q) => keysOf(await getRecords(c, `timerange=0-10000&${q}`));
  assert.deepEqual(await keys('running=%20false%20'), model(filterSet, { A: 0, B: 10000, running: 'false' }));
  assert.deepEqual(await keys('running=%09off%0A'), model(filterSet, { A: 0, B: 10000, running: 'off' }));
  assert.deepEqual(await keys('running=+1+'), model(filterSet, { A: 0, B: 10000, running: '1' }));
  assert.deepEqual(await keys('running=%20'), model(filterSet, { A: 0, B: 10000 }), 'only spaces: no filter');
  assert.deepEqual(await keys('hidden=%20no%20'), model(filterSet, { A: 0, B: 10000, hidden: 'no' }));
  assert.deepEqual(await keys('tag=%20a%20'), model(filterSet, { A: 0, B: 10000, tag: 'a' }));
  assert.deepEqual(await keys('hidden=%C2%A0yes%E3%80%80'), model(filterSet, { A: 0, B: 10000, hidden: 'yes' }),
    'Unicode spaces too, as Python\'s str.strip()');
});

test('filters combine with each other', async () => {
  const c = await as('filter');
  await putOk(c, 'records', filterSet);
  for (const q of [{ running: '1', tag: 'a' }, { running: '0', tag: 'b' }, { hidden: '1', tag: 'b' }, { hidden: '0', running: '1' },
    { hidden: '1', running: '1' }, { hidden: '0', running: '0', tag: 'a' }]) {
    let s = 'timerange=0-10000';
    for (const [k, v] of Object.entries(q)) s += `&${k}=${v}`;
    assert.deepEqual(keysOf(await getRecords(c, s)), model(filterSet, { A: 0, B: 10000, ...q }), s);
  }
});

test('GET records returns whole items with all stored fields', async () => {
  const c = await as('filter');
  await putOk(c, 'records', filterSet);
  const got = byKey(await getRecords(c, 'timerange=0-10000'));
  for (const r of filterSet) {
    const g = got[r.key];
    assert.ok(g, r.key);
    assert.equal(g.t1, r.t1);
    assert.equal(g.t2, r.t2);
    assert.equal(g.mt, r.mt);
    assert.equal(g.ds, r.ds);
    assert.equal(typeof g.st, 'number');
  }
});
