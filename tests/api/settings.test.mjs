// PUT and GET settings (docs/api.md "Objects"): any JSON value, the value size measured as
// Python's json.dumps does (boundary at 8192 for strings, escapes, separators, non-ASCII),
// key rules, mt coercion, unknown fields dropped, and the merge rule.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExact, storedItem } from '../lib/harness.mjs';
import { assertJson, byKey, put, putOk, pyJsonLength, serverFixture, setting } from '../lib/apitest.mjs';

const users = { s1: 'pw1', s2: 'pw2', s3: 'pw3' };
const S = serverFixture({ users });
const as = async (user) => S.api(await S.token(user));

async function getSettings(c) {
  const a = await c.get('settings');
  const body = assertJson(a);
  assert.deepEqual(Object.keys(body), ['settings']);
  assert.ok(Array.isArray(body.settings));
  return byKey(body.settings);
}

test('values of every JSON type are stored and come back equal', async () => {
  const c = await as('s1');
  const values = { num: 5, neg: -3, float: 2.5, str: 'text é 😀', nul: null, t: true, f: false, list: [1, 'a', [null]],
    obj: { color: '#ff7f0e', priority: 2, targets: { week: 20 } }, empty: '', emptylist: [], emptyobj: {} };
  const items = Object.entries(values).map(([k, v]) => setting(`v_${k}`, v, 10));
  await putOk(c, 'settings', items);
  const got = await getSettings(c);
  for (const [k, v] of Object.entries(values)) {
    const g = got[`v_${k}`];
    assert.ok(g, k);
    assert.deepEqual(g.value, v, k);
    assert.equal(g.mt, 10);
    assert.equal(typeof g.st, 'number');
    assert.deepEqual(Object.keys(g).sort(), ['key', 'mt', 'st', 'value']);
  }
});

test('a value is stored as Python would write it, and returned as stored', async () => {
  const c = await as('s1');
  await putOk(c, 'settings', [{ key: 'pyform', value: { b: [1, 2], a: 'é' }, mt: 5, st: 0 }]);
  const { ob } = storedItem(S.server, 's1', 'settings', 'pyform');
  assert.ok(ob.includes('"value": {"b": [1, 2], "a": "\\u00e9"}'), ob);
  const a = await c.get('settings');
  assert.ok(a.text.includes(ob), 'returned verbatim');
});

// Values measured by Python's json.dumps: 8191 characters are fine, 8192 fail.
function sized(kind, len) {
  switch (kind) {
    case 'ascii string': return 'x'.repeat(len - 2);
    case 'two-byte characters (6 each)': return `${'é'.repeat(Math.floor((len - 2) / 6))}${'x'.repeat((len - 2) % 6)}`;
    case 'emoji (12 each)': return `${'😀'.repeat(Math.floor((len - 2) / 12))}${'x'.repeat((len - 2) % 12)}`;
    case 'quotes (2 each)': return `${'"'.repeat(Math.floor((len - 2) / 2))}${'x'.repeat((len - 2) % 2)}`;
    case 'control characters (6 each)': return `${'\u0001'.repeat(Math.floor((len - 2) / 6))}${'x'.repeat((len - 2) % 6)}`;
    case 'DEL characters (6 each)': return `${'\u007f'.repeat(Math.floor((len - 2) / 6))}${'x'.repeat((len - 2) % 6)}`;
    case 'list with ", " separators': {
      const n = Math.floor(len / 3);
      const list = Array(n).fill(1);
      list[0] = [1, 10, 100][len % 3];
      return list;
    }
    case 'object with ": " separators': return { k: 'x'.repeat(len - 9) };
    case 'nested': return { a: [1, { b: null }], c: 'x'.repeat(len - pyJsonLength({ a: [1, { b: null }], c: '' })) };
    default: throw new Error(kind);
  }
}

for (const kind of ['ascii string', 'two-byte characters (6 each)', 'emoji (12 each)', 'quotes (2 each)',
  'control characters (6 each)', 'DEL characters (6 each)', 'list with ", " separators', 'object with ": " separators', 'nested']) {
  test(`value size, ${kind}: 8191 as json.dumps measures it is fine, 8192 fails`, async () => {
    const c = await as('s2');
    const ok = sized(kind, 8191);
    const bad = sized(kind, 8192);
    assert.equal(pyJsonLength(ok), 8191);
    assert.equal(pyJsonLength(bad), 8192);
    const k1 = `size ok ${kind}`;
    const k2 = `size bad ${kind}`;
    const body = await put(c, 'settings', [setting(k1, ok, 1), setting(k2, bad, 1)]);
    assert.deepEqual(body.accepted, [k1]);
    assert.deepEqual(body.failed, [k2]);
    assert.deepEqual(body.errors, ['Values must be less than 256 chars when jsonized.'], 'TimeTagger\'s text (sic)');
    const got = await getSettings(c);
    assert.deepEqual(got[k1].value, ok);
    assert.equal(got[k2], undefined);
  });
}

test('a huge value fails the item, not the request', async () => {
  const c = await as('s2');
  const body = await put(c, 'settings', [setting('huge', 'x'.repeat(2000000), 1), setting('small', 1, 1)]);
  assert.deepEqual(body.accepted, ['small']);
  assert.deepEqual(body.failed, ['huge']);
});

test('invalid settings fail; keyless ones are skipped with an error', async () => {
  const c = await as('s3');
  const failing = [
    { key: 'novalue', mt: 1, st: 0 }, { key: 'nomt', value: 1, st: 0 }, { key: '', value: 1, mt: 1 },
    { key: 'k'.repeat(256), value: 1, mt: 1 }, { key: 'badmt', value: 1, mt: 'x' }, { key: 'nullmt', value: 1, mt: null },
    { key: 'floatstr', value: 1, mt: '1.5' }, { key: 'boolmt', value: 1, mt: true },
  ];
  const body = await put(c, 'settings', failing);
  assert.deepEqual(body.accepted, []);
  assert.deepEqual(body.failed, failing.map((f) => f.key));
  assert.equal(body.errors.length, failing.length);
  assert.equal(body.errors[0], "A settings is missing required fields: {'value'}", 'TimeTagger\'s text');
  assert.equal(body.errors[1], "A settings is missing required fields: {'mt'}");
  assert.equal(body.errors[3], 'String values must be less than 256 chars.');
  const skipped = await put(c, 'settings', [{ value: 1, mt: 1 }, { key: 3, value: 1, mt: 1 }, 'x', null]);
  assert.deepEqual(skipped.failed, []);
  assert.deepEqual(skipped.accepted, []);
  assert.equal(skipped.errors.length, 4);
  const got = await getSettings(c);
  for (const f of failing) assert.equal(got[f.key], undefined);
});

test('mt is coerced like a record\'s; a key of 255 characters is fine; unknown fields are dropped', async () => {
  const c = await as('s3');
  const k255 = 'é'.repeat(255);
  await putOk(c, 'settings', [{ key: 'mtfloat', value: 1, mt: 7.9, st: 0 }, { key: 'mtstr', value: 1, mt: '+8', st: 0 },
    { key: k255, value: 1, mt: 1, st: 0 }, { key: 'extra', value: 2, mt: 1, st: 0, t1: 5, ds: 'x', foo: [1] }]);
  const a = await c.get('settings');
  const got = byKey(parseExact(a.text).settings);
  assert.equal(got.mtfloat.mt.text, '7');
  assert.equal(got.mtstr.mt.text, '8');
  assert.ok(got[k255]);
  assert.deepEqual(Object.keys(got.extra).sort(), ['key', 'mt', 'st', 'value']);
});

test('merge rule for settings: larger stored mt wins, equal mt lets the incoming one win', async () => {
  const c = await as('s3');
  await putOk(c, 'settings', [setting('m', 'A', 100)]);
  await put(c, 'settings', [setting('m', 'B', 99)]);
  assert.equal((await getSettings(c)).m.value, 'A');
  await putOk(c, 'settings', [setting('m', 'C', 100)]);
  assert.equal((await getSettings(c)).m.value, 'C');
  await putOk(c, 'settings', [setting('m', 'D', 101)]);
  assert.equal((await getSettings(c)).m.value, 'D');
});

test('settings and records of one user are separate, and users are separate', async () => {
  const c1 = await as('s1');
  const c2 = await as('s2');
  await putOk(c1, 'settings', [setting('mine', 1, 1)]);
  assert.equal((await getSettings(c2)).mine, undefined);
  const recs = assertJson(await c1.get('records?timerange=0-99999999999')).records;
  assert.ok(!recs.some((r) => r.key === 'mine'));
});
