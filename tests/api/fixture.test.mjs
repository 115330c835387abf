// A data folder written by TimeTagger, served as it is (a copy): its apitokens work, its bcrypt
// users log in with TimeTagger's own setting (TIMETAGGER_CREDENTIALS), and records and
// settings equal what TimeTagger answered, field for field and number for number (the
// numbers compared as their JSON text). Writing keeps TimeTagger's schema; a user file we
// make has exactly that schema and TimeTagger's name.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import {
  api, b64, copyFixture, decodeJwt, fixturePath, jwtKey, login, loginPassword, parseExact, sqlite, sqliteOnly, storedItem,
  userFile,
} from '../lib/harness.mjs';
import { assertJson, putOk, rec, serverFixture, setting } from '../lib/apitest.mjs';

const tokens = JSON.parse(fs.readFileSync(fixturePath('tokens.json'), 'utf8'));
const creds = fs.readFileSync(fixturePath('credentials.txt'), 'utf8').trim();
const datadir = copyFixture();
const originalKey = jwtKey(datadir);
const S = serverFixture({ datadir, env: { TIMETAGGER_CREDENTIALS: creds }, localhostLogin: false });
const expectedFile = { alice: 'expected-alice.json', 'bob@example.com': 'expected-bob.json', 'zoë': 'expected-zoe.json' };
const sortByKey = (items) => [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

for (const [user, info] of Object.entries(tokens)) {
  test(`${user}: records and settings equal TimeTagger's answers, number for number`, async () => {
    const expected = parseExact(fs.readFileSync(fixturePath(expectedFile[user]), 'utf8'));
    const c = api(S.server, info.apitoken);
    const r = await c.get('records?timerange=0-4102444800');
    assertJson(r);
    const records = sortByKey(parseExact(r.text).records);
    assert.equal(records.length, info.records);
    assert.deepEqual(records, sortByKey(expected.records));
    const s = await c.get('settings');
    assertJson(s);
    const settings = sortByKey(parseExact(s.text).settings);
    assert.equal(settings.length, info.settings);
    assert.deepEqual(settings, sortByKey(expected.settings));
  });

  test(`${user}: every stored _ob comes back verbatim, and updates?since=0 has everything`, async () => {
    const c = api(S.server, info.apitoken);
    const file = userFile(S.server.datadir, user);
    assert.ok(fs.existsSync(file), file);
    const r = await c.get('records?timerange=0-4102444800');
    for (const ob of sqlite(file, 'SELECT _ob FROM records')) assert.ok(r.text.includes(ob), ob);
    const u = assertJson(await c.get('updates?since=0'));
    assert.equal(u.records.length, info.records);
    assert.equal(u.settings.length, info.settings);
    for (const ob of sqlite(file, 'SELECT _ob FROM settings')) assert.ok((await c.get('updates?since=0')).text.includes(ob));
  });

  test(`${user}: logs in with the bcrypt hash from TIMETAGGER_CREDENTIALS (UTF-8 and Latin-1 bodies)`, async () => {
    const token = await loginPassword(S.server, user, info.password);
    assert.equal(decodeJwt(token).username, user);
    const c = api(S.server, token);
    assert.equal(assertJson(await c.get('records?timerange=0-4102444800')).records.length, info.records);
    const text = JSON.stringify({ method: 'usernamepassword', username: user, password: info.password });
    const latin = await login(S.server, Buffer.from(text, 'latin1').toString('base64'));
    assert.equal(decodeJwt(assertJson(latin).token).username, user);
    // The apitoken that TimeTagger issued is still valid after the login (seeds untouched).
    assertJson(await api(S.server, info.apitoken).get('version'));
  });
}

test('the filters work on TimeTagger\'s data: hidden, running, no description, tags with accents', async () => {
  const c = api(S.server, tokens.alice.apitoken);
  const all = assertJson(await c.get('records?timerange=0-4102444800')).records;
  const hidden = assertJson(await c.get('records?timerange=0-4102444800&hidden=1')).records;
  assert.ok(hidden.some((r) => r.key.startsWith('hidden')), 'the hidden record');
  assert.ok(hidden.every((r) => /^hidden/i.test(r.ds)));
  const visible = assertJson(await c.get('records?timerange=0-4102444800&hidden=0')).records;
  assert.equal(hidden.length + visible.length, all.length);
  assert.ok(visible.some((r) => r.ds === undefined), 'a record without ds is not hidden');
  const running = assertJson(await c.get('records?timerange=0-4102444800&running=1')).records;
  assert.ok(running.length >= 1 && running.every((r) => r.t1 === r.t2));
  const cafe = assertJson(await c.get(`records?timerange=0-4102444800&tag=${encodeURIComponent('café')}`)).records;
  const want = all.filter((r) => /#café( |$)/.test(r.ds ?? ''));
  assert.deepEqual(cafe.map((r) => r.key).sort(), want.map((r) => r.key).sort());
  const acme = assertJson(await c.get('records?timerange=0-4102444800&tag=client/acme,dev')).records;
  assert.deepEqual(acme.map((r) => r.key).sort(),
    all.filter((r) => /#client\/acme( |$)/.test(r.ds ?? '') && /#dev( |$)/.test(r.ds ?? '')).map((r) => r.key).sort());
});

test('the fixture\'s jwt.key is used as it is, not replaced', () => {
  assert.equal(jwtKey(S.server.datadir), originalKey);
});

const schema = (file) => sqlite(file, "SELECT type || ' ' || name || ' ' || tbl_name || ' ' || sql FROM sqlite_master ORDER BY name");

test('writing to a file TimeTagger made keeps its schema and TimeTagger\'s item form', async () => {
  const file = userFile(S.server.datadir, 'alice');
  const before = S.server.database ? null : schema(file);
  const c = api(S.server, tokens.alice.apitoken);
  await putOk(c, 'records', [rec('newFromUs', 1780000000, 1780003600, '#new élan', 1780003700)]);
  await putOk(c, 'settings', [setting('newSetting', { a: [1, 2] }, 1780003700)]);
  if (!S.server.database) assert.deepEqual(schema(file), before);
  const stored = storedItem(S.server, 'alice', 'records', 'newFromUs');
  const { ob } = stored;
  const item = JSON.parse(ob);
  assert.deepEqual(Object.keys(item).sort(), ['ds', 'key', 'mt', 'st', 't1', 't2']);
  assert.deepEqual([stored.t1, stored.t2, Number(stored.st)], ['1780000000', '1780003600', item.st]);
  if (!S.server.database) {
    const [cols] = sqlite(file, "SELECT t1 || ' ' || t2 || ' ' || typeof(st) FROM records WHERE key = 'newFromUs'");
    assert.equal(cols, '1780000000 1780003600 real');
  }
  // Python's json.dumps form, like every other item in the file.
  assert.match(ob, /^\{"key": "newFromUs", /);
  assert.ok(ob.includes('"ds": "#new \\u00e9lan"'), ob);
  if (!S.server.database) assert.equal(sqlite(file, 'PRAGMA integrity_check')[0], 'ok');
});

test('a user file we make has exactly TimeTagger\'s schema and name', { skip: sqliteOnly('user files') }, async () => {
  // A new user: a login through a TimeTagger credentials line for a name with odd characters.
  const name = 'new user+é/x';
  const hashLine = creds.split(',')[0].split(':').slice(1).join(':'); // alice's hash, password known
  const srvCreds = `${creds},${name}:${hashLine}`;
  const { startServer } = await import('../lib/harness.mjs');
  const srv = await startServer({ workers: 1, datadir: S.server.datadir, env: { TAGWATCH_CREDENTIALS: srvCreds }, localhostLogin: false });
  try {
    const token = await loginPassword(srv, name, tokens.alice.password);
    await putOk(api(srv, token), 'records', [rec('r1', 1, 2, 'x', 1)]);
    const file = userFile(srv.datadir, name);
    assert.ok(fs.existsSync(file), `${file} (clean name + ~ + URL-safe base64 with padding)`);
    assert.match(file, /new-user---x~bmV3IHVzZXIrw6kveA==\.db$/);
    const strip = (lines) => lines.map((l) => l.replace(/\s+/g, ' '));
    assert.deepEqual(strip(schema(file)), strip(schema(userFile(srv.datadir, 'alice'))));
    assert.equal(sqlite(file, 'PRAGMA journal_mode')[0], 'wal', 'WAL is the default journal mode');
  } finally {
    await srv.stop();
  }
});

test('journal_mode delete makes files without WAL', { skip: sqliteOnly('user files') }, async () => {
  const { startServer, loginLocal } = await import('../lib/harness.mjs');
  const srv = await startServer({ workers: 1, args: ['--journal_mode=delete'] });
  try {
    const token = await loginLocal(srv);
    await putOk(api(srv, token), 'records', [rec('j1', 1, 2, 'x', 1)]);
    const file = userFile(srv.datadir, 'defaultuser');
    assert.equal(sqlite(file, 'PRAGMA journal_mode')[0], 'delete');
    assert.ok(!fs.existsSync(`${file}-wal`));
  } finally {
    await srv.stop();
  }
});

test('the login page of TimeTagger encodes with btoa: a Latin-1 body for a bcrypt user', async () => {
  // btoa only takes code points below 256: exactly the Latin-1 bytes.
  const text = `{"method":"usernamepassword","username":"zo\u00eb","password":"p\u00e4ssw\u00f6rd"}`;
  const body = Buffer.from(text, 'latin1').toString('base64');
  assert.equal(body, b64(Buffer.from(text, 'latin1')));
  assert.equal(decodeJwt(assertJson(await login(S.server, body)).token).username, 'zoë');
});
