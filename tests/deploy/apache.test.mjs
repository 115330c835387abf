// The Apache ways of deploying, through a real Apache (Debian's apache2) on 127.0.0.1:
// apache.conf.example with mod_fcgid, and shared hosting with deploy/htaccess as plain CGI
// and through mod_fcgid. A representative set of API requests runs through each: pages,
// routing and error texts, password login from the admin command's credentials file,
// records, settings, updates, TimeTagger's tokens and data, body limits, the log.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { api, b64, copyFixture, fixturePath, request } from '../lib/harness.mjs';
import { admin } from '../admin/admin-lib.mjs';
import { giveToApache, startApache } from './lib/apache.mjs';
import { waitFor } from './lib/proc.mjs';

const tokens = JSON.parse(fs.readFileSync(fixturePath('tokens.json'), 'utf8'));
const PLAIN = /^text\/plain;\s*charset=utf-8$/i;

function login(server, username, password) {
  return api(server).post('bootstrap_authentication', b64(JSON.stringify({ method: 'usernamepassword', username, password })));
}

for (const mode of ['fcgid', 'htaccess-cgi', 'htaccess-fcgid']) {
  describe(`Apache, ${mode}`, () => {
    let server;
    let datadir;
    before(async () => {
      // TimeTagger's data folder as it is, plus a user added with the admin command.
      datadir = copyFixture();
      assert.equal(admin(['users', 'add', 'zoë', '--password-stdin'], { datadir, input: 'zoë-pass-1\n' }).code, 0);
      assert.equal(admin(['users', 'add', 'carl', '--password-stdin'], { datadir, input: 'carl-pass-1\n' }).code, 0);
      giveToApache(datadir);
      server = await startApache({ mode, datadir });
    });
    after(async () => {
      if (server) await server.stop();
    });

    test('pages of the web client and the health check', async () => {
      const status = await request(`${server.baseUrl}/timetagger/status`);
      assert.equal(status.status, 200);
      assert.equal(status.text, 'ok');
      for (const page of ['', 'login', 'logout', 'account', 'app/']) {
        const r = await request(`${server.baseUrl}/timetagger/${page}`);
        assert.equal(r.status, 200, `/timetagger/${page}: ${r.status}`);
        assert.match(r.contentType, /^text\/html/);
        assert.match(r.text, /<html/i);
      }
      const js = await request(`${server.baseUrl}/timetagger/app/main.js`);
      assert.equal(js.status, 200);
      assert.match(js.contentType, /javascript/);
    });

    test('nothing private is served: dot files, and Apache\'s errors are plain text', async () => {
      for (const p of ['/timetagger/.htaccess', '/timetagger/app/.hidden', '/timetagger/no-such-page.html']) {
        const r = await request(server.baseUrl + p);
        assert.ok([403, 404].includes(r.status), `${p}: ${r.status}`);
        assert.match(r.contentType, PLAIN, p);
      }
      if (mode !== 'fcgid') {
        // A data folder or config file uploaded into the app's folder by mistake stays private.
        const app = path.join(server.dir, 'public_html/timetagger');
        fs.mkdirSync(path.join(app, 'oops'), { recursive: true });
        for (const f of ['oops/jwt.key', 'oops/credentials', 'oops/alice~YWxpY2U=.db', 'tagwatch.conf', 'index.html~']) {
          fs.writeFileSync(path.join(app, f), 'secret');
        }
        giveToApache(app);
        for (const f of ['oops/jwt.key', 'oops/credentials', 'oops/alice~YWxpY2U=.db', 'tagwatch.conf', 'index.html~']) {
          const r = await request(`${server.baseUrl}/timetagger/${encodeURI(f)}`);
          assert.equal(r.status, 403, `${f}: ${r.status}`);
          assert.ok(!r.text.includes('secret'));
        }
      }
      if (mode === 'fcgid') {
        const root = await request(`${server.baseUrl}/`);
        assert.equal(root.status, 307);
        assert.equal(root.headers.location, '/timetagger/');
        const elsewhere = await request(`${server.baseUrl}/etc/passwd`);
        assert.equal(elsewhere.status, 404);
        assert.match(elsewhere.contentType, PLAIN);
        const page = await request(`${server.baseUrl}/timetagger/`);
        assert.match(page.headers['content-security-policy'], /default-src 'self'/);
        assert.equal(page.headers['x-content-type-options'], 'nosniff');
      }
    });

    test('the API\'s own errors come through untouched', async () => {
      const anon = api(server);
      let r = await anon.get('version');
      assert.equal(r.status, 401);
      assert.match(r.contentType, PLAIN);
      assert.match(r.text, /^unauthorized: /);
      const client = api(server, tokens.alice.apitoken);
      r = await client.get('nonsense');
      assert.equal(r.status, 404);
      assert.equal(r.text.trim(), 'not found: /nonsense is not a valid API path');
      r = await client.request('DELETE', 'records');
      assert.equal(r.status, 405);
      assert.equal(r.text.trim(), 'method not allowed: /records can only be used with GET and PUT');
      r = await client.get('records?timerange=abc');
      assert.equal(r.status, 400);
      r = await anon.get('');
      assert.equal(r.status, 200);
    });

    test('TimeTagger\'s tokens and data, served as they are', async () => {
      for (const [user, file] of [['alice', 'expected-alice.json'], ['zoë', 'expected-zoe.json']]) {
        const client = api(server, tokens[user].apitoken);
        const records = await client.get('records?timerange=0-4102444800');
        assert.equal(records.status, 200, records.text);
        assert.match(records.contentType, /^application\/json/);
        const want = JSON.parse(fs.readFileSync(fixturePath(file), 'utf8'));
        const keys = (list) => list.map((x) => x.key).sort();
        assert.deepEqual(keys(records.json.records), keys(want.records), user);
        const settings = await client.get('settings');
        assert.deepEqual(keys(settings.json.settings), keys(want.settings));
      }
    });

    test('password login from the credentials file, then records, settings and updates', async () => {
      assert.equal((await login(server, 'carl', 'wrong')).status, 403);
      const r = await login(server, 'carl', 'carl-pass-1');
      assert.equal(r.status, 200, r.text);
      const client = api(server, r.json.token);
      assert.equal((await client.get('version')).status, 200);
      const rec = { key: `ap${mode.replace(/\W/g, '')}`, t1: 1767258000, t2: 1767261600, mt: 1767261600, ds: 'via Apache #café', st: 0 };
      const put = await client.put('records', [rec, { key: 'bad', t1: 'x', t2: 1, mt: 1 }]);
      assert.equal(put.status, 200, put.text);
      assert.deepEqual(put.json.accepted, [rec.key]);
      assert.deepEqual(put.json.failed, ['bad']);
      const got = await client.get('records?timerange=1767258000-1767261600');
      assert.deepEqual(got.json.records.map((x) => x.ds), ['via Apache #café']);
      const s = await client.put('settings', [{ key: 'first_day_of_week', value: 1, mt: 1767261600, st: 0 }]);
      assert.deepEqual(s.json.accepted, ['first_day_of_week']);
      const up = await client.get('updates?since=0');
      assert.equal(up.status, 200);
      assert.equal(up.json.records.length, 1);
      assert.equal(up.json.settings.length, 1);
      const zoe = await login(server, 'zoë', 'zoë-pass-1');
      assert.equal(zoe.status, 200, 'a non-ASCII user name through Apache');
      const mine = await api(server, zoe.json.token).get('records?timerange=0-4102444800');
      assert.equal(mine.json.records.length, tokens['zoë'].records, 'her TimeTagger data');
      const apitoken = await api(server, r.json.token).get('apitoken');
      assert.equal(apitoken.status, 200);
    });

    test('body limits: the program answers 413 itself; mod_fcgid\'s 128 KiB default bites only in .htaccess', async () => {
      const client = api(server, tokens.alice.apitoken);
      // A push batch of just under 100 KiB, the most the web client sends at once.
      const batch = Array.from({ length: 300 }, (_, i) => ({ key: `big${i}`, t1: 1767258000 + i, t2: 1767258001 + i, mt: 1767258001, ds: 'x'.repeat(250), st: 0 }));
      const body = JSON.stringify(batch);
      assert.ok(body.length > 90 * 1024 && body.length < 100 * 1024, `${body.length}`);
      const ok = await client.put('records', body);
      assert.equal(ok.status, 200, ok.text.slice(0, 200));
      assert.equal(ok.json.accepted.length, 300);
      const big = await client.put('records', Buffer.alloc(200 * 1024, 0x20));
      if (mode === 'htaccess-fcgid') {
        assert.equal(big.status, 500, 'mod_fcgid refuses past FcgidMaxRequestLen (128 KiB by default)');
        assert.match(big.contentType, PLAIN);
      } else {
        assert.equal(big.status, 400, 'a 200 KiB body reaches the program (which finds no JSON in it)');
      }
      if (mode !== 'htaccess-fcgid') {
        const huge = await client.put('records', Buffer.alloc(10 * 1024 * 1024 + 1, 0x20));
        assert.equal(huge.status, 413);
        assert.match(huge.text, /^payload too large/);
      }
    });

    test('what Apache could mangle: encoded queries, HEAD, extra headers like Retry-After, a big answer', async () => {
      const client = api(server, tokens.alice.apitoken);
      const tagged = await client.get('records?timerange=0-4102444800&tag=%23caf%C3%A9');
      assert.equal(tagged.status, 200);
      assert.ok(tagged.json.records.length > 0 && tagged.json.records.every((r) => /#café( |$)/.test(r.ds)), 'a percent-encoded UTF-8 tag');
      const head = await request(`${server.baseUrl}/timetagger/status`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.text, '');
      // 429 with Retry-After, from the login throttle, through Apache.
      let last;
      for (let i = 0; i < 6; i++) last = await login(server, 'mallory', `wrong-${i}`);
      assert.equal(last.status, 429, last.text);
      assert.match(last.headers['retry-after'] ?? '', /^\d+$/);
      assert.match(last.text, /^too many requests: /);
      // A full sync of a few thousand records in one answer.
      const many = Array.from({ length: 3000 }, (_, i) => ({ key: `sync${i}`, t1: 1767258000 + i * 10, t2: 1767258005 + i * 10, mt: 1767258005, ds: `#bulk entry ${i} with some text`, st: 0 }));
      for (let i = 0; i < many.length; i += 300) assert.equal((await client.put('records', many.slice(i, i + 300))).status, 200);
      const sync = await client.get('updates?since=0');
      assert.equal(sync.status, 200);
      assert.ok(sync.json.records.length >= 3000 + tokens.alice.records, `${sync.json.records.length}`);
      assert.ok(sync.body.length > 300 * 1024);
    });

    test('the program\'s log lines land in Apache\'s error log, without passwords or tokens', async () => {
      await login(server, 'carl', 'carl-pass-1');
      await api(server, tokens.alice.apitoken).get('records?timerange=0-1');
      // The program writes its line after the answer has gone out.
      const log = await waitFor('the log line', () => (/GET \/timetagger\/api\/v2\/records 200 [\d.]+ms user=alice/.test(server.errorLog()) ? server.errorLog() : null));
      assert.match(log, /tagwatch\[\d+\] info POST \/timetagger\/api\/v2\/bootstrap_authentication 200 [\d.]+ms/);
      assert.match(log, /tagwatch\[\d+\] info GET \/timetagger\/api\/v2\/records 200 [\d.]+ms user=alice/);
      assert.ok(!log.includes('carl-pass-1'), 'a password in the log');
      assert.ok(!log.includes(tokens.alice.apitoken.split('.')[2]), 'a token in the log');
      assert.ok(!log.includes('timerange='), 'query strings stay out of the log');
    });
  });
}

test('Apache\'s own authentication logs users in with the login method "webserver"', async () => {
  const datadir = copyFixture();
  giveToApache(datadir);
  const htpasswd = path.join(path.dirname(datadir), 'htpasswd');
  fs.writeFileSync(htpasswd, 'webuser:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n'); // password
  fs.chmodSync(htpasswd, 0o644);
  const server = await startApache({
    mode: 'fcgid', datadir, env: { TAGWATCH_WEBSERVER_AUTH_ENABLED: 'true' },
    extraSite: ['<Location "/timetagger/api/v2/bootstrap_authentication">', '    AuthType Basic', '    AuthName "tagwatch"',
      `    AuthUserFile "${htpasswd}"`, '    Require valid-user', '</Location>'].join('\n'),
  });
  try {
    const body = b64(JSON.stringify({ method: 'webserver' }));
    const refused = await api(server).post('bootstrap_authentication', body);
    assert.equal(refused.status, 401, 'Apache asks for a password first');
    const r = await api(server).post('bootstrap_authentication', body,
      { headers: { authorization: `Basic ${b64('webuser:password')}` } });
    assert.equal(r.status, 200, r.text);
    const v = await api(server, r.json.token).get('version');
    assert.equal(v.status, 200);
    // A client cannot fake REMOTE_USER with a header.
    const fake = await api(server).post('bootstrap_authentication', body, { headers: { 'remote-user': 'alice', 'x-remote-user': 'alice' } });
    assert.equal(fake.status, 401);
  } finally {
    await server.stop();
  }
});
