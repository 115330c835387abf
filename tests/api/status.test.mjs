// The paths outside the API proper, through nginx.conf.example: status, the API root, `/`,
// paths outside the prefix, the static client, security headers, the web server's own
// errors as plain text, and the data folder never served (docs/api.md "Paths").
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { api, b64, cgiEnv, FRONTEND, jwtKey, loginLocal, nginxOnly, request, ROOT, runCgi, startServer } from '../lib/harness.mjs';
import { assertError, assertJson, serverFixture } from '../lib/apitest.mjs';

const S = serverFixture();
const url = (p) => S.server.baseUrl + p;
// Shared hosting (deploy/htaccess) owns only its upload folder under public_html: `/` and
// the paths outside the prefix are the host's, answered by its own pages, not ours.
const hostOwnsRoot = FRONTEND.startsWith('htaccess')
  ? 'shared hosting: / and the paths outside the upload folder are the host\'s (deploy/htaccess covers only P)' : false;

test('GET P+status answers 200 ok in plain text', async () => {
  const a = await request(url('/timetagger/status'));
  assert.equal(a.status, 200);
  assert.match(a.text, /^ok\n?$/);
  assert.match(a.contentType, /^text\/plain/);
});

test('P+status answers 200 ok to any method, as TimeTagger', async () => {
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const a = await request(url('/timetagger/status'), { method, body: '' });
    assert.equal(a.status, 200, `${method}: ${a.status} ${a.text}`);
    assert.match(a.text, /^ok\n?$/);
  }
});

test('as plain CGI, a path outside the prefix is 404 only serving at P (TimeTagger\'s text)', async () => {
  for (const uri of ['/foo', '/timetaggerx/api/v2/version', '/api/v2/']) {
    const a = await runCgi(cgiEnv({ datadir: S.server.datadir, extra: { REQUEST_URI: uri, SCRIPT_NAME: uri } }));
    assert.equal(a.status, 404, `${uri}: ${a.body}`);
    assert.equal(a.body.replace(/\n$/, ''), 'only serving at /timetagger/');
  }
});

// The program's own answers for `/` with the prefix `/` (its web-server config decides
// whether `/` reaches it): the app with app_redirect, as TimeTagger; else no page of its own.
test('as plain CGI with the prefix /: / redirects to /app/ when app_redirect is on, the API is at /api/v2/', async () => {
  const env = (p, extra = {}) => cgiEnv({ datadir: S.server.datadir, prefix: '/', path: p,
    extra: { TAGWATCH_PATH_PREFIX: '/', ...extra } });
  const redirect = await runCgi(env('', { TAGWATCH_APP_REDIRECT: 'true' }));
  assert.equal(redirect.status, 307, redirect.body);
  assert.equal(redirect.headers.location, '/app/');
  const plain = await runCgi(env(''));
  assert.equal(plain.status, 404, plain.body);
  assert.equal((await runCgi(env('status'))).body.replace(/\n$/, ''), 'ok');
  const root = await runCgi(env('api/v2/'));
  assert.equal(root.status, 200, root.body);
  assert.match(root.body, /docs\/webapi\.md/);
});

test('GET P+api/v2/ answers 200 with a short plain-text pointer, no token needed', async () => {
  const a = await request(url('/timetagger/api/v2/'));
  assert.equal(a.status, 200, a.text);
  assert.match(a.contentType, /^text\/plain/);
  assert.ok(a.text.trim().length > 0 && a.text.length < 2000, a.text);
});

test('GET version answers the server version as JSON', async () => {
  const token = await loginLocal(S.server);
  const body = assertJson(await api(S.server, token).get('version'));
  assert.deepEqual(Object.keys(body), ['version']);
  assert.equal(typeof body.version, 'string');
  assert.ok(body.version.length > 0);
  const versionFile = path.join(ROOT, 'VERSION');
  if (fs.existsSync(versionFile)) assert.ok(body.version.includes(fs.readFileSync(versionFile, 'utf8').trim()), body.version);
});

test('/ answers 307 to the prefix', { skip: hostOwnsRoot }, async () => {
  const a = await request(url('/'));
  assert.equal(a.status, 307);
  assert.equal(a.headers.location, '/timetagger/');
});

test('/ answers 307 to the app when app_redirect is on', { skip: hostOwnsRoot }, async () => {
  const srv = await startServer({ workers: 1, args: ['--app_redirect=true'] });
  try {
    const a = await request(`${srv.baseUrl}/`);
    assert.equal(a.status, 307);
    assert.equal(a.headers.location, '/timetagger/app/');
  } finally {
    await srv.stop();
  }
});

for (const p of ['/foo', '/timetagger', '/timetaggerx/', '/api/v2/version', '/status', '/index.html', '/www/index.html',
  '/Makefile', '/cgi-bin/tagwatch.fcgi', '/data/jwt.key', '/timetagger/api/', '/timetagger/nothing.html', '/_tagwatch_error/502']) {
  test(`${p} outside the API answers 404 in plain text`, async () => {
    const a = await request(url(p));
    // Outside the upload folder a shared host answers with its own 404 page.
    if (hostOwnsRoot && !p.startsWith('/timetagger/')) {
      // ...and /timetagger is the upload folder itself, which Apache completes with a slash.
      if (p === '/timetagger') return assert.equal(new URL(a.headers.location, S.server.baseUrl).pathname, '/timetagger/');
      return assert.equal(a.status, 404, `${p}: ${a.status}`);
    }
    assertError(a, 404, { prefix: 'not found' });
  });
}

test('P+api/v2 without its slash is sent to the API root', async () => {
  const a = await request(url('/timetagger/api/v2'));
  assert.equal(a.status, 301);
  // Apache's redirects name the whole URL; nginx's the path.
  assert.equal(new URL(a.headers.location, S.server.baseUrl).href, url('/timetagger/api/v2/'));
});

test('the data folder is never served, whatever the path tricks', async () => {
  const key = jwtKey(S.server.datadir);
  const rel = path.relative(ROOT, S.server.datadir);
  const tries = ['/timetagger/../data/jwt.key', '/timetagger/data/jwt.key', '/timetagger/%2e%2e/data/jwt.key',
    '/timetagger/..%2fdata/jwt.key', '/timetagger/..%2f..%2fdata/jwt.key', `/timetagger/../${rel}/jwt.key`,
    `/timetagger/..%2f${rel.replace(/\//g, '%2f')}%2fjwt.key`, `/${rel}/jwt.key`, '/timetagger/.git/config',
    '/timetagger/../cgi-bin/tagwatch.fcgi', '/timetagger/../Makefile', '/timetagger/..%5c..%5cMakefile'];
  for (const p of tries) {
    const a = await request(url(p));
    assert.notEqual(a.status, 200, `${p} answered 200`);
    assert.ok(!a.text.includes(key), `${p} revealed the key`);
    assert.ok(a.status >= 400 && a.status < 500, `${p}: ${a.status}`);
  }
});

for (const [p, file] of [['/timetagger/', 'index.html'], ['/timetagger/login', 'login.html'],
  ['/timetagger/logout', 'logout.html'], ['/timetagger/account', 'account.html'], ['/timetagger/app/', 'app/index.html']]) {
  test(`${p} serves www/${file} as HTML`, async (t) => {
    if (!fs.existsSync(path.join(ROOT, 'www', file))) return t.skip(`www/${file} does not exist yet`);
    const a = await request(url(p));
    assert.equal(a.status, 200);
    assert.match(a.contentType, /^text\/html/);
    assert.equal(a.text, fs.readFileSync(path.join(ROOT, 'www', file), 'utf8'));
  });
}

function checkSecurityHeaders(a, what) {
  const csp = a.headers['content-security-policy'] || '';
  assert.match(csp, /default-src 'self'/, `${what}: CSP ${csp}`);
  assert.match(csp, /frame-ancestors 'none'/, `${what}: CSP ${csp}`);
  assert.ok(!/https?:|\*/.test(csp), `${what}: CSP names third parties: ${csp}`);
  assert.equal(a.headers['x-content-type-options'], 'nosniff', what);
  assert.ok(a.headers['referrer-policy'], `${what}: Referrer-Policy`);
}

test('security headers on pages, API answers, API errors and web-server errors', async () => {
  const token = await loginLocal(S.server);
  checkSecurityHeaders(await request(url('/timetagger/status')), 'status');
  checkSecurityHeaders(await api(S.server, token).get('version'), 'version');
  checkSecurityHeaders(await api(S.server).get('version'), '401');
  checkSecurityHeaders(await request(url('/timetagger/nothing')), 'web server 404');
  if (!hostOwnsRoot) {
    checkSecurityHeaders(await request(url('/nothing')), 'web server 404 outside P');
    checkSecurityHeaders(await request(url('/')), '307');
  }
  checkSecurityHeaders(await request(url('/timetagger/')), 'landing page');
});

test('the web server does not announce its version', { skip: hostOwnsRoot && 'ServerTokens is the host\'s (not allowed in .htaccess)' }, async () => {
  const a = await request(url('/nothing'));
  assert.ok(!/\d/.test(a.headers.server || ''), a.headers.server);
});

// nginx and apache.conf.example (LimitRequestBody) answer it themselves; with deploy/htaccess
// it reaches the program (plain CGI has no limit; the harness raises htaccess-fcgid's), whose
// own 413 above 10 MiB answers it.
test('a body over the web server limit (11 MiB) is a plain-text 413', async () => {
  // With a token: where the program answers, the token is checked before the length (docs/api.md).
  const headers = hostOwnsRoot ? { authtoken: await loginLocal(S.server) } : {};
  const a = await request(url('/timetagger/api/v2/records'), { method: 'PUT', headers, body: Buffer.alloc(11 * 1024 * 1024 + 1, 32) });
  assertError(a, 413, { prefix: 'payload too large:' });
});

test('headers too large for nginx are a plain-text 400', async () => {
  const a = await request(url('/timetagger/api/v2/version'), { headers: { authtoken: 'x'.repeat(20000) } });
  // Apache refuses them before it reads any .htaccess: the host's own 400 page.
  if (hostOwnsRoot) return assert.equal(a.status, 400);
  assertError(a, 400, { prefix: 'bad request:' });
});

test('a program that is down is a plain-text 502', { skip: nginxOnly('stops the FastCGI program nginx talks to; mod_fcgid and CGI start it per need') }, async () => {
  const srv = await startServer({ workers: 1 });
  try {
    await srv.stopProgram();
    const a = await request(`${srv.baseUrl}/timetagger/status`);
    assertError(a, 502, { prefix: 'bad gateway:' });
    const b = await request(`${srv.apiUrl}version`);
    assertError(b, 502, { prefix: 'bad gateway:' });
  } finally {
    await srv.stop();
  }
});

test("the example's login rate limit answers a plain-text 429 before the program sees the flood", { skip: nginxOnly('nginx.conf.example\'s limit_req; the Apache configs have no rate limit of their own') }, async () => {
  const srv = await startServer({ workers: 1, loginBurst: null });
  try {
    const body = b64(JSON.stringify({ method: 'nosuchmethod' }));
    const answers = await Promise.all(Array.from({ length: 40 }, () => api(srv).post('bootstrap_authentication', body)));
    const limited = answers.filter((a) => a.status === 429);
    const passed = answers.filter((a) => a.status === 401);
    assert.ok(limited.length >= 10, `only ${limited.length} of 40 were limited`);
    assert.ok(passed.length >= 1, 'the burst lets the first ones through');
    assertError(limited[0], 429, { prefix: 'too many requests:' });
    // Other API paths are not limited.
    const token = await loginLocal(srv).catch(() => null);
    assert.equal(token, null, 'the login path stays limited');
    const st = await Promise.all(Array.from({ length: 40 }, () => request(`${srv.baseUrl}/timetagger/status`)));
    assert.ok(st.every((a) => a.status === 200));
  } finally {
    await srv.stop();
  }
});

test('the same server under spawn-fcgi (socket handed over as fd 0) answers alike', { skip: nginxOnly('spawn-fcgi hands nginx the socket') }, async () => {
  const srv = await startServer({ workers: 1, mode: 'spawn-fcgi' });
  try {
    assert.equal((await request(`${srv.baseUrl}/timetagger/status`)).status, 200);
    const token = await loginLocal(srv);
    assertJson(await api(srv, token).get('version'));
    assertError(await api(srv, token).get('nothing'), 404, { exact: 'not found: /nothing is not a valid API path' });
  } finally {
    await srv.stop();
  }
});

test('another path prefix moves everything under it', async () => {
  const srv = await startServer({ workers: 1, prefix: '/tt/' });
  try {
    assert.equal((await request(`${srv.baseUrl}/tt/status`)).status, 200);
    if (!hostOwnsRoot) {
      const r = await request(`${srv.baseUrl}/`);
      assert.equal(r.status, 307);
      assert.equal(r.headers.location, '/tt/');
      assertError(await request(`${srv.baseUrl}/timetagger/status`), 404, { prefix: 'not found' });
    } else {
      assert.equal((await request(`${srv.baseUrl}/timetagger/status`)).status, 404);
    }
    const token = await loginLocal(srv);
    assertJson(await api(srv, token).get('version'));
    assertError(await api(srv, token).get('nothing'), 404, { exact: 'not found: /nothing is not a valid API path' });
  } finally {
    await srv.stop();
  }
});
