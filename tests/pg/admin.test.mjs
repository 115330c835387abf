// tagwatch-admin on PostgreSQL (README.md, "More than one machine"): `migrate` moves TimeTagger's
// own data folder into a database and back, byte for byte (every user, item and seed, the
// key), so tokens stay valid; and users, token, export/import, check and stats work on the
// database as they do on a data folder, against a real server on the same database.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { admin } from '../admin/admin-lib.mjs';
import { api, copyFixture, fixturePath, loginPassword, startServer, tmpDir, userFile } from '../lib/harness.mjs';
import { startCluster } from '../lib/pg.mjs';
import { assertError, assertJson } from '../lib/apitest.mjs';

const tokens = JSON.parse(fs.readFileSync(fixturePath('tokens.json'), 'utf8'));
const users = Object.keys(tokens);
let cluster;

before(async () => {
  cluster = await startCluster();
});
after(async () => {
  if (cluster) await cluster.stop();
});

// Every row of a user file's three tables, every value with all its digits (quote()).
function rows(file) {
  const out = {};
  for (const [table, cols] of [['records', 'key, quote(_ob), quote(st), quote(t1), quote(t2)'],
    ['settings', 'key, quote(_ob), quote(st)'], ['userinfo', 'key, quote(_ob), quote(st)']]) {
    out[table] = execFileSync('sqlite3', [file, `SELECT ${cols} FROM ${table} ORDER BY key`], { encoding: 'utf8', maxBuffer: 1 << 26 });
  }
  return out;
}

// tagwatch-admin on the database `db` of the cluster (the setting, as the server reads it).
const onDb = (db, args, opts = {}) => admin(args, { ...opts, env: { TAGWATCH_DATABASE: cluster.conninfo(db), ...(opts.env || {}) } });

test('migrate: TimeTagger\'s data folder into PostgreSQL and back, byte for byte', async () => {
  const src = copyFixture();
  const db = await cluster.createDatabase();
  const into = admin(['migrate', src, cluster.url(db)]);
  assert.equal(into.code, 0, into.stderr);
  assert.match(into.stdout, /copied 3 user\(s\) with \d+ item\(s\), jwt\.key/);
  // In the database: every user with a row, every item under the user.
  const counted = await cluster.psql('SELECT u.username, (SELECT count(*) FROM tagwatch.records r WHERE r.username = u.username),'
    + ' (SELECT count(*) FROM tagwatch.settings s WHERE s.username = u.username) FROM tagwatch.users u ORDER BY 1', { db });
  assert.deepEqual(counted, users.sort().map((u) => [u, String(tokens[u].records), String(tokens[u].settings)]));

  const back = path.join(tmpDir('back-'), 'data');
  const out = admin(['migrate', `host=127.0.0.1 port=${cluster.port} user=postgres dbname=${db}`, back]);
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(fs.readFileSync(path.join(back, 'jwt.key')), fs.readFileSync(path.join(src, 'jwt.key')));
  assert.equal(fs.statSync(path.join(back, 'jwt.key')).mode & 0o777, 0o600);
  assert.deepEqual(fs.readdirSync(path.join(back, 'users')).sort(), fs.readdirSync(path.join(src, 'users')).filter((f) => f.endsWith('.db')).sort());
  for (const user of users) {
    const a = rows(userFile(src, user));
    const b = rows(userFile(back, user));
    for (const table of ['records', 'settings', 'userinfo']) assert.equal(b[table], a[table], `${user} ${table}`);
    assert.ok(a.records.split('\n').length > 100, `${user} has records`);
  }
  // The copy back is a folder the server serves with the fixture's tokens, and TimeTagger's
  // schema: no -wal left beside a file.
  assert.deepEqual(fs.readdirSync(path.join(back, 'users')).filter((f) => !f.endsWith('.db')), []);
  const srv = await startServer({ datadir: back, localhostLogin: false });
  try {
    for (const user of users) {
      const u = assertJson(await api(srv, tokens[user].apitoken).get('updates?since=0'));
      assert.equal(u.records.length, tokens[user].records, user);
    }
  } finally {
    await srv.stop();
  }
});

test('migrate copies only into an empty place, and says what is wrong', async () => {
  const src = copyFixture();
  const db = await cluster.createDatabase();
  assert.equal(admin(['migrate', src, cluster.url(db)]).code, 0);
  const again = admin(['migrate', src, cluster.url(db)]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already holds tagwatch data/);
  const full = admin(['migrate', cluster.url(db), src]);
  assert.equal(full.code, 1);
  assert.match(full.stderr, /is not empty/);
  const bad = admin(['migrate', src, 'host=127.0.0.1 colour=blue']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /colour/);
  const two = admin(['migrate', src, src]);
  assert.equal(two.code, 2);
  assert.match(two.stderr, /data folder and the other a database/);
  // A server that cannot be reached: the message names it, without its password.
  const down = admin(['migrate', src, 'host=127.0.0.1 port=1 user=x password=s3cret dbname=x']);
  assert.equal(down.code, 1);
  assert.match(down.stderr, /cannot connect to host=127\.0\.0\.1 port=1 user=x password=\*\*\* dbname=x/);
  assert.doesNotMatch(down.stderr, /s3cret/);
});

test('users, token, export and import, check and stats work on the database', async () => {
  const src = copyFixture();
  const db = await cluster.createDatabase();
  assert.equal(admin(['migrate', src, cluster.url(db)]).code, 0);
  const srv = await startServer({ workers: 1, localhostLogin: false, args: [`--database=${cluster.conninfo(db)}`] });
  try {
    // users add: the server takes the new password at once (the credentials live in the database).
    const add = onDb(db, ['users', 'add', 'carol', '--password-stdin'], { input: 'carol-pw\n' });
    assert.equal(add.code, 0, add.stderr);
    const web = await loginPassword(srv, 'carol', 'carol-pw');
    assert.equal(onDb(db, ['users', 'add', 'carol', '--password-stdin'], { input: 'x\n' }).code, 2);
    const list = onDb(db, ['users', 'list', '--long']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^carol\tpassword:database\tdata:yes$/m);
    assert.match(list.stdout, /^zoë\tpassword:-\tdata:yes$/m);
    // passwd revokes every token of the user; the new password works.
    assert.equal(onDb(db, ['users', 'passwd', 'carol', '--password-stdin'], { input: 'carol-pw2\n' }).code, 0);
    assertError(await api(srv, web).get('version'), 401, { prefix: 'unauthorized:' });
    assertError(await api(srv).post('bootstrap_authentication', Buffer.from(JSON.stringify({ method: 'usernamepassword', username: 'carol', password: 'carol-pw' })).toString('base64')), 403, { exact: 'Invalid credentials' });
    await loginPassword(srv, 'carol', 'carol-pw2');
    assert.equal(onDb(db, ['users', 'passwd', 'nobody', '--password-stdin'], { input: 'x\n' }).code, 2);

    // token: an apitoken the server accepts.
    const token = onDb(db, ['token', 'alice']);
    assert.equal(token.code, 0, token.stderr);
    assert.equal(assertJson(await api(srv, token.stdout.trim()).get('updates?since=0')).records.length, tokens.alice.records);

    // export: the same as from the folder the data came from, byte for byte.
    const fromDb = onDb(db, ['export', 'bob@example.com']);
    const fromFolder = admin(['export', 'bob@example.com'], { datadir: src });
    assert.equal(fromDb.code, 0, fromDb.stderr);
    assert.equal(JSON.stringify(JSON.parse(fromDb.stdout).records.sort((a, b) => (a.key < b.key ? -1 : 1))),
      JSON.stringify(JSON.parse(fromFolder.stdout).records.sort((a, b) => (a.key < b.key ? -1 : 1))));
    const csvLines = (a) => a.stdout.split('\r\n').sort();
    const csv = csvLines(onDb(db, ['export', 'bob@example.com', '--format', 'csv']));
    assert.equal(csv.length, tokens['bob@example.com'].records + 2);  // the header, and the end of the last line
    assert.deepEqual(csv, csvLines(admin(['export', 'bob@example.com', '--format', 'csv'], { datadir: src })));
    // import into a new user: every item there, and the server serves them.
    const file = path.join(tmpDir('export-'), 'bob.json');
    fs.writeFileSync(file, fromDb.stdout);
    const imp = onDb(db, ['import', 'dave', file, '--force']);
    assert.equal(imp.code, 0, imp.stderr);
    assert.match(imp.stdout, new RegExp(`merged ${tokens['bob@example.com'].records} records and ${tokens['bob@example.com'].settings} settings into dave`));
    const dave = JSON.parse(onDb(db, ['export', 'dave']).stdout);
    assert.equal(dave.records.length, tokens['bob@example.com'].records);

    // stats: the counts the folder's stats give for the same users.
    const s = JSON.parse(onDb(db, ['stats', '--json']).stdout);
    const f = JSON.parse(admin(['stats', '--json'], { datadir: src }).stdout);
    for (const u of f.users) {
      const row = s.users.find((x) => x.user === u.user);
      assert.deepEqual([row.records, row.running, row.hidden, row.settings, row.last_change],
        [u.records, u.running, u.hidden, u.settings, u.last_change], u.user);
      assert.ok(row.bytes > 1000);
    }

    // check: sound; a per-user row that disagrees with its items is named.
    const ok = onDb(db, ['check']);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /no problems found/);
    await cluster.psql("UPDATE tagwatch.users SET records_st = 1 WHERE username = 'alice'", { db });
    const broken = onDb(db, ['check']);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /^PROBLEM .*'alice'/m);

    // backup and restore are for data folders: PostgreSQL has its own tools.
    const backup = onDb(db, ['backup', tmpDir('bk-')]);
    assert.equal(backup.code, 2);
    assert.match(backup.stderr, /pg_dump/);

    // users remove --delete-data: the password and the data go; the token stops working.
    const api2 = onDb(db, ['token', 'carol']).stdout.trim();
    assert.equal(onDb(db, ['users', 'remove', 'carol', '--delete-data']).code, 0);
    assertError(await api(srv, api2).get('version'), 401, { prefix: 'unauthorized:' });
    assert.doesNotMatch(onDb(db, ['users', 'list']).stdout, /^carol$/m);
  } finally {
    await srv.stop();
  }
});
