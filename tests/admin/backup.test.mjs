// tagwatch-admin backup and restore: a backup taken while the real server (FastCGI workers
// behind nginx) keeps writing, restored into a new folder and into a running server.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { api, copyFixture, fixturePath, sqlite, startServer, tmpDir, userFile } from '../lib/harness.mjs';
import { admin, ADMIN, cleanEnv, newDatadir } from './admin-lib.mjs';

const tokens = JSON.parse(fs.readFileSync(fixturePath('tokens.json'), 'utf8'));
const USERS = ['alice', 'bob@example.com', 'zoë'];

function adminAsync(args) {
  return new Promise((resolve) => {
    const child = spawn(ADMIN, args, { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const record = (key, i) => ({ key, t1: 1767258000 + i * 60, t2: 1767258030 + i * 60, mt: 1767258030 + i, ds: `#backup write ${i}`, st: 0 });

test('backup while the server writes: every file copied whole and sound, key and credentials too', async () => {
  const datadir = copyFixture();
  admin(['users', 'add', 'alice', '--hash', '$2b$10$abcdefghijklmnopqrstuuAbCdEfGhIjKlMnOpQrStUvWxYz01234'], { datadir });
  const server = await startServer({ datadir, workers: 2 });
  try {
    const client = api(server, tokens.alice.apitoken);
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        const batch = Array.from({ length: 20 }, (_, j) => record(`bk${written + j}`, written + j));
        const r = await client.put('records', batch);
        assert.equal(r.status, 200, r.text);
        written += batch.length;
      }
    })();
    while (written < 100) await new Promise((r) => setTimeout(r, 10));
    const dest = path.join(tmpDir('admin-backup-'), 'copy');
    const backups = [];
    for (let i = 0; i < 3; i++) backups.push(await adminAsync(['--datadir', datadir, 'backup', `${dest}${i}`]));
    writing = false;
    await writer;
    for (const [i, b] of backups.entries()) {
      assert.equal(b.code, 0, b.stderr);
      assert.match(b.stdout, /backed up 3 user\(s\), \d+ bytes, jwt\.key, credentials into /);
      const d = `${dest}${i}`;
      assert.equal(fs.statSync(d).mode & 0o777, 0o700);
      for (const f of ['jwt.key', 'credentials', 'tagwatch-backup.txt']) assert.equal(fs.statSync(path.join(d, f)).mode & 0o777, 0o600, f);
      assert.equal(fs.readFileSync(path.join(d, 'jwt.key'), 'utf8'), fs.readFileSync(path.join(datadir, 'jwt.key'), 'utf8'));
      assert.match(fs.readFileSync(path.join(d, 'tagwatch-backup.txt'), 'utf8'), /^users: 3$/m);
      assert.deepEqual(fs.readdirSync(path.join(d, 'users')).sort(), USERS.map((u) => path.basename(userFile(datadir, u))).sort(),
        'single files: no -wal, -shm or partial file');
      const alice = userFile(d, 'alice');
      assert.deepEqual(sqlite(alice, 'PRAGMA integrity_check'), ['ok']);
      assert.deepEqual(sqlite(alice, 'PRAGMA journal_mode'), ['delete']);
      const n = Number(sqlite(alice, 'SELECT count(*) FROM records')[0]);
      assert.ok(n >= 311 + 100 && n <= 311 + written, `a consistent snapshot: ${n}`);
      // Whole batches only: a PUT is one transaction, and the copy is one snapshot.
      assert.equal((n - 311) % 20, 0, `${n - 311} records of the writer: a batch was split`);
    }
    const stats = JSON.parse(admin(['stats', '--json'], { datadir }).stdout);
    assert.equal(stats.users.find((u) => u.user === 'alice').records, 311 + written);
  } finally {
    await server.stop();
  }
});

test('backup refuses a folder that is not empty, and a missing data folder', () => {
  const datadir = copyFixture();
  const dest = tmpDir('admin-backup-');
  fs.writeFileSync(path.join(dest, 'jwt.key'), 'x');
  const r = admin(['backup', dest], { datadir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not empty/);
  const none = admin(['backup', path.join(dest, 'new')], { datadir: path.join(datadir, 'nope') });
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no data folder/);
});

test('restore into a new folder: the server serves the same data and accepts the same tokens', async () => {
  const datadir = copyFixture();
  const dest = path.join(tmpDir('admin-backup-'), 'b');
  assert.equal(admin(['backup', dest], { datadir }).code, 0);
  const fresh = newDatadir();
  const r = admin(['restore', dest], { datadir: fresh });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /restored 3 user\(s\)/);
  for (const user of USERS) {
    const a = JSON.parse(admin(['export', user], { datadir }).stdout);
    const b = JSON.parse(admin(['export', user], { datadir: fresh }).stdout);
    assert.deepEqual(b.records.map((x) => x.key).sort(), a.records.map((x) => x.key).sort(), user);
    assert.deepEqual(b.settings, a.settings, user);
  }
  const server = await startServer({ datadir: fresh, workers: 1 });
  try {
    for (const user of USERS) {
      const v = await api(server, tokens[user].apitoken).get('version');
      assert.equal(v.status, 200, `${user}: ${v.text}`);
      const recs = await api(server, tokens[user].apitoken).get('records?timerange=0-4102444800');
      assert.equal(recs.json.records.length, tokens[user].records);
    }
  } finally {
    await server.stop();
  }
});

test('restore into a running server rolls a user back, and their clients reload everything', async () => {
  const datadir = copyFixture();
  const server = await startServer({ datadir, workers: 1 });
  try {
    const client = api(server, tokens.alice.apitoken);
    const dest = path.join(tmpDir('admin-backup-'), 'b');
    assert.equal(admin(['backup', dest], { datadir }).code, 0);
    assert.equal((await client.put('records', [record('afterBackup', 1)])).status, 200);
    const poll = await client.get('updates?since=0');
    const since = poll.json.server_time;
    assert.equal((await client.get('records?timerange=0-4102444800')).json.records.length, 312);

    const refused = admin(['restore', dest], { datadir });
    assert.equal(refused.code, 2, 'a folder with data needs --force');
    assert.match(refused.stderr, /already has data/);
    const r = admin(['restore', dest, '--user', 'alice'], { datadir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'restored alice\nrestored 1 user(s) into ' + datadir);

    // The worker kept its connection open: it sees the restored file at once.
    const after = await client.get('records?timerange=0-4102444800');
    assert.equal(after.status, 200, after.text);
    assert.equal(after.json.records.length, 311);
    assert.ok(!after.json.records.some((x) => x.key === 'afterBackup'));
    const update = await client.get(`updates?since=${since}`);
    assert.equal(update.json.reset, true, 'clients must drop their cache');
    assert.equal(update.json.records.length, 311);
    assert.deepEqual(sqlite(userFile(datadir, 'alice'), 'PRAGMA integrity_check'), ['ok']);

    const all = admin(['restore', dest, '--force'], { datadir });
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /restored 3 user\(s\)/);
    assert.equal((await api(server, tokens['zoë'].apitoken).get('version')).status, 200);
  } finally {
    await server.stop();
  }
});

test('a damaged user file: requests fail with a clear 500 and no hang, restore --force replaces it while the server runs', async () => {
  const datadir = copyFixture();
  const server = await startServer({ datadir, workers: 2 });
  try {
    const client = api(server, tokens.alice.apitoken);
    const dest = path.join(tmpDir('admin-backup-'), 'b');
    assert.equal(admin(['backup', dest], { datadir }).code, 0);
    const before = await client.get('records?timerange=0-4102444800');
    assert.equal(before.status, 200, before.text);

    // The file is replaced by something that is not a database (a bad copy, a disk gone
    // wrong), its -wal still beside it.
    const file = userFile(datadir, 'alice');
    const junk = `${file}.junk`;
    fs.writeFileSync(junk, Buffer.alloc(fs.statSync(file).size, 0x5A));
    fs.renameSync(junk, file);
    for (let i = 0; i < 4; i++) {  // both workers, twice each: every answer is prompt and the same
      const a = await client.get('records?timerange=0-4102444800', { timeout: 15000 });
      assert.equal(a.status, 500, a.text);
      assert.match(a.contentType, /^text\/plain;\s*charset=utf-8$/i);
      assert.match(a.text, /^internal server error: /);
    }
    // SQLite's words depend on what it reads first: the junk, or a page still in the -wal.
    assert.match(server.log(), /alice~YWxpY2U=\.db: .*(file is not a database|database disk image is malformed)/, 'the log names what is wrong');

    const r = admin(['restore', dest, '--user', 'alice', '--force'], { datadir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /replaced the damaged .*alice~YWxpY2U=\.db\nrestored alice\n/);
    for (let i = 0; i < 4; i++) {  // no restart: every worker opens the restored file
      const a = await client.get('records?timerange=0-4102444800');
      assert.equal(a.status, 200, a.text);
      assert.deepEqual(a.json.records.map((x) => x.key).sort(), before.json.records.map((x) => x.key).sort());
    }
    assert.deepEqual(sqlite(file, 'PRAGMA integrity_check'), ['ok']);
  } finally {
    await server.stop();
  }
});

test('restore checks every file first: a damaged backup writes nothing', () => {
  const datadir = copyFixture();
  const dest = path.join(tmpDir('admin-backup-'), 'b');
  assert.equal(admin(['backup', dest], { datadir }).code, 0);
  const zoe = userFile(dest, 'zoë');
  const fd = fs.openSync(zoe, 'r+');
  fs.writeSync(fd, Buffer.alloc(8192, 0x5A), 0, 8192, 4096);
  fs.closeSync(fd);
  const target = newDatadir();
  const r = admin(['restore', dest], { datadir: target });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /zo-~em_Dqw==\.db/);
  assert.ok(!fs.existsSync(path.join(target, 'users')) || fs.readdirSync(path.join(target, 'users')).length === 0);
  assert.ok(!fs.existsSync(path.join(target, 'jwt.key')));
  const notBackup = admin(['restore', tmpDir('admin-empty-')], { datadir: target });
  assert.equal(notBackup.code, 2);
  assert.match(notBackup.stderr, /not a backup/);
  const noUser = admin(['restore', dest, '--user', 'mallory'], { datadir: target });
  assert.equal(noUser.code, 2);
});

test('run as root on a data folder of another user: the backup belongs to that user, parents too',
  { skip: process.getuid() !== 0 && 'needs root' }, () => {
    const datadir = copyFixture();
    fs.chmodSync(path.dirname(datadir), 0o755);
    execFileSync('chown', ['-R', '65534:65534', datadir]);
    const top = tmpDir('admin-backup-');
    fs.chmodSync(top, 0o755);
    const dest = path.join(top, 'nested', 'deeper', 'b');
    const r = admin(['backup', dest], { datadir });
    assert.equal(r.code, 0, r.stderr);
    for (const p of [path.join(top, 'nested'), path.join(top, 'nested', 'deeper'), dest, path.join(dest, 'jwt.key'), userFile(dest, 'alice')]) {
      assert.equal(fs.statSync(p).uid, 65534, p);
    }
    const back = admin(['restore', dest, '--force'], { datadir });
    assert.equal(back.code, 0, back.stderr);
    assert.equal(fs.statSync(userFile(datadir, 'alice')).uid, 65534);
  });
