// Login throttling (docs/api.md): too many failed logins for a user or from an address are
// refused with 429, Retry-After and a message, without checking the password and without
// sleeping; the state is shared by every CGI process and FastCGI worker through
// <datadir>/throttle.db; a success resets the user's count.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { b64, cgiEnv, copyFixture, fixturePath, login, runCgi, sqlite, startServer } from '../lib/harness.mjs';
import { admin, newDatadir } from '../admin/admin-lib.mjs';
import { waitFor } from './lib/proc.mjs';

const tokens = JSON.parse(fs.readFileSync(fixturePath('tokens.json'), 'utf8'));

function datadirWith(users) {
  const datadir = newDatadir();
  for (const [user, password] of Object.entries(users)) {
    assert.equal(admin(['users', 'add', user, '--password-stdin'], { datadir, input: `${password}\n` }).code, 0);
  }
  return datadir;
}

// One login as its own CGI process, as Apache's mod_cgi or a shared host runs it.
function loginCgi(datadir, username, password, remoteAddr = '127.0.0.1', env = {}) {
  const body = b64(JSON.stringify({ method: 'usernamepassword', username, password }));
  return runCgi({ ...cgiEnv({ datadir, method: 'POST', path: 'api/v2/bootstrap_authentication', body, remoteAddr }), ...env }, body);
}

test('five failures for a user: the sixth try is refused with 429 and Retry-After, even with the right password', async () => {
  const datadir = datadirWith({ alice: 'alice-pass', bob: 'bob-pass' });
  for (let i = 0; i < 5; i++) {
    const r = await loginCgi(datadir, 'alice', `wrong-${i}`, `198.51.100.${i + 1}`);
    assert.equal(r.status, 403, r.body);
    assert.equal(r.body.trim(), 'Invalid credentials');
  }
  const refused = await loginCgi(datadir, 'alice', 'alice-pass', '198.51.100.77');
  assert.equal(refused.status, 429, refused.body);
  assert.match(refused.headers['content-type'], /^text\/plain;\s*charset=utf-8$/i);
  assert.match(refused.body, /^too many requests: /);
  const wait = Number(refused.headers['retry-after']);
  assert.ok(Number.isInteger(wait) && wait > 290 && wait <= 300, `Retry-After: ${refused.headers['retry-after']}`);
  assert.match(refused.body, new RegExp(`${wait} seconds`));
  // Refused without checking the password, and without sleeping.
  assert.ok(refused.ms < 1000, `${refused.ms} ms`);
  // Another user, from another address, is not affected.
  assert.equal((await loginCgi(datadir, 'bob', 'bob-pass', '198.51.100.78')).status, 200);
  // The state lives in the data folder, beside users/, private.
  const db = path.join(datadir, 'throttle.db');
  assert.equal(fs.statSync(db).mode & 0o777, 0o600);
  // Once the failures are older than the window, logins are tried again.
  sqlite(db, 'UPDATE failures SET t = t - 301');
  assert.equal((await loginCgi(datadir, 'alice', 'alice-pass', '198.51.100.77')).status, 200);
});

test('a successful login resets the user\'s count', async () => {
  const datadir = datadirWith({ carol: 'carol-pass' });
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 4; i++) assert.equal((await loginCgi(datadir, 'carol', 'nope', '203.0.113.5')).status, 403);
    assert.equal((await loginCgi(datadir, 'carol', 'carol-pass', '203.0.113.5')).status, 200, `round ${round}`);
  }
});

test('one address guessing many users is refused after four times the per-user limit', async () => {
  const datadir = datadirWith({ dave: 'dave-pass' });
  for (let i = 0; i < 20; i++) assert.equal((await loginCgi(datadir, `guess${i}`, 'x', '192.0.2.66')).status, 403);
  const refused = await loginCgi(datadir, 'dave', 'dave-pass', '192.0.2.66');
  assert.equal(refused.status, 429);
  assert.ok(Number(refused.headers['retry-after']) > 0);
  assert.equal((await loginCgi(datadir, 'dave', 'dave-pass', '192.0.2.67')).status, 200, 'other addresses are fine');
});

test('login_max_failures and login_window are settings; 0 turns throttling off', async () => {
  const datadir = datadirWith({ erin: 'erin-pass' });
  const two = { TAGWATCH_LOGIN_MAX_FAILURES: '2', TAGWATCH_LOGIN_WINDOW: '60' };
  for (let i = 0; i < 2; i++) assert.equal((await loginCgi(datadir, 'erin', 'x', '10.9.0.1', two)).status, 403);
  const r = await loginCgi(datadir, 'erin', 'erin-pass', '10.9.0.1', two);
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers['retry-after']) <= 60);
  const off = { TAGWATCH_LOGIN_MAX_FAILURES: '0' };
  for (let i = 0; i < 8; i++) assert.equal((await loginCgi(datadir, 'erin', 'x', '10.9.0.2', off)).status, 403);
  assert.equal((await loginCgi(datadir, 'erin', 'erin-pass', '10.9.0.2', off)).status, 200);
});

test('FastCGI workers behind nginx share the count', async () => {
  const datadir = copyFixture();
  const bcrypt = fs.readFileSync(fixturePath('credentials.txt'), 'utf8').trim();
  const server = await startServer({ datadir, workers: 3, env: { TAGWATCH_CREDENTIALS: bcrypt } });
  try {
    const pids = new Set();
    // At once, so that several workers answer them (each bcrypt check takes a while).
    const failures = await Promise.all([0, 1, 2, 3, 4].map((i) => login(server, { method: 'usernamepassword', username: 'alice', password: `bad${i}` })));
    for (const r of failures) assert.equal(r.status, 403, r.text);
    await waitFor('5 log lines', () => (server.log().match(/info POST/g) || []).length >= 5);
    for (const line of server.log().split('\n')) {
      const m = /tagwatch\[(\d+)\] info POST/.exec(line);
      if (m) pids.add(m[1]);
    }
    assert.ok(pids.size >= 2, `the failures were answered by ${pids.size} worker(s); the test wants several`);
    const r = await login(server, { method: 'usernamepassword', username: 'alice', password: tokens.alice.password });
    assert.equal(r.status, 429, r.text);
    assert.ok(r.headers['retry-after']);
    const bob = await login(server, { method: 'usernamepassword', username: 'bob@example.com', password: tokens['bob@example.com'].password });
    assert.equal(bob.status, 200, 'nginx gives every login the address 127.0.0.1: 5 failures do not block it');
  } finally {
    await server.stop();
  }
});
