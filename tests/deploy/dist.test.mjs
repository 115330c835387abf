// `make dist` and `make install`: the release tarball holds what a shared host needs and
// nothing private, its programs are fully static (no dynamic loader asked for), the
// unpacked program answers as plain CGI and through Apache with the release's own
// deploy/htaccess; `make install PREFIX=...` lays out what the README says.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { api, b64, cgiEnv, copyFixture, fixturePath, ROOT, runCgi, tmpDir } from '../lib/harness.mjs';
import { giveToApache, startApache } from './lib/apache.mjs';
import { cleanEnv } from '../admin/admin-lib.mjs';

const VERSION = fs.readFileSync(path.join(ROOT, 'VERSION'), 'utf8').trim();
const NAME = `tagwatch-${VERSION}`;
const TARBALL = path.join(ROOT, 'dist', `${NAME}.tar.gz`);
const tokens = JSON.parse(fs.readFileSync(fixturePath('tokens.json'), 'utf8'));

const make = (...args) => execFileSync('make', ['-s', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 300000, stdio: ['ignore', 'pipe', 'pipe'] });
const sha = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

let unpacked;
before(() => {
  make('dist');
  const dir = tmpDir('dist-');
  fs.chmodSync(dir, 0o755);
  execFileSync('tar', ['-xzf', TARBALL, '-C', dir]);
  unpacked = path.join(dir, NAME);
});

test('the tarball: programs, www/, examples, deploy files, README; nothing private', () => {
  const list = execFileSync('tar', ['-tzf', TARBALL], { encoding: 'utf8' }).trim().split('\n');
  assert.ok(list.every((p) => p.startsWith(`${NAME}/`)), 'one top folder');
  for (const want of ['cgi-bin/tagwatch.fcgi', 'bin/tagwatch-admin', 'www/index.html', 'www/app/index.html', 'www/login.html',
    'README.md', 'VERSION', 'nginx.conf.example', 'apache.conf.example', 'deploy/htaccess',
    'deploy/systemd/tagwatch.service', 'deploy/systemd/socket-activated/tagwatch.socket', 'docs/webapi.md']) {
    assert.ok(list.includes(`${NAME}/${want}`), `missing ${want}`);
  }
  assert.deepEqual(fs.readdirSync(path.join(unpacked, 'cgi-bin')), ['tagwatch.fcgi'], 'cgi-bin/ holds the program only');
  // A data folder would be at the top (data/); www/app/data/ is the web app's data path.
  const privateish = list.filter((p) => /(\.db|jwt\.key|credentials|\/\.git|\/build\/|node_modules)/.test(p) || p.startsWith(`${NAME}/data/`));
  assert.deepEqual(privateish, []);
  const mode = fs.statSync(path.join(unpacked, 'cgi-bin/tagwatch.fcgi')).mode & 0o777;
  assert.equal(mode, 0o755);
});

test('the programs are fully static', () => {
  for (const program of ['cgi-bin/tagwatch.fcgi', 'bin/tagwatch-admin']) {
    const file = path.join(unpacked, program);
    const ldd = spawnSync('ldd', [file], { encoding: 'utf8' });
    // (a static PIE: ldd says "statically linked", file "static-pie linked")
    assert.match(`${ldd.stdout}${ldd.stderr}`, /not a dynamic executable|statically linked/, program);
    assert.match(execFileSync('file', ['-b', file], { encoding: 'utf8' }), /static(-pie)? linked/);
    // No interpreter (dynamic loader) requested at all.
    const head = fs.readFileSync(file).subarray(0, 4096).toString('latin1');
    assert.ok(!head.includes('ld-linux'), `${program} asks for ld-linux`);
  }
  assert.equal(execFileSync(path.join(unpacked, 'cgi-bin/tagwatch.fcgi'), ['--version'], { encoding: 'utf8', env: cleanEnv() }).trim(), `tagwatch ${VERSION}`);
  assert.equal(execFileSync(path.join(unpacked, 'bin/tagwatch-admin'), ['--version'], { encoding: 'utf8', env: cleanEnv() }).trim(), `tagwatch-admin ${VERSION}`);
});

test('the static program answers as plain CGI: status, TimeTagger\'s tokens, a login and a write', async () => {
  const program = path.join(unpacked, 'cgi-bin/tagwatch.fcgi');
  const datadir = copyFixture();
  const status = await runCgi(cgiEnv({ datadir, path: 'status' }), null, { program });
  assert.equal(status.status, 200);
  assert.equal(status.body, 'ok');
  const recs = await runCgi(cgiEnv({ datadir, path: 'api/v2/records', query: 'timerange=0-4102444800', headers: { authtoken: tokens.alice.apitoken } }), null, { program });
  assert.equal(JSON.parse(recs.body).records.length, tokens.alice.records);
  const body = b64(JSON.stringify({ method: 'usernamepassword', username: 'zoë', password: tokens['zoë'].password }));
  const env = { ...cgiEnv({ datadir, method: 'POST', path: 'api/v2/bootstrap_authentication', body }), TIMETAGGER_CREDENTIALS: fs.readFileSync(fixturePath('credentials.txt'), 'utf8').trim() };
  const login = await runCgi(env, body, { program });
  assert.equal(login.status, 200, `bcrypt through the static libcrypt: ${login.body} ${login.stderr}`);
  const put = JSON.stringify([{ key: 'fromStatic', t1: 1, t2: 2, mt: 3, ds: 'static ✓', st: 0 }]);
  const w = await runCgi(cgiEnv({ datadir, method: 'PUT', path: 'api/v2/records', body: put, headers: { authtoken: JSON.parse(login.body).token } }), put, { program });
  assert.equal(w.status, 200, w.body);
  assert.deepEqual(JSON.parse(w.body).accepted, ['fromStatic']);
  const stats = execFileSync(path.join(unpacked, 'bin/tagwatch-admin'), ['--datadir', datadir, 'stats', '--json'], { encoding: 'utf8', env: cleanEnv() });
  assert.equal(JSON.parse(stats).users.find((u) => u.user === 'zoë').records, tokens['zoë'].records + 1);
});

test('the unpacked release on a shared host: its www/, its deploy/htaccess, its static program under Apache as CGI', async () => {
  const datadir = copyFixture();
  giveToApache(datadir);
  const server = await startApache({ mode: 'htaccess-cgi', datadir, root: unpacked, program: path.join(unpacked, 'cgi-bin/tagwatch.fcgi') });
  try {
    const page = await api(server).request('GET', '../../login');
    assert.equal(page.status, 200);
    const r = await api(server, tokens['bob@example.com'].apitoken).get('records?timerange=0-4102444800');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.records.length, tokens['bob@example.com'].records);
  } finally {
    await server.stop();
  }
});

test('make dist twice gives the same tarball', () => {
  const first = sha(TARBALL);
  make('dist');
  assert.equal(sha(TARBALL), first);
});

test('make install PREFIX=... lays out the program, the admin command, www/ and the deploy files', () => {
  const prefix = path.join(tmpDir('install-'), 'usr');
  make('install', `PREFIX=${prefix}`);
  const want = ['lib/tagwatch/cgi-bin/tagwatch.fcgi', 'bin/tagwatch-admin', 'share/tagwatch/www/index.html',
    'share/tagwatch/nginx.conf.example', 'share/tagwatch/apache.conf.example', 'share/tagwatch/README.md',
    'share/tagwatch/deploy/htaccess', 'share/tagwatch/deploy/systemd/tagwatch.service',
    'share/tagwatch/deploy/systemd/socket-activated/tagwatch.socket', 'share/tagwatch/deploy/systemd/socket-activated/tagwatch.service'];
  for (const f of want) assert.ok(fs.existsSync(path.join(prefix, f)), `missing ${f}`);
  assert.ok(!fs.existsSync(path.join(prefix, 'lib/tagwatch/cgi-bin/tagwatch-admin')), 'the admin command is never web-reachable');
  const out = execFileSync(path.join(prefix, 'bin/tagwatch-admin'), ['--help'], { encoding: 'utf8', env: cleanEnv() });
  assert.match(out, /^Usage: tagwatch-admin/);
  // The units run the program where `make install PREFIX=/usr/local` puts it.
  const unit = fs.readFileSync(path.join(prefix, 'share/tagwatch/deploy/systemd/tagwatch.service'), 'utf8');
  assert.match(unit, /^ExecStart=\/usr\/local\/lib\/tagwatch\/cgi-bin\/tagwatch\.fcgi /m);
});
