// GET P + api/v2/login_methods (an extension of ours, docs/webapi.md): no token, 200
// {"methods": [...]} naming the login methods this server has on, so that a login page
// tries only those: usernamepassword when any credentials exist (setting or file),
// localhost when localhost_login is on (and proxy authentication off), proxy and webserver
// when their settings are on, and a program's own methods. Checked against what logging
// in with each method then answers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { api, b64, cgiEnv, credentials, login, ROOT, runCgi, startServer, tmpDir } from '../lib/harness.mjs';
import { assertError, assertJson, serverFixture } from '../lib/apitest.mjs';

const S = serverFixture({ users: { alice: 'pw-alice' } });

test('through the web server: no token needed, JSON, the methods that are on', async () => {
  const body = assertJson(await api(S.server).get('login_methods'));
  assert.deepEqual(body, { methods: ['usernamepassword', 'localhost'] });
  // With any token too, and with the name's slashes stripped like every endpoint's.
  assert.deepEqual(assertJson(await api(S.server, 'garbage').get('login_methods/')), body);
});

test('login_methods answers GET only: 405 without a token for another method', async () => {
  for (const method of ['POST', 'PUT', 'DELETE']) {
    assertError(await api(S.server).request(method, 'login_methods', { body: '' }), 405,
      { exact: 'method not allowed: /login_methods can only be used with GET' });
  }
});

const datadirOf = (name) => {
  const d = path.join(tmpDir(`${name}-`), 'data');
  fs.mkdirSync(d);
  return d;
};
const cgiMethods = async (datadir, settings, extra = {}) => {
  const a = await runCgi(cgiEnv({ datadir, path: 'api/v2/login_methods', extra: { ...settings, ...extra } }));
  assert.equal(a.status, 200, a.body);
  assert.match(a.headers['content-type'], /^application\/json/);
  return JSON.parse(a.body).methods;
};
// The status of a login with each method under the same settings.
const cgiLogin = async (datadir, settings, body, extra = {}) => {
  const text = b64(JSON.stringify(body));
  return (await runCgi(cgiEnv({ datadir, method: 'POST', path: 'api/v2/bootstrap_authentication', body: text,
    headers: { 'x-remote-user': 'pat' }, extra: { ...settings, ...extra } }), text)).status;
};
const attempts = {
  usernamepassword: { method: 'usernamepassword', username: 'alice', password: 'pw-alice' },
  localhost: { method: 'localhost' },
  proxy: { method: 'proxy' },
  webserver: { method: 'webserver' },
};

const creds = credentials({ alice: 'pw-alice' });
const cases = [
  ['nothing on', {}, []],
  ['credentials in the setting', { TAGWATCH_CREDENTIALS: creds }, ['usernamepassword']],
  ['localhost_login', { TAGWATCH_LOCALHOST_LOGIN: 'true' }, ['localhost']],
  ['credentials and localhost_login', { TAGWATCH_CREDENTIALS: creds, TAGWATCH_LOCALHOST_LOGIN: 'true' },
    ['usernamepassword', 'localhost']],
  ['proxy authentication (localhost login is off with it)', { TAGWATCH_PROXY_AUTH_ENABLED: 'true', TAGWATCH_LOCALHOST_LOGIN: 'true' },
    ['proxy']],
  ['web server authentication', { TAGWATCH_WEBSERVER_AUTH_ENABLED: 'true' }, ['webserver']],
  ['everything', { TAGWATCH_CREDENTIALS: creds, TAGWATCH_PROXY_AUTH_ENABLED: 'true', TAGWATCH_WEBSERVER_AUTH_ENABLED: 'true' },
    ['usernamepassword', 'proxy', 'webserver']],
];

for (const [name, settings, want] of cases) {
  test(`as plain CGI, ${name}: ${JSON.stringify(want)}, and exactly those log in`, async () => {
    const datadir = datadirOf('methods');
    assert.deepEqual(await cgiMethods(datadir, settings), want);
    for (const [method, body] of Object.entries(attempts)) {
      const status = await cgiLogin(datadir, settings, body, { REMOTE_USER: 'wes' });
      if (want.includes(method)) assert.equal(status, 200, `${method} is listed and works`);
      else assert.equal(status, 403, `${method} is not listed and is refused`);
    }
  });
}

test('the credentials file alone turns usernamepassword on', async () => {
  const datadir = datadirOf('methodsfile');
  assert.deepEqual(await cgiMethods(datadir, {}), []);
  fs.writeFileSync(path.join(datadir, 'credentials'), `# users\n${creds}\n`);
  assert.deepEqual(await cgiMethods(datadir, {}), ['usernamepassword']);
  fs.writeFileSync(path.join(datadir, 'credentials'), '# nobody left\n');
  assert.deepEqual(await cgiMethods(datadir, {}), []);
});

test('a program\'s own login method is listed after the standard ones', async () => {
  const srv = await startServer({ program: path.join(ROOT, 'build/examples/custom_login'), workers: 1,
    env: { CUSTOM_LOGIN_SECRET: 's' } });
  try {
    assert.deepEqual(assertJson(await api(srv).get('login_methods')).methods, ['localhost', 'sharedsecret']);
    assert.equal((await login(srv, { method: 'sharedsecret', username: 'erin', secret: 's' })).status, 200);
  } finally {
    await srv.stop();
  }
});
