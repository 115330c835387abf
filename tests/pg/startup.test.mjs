// The setting `database` at start-up (README.md, "More than one machine"): a connection string
// libpq cannot read, or a database that cannot be reached, stops the program with a message
// that names the setting and says why, never showing the password; a good one makes the
// schema, and a database with a newer schema than the program knows is refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { freePort, PROGRAM, startServer } from '../lib/harness.mjs';
import { startCluster } from '../lib/pg.mjs';

let cluster;
before(async () => {
  cluster = await startCluster();
});
after(async () => {
  if (cluster) await cluster.stop();
});

// The program started with a setting, on a socket of its own, as systemd would start it.
function startWith(database) {
  return spawnSync(PROGRAM, ['--socket', `127.0.0.1:${0}`, `--database=${database}`], { encoding: 'utf8', timeout: 30000,
    env: { PATH: process.env.PATH, HOME: '/nonexistent' } });
}

test('a connection string libpq cannot read stops start-up, naming the setting', () => {
  for (const [database, word] of [['host=db1 colour=blue', /colour/], ['postgresql://db1/x?colour=blue', /colour/],
    ["host='db1", /quoted|quote/]]) {
    const r = startWith(database);
    assert.equal(r.status, 2, `${database}: ${r.stderr}`);
    assert.match(r.stderr, /^tagwatch: bad value for database \(from --database\): /m);
    assert.match(r.stderr, word);
  }
});

test('a database that cannot be reached stops start-up saying so, without the password', async () => {
  const port = await freePort();  // nothing listens there
  const r = startWith(`host=127.0.0.1 port=${port} user=tw password=s3cret dbname=tagwatch`);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`^tagwatch: cannot start: database: cannot connect to host=127\\.0\\.0\\.1 port=${port} user=tw password=\\*\\*\\* dbname=tagwatch: .*refused`, 'm'));
  assert.doesNotMatch(r.stderr, /s3cret/);
});

test('the program makes its schema at the first start; a newer schema than it knows is refused', async () => {
  const db = await cluster.createDatabase();
  const server = await startServer({ workers: 1, args: [`--database=${cluster.conninfo(db)}`] });
  await server.stop();
  assert.deepEqual(await cluster.psql('SELECT version FROM tagwatch.schema_version', { db }), [['1']]);
  const tables = (await cluster.psql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'tagwatch' ORDER BY 1", { db })).flat();
  assert.deepEqual(tables, ['credentials', 'login_failures', 'records', 'schema_version', 'settings', 'shared', 'team_people',
    'team_tags', 'teams', 'userinfo', 'users']);
  // The user is the first column of every key and index of the user tables.
  const indexes = await cluster.psql("SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'tagwatch'"
    + " AND tablename IN ('records', 'settings', 'userinfo', 'users')", { db });
  for (const [table, def] of indexes) assert.match(def, /\(username[,)]/, `${table}: ${def}`);

  await cluster.psql('UPDATE tagwatch.schema_version SET version = 99', { db });
  const r = startWith(cluster.conninfo(db));
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^tagwatch: cannot start: database .*schema version 99, newer than this program's 1: run a newer tagwatch/);
});
