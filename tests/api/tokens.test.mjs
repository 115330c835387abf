// GET webtoken and GET apitoken (docs/api.md "Authentication"): new tokens, ?reset with its truth
// rule revoking earlier tokens of that kind only, and 403 for apitokens.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt, now } from '../lib/harness.mjs';
import { assertError, assertJson, serverFixture } from '../lib/apitest.mjs';

const users = { t1: 'p1', t2: 'p2', t3: 'p3' };
const S = serverFixture({ users });
const API_EXPIRES = 32503748400;

const tokenFrom = async (c, p) => {
  const body = assertJson(await c.get(p));
  assert.deepEqual(Object.keys(body), ['token']);
  assert.equal(typeof body.token, 'string');
  return body.token;
};
const works = async (token) => (await S.api(token).get('version')).status === 200;

test('webtoken gives a fresh webtoken of the same user; the old one keeps working', async () => {
  const web = await S.token('t1');
  const fresh = await tokenFrom(S.api(web), 'webtoken');
  const p = decodeJwt(fresh);
  assert.equal(p.username, 't1');
  assert.ok(Math.abs(p.expires - (now() + 14 * 86400)) < 120);
  assert.ok(await works(fresh));
  assert.ok(await works(web));
});

test('apitoken gives a token that never expires and can use the API', async () => {
  const web = await S.token('t1');
  const apiTok = await tokenFrom(S.api(web), 'apitoken');
  const p = decodeJwt(apiTok);
  assert.equal(p.username, 't1');
  assert.equal(p.expires, API_EXPIRES);
  const c = S.api(apiTok);
  assertJson(await c.get('version'));
  assertJson(await c.put('records', [{ key: 'viaapi', t1: 1, t2: 2, mt: 1, st: 0 }]));
  assertJson(await c.get('records?timerange=0-10'));
  assertJson(await c.get('updates?since=0'));
  assertJson(await c.get('settings'));
  // Asking twice without reset: both work.
  const again = await tokenFrom(S.api(web), 'apitoken');
  assert.ok(await works(again));
  assert.ok(await works(apiTok));
});

test('an apitoken may not make tokens: 403 forbidden', async () => {
  const web = await S.token('t1');
  const apiTok = await tokenFrom(S.api(web), 'apitoken');
  for (const p of ['webtoken', 'apitoken', 'webtoken?reset=1', 'apitoken?reset=1']) {
    const name = p.replace(/\?.*/, '');
    assertError(await S.api(apiTok).get(p), 403, { exact: `forbidden: /${name} needs auth with a web-token` });
  }
  // And the 403 did not reset anything.
  assert.ok(await works(apiTok));
  assert.ok(await works(web));
});

for (const value of ['', 'false', 'off', 'no', 'n', '0', 'FALSE', 'Off', 'NO', 'N']) {
  test(`webtoken?reset=${value} does not reset`, async () => {
    const web = await S.token('t2');
    const fresh = await tokenFrom(S.api(web), `webtoken?reset=${value}`);
    assert.ok(await works(web), 'the old token still works');
    assert.ok(await works(fresh));
  });
}

for (const value of ['1', 'true', 'yes', 'on', 'x', '2', 'TRUE', 'y']) {
  test(`webtoken?reset=${value} revokes every earlier webtoken, not apitokens`, async () => {
    S.forget('t3');
    const web = await S.token('t3');
    const other = await tokenFrom(S.api(web), 'webtoken');
    const apiTok = await tokenFrom(S.api(web), 'apitoken');
    const fresh = await tokenFrom(S.api(web), `webtoken?reset=${value}`);
    assert.ok(await works(fresh), 'the new token works');
    assertError(await S.api(web).get('version'), 401, { prefix: 'unauthorized:', includes: 'revoked' });
    assertError(await S.api(other).get('version'), 401, { prefix: 'unauthorized:', includes: 'revoked' });
    assert.ok(await works(apiTok), 'apitokens are not touched');
    assert.notEqual(decodeJwt(fresh).seed, decodeJwt(web).seed);
    S.forget('t3');
  });
}

test('apitoken?reset=1 revokes earlier apitokens, not webtokens', async () => {
  S.forget('t3');
  const web = await S.token('t3');
  const old = await tokenFrom(S.api(web), 'apitoken');
  const fresh = await tokenFrom(S.api(web), 'apitoken?reset=1');
  assert.notEqual(decodeJwt(fresh).seed, decodeJwt(old).seed);
  assertError(await S.api(old).get('version'), 401, { prefix: 'unauthorized:', includes: 'revoked' });
  assert.ok(await works(fresh));
  assert.ok(await works(web));
  // Without reset the same seed comes back.
  assert.equal(decodeJwt(await tokenFrom(S.api(web), 'apitoken')).seed, decodeJwt(fresh).seed);
  // apitoken?reset=0 keeps it.
  await tokenFrom(S.api(web), 'apitoken?reset=0');
  assert.ok(await works(fresh));
});

test('a repeated reset parameter: the last counts', async () => {
  S.forget('t2');
  const web = await S.token('t2');
  await tokenFrom(S.api(web), 'webtoken?reset=1&reset=0');
  assert.ok(await works(web));
  const fresh = await tokenFrom(S.api(web), 'webtoken?reset=0&reset=1');
  assert.ok(!(await works(web)));
  assert.ok(await works(fresh));
  S.forget('t2');
});

test('a login after a reset gets a token with the new seed', async () => {
  S.forget('t2');
  const web = await S.token('t2');
  const fresh = await tokenFrom(S.api(web), 'webtoken?reset=1');
  S.forget('t2');
  const again = await S.token('t2');
  assert.equal(decodeJwt(again).seed, decodeJwt(fresh).seed);
  assert.ok(await works(again));
});
