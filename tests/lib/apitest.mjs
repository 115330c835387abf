// Shared pieces of the API tests (tests/api/): a server per test file that is stopped by pid
// even when a test fails, users with passwords, and assertions for the answer shapes that
// docs/api.md fixes (JSON for a token endpoint's 200, plain text for every error).
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { api, credentials, loginPassword, startServer } from './harness.mjs';

// Starts a server before the file's tests and stops it after them (also after a failure).
// opts are startServer's plus users: {name: password} (bcrypt credentials in the environment).
// The returned object is filled in by the time the tests run: ctx.server, ctx.api(token),
// ctx.token(user) (a cached webtoken of that user), ctx.password(user).
export function serverFixture(opts = {}) {
  const ctx = {};
  const users = opts.users || {};
  before(async () => {
    const env = { ...(opts.env || {}) };
    if (Object.keys(users).length) env.TAGWATCH_CREDENTIALS = credentials(users);
    ctx.server = await startServer({ ...opts, env });
  });
  after(async () => {
    if (ctx.server) await ctx.server.stop();
  });
  const tokens = new Map();
  ctx.api = (token) => api(ctx.server, token);
  ctx.password = (user) => users[user];
  ctx.token = async (user) => {
    if (!tokens.has(user)) tokens.set(user, await loginPassword(ctx.server, user, users[user]));
    return tokens.get(user);
  };
  ctx.forget = (user) => tokens.delete(user);
  return ctx;
}

const describe = (a) => `${a.status} ${a.contentType} ${JSON.stringify(a.text.slice(0, 300))}`;

// A JSON 200 (or `status`): checks the content type and returns the parsed body.
export function assertJson(a, status = 200) {
  assert.equal(a.status, status, `expected ${status}, got ${describe(a)}`);
  assert.match(a.contentType, /^application\/json\b/i, `content type of ${describe(a)}`);
  assert.ok(a.json !== null, `body is not JSON: ${describe(a)}`);
  return a.json;
}

// An error: status, text/plain in UTF-8, and the body: `exact` (one trailing newline
// allowed), `prefix`, or `match` (a RegExp).
export function assertError(a, status, { exact, prefix, match, includes } = {}) {
  assert.equal(a.status, status, `expected ${status}, got ${describe(a)}`);
  assert.match(a.contentType, /^text\/plain;\s*charset=utf-8$/i, `content type of ${describe(a)}`);
  const body = a.text.replace(/\r?\n$/, '');
  if (exact !== undefined) assert.equal(body, exact);
  if (prefix !== undefined) assert.ok(body.startsWith(prefix), `body should start with ${JSON.stringify(prefix)}: ${describe(a)}`);
  if (match !== undefined) assert.match(body, match);
  if (includes !== undefined) {
    for (const word of [].concat(includes)) {
      assert.ok(body.toLowerCase().includes(word.toLowerCase()), `body should say ${JSON.stringify(word)}: ${describe(a)}`);
    }
  }
  return body;
}

// A record as a client sends it.
export function rec(key, t1, t2, ds, mt = Math.floor(Date.now() / 1000), extra = {}) {
  const r = { key, t1, t2, mt, st: 0, ...extra };
  if (ds !== undefined) r.ds = ds;
  return r;
}

export function setting(key, value, mt = Math.floor(Date.now() / 1000)) {
  return { key, value, mt, st: 0 };
}

// PUT items and check the answer's shape; returns {accepted, failed, errors}.
export async function put(client, what, items) {
  const body = assertJson(await client.put(what, items));
  assert.deepEqual(Object.keys(body).sort(), ['accepted', 'errors', 'failed'], `keys of ${JSON.stringify(body)}`);
  for (const k of ['accepted', 'failed', 'errors']) assert.ok(Array.isArray(body[k]), `${k} is a list`);
  return body;
}

// Every PUT item accepted.
export async function putOk(client, what, items) {
  const body = await put(client, what, items);
  assert.deepEqual(body.failed, [], `failed: ${JSON.stringify(body)}`);
  assert.deepEqual(body.errors, [], `errors: ${JSON.stringify(body)}`);
  assert.deepEqual(body.accepted, items.map((i) => i.key));
  return body;
}

export async function getRecords(client, query) {
  const body = assertJson(await client.get(`records?${query}`));
  assert.deepEqual(Object.keys(body), ['records']);
  return body.records;
}

export const keysOf = (items) => items.map((i) => i.key).sort();
export const byKey = (items) => Object.fromEntries(items.map((i) => [i.key, i]));

// The length of Python's json.dumps(value) (", " and ": " separators, ASCII only: every
// character outside ' '..'~' escaped, \uXXXX, two of them outside the BMP), which is how
// TimeTagger measures a setting's value. Integers only: Python prints floats its own way.
export function pyJsonLength(v) {
  if (v === null || v === true) return 4;
  if (v === false) return 5;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error('pyJsonLength: integers only');
    return String(v).length;
  }
  if (typeof v === 'string') {
    let n = 2;
    for (const ch of v) {
      const c = ch.codePointAt(0);
      if ('"\\\n\r\t\b\f'.includes(ch)) n += 2;
      else if (c < 0x20) n += 6;
      else if (c < 0x7f) n += 1;
      else if (c < 0x10000) n += 6;
      else n += 12;
    }
    return n;
  }
  if (Array.isArray(v)) return 2 + v.reduce((a, x) => a + pyJsonLength(x), 0) + 2 * Math.max(0, v.length - 1);
  const e = Object.entries(v);
  return 2 + e.reduce((a, [k, x]) => a + pyJsonLength(k) + 2 + pyJsonLength(x), 0) + 2 * Math.max(0, e.length - 1);
}
