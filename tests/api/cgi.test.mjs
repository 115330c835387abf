// The same answers in plain CGI mode: a table of requests, each run through nginx (FastCGI)
// and as the binary with CGI variables (one process per request) on the same data folder;
// status, content type and body must agree. Plus what only CGI has: Apache-style variables
// (SCRIPT_NAME + PATH_INFO), and one request per process exiting cleanly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, b64, cgiEnv, loginLocal, request, runCgi } from '../lib/harness.mjs';
import { serverFixture } from '../lib/apitest.mjs';

const S = serverFixture({ env: { TAGWATCH_LOCALHOST_LOGIN: 'true' } });
let token;
let apiTok;

async function setup() {
  if (token) return;
  token = await loginLocal(S.server);
  apiTok = (await api(S.server, token).get('apitoken')).json.token;
  await api(S.server, token).put('records', [
    { key: 'c1', t1: 100, t2: 200, mt: 1, st: 0, ds: '#cgi one' },
    { key: 'c2', t1: 300, t2: 300, mt: 1, st: 0, ds: 'HIDDEN #cgi' },
    { key: 'c3', t1: 400, t2: 500, mt: 1, st: 0 },
  ]);
  await api(S.server, token).put('settings', [{ key: 'cs', value: { x: [1, 'é'] }, mt: 1, st: 0 }]);
}

// [name, method, path under the prefix, query, body, headers (authtoken: 'WEB' | 'API' filled in)]
const rows = [
  ['status', 'GET', 'status'],
  ['api root', 'GET', 'api/v2/'],
  ['version', 'GET', 'api/v2/version', '', null, { authtoken: 'WEB' }],
  ['records', 'GET', 'api/v2/records', 'timerange=0-1000', null, { authtoken: 'WEB' }],
  ['records filtered', 'GET', 'api/v2/records', 'timerange=0-1000&tag=cgi&hidden=0', null, { authtoken: 'API' }],
  ['records running', 'GET', 'api/v2/records', 'timerange=0-1000&running=yes', null, { authtoken: 'API' }],
  ['settings', 'GET', 'api/v2/settings', '', null, { authtoken: 'WEB' }],
  ['updates nothing new', 'GET', 'api/v2/updates', 'since=99999999999', null, { authtoken: 'WEB' }, ['server_time']],
  ['updates all', 'GET', 'api/v2/updates', 'since=0', null, { authtoken: 'WEB' }, ['server_time']],
  ['put records', 'PUT', 'api/v2/records', '', JSON.stringify([{ key: 'p1', t1: 1, t2: 2, mt: 5, st: 0 }, { key: 'bad', t1: 'x' }, 7]),
    { authtoken: 'WEB' }],
  ['put settings', 'PUT', 'api/v2/settings', '', JSON.stringify([{ key: 'ps', value: 1, mt: 5 }, { key: 'psbad' }]), { authtoken: 'API' }],
  ['no token', 'GET', 'api/v2/version'],
  ['garbage token', 'GET', 'api/v2/records', 'timerange=0-1', null, { authtoken: 'garbage' }],
  ['unknown path', 'GET', 'api/v2/nothing', '', null, { authtoken: 'WEB' }],
  ['wrong method', 'DELETE', 'api/v2/records', '', null, { authtoken: 'WEB' }],
  ['wrong method forcereset', 'GET', 'api/v2/forcereset', '', null, { authtoken: 'WEB' }],
  ['bad timerange', 'GET', 'api/v2/records', 'timerange=x', null, { authtoken: 'WEB' }],
  ['missing since', 'GET', 'api/v2/updates', '', null, { authtoken: 'WEB' }],
  ['bad json', 'PUT', 'api/v2/records', '', '{nope', { authtoken: 'WEB' }],
  ['not a list', 'PUT', 'api/v2/settings', '', '{}', { authtoken: 'WEB' }],
  ['apitoken makes no tokens', 'GET', 'api/v2/webtoken', '', null, { authtoken: 'API' }],
  ['bootstrap bad method', 'POST', 'api/v2/bootstrap_authentication', '', b64('{"method": "nope"}')],
  ['bootstrap bad body', 'POST', 'api/v2/bootstrap_authentication', '', 'x'],
  ['bootstrap wrong credentials', 'POST', 'api/v2/bootstrap_authentication', '',
    b64('{"method": "usernamepassword", "username": "x", "password": "y"}')],
  ['bootstrap GET', 'GET', 'api/v2/bootstrap_authentication'],
];

const fill = (headers = {}) => Object.fromEntries(Object.entries(headers).map(([k, v]) =>
  [k, v === 'WEB' ? token : v === 'API' ? apiTok : v]));

function normalise(body, volatile = []) {
  try {
    const j = JSON.parse(body);
    for (const k of volatile) if (k in j) j[k] = typeof j[k];
    if (Array.isArray(j.records)) j.records = j.records.map(({ st, ...r }) => ({ ...r, st: typeof st }));
    if (Array.isArray(j.settings)) j.settings = j.settings.map(({ st, ...r }) => ({ ...r, st: typeof st }));
    return j;
  } catch {
    return body;
  }
}

for (const [name, method, p, query = '', body = null, headers, volatile] of rows) {
  test(`CGI and FastCGI agree: ${name}`, async () => {
    await setup();
    const h = fill(headers);
    const viaNginx = await request(`${S.server.baseUrl}/timetagger/${p}${query ? `?${query}` : ''}`,
      { method, headers: h, body: body ?? undefined });
    const viaCgi = await runCgi(cgiEnv({ datadir: S.server.datadir, method, path: p, query, headers: h, body: body ?? undefined,
      extra: { TAGWATCH_LOCALHOST_LOGIN: 'true' } }), body);
    assert.equal(viaCgi.code, 0, `exit code; stderr ${viaCgi.stderr}`);
    assert.equal(viaCgi.status, viaNginx.status, `${name}: CGI ${viaCgi.body} / nginx ${viaNginx.text}`);
    assert.equal(viaCgi.headers['content-type'], viaNginx.contentType);
    assert.deepEqual(normalise(viaCgi.body, volatile), normalise(viaNginx.text, volatile));
  });
}

test('CGI: Apache-style SCRIPT_NAME + PATH_INFO without REQUEST_URI routes the same', async () => {
  await setup();
  const env = cgiEnv({ datadir: S.server.datadir, path: 'api/v2/records', query: 'timerange=0-1000', headers: { authtoken: token } });
  delete env.REQUEST_URI;
  delete env.DOCUMENT_URI;
  env.SCRIPT_NAME = '/timetagger/api';
  env.PATH_INFO = '/v2/records';
  const a = await runCgi(env);
  assert.equal(a.status, 200, a.body);
  const keys = JSON.parse(a.body).records.map((r) => r.key);
  for (const k of ['c1', 'c2', 'c3']) assert.ok(keys.includes(k), k);
});

test('CGI: a request URI with percent-escapes routes like its decoded form', async () => {
  await setup();
  const env = cgiEnv({ datadir: S.server.datadir, path: 'api/v2/%72ecords', query: 'timerange=0-1000', headers: { authtoken: token } });
  const a = await runCgi(env);
  assert.equal(a.status, 200, a.body);
});

test('CGI: one request per process, a clean exit, and a status line for every answer', async () => {
  await setup();
  for (const [p, status] of [['status', 200], ['api/v2/nothing', 401], ['api/v2/version', 401]]) {
    const a = await runCgi(cgiEnv({ datadir: S.server.datadir, path: p }));
    assert.equal(a.code, 0);
    assert.equal(a.status, status, `${p}: ${a.body}`);
  }
});

test('CGI: / is a 307 to the prefix (or the app with app_redirect), other paths outside it 404', async () => {
  const env = (uri, extra = {}) => ({ ...cgiEnv({ datadir: S.server.datadir, extra }), REQUEST_URI: uri, SCRIPT_NAME: uri, DOCUMENT_URI: uri });
  const a = await runCgi(env('/'));
  assert.equal(a.status, 307);
  assert.equal(a.headers.location, '/timetagger/');
  const b = await runCgi(env('/', { TAGWATCH_APP_REDIRECT: 'true' }));
  assert.equal(b.status, 307);
  assert.equal(b.headers.location, '/timetagger/app/');
  for (const uri of ['/foo', '/api/v2/version', '/timetaggerx/status']) {
    const c = await runCgi(env(uri));
    assert.equal(c.status, 404, `${uri}: ${c.body}`);
    assert.match(c.headers['content-type'], /^text\/plain/);
  }
});

// RFC 3875: a web server passes the words of a query without '=' to a CGI program as its
// arguments. They must never become settings: here they would turn on proxy login for
// everyone (found when the suite first ran through Apache's mod_cgi).
test('as plain CGI, command-line arguments (a query\'s words) are not settings', async () => {
  const { spawnSync } = await import('node:child_process');
  const { PROGRAM } = await import('../lib/harness.mjs');
  const body = b64(JSON.stringify({ method: 'proxy' }));
  const env = cgiEnv({ datadir: S.server.datadir, method: 'POST', path: 'api/v2/bootstrap_authentication',
    query: '--proxy_auth_enabled+--proxy_auth_trusted+0.0.0.0/0', headers: { 'X-Remote-User': 'mallory' }, body,
    remoteAddr: '10.9.9.9' });
  const r = spawnSync(PROGRAM, ['--proxy_auth_enabled', '--proxy_auth_trusted', '0.0.0.0/0'],
    { env: { ...env, PATH: process.env.PATH }, input: body });
  const out = r.stdout.toString();
  assert.match(out, /^Status: 403 /, out);
  assert.doesNotMatch(out, /"token"/);
});
