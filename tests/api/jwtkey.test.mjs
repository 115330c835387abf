// An unusable <datadir>/jwt.key (a directory, empty, unreadable) behaves one way every time
// (docs/api.md, Authentication): every login and token request answers the same 503
// naming the problem, no token is issued or accepted, the status page still answers, and a
// FastCGI server refuses to start on it. Under plain CGI (each request a fresh process) and
// under FastCGI (a key that breaks while the workers run) alike; a usable key again, or a
// removed one (made anew), and everything works again.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  api, b64, cgiEnv, jwtKey, loginLocal, login, PROGRAM, request, runCgi, sqliteOnly, startServer, tmpDir, verifyJwt,
  viaApache,
} from '../lib/harness.mjs';

// Under Apache the program runs as www-data: the files made here are handed to it.
const giveAway = async (file) => {
  if (viaApache) (await import('../deploy/lib/apache.mjs')).giveToApache(file);
};
import { assertError } from '../lib/apitest.mjs';
import { waitFor } from '../deploy/lib/proc.mjs';

const REMEDY = '; remove it and a new key is made (every token then becomes invalid)';
// How each kind of breakage is made, and the text it must answer.
const breakages = {
  'a directory': {
    make: (file) => fs.mkdirSync(file),
    text: `service unavailable: the token key jwt.key in the data folder is a directory, not a file${REMEDY}`,
  },
  empty: {
    make: (file) => fs.writeFileSync(file, '', { mode: 0o600 }),
    text: `service unavailable: the token key jwt.key in the data folder is empty${REMEDY}`,
  },
  'too large to be a key': {
    make: (file) => fs.writeFileSync(file, 'k'.repeat(5000), { mode: 0o600 }),
    text: `service unavailable: the token key jwt.key in the data folder is too large to be a key${REMEDY}`,
  },
  // Root reads any file whatever its mode: a link to itself is unreadable for everyone.
  unreadable: {
    make: (file) => fs.symlinkSync('jwt.key', file),
    text: 'service unavailable: the token key jwt.key in the data folder cannot be read (Too many levels of symbolic links)',
  },
};

const breakKey = async (datadir, how) => {
  const file = path.join(datadir, 'jwt.key');
  fs.rmSync(file, { force: true, recursive: true });
  breakages[how].make(file);
  if (how !== 'unreadable') await giveAway(file);
};
const restoreKey = async (datadir, key) => {
  const file = path.join(datadir, 'jwt.key');
  fs.rmSync(file, { force: true, recursive: true });
  fs.writeFileSync(file, key, { mode: 0o600 });
  await giveAway(file);
};
const newDatadir = (name) => {
  const datadir = path.join(tmpDir(`${name}-`), 'data');
  fs.mkdirSync(datadir, { mode: 0o700 });
  return datadir;
};

// --- plain CGI --------------------------------------------------------------------------

const cgi = (datadir, { path: p, method = 'GET', body, headers = {} }) =>
  runCgi(cgiEnv({ datadir, method, path: p, body, headers, extra: { TAGWATCH_LOCALHOST_LOGIN: 'true' } }), body);
const cgiLogin = (datadir) => cgi(datadir, { path: 'api/v2/bootstrap_authentication', method: 'POST',
  body: b64(JSON.stringify({ method: 'localhost' })) });

for (const how of Object.keys(breakages)) {
  test(`CGI, jwt.key ${how}: every login and token request answers the same 503, status still ok`, async () => {
    const datadir = newDatadir('jwtcgi');
    const ok = await cgiLogin(datadir);
    assert.equal(ok.status, 200, ok.body);
    const token = JSON.parse(ok.body).token;
    const key = fs.readFileSync(path.join(datadir, 'jwt.key'), 'utf8');
    await breakKey(datadir, how);
    for (let i = 0; i < 3; i++) {
      for (const a of [await cgiLogin(datadir), await cgi(datadir, { path: 'api/v2/version', headers: { authtoken: token } }),
        await cgi(datadir, { path: 'api/v2/webtoken', headers: { authtoken: token } })]) {
        assert.equal(a.status, 503, a.body);
        assert.match(a.headers['content-type'], /^text\/plain/);
        assert.equal(a.body.replace(/\n$/, ''), breakages[how].text);
      }
    }
    assert.equal((await cgi(datadir, { path: 'status' })).status, 200, 'the status page needs no key');
    // A request without a token is still told so first.
    assert.equal((await cgi(datadir, { path: 'api/v2/version' })).status, 401);
    await restoreKey(datadir, key);
    const again = await cgi(datadir, { path: 'api/v2/version', headers: { authtoken: token } });
    assert.equal(again.status, 200, `the same key again: the old token works (${again.body})`);
  });
}

test('the key is the file\'s text trimmed: a key written with spaces and a newline signs as the bare text', async () => {
  const datadir = newDatadir('jwttrim');
  const bare = 'k'.repeat(43);
  fs.writeFileSync(path.join(datadir, 'jwt.key'), ` \t${bare}\n\n`, { mode: 0o600 });
  const a = await cgiLogin(datadir);
  assert.equal(a.status, 200, a.body);
  const token = JSON.parse(a.body).token;
  assert.ok(verifyJwt(token, bare), 'signed with the trimmed text');
  assert.equal((await cgi(datadir, { path: 'api/v2/version', headers: { authtoken: token } })).status, 200);
  // Whitespace alone is an empty key.
  fs.writeFileSync(path.join(datadir, 'jwt.key'), ' \n\t\n');
  assert.equal((await cgiLogin(datadir)).body.replace(/\n$/, ''), breakages.empty.text);
});

// --- FastCGI ----------------------------------------------------------------------------

// Waits until `n` answers in a row pass `ok` (so every worker has given some of them).
function inARow(what, n, ok) {
  let run = 0;
  return waitFor(what, async () => {
    run = (await ok()) ? run + 1 : 0;
    return run >= n;
  }, 20000);
}

test('a FastCGI server on a socket of its own refuses to start on an unusable jwt.key, saying why', async () => {
  for (const how of Object.keys(breakages)) {
    const datadir = newDatadir('jwtstart');
    await breakKey(datadir, how);
    const socket = path.join(path.dirname(datadir), 'sock');
    const r = spawnSync(PROGRAM, ['--socket', socket, '--datadir', datadir],
      { encoding: 'utf8', timeout: 10000, env: { PATH: process.env.PATH } });
    assert.equal(r.status, 2, `${how}: ${r.stderr}`);
    const problem = breakages[how].text.replace('service unavailable: ', '');
    assert.equal(r.stderr, `tagwatch: cannot start: ${problem} (data folder ${datadir})\n`);
    assert.ok(!fs.existsSync(socket), 'it never listened');
  }
});

// Each worker looks at the file at most once a second: after the break, the answers settle
// on 503 within a second, and from then on never a 200 again until the key is usable.
test('FastCGI, jwt.key broken while the workers run: from the first 503 on, every answer is that 503',
  { skip: sqliteOnly('the data folder\'s jwt.key') }, async () => {
  const server = await startServer({ workers: 2 });
  try {
    const token = await loginLocal(server);
    const key = fs.readFileSync(path.join(server.datadir, 'jwt.key'), 'utf8');
    for (const how of Object.keys(breakages)) {
      await breakKey(server.datadir, how);
      // Wait (by what is observed) until both workers have seen it: 20 answers in a row.
      await inARow(`${how}: the answers settle on 503`, 20, async () => (await api(server, token).get('version')).status === 503);
      for (let i = 0; i < 30; i++) {
        const a = i % 3 === 0 ? await login(server, { method: 'localhost' })
          : await api(server, token).get(i % 3 === 1 ? 'version' : 'apitoken');
        assertError(a, 503, { exact: breakages[how].text });
      }
      assert.equal((await request(`${server.baseUrl}${server.prefix}status`)).status, 200);
      await restoreKey(server.datadir, key);
      await inARow(`${how}: the key is taken up again`, 10, async () => (await api(server, token).get('version')).status === 200);
    }
    // A removed key is made anew: new logins are signed with it, old tokens stop working.
    fs.rmSync(path.join(server.datadir, 'jwt.key'));
    const signedWithFile = (t) => fs.existsSync(path.join(server.datadir, 'jwt.key')) && verifyJwt(t, jwtKey(server.datadir));
    await inARow('a new key is taken up', 10, async () => {
      const a = await login(server, { method: 'localhost' });
      return a.status === 200 && signedWithFile(a.json.token) && (await api(server, token).get('version')).status === 401;
    });
    assert.notEqual(jwtKey(server.datadir), key.trim());
  } finally {
    await server.stop();
  }
});
