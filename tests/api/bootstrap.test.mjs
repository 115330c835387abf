// POST bootstrap_authentication (docs/api.md "Bootstrapping a first webtoken"): every method with
// its conditions (through nginx where the web server decides: Host, REMOTE_USER via nginx
// basic auth; as plain CGI where any peer address or variable must be tried), the body
// rules with the Latin-1 fallback, the credentials setting and file, and the 429 throttle.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import {
  api, argon2idHash, b64, cgiEnv, credentials, decodeJwt, login, request, runCgi, startServer, tmpDir, nginxOnly, viaApache, FRONTEND,
} from '../lib/harness.mjs';
import { assertError, assertJson, serverFixture } from '../lib/apitest.mjs';

const users = { alice: 'correct horse battery staple', 'zoë': 'pässwörd', punct: 'a:b,c;d "e" \\f', 'bob@example.com': 'b0b' };
const S = serverFixture({ users, args: ['--login_max_failures=100000'] });

const tokenUser = (a) => decodeJwt(assertJson(a).token).username;

// --- usernamepassword ----------------------------------------------------------------------

test('usernamepassword: right credentials give a webtoken of that user', async () => {
  for (const [u, p] of Object.entries(users)) {
    const a = await login(S.server, { method: 'usernamepassword', username: u, password: p });
    const body = assertJson(a);
    assert.deepEqual(Object.keys(body), ['token']);
    assert.equal(tokenUser(a), u);
    assertJson(await api(S.server, body.token).get('version'));
  }
});

test('usernamepassword: username and password are trimmed', async () => {
  const a = await login(S.server, { method: 'usernamepassword', username: '  alice\t', password: ` ${users.alice}  ` });
  assert.equal(tokenUser(a), 'alice');
});

test('usernamepassword: wrong or unknown is 403 Invalid credentials', async () => {
  for (const [username, password] of [['alice', 'wrong'], ['alice', ''], ['Alice', users.alice], ['nobody', 'x'], ['', ''],
    ['alice', `${users.alice}x`], ['alice', users.alice.slice(0, -1)], ['zoë', 'passwort'], ['zoe', users['zoë']]]) {
    const a = await login(S.server, { method: 'usernamepassword', username, password });
    assertError(a, 403, { exact: 'Invalid credentials' });
  }
});

test('usernamepassword: a missing username or password is 403 Invalid credentials, never a 400', async () => {
  for (const body of [{ method: 'usernamepassword', username: 'alice' }, { method: 'usernamepassword', password: users.alice },
    { method: 'usernamepassword' }, { method: 'usernamepassword', username: '  ', password: users.alice }]) {
    assertError(await login(S.server, body), 403, { exact: 'Invalid credentials' });
  }
});

test('usernamepassword: fields other than method, username and password are ignored, whatever their type', async () => {
  const a = await login(S.server, { method: 'usernamepassword', username: 'alice', password: users.alice, remember: true,
    extra: { a: [1] }, n: null });
  assert.equal(tokenUser(a), 'alice');
  // Of a repeated field the last counts, as in Python's json.loads.
  const dup = `{"method": "usernamepassword", "username": "nobody", "username": "alice", "password": ${JSON.stringify(users.alice)}}`;
  assert.equal(tokenUser(await login(S.server, b64(dup))), 'alice');
});

test('usernamepassword: surrounding Unicode white space is stripped too, as Python\'s str.strip()', async () => {
  const a = await login(S.server, { method: 'usernamepassword', username: '\u00a0alice\u3000', password: `\u2003${users.alice}\u00a0` });
  assert.equal(tokenUser(a), 'alice');
});

test('a body without method is 401 Invalid authentication method: unspecified', async () => {
  assertError(await login(S.server, {}), 401, { exact: 'Invalid authentication method: unspecified' });
  assertError(await login(S.server, { username: 'alice', password: users.alice }), 401,
    { exact: 'Invalid authentication method: unspecified' });
});

test('the login body may be Latin-1 (btoa of TimeTagger\'s page) or UTF-8', async () => {
  const text = JSON.stringify({ method: 'usernamepassword', username: 'zoë', password: 'pässwörd' });
  assert.equal(tokenUser(await login(S.server, Buffer.from(text, 'utf8').toString('base64'))), 'zoë');
  assert.equal(tokenUser(await login(S.server, Buffer.from(text, 'latin1').toString('base64'))), 'zoë');
  // JSON escapes are plain ASCII either way.
  const escaped = '{"method": "usernamepassword", "username": "zo\\u00eb", "password": "p\\u00e4ssw\\u00f6rd"}';
  assert.equal(tokenUser(await login(S.server, b64(escaped))), 'zoë');
});

test('a body that is valid UTF-8 is read as UTF-8, never as Latin-1', async () => {
  // 'Ã©' in Latin-1 is the bytes C3 A9, which are valid UTF-8 for 'é': UTF-8 wins.
  const datadir = path.join(tmpDir('utf8-'), 'data');
  fs.mkdirSync(datadir);
  const setting = credentials({ 'é': 'p-utf8', 'Ã©': 'p-latin' });
  const run = (bytes) => {
    const body = bytes.toString('base64');
    return runCgi(cgiEnv({ datadir, method: 'POST', path: 'api/v2/bootstrap_authentication', body,
      extra: { TAGWATCH_CREDENTIALS: setting } }), body);
  };
  const utf8 = await run(Buffer.from('{"method": "usernamepassword", "username": "é", "password": "p-utf8"}', 'utf8'));
  assert.equal(utf8.status, 200, utf8.body);
  assert.equal(decodeJwt(JSON.parse(utf8.body).token).username, 'é');
  const ambiguous = await run(Buffer.from('{"method": "usernamepassword", "username": "Ã©", "password": "p-latin"}', 'latin1'));
  assert.equal(ambiguous.status, 403, 'the bytes are valid UTF-8, so the name is é, whose password differs');
  // The same user's Latin-1 bytes that are not valid UTF-8 (a lone E9) are Latin-1.
  const latin = await run(Buffer.from('{"method": "usernamepassword", "username": "é", "password": "p-utf8"}', 'latin1'));
  assert.equal(latin.status, 200, latin.body);
});

test('bodies that are not base64 of a JSON object with string fields are 400', async () => {
  const bad = ['', '%%%%', '!!', b64('not json'), b64('[]'), b64('null'), b64('"localhost"'), b64('5'),
    b64('{"method": 5}'), b64('{"method": null}'), b64('{"method": ["localhost"]}'),
    b64('{"method": "usernamepassword", "username": 5, "password": "x"}'),
    b64('{"method": "usernamepassword", "username": "alice", "password": null}'),
    b64('{"method": "usernamepassword", "username": "alice", "password": ["x"]}'), b64('{"method": "localhost"'),
    b64('{"method": "localhost"} trailing')];
  for (const body of bad) {
    assertError(await login(S.server, body), 400, { prefix: 'bad request:' });
  }
});

test('an unknown method is 401 Invalid authentication method: <method>', async () => {
  for (const m of ['foo', 'LOCALHOST', 'usernamePassword', 'token', 'é']) {
    assertError(await login(S.server, { method: m }), 401, { exact: `Invalid authentication method: ${m}` });
  }
});

test('Argon2id and bcrypt ($2a$ $2b$ $2y$) hashes in the setting; commas inside a hash do not split it', async () => {
  const argon = argon2idHash('argon pw');
  const y = execFileSync('htpasswd', ['-nbBC', '4', 'x', 'y pw'], { encoding: 'utf8' }).trim().slice(2);
  assert.match(y, /^\$2y\$/);
  const base = credentials({ b2b: 'b pw' });
  const setting = `argon:${argon},${base},y2y:${y};a2a:${y.replace(/^\$2y\$/, '$2a$')},argon2:${argon}`;
  assert.ok(argon.includes(','), 'an Argon2id hash has commas');
  const datadir = path.join(tmpDir('creds-'), 'data');
  fs.mkdirSync(datadir);
  const cgiLogin = (username, password) => {
    const body = b64(JSON.stringify({ method: 'usernamepassword', username, password }));
    return runCgi(cgiEnv({ datadir, method: 'POST', path: 'api/v2/bootstrap_authentication', body,
      extra: { TAGWATCH_CREDENTIALS: setting } }), body);
  };
  for (const [u, p] of [['argon', 'argon pw'], ['b2b', 'b pw'], ['y2y', 'y pw'], ['a2a', 'y pw'], ['argon2', 'argon pw']]) {
    const a = await cgiLogin(u, p);
    assert.equal(a.status, 200, `${u}: ${a.body}`);
    assert.equal(decodeJwt(JSON.parse(a.body).token).username, u);
  }
  const wrong = await cgiLogin('argon', 'argon pW');
  assert.equal(wrong.status, 403);
  assert.equal(wrong.body.replace(/\n$/, ''), 'Invalid credentials');
});

test('the credentials file in the data folder (one user:hash a line, # comments) adds users', async () => {
  const datadir = path.join(tmpDir('credfile-'), 'data');
  fs.mkdirSync(datadir);
  const [fileUser] = credentials({ fileuser: 'file pw' }).split(',');
  fs.writeFileSync(path.join(datadir, 'credentials'), `# users of this server\n\n${fileUser}\n# argon next\nargonf:${argon2idHash('af')}\n`);
  const cgiLogin = (username, password, extra = {}) => {
    const body = b64(JSON.stringify({ method: 'usernamepassword', username, password }));
    return runCgi(cgiEnv({ datadir, method: 'POST', path: 'api/v2/bootstrap_authentication', body, extra }), body);
  };
  assert.equal((await cgiLogin('fileuser', 'file pw')).status, 200);
  assert.equal((await cgiLogin('argonf', 'af')).status, 200);
  assert.equal((await cgiLogin('# users of this server', '')).status, 403);
  // Together with the setting.
  const both = await cgiLogin('b2', 'b2 pw', { TAGWATCH_CREDENTIALS: credentials({ b2: 'b2 pw' }) });
  assert.equal(both.status, 200, both.body);
  assert.equal((await cgiLogin('fileuser', 'file pw', { TAGWATCH_CREDENTIALS: credentials({ b2: 'b2 pw' }) })).status, 200);
});

// --- localhost -----------------------------------------------------------------------------

const localBody = b64(JSON.stringify({ method: 'localhost' }));
const postLocal = (host) => request(`${S.server.apiUrl}bootstrap_authentication`, { method: 'POST', body: localBody,
  headers: host === undefined ? {} : { host } });

test('localhost: a loopback peer with Host localhost, 127.0.0.1 or [::1] gets defaultuser', async () => {
  const port = S.server.port;
  for (const host of [`127.0.0.1:${port}`, '127.0.0.1', `localhost:${port}`, 'localhost', `[::1]:${port}`, '[::1]']) {
    const a = await postLocal(host);
    assert.equal(tokenUser(a), 'defaultuser', host);
  }
});

// Host names are case-insensitive. nginx.conf.example passes $host (lower-cased, port
// cut); Apache passes the header as the client sent it, so this reaches the program as is.
test('localhost: the Host name is compared case-insensitively (LOCALHOST, LocalHost:port)', async () => {
  for (const host of ['LOCALHOST', `LocalHost:${S.server.port}`]) {
    const a = await postLocal(host);
    assert.equal(tokenUser(a), 'defaultuser', `${host}: ${a.status} ${a.text}`);
  }
});

test('localhost: any other Host is 403 saying why', async () => {
  for (const host of ['example.com', 'localhost.example.com', '127.0.0.1.example.com', '127.0.0.2', 'tunnel.example',
    'local', '0.0.0.0', 'xlocalhost', '127.0.0.01']) {
    const a = await postLocal(host);
    // Apache refuses a Host that is no valid name or address (127.0.0.01) itself: 400.
    // (its page is plain text from apache.conf.example; .htaccess is read too late for it).
    if (viaApache && a.status === 400) {
      if (FRONTEND === 'fcgid') assertError(a, 400, { prefix: 'bad request: the web server' });
      continue;
    }
    assertError(a, 403, { exact: 'forbidden: must be on localhost' });
  }
});

const cgiLocal = (extra = {}, remoteAddr = '127.0.0.1', host = '127.0.0.1') =>
  runCgi(cgiEnv({ datadir: S.server.datadir, method: 'POST', path: 'api/v2/bootstrap_authentication', body: localBody,
    remoteAddr, host, extra: { TAGWATCH_LOCALHOST_LOGIN: 'true', ...extra } }), localBody);

test('localhost: only from a loopback peer (127.0.0.0/8 or ::1)', async () => {
  for (const addr of ['127.0.0.1', '127.0.0.2', '127.255.255.254', '::1']) {
    const a = await cgiLocal({}, addr);
    assert.equal(a.status, 200, `${addr}: ${a.body}`);
  }
  for (const addr of ['10.0.0.1', '128.0.0.1', '192.168.1.1', '0.0.0.0', '::2', 'fe80::1', '', 'localhost', '127.0.0.1.5', '1.127.0.0.1']) {
    const a = await cgiLocal({}, addr);
    assert.equal(a.status, 403, `${addr}: ${a.status} ${a.body}`);
    assert.ok(a.body.trim().length > 0);
  }
});

test('localhost: a missing Host is 403', async () => {
  const env = cgiEnv({ datadir: S.server.datadir, method: 'POST', path: 'api/v2/bootstrap_authentication', body: localBody,
    extra: { TAGWATCH_LOCALHOST_LOGIN: 'true' } });
  delete env.HTTP_HOST;
  assert.equal((await runCgi(env, localBody)).status, 403);
});

test('localhost: off by default, and off while proxy authentication is on', async () => {
  const env = cgiEnv({ datadir: S.server.datadir, method: 'POST', path: 'api/v2/bootstrap_authentication', body: localBody });
  const off = await runCgi(env, localBody);
  assert.equal(off.status, 403, off.body);
  assert.match(off.headers['content-type'], /^text\/plain/);
  for (const v of ['false', '0', 'no']) assert.equal((await cgiLocal({ TAGWATCH_LOCALHOST_LOGIN: v })).status, 403, v);
  assert.equal((await cgiLocal({ TAGWATCH_PROXY_AUTH_ENABLED: 'true' })).status, 403);
  // TimeTagger's name for the setting works too.
  assert.equal((await runCgi({ ...env, TIMETAGGER_LOCALHOST_LOGIN: 'true' }, localBody)).status, 200);
});

// --- proxy ---------------------------------------------------------------------------------

const proxyBody = b64(JSON.stringify({ method: 'proxy' }));
const cgiProxy = (extra, remoteAddr = '127.0.0.1', headers = { 'x-remote-user': 'carol' }) =>
  runCgi(cgiEnv({ datadir: S.server.datadir, method: 'POST', path: 'api/v2/bootstrap_authentication', body: proxyBody,
    remoteAddr, headers, extra: { TAGWATCH_PROXY_AUTH_ENABLED: 'true', ...extra } }), proxyBody);

test('proxy: a trusted peer (IPs and CIDR ranges, v4 and v6) logs in the user of the header', async () => {
  const trusted = { TAGWATCH_PROXY_AUTH_TRUSTED: '10.0.0.0/8,192.168.1.5,fd00::/8,2001:db8::7' };
  for (const addr of ['10.9.9.9', '10.0.0.0', '10.255.255.255', '192.168.1.5', 'fd12::1', '2001:db8::7']) {
    const a = await cgiProxy(trusted, addr);
    assert.equal(a.status, 200, `${addr}: ${a.body}`);
    assert.equal(decodeJwt(JSON.parse(a.body).token).username, 'carol');
  }
  for (const addr of ['11.0.0.1', '9.255.255.255', '192.168.1.6', '127.0.0.1', 'fe80::1', '2001:db8::8', '', 'garbage']) {
    const a = await cgiProxy(trusted, addr);
    assert.equal(a.status, 403, `${addr}: ${a.status} ${a.body}`);
  }
});

test('proxy: default trusted 127.0.0.1, default header X-Remote-User, configurable header', async () => {
  assert.equal((await cgiProxy({})).status, 200);
  assert.equal((await cgiProxy({}, '127.0.0.2')).status, 403);
  assert.equal((await cgiProxy({}, '127.0.0.1', {})).status, 403, 'no header');
  assert.equal((await cgiProxy({}, '127.0.0.1', { 'x-remote-user': '' })).status, 403, 'empty header');
  const custom = { TAGWATCH_PROXY_AUTH_HEADER: 'X-Forwarded-User' };
  const a = await cgiProxy(custom, '127.0.0.1', { 'x-forwarded-user': 'dave' });
  assert.equal(a.status, 200, a.body);
  assert.equal(decodeJwt(JSON.parse(a.body).token).username, 'dave');
  assert.equal((await cgiProxy(custom, '127.0.0.1', { 'x-remote-user': 'dave' })).status, 403);
  // Off: 403.
  assert.equal((await cgiProxy({ TAGWATCH_PROXY_AUTH_ENABLED: 'false' })).status, 403);
});

test('proxy: TimeTagger\'s texts when off, untrusted, or without a user; the header is trimmed', async () => {
  const text = (a) => a.body.replace(/\n$/, '');
  const off = await cgiProxy({ TAGWATCH_PROXY_AUTH_ENABLED: 'false' });
  assert.deepEqual([off.status, text(off)], [403, 'forbidden: proxy auth is not enabled']);
  const untrusted = await cgiProxy({}, '10.0.0.1');
  assert.deepEqual([untrusted.status, text(untrusted)], [403, 'forbidden: the proxy is not trusted']);
  const nobody = await cgiProxy({}, '127.0.0.1', { 'x-remote-user': '  ' });
  assert.deepEqual([nobody.status, text(nobody)], [403, 'forbidden: no proxy user provided']);
  const spaced = await cgiProxy({}, '127.0.0.1', { 'x-remote-user': ' carol ' });
  assert.equal(spaced.status, 200, spaced.body);
  assert.equal(decodeJwt(JSON.parse(spaced.body).token).username, 'carol');
});

test('proxy login while it is off, through the web server: 403 forbidden: proxy auth is not enabled', async () => {
  assertError(await login(S.server, { method: 'proxy' }, { 'X-Remote-User': 'alice' }), 403,
    { exact: 'forbidden: proxy auth is not enabled' });
});

test('proxy through nginx, and a token whose proxy header names another user is 401', async () => {
  const srv = await startServer({ workers: 1, args: ['--proxy_auth_enabled=true'] });
  try {
    const a = await login(srv, { method: 'proxy' }, { 'X-Remote-User': 'bob' });
    assert.equal(tokenUser(a), 'bob');
    const token = a.json.token;
    assertError(await login(srv, { method: 'proxy' }), 403, { match: /\S/ });
    // localhost login is off while proxy authentication is on, even when the flag is given.
    assertError(await login(srv, { method: 'localhost' }), 403, { exact: 'forbidden: disabled when proxy auth is available' });
    const c = api(srv, token);
    assertJson(await c.get('version'));
    assertJson(await c.get('version', { headers: { 'X-Remote-User': 'bob' } }));
    assertError(await c.get('version', { headers: { 'X-Remote-User': 'carol' } }), 401, { prefix: 'unauthorized:' });
    assertError(await c.put('records', [], { headers: { 'X-Remote-User': 'carol' } }), 401,
      { exact: 'unauthorized: Autheticated user does not match proxy user' });
  } finally {
    await srv.stop();
  }
});

test('a name from the proxy or the web server must be a valid user name: 1 to 100 bytes, no : , ; or controls', async () => {
  const ok100 = 'é'.repeat(50);
  for (const [name, valid] of [[ok100, true], ['a'.repeat(100), true], ['a'.repeat(101), false], [`${ok100}x`, false],
    ['a:b', false], ['a,b', false], ['a;b', false], ['a\u0001b', false], ['a\u0085b', false], ['bob@example.com', true]]) {
    for (const via of ['proxy', 'webserver']) {
      const a = via === 'proxy'
        ? await cgiProxy({}, '127.0.0.1', { 'x-remote-user': name })
        : await cgiWeb({ TAGWATCH_WEBSERVER_AUTH_ENABLED: 'true', REMOTE_USER: name });
      if (valid) {
        assert.equal(a.status, 200, `${via} ${JSON.stringify(name)}: ${a.body}`);
        assert.equal(decodeJwt(JSON.parse(a.body).token).username, name);
      } else {
        assert.equal(a.status, 403, `${via} ${JSON.stringify(name)}: ${a.body}`);
        assert.match(a.body, /^forbidden: '.*' is not a valid user name\n?$/s);
      }
    }
  }
});

// --- webserver -----------------------------------------------------------------------------

const wsBody = b64(JSON.stringify({ method: 'webserver' }));
const cgiWeb = (extra) => runCgi(cgiEnv({ datadir: S.server.datadir, method: 'POST', path: 'api/v2/bootstrap_authentication',
  body: wsBody, extra }), wsBody);

test('webserver: REMOTE_USER from the web server logs in that user, only when enabled', async () => {
  const a = await cgiWeb({ TAGWATCH_WEBSERVER_AUTH_ENABLED: 'true', REMOTE_USER: 'erin' });
  assert.equal(a.status, 200, a.body);
  assert.equal(decodeJwt(JSON.parse(a.body).token).username, 'erin');
  assert.equal((await cgiWeb({ REMOTE_USER: 'erin' })).status, 403, 'off by default');
  assert.equal((await cgiWeb({ TAGWATCH_WEBSERVER_AUTH_ENABLED: 'true' })).status, 403, 'no REMOTE_USER');
  assert.equal((await cgiWeb({ TAGWATCH_WEBSERVER_AUTH_ENABLED: 'true', REMOTE_USER: '' })).status, 403, 'empty REMOTE_USER');
  assert.equal((await cgiWeb({ TAGWATCH_WEBSERVER_AUTH_ENABLED: 'true', HTTP_REMOTE_USER: 'erin' })).status, 403,
    'a Remote-User header is not REMOTE_USER');
});

test('webserver through nginx: the example config never lets a client name REMOTE_USER itself', async () => {
  const srv = await startServer({ workers: 1, args: ['--webserver_auth_enabled=true'] });
  try {
    const headers = { Authorization: `Basic ${b64('alice:whatever')}`, 'Remote-User': 'alice', 'X-Remote-User': 'alice' };
    assertError(await login(srv, { method: 'webserver' }, headers), 403, { match: /\S/ });
  } finally {
    await srv.stop();
  }
});

test('webserver through nginx with basic auth (the example\'s commented lines) logs in the nginx user', { skip: nginxOnly('nginx\'s auth_basic sets REMOTE_USER') }, async () => {
  const srv = await startServer({ workers: 1, args: ['--webserver_auth_enabled=true'], basicAuth: { wuser: 'wpass', 'w2': 'p2' } });
  try {
    const a = await login(srv, { method: 'webserver' }, { Authorization: `Basic ${b64('wuser:wpass')}` });
    assert.equal(tokenUser(a), 'wuser');
    assertJson(await api(srv, a.json.token).get('version'));
    const b = await login(srv, { method: 'webserver' }, { Authorization: `Basic ${b64('w2:p2')}` });
    assert.equal(tokenUser(b), 'w2');
    assert.equal((await login(srv, { method: 'webserver' }, { Authorization: `Basic ${b64('wuser:nope')}` })).status, 401);
    assert.equal((await login(srv, { method: 'webserver' })).status, 401);
  } finally {
    await srv.stop();
  }
});

// --- throttling ----------------------------------------------------------------------------

let T;
before(async () => {
  T = await startServer({ workers: 2, env: { TAGWATCH_CREDENTIALS: credentials({ alice: 'right', bob: 'bobpw' }) } });
});
after(async () => {
  if (T) await T.stop();
});

test('too many failed logins: 429 too many requests with Retry-After, without checking the password', async () => {
  const bad = { method: 'usernamepassword', username: 'alice', password: 'wrong' };
  let limited = null;
  for (let i = 0; i < 30 && !limited; i++) {
    const a = await login(T, bad);
    if (a.status === 429) limited = a;
    else assertError(a, 403, { exact: 'Invalid credentials' });
  }
  assert.ok(limited, 'no 429 after 30 failed logins');
  assertError(limited, 429, { prefix: 'too many requests:' });
  const retry = Number(limited.headers['retry-after']);
  assert.ok(Number.isInteger(retry) && retry > 0, `Retry-After ${limited.headers['retry-after']}`);
  // The right password is not even checked now.
  assertError(await login(T, { ...bad, password: 'right' }), 429, { prefix: 'too many requests:' });
  // The state is shared with plain CGI processes on the same data folder: alice from another address.
  const body = b64(JSON.stringify({ ...bad, password: 'right' }));
  const cgi = await runCgi(cgiEnv({ datadir: T.datadir, method: 'POST', path: 'api/v2/bootstrap_authentication', body,
    remoteAddr: '10.1.2.3', extra: { TAGWATCH_CREDENTIALS: credentials({ alice: 'right', bob: 'bobpw' }) } }), body);
  assert.equal(cgi.status, 429, cgi.body);
  // Bob from another address is neither throttled user nor address.
  const bobBody = b64(JSON.stringify({ method: 'usernamepassword', username: 'bob', password: 'bobpw' }));
  const bob = await runCgi(cgiEnv({ datadir: T.datadir, method: 'POST', path: 'api/v2/bootstrap_authentication', body: bobBody,
    remoteAddr: '10.1.2.4', extra: { TAGWATCH_CREDENTIALS: credentials({ alice: 'right', bob: 'bobpw' }) } }), bobBody);
  assert.equal(bob.status, 200, bob.body);
  // The throttle lives beside users/, never inside a user's file.
  for (const f of T.database ? [] : fs.readdirSync(path.join(T.datadir, 'users'))) {
    assert.match(f, /^[A-Za-z0-9_-]*~[A-Za-z0-9_=-]*\.db(-wal|-shm|-journal)?$/, f);
  }
});

test('failed logins from one address for many users are throttled too', async () => {
  const creds = credentials({ u0: 'x' });
  const datadir = path.join(tmpDir('throttle-'), 'data');
  fs.mkdirSync(datadir);
  let limited = false;
  for (let i = 0; i < 40 && !limited; i++) {
    const body = b64(JSON.stringify({ method: 'usernamepassword', username: `user${i}`, password: 'nope' }));
    const a = await runCgi(cgiEnv({ datadir, method: 'POST', path: 'api/v2/bootstrap_authentication', body,
      remoteAddr: '10.7.7.7', extra: { TAGWATCH_CREDENTIALS: creds } }), body);
    if (a.status === 429) limited = true;
    else assert.equal(a.status, 403, a.body);
  }
  assert.ok(limited, 'no 429 for one address after 40 failed logins for 40 users');
});

// Apache's plain CGI passes a query without '=' as command-line arguments (RFC 3875
// "search" queries); they must never act as the program's flags.
test('a query without "=" never turns on a login method (CGI search-query arguments)', async () => {
  const q = '?--proxy_auth_enabled+--proxy_auth_trusted+0.0.0.0/0';
  const a = await request(`${S.server.apiUrl}bootstrap_authentication${q}`, { method: 'POST',
    body: b64(JSON.stringify({ method: 'proxy' })), headers: { 'x-remote-user': 'alice' } });
  assert.notEqual(a.status, 200, `logged in through the query: ${a.text.slice(0, 80)}`);
});
