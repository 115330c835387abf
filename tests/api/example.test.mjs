// examples/custom_login.cpp, a program of its own on libtagwatch, behind the same nginx:
// its login method "sharedsecret" issues working webtokens, its extra endpoint answers
// behind the token check, and the standard API is all still there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, api, login, startServer, tmpDir, viaApache } from '../lib/harness.mjs';
import { waitFor } from '../deploy/lib/proc.mjs';

const program = path.join(ROOT, 'build/examples/custom_login');
let server;

before(async () => {
  assert.ok(fs.existsSync(program), `${program} is missing: make builds it`);
  server = await startServer({ program, env: { CUSTOM_LOGIN_SECRET: 'open sesame' } });
});
after(() => server?.stop());

test('the custom login method issues a webtoken for the user it names', async () => {
  const r = await login(server, { method: 'sharedsecret', username: 'erin', secret: 'open sesame' });
  assert.equal(r.status, 200, r.text);
  const who = await api(server, r.json.token).get('whoami');
  assert.equal(who.status, 200, who.text);
  assert.deepEqual(who.json, { username: 'erin', apitoken: false });
  // The standard API works with that token, for that user.
  const put = await api(server, r.json.token).put('records', [{ key: 'ex1', t1: 10, t2: 20, mt: 1, ds: '#example' }]);
  assert.deepEqual(put.json.accepted, ['ex1']);
  const got = await api(server, r.json.token).get('records?timerange=0-100');
  assert.equal(got.json.records[0].ds, '#example');
});

test('a wrong or missing secret is refused with the method\'s own message', async () => {
  const wrong = await login(server, { method: 'sharedsecret', username: 'erin', secret: 'nope' });
  assert.equal(wrong.status, 403);
  assert.equal(wrong.text, 'forbidden: the shared secret is wrong');
  const missing = await login(server, { method: 'sharedsecret', username: 'erin' });
  assert.equal(missing.status, 403);
});

test('the extra endpoint sits behind the same token check as the API', async () => {
  const r = await api(server).get('whoami');
  assert.equal(r.status, 401);
  assert.match(r.text, /^unauthorized: /);
  const bad = await api(server, 'garbage').get('whoami');
  assert.equal(bad.status, 401);
  const wrongMethod = await api(server, (await login(server, { method: 'sharedsecret', username: 'erin', secret: 'open sesame' })).json.token)
    .put('whoami', '[]');
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.text, 'method not allowed: /whoami can only be used with GET');
});

test('the standard login methods are still there', async () => {
  const r = await login(server, { method: 'localhost' });
  assert.equal(r.status, 200, r.text);
});

// A request logger of the program's own is public API (run()'s also_log, ServeOptions::log):
// one that throws must cost neither the answer nor the worker.
test('an audit log of the program\'s own: its lines are written after each answer', async () => {
  const file = path.join(tmpDir('audit-'), 'audit.log');
  if (viaApache) (await import('../deploy/lib/apache.mjs')).giveToApache(path.dirname(file));
  const srv = await startServer({ program, workers: 1, env: { CUSTOM_LOGIN_SECRET: 's', CUSTOM_LOGIN_AUDIT_LOG: file } });
  try {
    assert.equal((await api(srv).get('version')).status, 401);
    await waitFor('the audit line', () => fs.existsSync(file)
      && fs.readFileSync(file, 'utf8').includes('GET /timetagger/api/v2/version 401'));
  } finally {
    await srv.stop();
  }
});

test('an audit log that throws on every request: every request is answered, the same worker serves on', async () => {
  const dir = tmpDir('audit-');  // a folder cannot be appended to: the logger throws each time
  const srv = await startServer({ program, workers: 1, env: { CUSTOM_LOGIN_SECRET: 's', CUSTOM_LOGIN_AUDIT_LOG: dir } });
  try {
    const workers = viaApache ? null : srv.workerPids();
    const r = await login(srv, { method: 'sharedsecret', username: 'erin', secret: 's' });
    assert.equal(r.status, 200, r.text);
    for (let i = 0; i < 20; i++) {
      const who = await api(srv, r.json.token).get('whoami');
      assert.equal(who.status, 200, who.text);
      assert.deepEqual(who.json, { username: 'erin', apitoken: false });
    }
    if (!viaApache) {
      assert.deepEqual(srv.workerPids(), workers, 'no worker was lost and replaced');
      assert.match(srv.log(), /the request log failed: cannot append to the audit log/);
    }
  } finally {
    await srv.stop();
  }
});
