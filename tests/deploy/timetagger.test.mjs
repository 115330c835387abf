// "Coming from TimeTagger", as the README tells it: copy TimeTagger's data folder, carry
// its TIMETAGGER_CREDENTIALS over (as they are, or into <datadir>/credentials with the admin
// command), serve it; then, after our server wrote every kind of thing to it, TimeTagger's
// schema still holds (sqlite_master as in the original files, plus the two indexes of ours,
// which TimeTagger never looks at: it checks columns only), every item is still
// in TimeTagger's form, and the folder can move back (no WAL left once the server stopped).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { api, copyFixture, FIXTURE, fixturePath, login, sqlite, startServer, userFile } from '../lib/harness.mjs';
import { admin } from '../admin/admin-lib.mjs';

const tokens = JSON.parse(fs.readFileSync(fixturePath('tokens.json'), 'utf8'));
const USERS = ['alice', 'bob@example.com', 'zoë'];
const schema = (file) => sqlite(file, "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'tagwatch\\_%' ESCAPE '\\' ORDER BY type, name");
const ours = (file) => sqlite(file, "SELECT type || ' ' || name || ' ' || tbl_name FROM sqlite_master WHERE name LIKE 'tagwatch\\_%' ESCAPE '\\' ORDER BY name");
const original = (user) => userFile(path.join(FIXTURE, 'data'), user);

// Reads every item the way TimeTagger's itemdb does (Python's json.loads of _ob) and
// checks that the indexed columns repeat the item's fields. Prints "ok N" per table.
const PY_CHECK = `
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for table, cols in (("records", ("key", "st", "t1", "t2")), ("settings", ("key", "st")), ("userinfo", ("key", "st"))):
    n = 0
    for row in db.execute("SELECT _ob, %s FROM %s" % (", ".join(cols), table)):
        item = json.loads(row[0])
        for name, value in zip(cols, row[1:]):
            assert item[name] == value, (table, name, item[name], value)
        n += 1
    print(table, "ok", n)
`;

async function loginAs(server, user, password) {
  const r = await login(server, { method: 'usernamepassword', username: user, password });
  assert.equal(r.status, 200, `${user}: ${r.text}`);
  return r.json.token;
}

test('served as it is with TIMETAGGER_CREDENTIALS, written to in every way, TimeTagger\'s files still hold', async () => {
  const datadir = copyFixture();
  const credentials = fs.readFileSync(fixturePath('credentials.txt'), 'utf8').trim();
  // TimeTagger's own variable name works as it is.
  const server = await startServer({ datadir, workers: 2, localhostLogin: false, env: { TIMETAGGER_CREDENTIALS: credentials } });
  try {
    for (const user of USERS) {
      const c = api(server, tokens[user].apitoken);
      assert.equal((await c.get('records?timerange=0-4102444800')).json.records.length, tokens[user].records);
      const web = api(server, await loginAs(server, user, tokens[user].password));
      const put = await web.put('records', [
        { key: 'fromTagwatch', t1: 1780000000, t2: 1780003600, mt: 1780003600, ds: 'moved in #tagwatch ✓', st: 0 },
        { key: 'runningA', t1: 1780000000, t2: 1780000000, mt: 4102444800, ds: 'still running', st: 0 },
      ]);
      assert.equal(put.status, 200, put.text);
      await web.put('settings', [{ key: 'first_day_of_week', value: 0, mt: 4102444800, st: 0 }]);
      const renewed = await web.get('webtoken?reset=1');
      assert.equal(renewed.status, 200);
      assert.equal((await api(server, renewed.json.token).get('apitoken?reset=1')).status, 200);
    }
    // A force-reset too, the rarest write.
    const alice = api(server, await loginAs(server, 'alice', tokens.alice.password));
    assert.equal((await alice.put('forcereset', '')).status, 200);
  } finally {
    await server.stop();
  }
  for (const user of USERS) {
    const file = userFile(datadir, user);
    assert.deepEqual(schema(file), schema(original(user)), `${user}: sqlite_master changed`);
    assert.deepEqual(ours(file), ['index tagwatch_records_duration records', 'index tagwatch_records_running records']);
    assert.deepEqual(sqlite(file, 'PRAGMA integrity_check'), ['ok']);
    const out = execFileSync('python3', ['-c', PY_CHECK, file], { encoding: 'utf8' });
    assert.match(out, /^records ok \d+$/m);
    assert.match(out, /^settings ok 7$/m);
    assert.match(out, /^userinfo ok \d+$/m);
    // Back to TimeTagger: once our server stopped, no write waits in a WAL file.
    for (const extra of ['-wal', '-journal']) {
      const f = `${file}${extra}`;
      assert.ok(!fs.existsSync(f) || fs.statSync(f).size === 0, `${f} left behind`);
    }
    const [ob] = sqlite(file, "SELECT _ob FROM records WHERE key = 'fromTagwatch'");
    assert.match(ob, /^\{"key": "fromTagwatch", "mt": 1780003600, "t1": 1780000000, "t2": 1780003600, "ds": "moved in #tagwatch \\u2713", "st": \d+\.\d+\}$/);
  }
  const check = admin(['check', '--fix-permissions'], { datadir });
  assert.equal(check.code, 0, check.stdout);
});

test('the credentials carried into <datadir>/credentials with tagwatch-admin, bcrypt hashes as they are', async () => {
  const datadir = copyFixture();
  for (const entry of fs.readFileSync(fixturePath('credentials.txt'), 'utf8').trim().split(',')) {
    const [user, ...hash] = entry.split(':');
    const r = admin(['users', 'add', user, '--hash', hash.join(':')], { datadir });
    assert.equal(r.code, 0, r.stderr);
  }
  assert.deepEqual(admin(['users', 'list'], { datadir }).stdout.trim().split('\n'), USERS);
  const server = await startServer({ datadir, workers: 1, localhostLogin: false });
  try {
    for (const user of USERS) {
      const token = await loginAs(server, user, tokens[user].password);
      assert.equal((await api(server, token).get('settings')).json.settings.length, tokens[user].settings);
    }
  } finally {
    await server.stop();
  }
});
