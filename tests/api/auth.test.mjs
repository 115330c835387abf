// Tokens (docs/api.md "Authentication"): every 401 variant on every token endpoint, JWTs we sign
// ourselves with the data folder's jwt.key (expired, wrong claims, other spacing), the
// webtoken/apitoken split by `expires`, and jwt.key itself (made 0600, raced under CGI).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { api, cgiEnv, decodeJwt, jwtKey, loginLocal, runCgi, signJwt, tmpDir, verifyJwt, b64, now } from '../lib/harness.mjs';
import { assertError, assertJson, serverFixture } from '../lib/apitest.mjs';

const S = serverFixture();
const DAY = 86400;
const API_EXPIRES = 32503748400;

const endpoints = [
  ['GET', 'version'], ['GET', 'updates?since=0'], ['GET', 'records?timerange=0-1'], ['PUT', 'records'],
  ['GET', 'settings'], ['PUT', 'settings'], ['PUT', 'forcereset'], ['GET', 'webtoken'], ['GET', 'apitoken'],
  ['GET', 'apitoken?reset=1'], ['GET', 'nosuchpath'], ['DELETE', 'records'],
];
const send = (token, method, p, headers = {}) => api(S.server, token).request(method, p, { headers, body: method === 'PUT' ? '[]' : undefined });

test('a fresh login gives a webtoken that expires in 14 days', async () => {
  const token = await loginLocal(S.server);
  const p = decodeJwt(token);
  assert.equal(p.username, 'defaultuser');
  assert.equal(typeof p.seed, 'string');
  assert.ok(Math.abs(p.expires - (now() + 14 * DAY)) < 120, `expires ${p.expires}`);
  assert.ok(verifyJwt(token, jwtKey(S.server.datadir)), 'signed with jwt.key');
  assertJson(await api(S.server, token).get('version'));
});

test('jwt.key is 43 URL-safe characters, mode 0600', () => {
  assert.match(jwtKey(S.server.datadir), /^[A-Za-z0-9_-]{43}$/);
  if (S.server.database) return;  // on PostgreSQL the key is a row of its own, not a file
  const file = path.join(S.server.datadir, 'jwt.key');
  assert.match(fs.readFileSync(file, 'utf8').trim(), /^[A-Za-z0-9_-]{43}$/);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
});

for (const [method, p] of endpoints) {
  test(`${method} ${p}: a missing authtoken is 401 unauthorized`, async () => {
    assertError(await send(undefined, method, p), 401, { prefix: 'unauthorized:' });
  });
}

test('malformed and foreign tokens are 401 on every token endpoint', async () => {
  const good = await loginLocal(S.server);
  const [h, p, s] = good.split('.');
  const payload = decodeJwt(good);
  const bad = {
    empty: '',
    garbage: 'abc',
    'three dots of garbage': 'a.b.c',
    'two parts': `${h}.${p}`,
    'four parts': `${good}.x`,
    'bad base64 payload': `${h}.!!!.${s}`,
    'other key': signJwt(payload, 'x'.repeat(43)),
    'tampered payload': `${h}.${Buffer.from(JSON.stringify({ ...payload, username: 'admin' })).toString('base64url')}.${s}`,
    'changed signature': `${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`,
    'alg none': `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`,
    'alg HS512 header, HS256 signature': signJwt(payload, jwtKey(S.server.datadir), '{"alg":"HS512","typ":"JWT"}'),
    'Bearer prefix': `Bearer ${good}`,
    'long garbage': 'x'.repeat(7000),
  };
  for (const [what, token] of Object.entries(bad)) {
    for (const [method, ep] of endpoints) {
      const a = await send(token, method, ep);
      assertError(a, 401, { prefix: 'unauthorized:' });
      assert.ok(a.text.length < 1000, `${what}: short message`);
    }
  }
});

test('any correctly signed HS256 token is accepted whatever its JSON order and spacing', async () => {
  const token = await loginLocal(S.server);
  const { seed, expires } = decodeJwt(token);
  const key = jwtKey(S.server.datadir);
  const texts = [
    `{"seed":"${seed}","expires":${expires},"username":"defaultuser"}`,
    `{ "username" : "defaultuser" ,\n  "expires" : ${expires} , "seed" : "${seed}" }`,
    `{"username":"default\\u0075ser","expires":${expires},"seed":"${seed}"}`,
    `{"username":"defaultuser","expires":${expires},"seed":"${seed}","extra":[1,2,{"a":null}]}`,
  ];
  for (const text of texts) assertJson(await api(S.server, signJwt(text, key)).get('version'));
  // The header's spacing and order do not matter either.
  assertJson(await api(S.server, signJwt(texts[0], key, '{ "typ" : "JWT", "alg" : "HS256" }')).get('version'));
});

test('a signed token that lacks a claim or has one of the wrong type is 401, not 500', async () => {
  const token = await loginLocal(S.server);
  const { seed, expires } = decodeJwt(token);
  const key = jwtKey(S.server.datadir);
  const payloads = [
    { expires, seed }, { username: 'defaultuser', seed }, { username: 'defaultuser', expires },
    { username: 5, expires, seed }, { username: null, expires, seed }, { username: 'defaultuser', expires: String(expires), seed },
    { username: 'defaultuser', expires: null, seed }, { username: 'defaultuser', expires: true, seed },
    { username: 'defaultuser', expires, seed: 5 }, { username: 'defaultuser', expires, seed: null },
    { username: ['defaultuser'], expires, seed }, { username: 'defaultuser', expires: { n: expires }, seed },
    { username: '', expires, seed }, [], 'x', 5, null,
  ];
  for (const p of payloads) {
    const a = await api(S.server, signJwt(JSON.stringify(p), key)).get('version');
    assertError(a, 401, { prefix: 'unauthorized:' });
  }
  // A number too big for any integer type.
  assertError(await api(S.server, signJwt(`{"username":"defaultuser","expires":1e400,"seed":"${seed}"}`, key)).get('version'),
    401, { prefix: 'unauthorized:' });
  // Not JSON at all, and JSON with trailing text.
  assertError(await api(S.server, signJwt('not json', key)).get('version'), 401, { prefix: 'unauthorized:' });
  assertError(await api(S.server, signJwt(`{"username":"defaultuser","expires":${expires},"seed":"${seed}"}x`, key)).get('version'),
    401, { prefix: 'unauthorized:' });
});

test('an expired token is 401 saying expired', async () => {
  const token = await loginLocal(S.server);
  const { seed } = decodeJwt(token);
  const key = jwtKey(S.server.datadir);
  const expired = signJwt({ username: 'defaultuser', expires: Math.floor(now()) - 10, seed }, key);
  for (const [method, p] of endpoints.slice(0, 9)) {
    assertError(await send(expired, method, p), 401, { prefix: 'unauthorized:', includes: 'expired' });
  }
  // Just inside its time it works.
  const fresh = signJwt({ username: 'defaultuser', expires: Math.floor(now()) + 60, seed }, key);
  assertJson(await api(S.server, fresh).get('version'));
});

test('a token whose seed no longer matches is 401 saying revoked; revoked and expired says revoked', async () => {
  const token = await loginLocal(S.server);
  const { seed } = decodeJwt(token);
  const key = jwtKey(S.server.datadir);
  const wrongSeed = signJwt({ username: 'defaultuser', expires: Math.floor(now()) + 3600, seed: `${seed}x` }, key);
  assertError(await api(S.server, wrongSeed).get('version'), 401, { prefix: 'unauthorized:', includes: 'revoked' });
  const both = signJwt({ username: 'defaultuser', expires: Math.floor(now()) - 3600, seed: `${seed}x` }, key);
  const body = assertError(await api(S.server, both).get('version'), 401, { prefix: 'unauthorized:', includes: 'revoked' });
  assert.ok(!/expired/i.test(body), `revoked wins: ${body}`);
});

test('a token for a user who never logged in is 401, not a new account', async () => {
  const key = jwtKey(S.server.datadir);
  const ghost = signJwt({ username: 'ghost', expires: Math.floor(now()) + 3600, seed: 'abcdefghijk' }, key);
  assertError(await api(S.server, ghost).get('version'), 401, { prefix: 'unauthorized:' });
  assertError(await api(S.server, ghost).put('records', [{ key: 'a', t1: 1, t2: 2, mt: 1, st: 0 }]), 401, { prefix: 'unauthorized:' });
});

test('the kind of a token follows expires: more than 14 days ahead is an apitoken', async () => {
  const web = await loginLocal(S.server);
  const key = jwtKey(S.server.datadir);
  const apiTok = assertJson(await api(S.server, web).get('apitoken')).token;
  const apiSeed = decodeJwt(apiTok).seed;
  const webSeed = decodeJwt(web).seed;
  assert.equal(decodeJwt(apiTok).expires, API_EXPIRES);
  const in15 = Math.floor(now()) + 15 * DAY;
  const in13 = Math.floor(now()) + 13 * DAY;
  // apitoken seed + 15 days: an apitoken (works, but may not make tokens).
  const a = signJwt({ username: 'defaultuser', expires: in15, seed: apiSeed }, key);
  assertJson(await api(S.server, a).get('version'));
  assertError(await api(S.server, a).get('webtoken'), 403, { prefix: 'forbidden:' });
  // webtoken seed + 13 days: a webtoken (may make tokens).
  const w = signJwt({ username: 'defaultuser', expires: in13, seed: webSeed }, key);
  assertJson(await api(S.server, w).get('webtoken'));
  // Seeds of the other kind do not count.
  assertError(await api(S.server, signJwt({ username: 'defaultuser', expires: in15, seed: webSeed }, key)).get('version'),
    401, { includes: 'revoked' });
  assertError(await api(S.server, signJwt({ username: 'defaultuser', expires: in13, seed: apiSeed }, key)).get('version'),
    401, { includes: 'revoked' });
});

test('tokens are user-specific: another user of the same server cannot use a stolen seed', async () => {
  const web = await loginLocal(S.server);
  const key = jwtKey(S.server.datadir);
  const { seed, expires } = decodeJwt(web);
  const other = signJwt({ username: 'defaultuser2', expires, seed }, key);
  assertError(await api(S.server, other).get('version'), 401, { prefix: 'unauthorized:' });
});

// --- jwt.key under CGI -------------------------------------------------------------------

const localLogin = (datadir) => {
  const body = b64(JSON.stringify({ method: 'localhost' }));
  return runCgi(cgiEnv({ datadir, method: 'POST', path: 'api/v2/bootstrap_authentication', body,
    extra: { TAGWATCH_LOCALHOST_LOGIN: 'true' } }), body);
};

test('under CGI, processes that start at once on an empty data folder agree on one jwt.key', async () => {
  const datadir = path.join(tmpDir('jwtrace-'), 'data');
  fs.mkdirSync(datadir);
  const answers = await Promise.all(Array.from({ length: 12 }, () => localLogin(datadir)));
  const key = jwtKey(datadir);
  assert.match(key, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(fs.statSync(path.join(datadir, 'jwt.key')).mode & 0o777, 0o600);
  for (const a of answers) {
    assert.equal(a.status, 200, a.body);
    const token = JSON.parse(a.body).token;
    assert.ok(verifyJwt(token, key), 'every token is signed with the key that stayed');
  }
  // No stray temp files beside it.
  assert.deepEqual(fs.readdirSync(datadir).filter((n) => /jwt/.test(n)), ['jwt.key']);
});

test('removing jwt.key invalidates every token (CGI reads it afresh) and a new key is made', async () => {
  const datadir = path.join(tmpDir('jwtgone-'), 'data');
  fs.mkdirSync(datadir);
  const a = await localLogin(datadir);
  assert.equal(a.status, 200, a.body);
  const token = JSON.parse(a.body).token;
  const version = () => runCgi(cgiEnv({ datadir, path: 'api/v2/version', headers: { authtoken: token } }));
  assert.equal((await version()).status, 200);
  const oldKey = jwtKey(datadir);
  fs.rmSync(path.join(datadir, 'jwt.key'));
  const b = await version();
  assert.equal(b.status, 401, b.body);
  assert.ok(b.body.startsWith('unauthorized:'), b.body);
  const c = await localLogin(datadir);
  assert.equal(c.status, 200);
  assert.notEqual(jwtKey(datadir), oldKey);
});

test('an HMAC key of 43 bytes is used whole (not cut to 32)', async () => {
  const token = await loginLocal(S.server);
  const key = jwtKey(S.server.datadir);
  assert.equal(Buffer.byteLength(key), 43);
  assert.ok(verifyJwt(token, key));
  assert.ok(!verifyJwt(token, key.slice(0, 32)));
  const p = decodeJwt(token);
  const h = crypto.createHmac('sha256', key.slice(0, 32));
  const header = token.split('.')[0];
  const payload = Buffer.from(JSON.stringify(p)).toString('base64url');
  const cut = `${header}.${payload}.${h.update(`${header}.${payload}`).digest('base64url')}`;
  assertError(await api(S.server, cut).get('version'), 401, { prefix: 'unauthorized:' });
});
