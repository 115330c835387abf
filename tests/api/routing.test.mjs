// Routing and the order of checks (docs/api.md "Paths"): token (401), then path (404), then
// method (405), then the request: 413 from CONTENT_LENGTH before a byte of the body is read
// (through nginx, under FastCGI without nginx, and as plain CGI), then 400.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { api, cgiEnv, loginLocal, MAX_BODY, nginxOnly, request, runCgi } from '../lib/harness.mjs';
import { fcgiRequest } from '../lib/fcgi.mjs';
import { assertError, assertJson, serverFixture } from '../lib/apitest.mjs';

const S = serverFixture();
let token;
const client = async () => {
  token ??= await loginLocal(S.server);
  return api(S.server, token);
};

const notFound = (name) => `not found: /${name} is not a valid API path`;
const notAllowed = (name, methods) => `method not allowed: /${name} can only be used with ${methods}`;

const allowed = {
  version: 'GET', updates: 'GET', records: 'GET and PUT', settings: 'GET and PUT', forcereset: 'PUT',
  webtoken: 'GET', apitoken: 'GET',
};

for (const name of ['nothing', 'Records', 'records/x', '/records/x/', 'v2', '', 'settings.json', 'records%01',
  'updates;x', '..', 'bootstrap_authentications', 'version/x', 'x//version']) {
  test(`GET api/v2/${name || '(empty)'}: 404 with its exact text (or the root)`, async () => {
    const c = await client();
    const a = await c.get(name);
    if (name === '') {
      assert.equal(a.status, 200); // the API root
      return;
    }
    if (name === '..') {
      assert.notEqual(a.status, 200);
      return;
    }
    const decoded = decodeURIComponent(name).replace(/^\/+|\/+$/g, '');
    assertError(a, 404, { exact: notFound(decoded) });
  });
}

// TimeTagger strips '/' on both sides of the endpoint's name.
test('the endpoint name is the path without / on either side: version/, /version, version//, //version//', async () => {
  const c = await client();
  for (const name of ['version/', '/version', 'version//', '//version//', '///version']) {
    assert.deepEqual(Object.keys(assertJson(await c.get(name))), ['version'], name);
  }
  assertJson(await c.get('records/?timerange=0-10'));
  assertError(await c.request('POST', 'records//'), 405, { exact: notAllowed('records', 'GET and PUT') });
  assertError(await c.get('nothing/'), 404, { exact: notFound('nothing') });
  assertError(await api(S.server).get('version/'), 401, { prefix: 'unauthorized:' });
  // The API root: api/v2/ and api/v2// alike; the login path too.
  assert.equal((await api(S.server).get('/')).status, 200);
  assertError(await api(S.server).request('GET', 'bootstrap_authentication/'), 405,
    { exact: notAllowed('bootstrap_authentication', 'POST') });
});

// TimeTagger answers the API root for GET only; any other method is an unknown path to it,
// so the token is checked first, then 404.
test('the API root with another method than GET: 401 without a token, 404 with one', async () => {
  const c = await client();
  for (const method of ['POST', 'PUT', 'DELETE']) {
    assertError(await api(S.server).request(method, '', { body: '' }), 401, { prefix: 'unauthorized:' });
    assertError(await c.request(method, '', { body: '' }), 404, { exact: 'not found: / is not a valid API path' });
  }
});

for (const [name, methods] of Object.entries(allowed)) {
  for (const method of ['GET', 'PUT', 'POST', 'DELETE', 'PATCH']) {
    if (methods.split(' and ').includes(method)) continue;
    test(`${method} ${name}: 405 with its exact text`, async () => {
      const c = await client();
      const a = await c.request(method, name, { body: method === 'GET' ? undefined : '[]' });
      assertError(a, 405, { exact: notAllowed(name, methods) });
    });
  }
}

for (const method of ['GET', 'PUT', 'DELETE']) {
  test(`${method} bootstrap_authentication: 405 without a token`, async () => {
    const a = await api(S.server).request(method, 'bootstrap_authentication', { body: method === 'PUT' ? 'x' : undefined });
    assertError(a, 405, { exact: notAllowed('bootstrap_authentication', 'POST') });
  });
}

test('the token is checked before the path and the method', async () => {
  assertError(await api(S.server).get('nothing'), 401, { exact: "unauthorized: Missing jwt 'authtoken' in header." });
  assertError(await api(S.server, '').get('version'), 401, { exact: "unauthorized: Missing jwt 'authtoken' in header." });
  assertError(await api(S.server).request('DELETE', 'records'), 401, { prefix: 'unauthorized:' });
  assertError(await api(S.server, 'garbage').request('POST', 'version'), 401, { prefix: 'unauthorized:' });
});

test('the path and the method are checked before the body (404 and 405 beat 413 and 400)', async () => {
  const c = await client();
  const big = { 'content-length': String(MAX_BODY + 1) };
  assertError(await c.request('PUT', 'nothing', { body: Buffer.alloc(MAX_BODY + 1, 120), headers: big }), 404,
    { exact: notFound('nothing') });
  assertError(await c.request('POST', 'records', { body: Buffer.alloc(MAX_BODY + 1, 120) }), 405,
    { exact: notAllowed('records', 'GET and PUT') });
  assertError(await c.request('POST', 'records', { body: 'not json' }), 405, { exact: notAllowed('records', 'GET and PUT') });
});

test('a body of 10 MiB + 1 is 413 before it is parsed; the token still comes first', async () => {
  const c = await client();
  const body = Buffer.alloc(MAX_BODY + 1, 120); // not JSON: a 400 would mean it was read
  assertError(await c.put('records', body), 413, { prefix: 'payload too large:' });
  assertError(await c.put('settings', body), 413, { prefix: 'payload too large:' });
  assertError(await api(S.server).put('records', body), 401, { prefix: 'unauthorized:' });
});

test('a body of exactly 10 MiB is read and answered', async () => {
  const c = await client();
  const item = JSON.stringify({ key: 'tenmib', t1: 1, t2: 2, mt: 1, st: 0, ds: 'x' });
  const text = `[${item}${' '.repeat(MAX_BODY - item.length - 2)}]`;
  assert.equal(Buffer.byteLength(text), MAX_BODY);
  const body = assertJson(await c.put('records', text));
  assert.deepEqual(body.accepted, ['tenmib']);
});

test('bad bodies are 400 bad request, after the size check', async () => {
  const c = await client();
  for (const body of ['', 'not json', '{}', '"x"', 'null', '5', 'true', '[1,', '[] x', '{"key": "a"}', '\u0000[]', '[]]']) {
    assertError(await c.put('records', body), 400, { prefix: 'bad request:' });
    assertError(await c.put('settings', body), 400, { prefix: 'bad request:' });
  }
});

test('updates needs since: 400 when missing or not a finite number', async () => {
  const c = await client();
  for (const q of ['', '?', '?since', '?since=', '?since=abc', '?since=inf', '?since=nan', '?since=NaN', '?since=Infinity',
    '?since=-inf', '?since=1e999', '?since=1,5', '?since=0x10', '?since=1 2', '?since=%00', '?other=1']) {
    assertError(await c.get(`updates${q}`), 400, { prefix: 'bad request:' });
  }
  for (const q of ['?since=0', '?since=1.5', '?since=1e3', '?since=-1', '?since=abc&since=1', '?since=%31']) {
    assertJson(await c.get(`updates${q}`));
  }
});

test('records needs a timerange: 400 when missing or malformed', async () => {
  const c = await client();
  for (const q of ['', '?timerange=', '?timerange=5', '?timerange=1-', '?timerange=-1', '?timerange=-1-5', '?timerange=1-2-3',
    '?timerange=a-b', '?timerange=inf-5', '?timerange=1-inf', '?timerange=nan-1', '?timerange=1-nan', '?timerange=1e400-5',
    '?timerange=1e999-1e999', '?timerange=1_2', '?timerange=0x1-0x2', '?timerange=1 - 2', '?running=1']) {
    assertError(await c.get(`records${q}`), 400, { prefix: 'bad request:' });
  }
});

test('query values are trimmed of white space before they are read, as TimeTagger does', async () => {
  const c = await client();
  assertJson(await c.get('updates?since=%200%20'));
  assertJson(await c.get('updates?since=+1.5%09'));
  assertJson(await c.get('records?timerange=%200-10%0A'));
  assertError(await c.get('updates?since=%20'), 400, { prefix: 'bad request:' });
  assertError(await c.get('updates?since=1%202'), 400, { prefix: 'bad request:' });
});

test('query parameters are percent-decoded, and a repeated one: the last counts', async () => {
  const c = await client();
  assertJson(await c.get('records?timerange=0%2D10'));
  assertJson(await c.get('records?timerange=x-y&timerange=0-10'));
  assertError(await c.get('records?timerange=0-10&timerange=x-y'), 400, { prefix: 'bad request:' });
});

// --- 413 without reading the body --------------------------------------------------------

test('FastCGI without nginx: 413 from CONTENT_LENGTH while the body is never sent', { skip: nginxOnly('talks to the program\'s own FastCGI socket; under Apache mod_fcgid owns it') }, async () => {
  const c = await client();
  assert.ok(c);
  const params = cgiEnv({ method: 'PUT', path: 'api/v2/records', headers: { authtoken: token },
    extra: { CONTENT_LENGTH: String(MAX_BODY + 1), CONTENT_TYPE: 'application/json' } });
  const a = await fcgiRequest(S.server.socket, params, null, { sendBody: false, timeout: 5000 });
  assert.equal(a.status, 413, a.body);
  assert.ok(a.body.startsWith('payload too large:'), a.body);
  // The worker is free again at once.
  assert.equal((await request(`${S.server.baseUrl}/timetagger/status`)).status, 200);
});

test('plain CGI: 413 from CONTENT_LENGTH while stdin stays open and empty', async () => {
  await client();
  const env = cgiEnv({ datadir: S.server.datadir, method: 'PUT', path: 'api/v2/records', headers: { authtoken: token },
    extra: { CONTENT_LENGTH: String(MAX_BODY + 1) } });
  const a = await runCgi(env, null, { keepStdinOpen: true, timeout: 5000 });
  assert.equal(a.status, 413, a.body);
  assert.ok(a.body.startsWith('payload too large:'), a.body);
});

test('plain CGI: a cut-off body (shorter than CONTENT_LENGTH) is 400, not a hang or a 500', async () => {
  await client();
  const env = cgiEnv({ datadir: S.server.datadir, method: 'PUT', path: 'api/v2/records', headers: { authtoken: token },
    extra: { CONTENT_LENGTH: '100' } });
  const a = await runCgi(env, '[{"key": "cut", "t1"', { timeout: 5000 });
  assert.equal(a.status, 400, a.body);
});

test('a CONTENT_LENGTH that is not a number is 400', async () => {
  await client();
  for (const cl of ['abc', '-1', '1e3', '99999999999999999999999']) {
    const env = cgiEnv({ datadir: S.server.datadir, method: 'PUT', path: 'api/v2/records', headers: { authtoken: token },
      extra: { CONTENT_LENGTH: cl } });
    const a = await runCgi(env, '[]', { timeout: 5000 });
    assert.ok(a.status === 400 || a.status === 413, `${cl}: ${a.status} ${a.body}`);
  }
});

test('a client that disconnects mid-body does not take a worker down', async () => {
  const c = await client();
  await new Promise((resolve) => {
    const sock = net.createConnection(S.server.port, '127.0.0.1', () => {
      // Gone as soon as the part is out of our hands.
      sock.write(`PUT /timetagger/api/v2/records HTTP/1.1\r\nHost: 127.0.0.1\r\nauthtoken: ${token}\r\nContent-Length: 5000\r\n\r\n[{"key"`,
        () => { sock.destroy(); resolve(); });
    });
    sock.on('error', resolve);
  });
  for (let i = 0; i < 4; i++) assertJson(await c.get('version'));
});
