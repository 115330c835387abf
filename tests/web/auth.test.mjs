// Token decoding (base64url, UTF-8), login body encoding, storage, API paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwtPayload, base64ToBytes, utf8ToBase64, getAuth, setToken, clearAuth, AUTH_KEY } from '../../www/app/data/auth.js';
import { apiBase, prefixFromPath, ApiError } from '../../www/app/data/api.js';

const b64url = (s) => Buffer.from(s, 'utf8').toString('base64url');
const jwt = (payload) => `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(JSON.stringify(payload))}.sig`;

class MemStorage {
  constructor() { this.m = new Map(); }
  getItem(k) { return this.m.has(k) ? this.m.get(k) : null; }
  setItem(k, v) { this.m.set(k, String(v)); }
}

test('decodes base64url payloads with - and _ and without padding', () => {
  const cases = [
    { username: 'alice', expires: 1, seed: 'x' },
    { username: 'zoë', expires: 2, seed: '-_-' },
    { username: '??>>~~', expires: 3, seed: 's' }, // encodes to '-' and '_' characters
    { username: '日本語ユーザー', expires: 4, seed: 'abc' },
  ];
  for (const p of cases) assert.deepEqual(decodeJwtPayload(jwt(p)), p);
  assert.equal(decodeJwtPayload('garbage'), null);
  assert.equal(decodeJwtPayload('a.b.c'), null);
  // the fixture token of TimeTagger's server for zoë
  const zoe = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VybmFtZSI6InpvXHUwMGViIiwiZXhwaXJlcyI6MzI1MDM3NDg0MDAsInNlZWQiOiJrSmk3X1JGODFZNCJ9.x';
  assert.equal(decodeJwtPayload(zoe).username, 'zoë');
});

test('login bodies are base64 of UTF-8', () => {
  const cases = ['{"method":"localhost"}', '{"username":"zoë","password":"pässwörd"}', '😀'];
  for (const s of cases) {
    assert.equal(Buffer.from(utf8ToBase64(s), 'base64').toString('utf8'), s);
    assert.equal(new TextDecoder().decode(base64ToBytes(utf8ToBase64(s))), s);
  }
});

test('auth storage round trip', () => {
  const st = new MemStorage();
  assert.equal(getAuth(st), null);
  const tok = jwt({ username: 'bob', expires: 99, seed: 's' });
  const info = setToken(tok, st);
  assert.deepEqual(info, { username: 'bob', expires: 99, seed: 's', token: tok });
  assert.deepEqual(getAuth(st), info);
  clearAuth(st);
  assert.equal(st.getItem(AUTH_KEY), '');
  assert.equal(getAuth(st), null);
  assert.throws(() => setToken('nope', st));
});

test('API base from the page path', () => {
  const cases = [
    ['/timetagger/app/', '/timetagger/', '/timetagger/api/v2/'],
    ['/timetagger/app/index.html', '/timetagger/', '/timetagger/api/v2/'],
    ['/timetagger/app', '/timetagger/', '/timetagger/api/v2/'],
    ['/timetagger/login', '/timetagger/', '/timetagger/api/v2/'],
    ['/timetagger/', '/timetagger/', '/timetagger/api/v2/'],
    ['/app/', '/', '/api/v2/'],
    ['/a/b/account', '/a/b/', '/a/b/api/v2/'],
  ];
  for (const [path, prefix, api] of cases) {
    assert.equal(prefixFromPath(path), prefix, path);
    assert.equal(apiBase(path), api, path);
  }
});

test('ApiError classifies auth failures', () => {
  assert.ok(new ApiError(401, 'unauthorized: The webtoken is revoked (seed does not match)').isRevoked);
  assert.ok(!new ApiError(401, 'unauthorized: The webtoken has expired (after 14 days)').isRevoked);
  assert.ok(new ApiError(0, 'offline').isNetwork);
});
