// Teams (docs/api.md, "Extensions of ours: shares and teams"): made with tagwatch-admin teams, read through GET teams
// and GET teams/records; only a team's managers read its members' records, only those with
// one of its tags when it has any, never hidden ones; a change is in effect at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admin } from '../admin/admin-lib.mjs';
import { assertError, assertJson, serverFixture } from '../lib/apitest.mjs';

const users = { mia: 'pw-mia', ben: 'pw-ben', cleo: 'pw-cleo', dan: 'pw-dan' };
const S = serverFixture({ users });
const rec = (key, t1, t2, ds) => ({ key, t1, t2, ds, mt: 100, st: 0 });
const T0 = 1709542800; // 4 March 2024 09:00 UTC
const RANGE = `${T0 - 86400}-${T0 + 10 * 86400}`;

function teams(...args) {
  const r = admin(['teams', ...args], { datadir: S.server.datadir });
  assert.equal(r.code, 0, `teams ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

let seeded = false;
async function seed() {
  if (seeded) return;
  seeded = true;
  const put = async (user, records) => assertJson(await S.api(await S.token(user)).put('records', records));
  await put('ben', [
    rec('b1', T0, T0 + 3600, 'build #web'),
    rec('b2', T0 + 86400, T0 + 86400 + 1200, 'lunch #private'),
    rec('b3', T0 + 2 * 86400, T0 + 2 * 86400 + 600, 'HIDDEN #web gone'),
    rec('b4', T0 + 40 * 86400, T0 + 40 * 86400 + 600, 'later #web'),
  ]);
  await put('cleo', [rec('c1', T0 + 3600, T0 + 7200, 'review #web #ops'), rec('c2', T0 + 7200, T0 + 9000, 'plain')]);
  await put('mia', [rec('m1', T0, T0 + 60, 'own #web')]);
}
const keys = (records) => records.map((r) => `${r.user}:${r.key}`).sort();

test('a manager reads the members\' records, each with its user', async () => {
  await seed();
  teams('add', 'all', '--manager', 'mia', '--member', 'ben', '--member', 'cleo');
  const mia = S.api(await S.token('mia'));
  const body = assertJson(await mia.get(`teams/records?team=all&timerange=${RANGE}`));
  assert.deepEqual(keys(body.records), ['ben:b1', 'ben:b2', 'cleo:c1', 'cleo:c2']);
  const b1 = body.records.find((r) => r.key === 'b1');
  assert.deepEqual(b1, { key: 'b1', t1: T0, t2: T0 + 3600, mt: 100, st: b1.st, ds: 'build #web', user: 'ben' });
  teams('remove', 'all');
});

test("a team with tags shows only its members' records with one of them", async () => {
  await seed();
  teams('add', 'web', '--manager', 'mia', '--member', 'ben', '--member', 'cleo', '--tag', 'web', '--tag', '#ops');
  const mia = S.api(await S.token('mia'));
  const body = assertJson(await mia.get(`teams/records?team=web&timerange=${RANGE}`));
  assert.deepEqual(keys(body.records), ['ben:b1', 'cleo:c1']);
  // the range and the records' own filters still apply
  assert.deepEqual(keys(assertJson(await mia.get(`teams/records?team=web&timerange=${T0 + 3000}-${T0 + 3100}`)).records), ['ben:b1']);
  assert.deepEqual(assertJson(await mia.get(`teams/records?team=web&timerange=${RANGE}&hidden=true`)).records, []);
  teams('remove', 'web');
});

test('GET teams lists the teams of the user with its role, for managers and members alike', async () => {
  await seed();
  teams('add', 'web', '--manager', 'mia', '--member', 'ben', '--member', 'cleo', '--tag', 'web');
  teams('add', 'ops', '--manager', 'cleo', '--member', 'ben', '--member', 'mia');
  const of = async (u) => assertJson(await S.api(await S.token(u)).get('teams')).teams;
  assert.deepEqual(await of('ben'), [
    { name: 'ops', managers: ['cleo'], members: ['ben', 'mia'], tags: [], role: 'member' },
    { name: 'web', managers: ['mia'], members: ['ben', 'cleo'], tags: ['#web'], role: 'member' },
  ]);
  assert.deepEqual((await of('mia')).map((t) => [t.name, t.role]), [['ops', 'member'], ['web', 'manager']]);
  assert.deepEqual((await of('cleo')).map((t) => [t.name, t.role]), [['ops', 'manager'], ['web', 'member']]);
  assert.deepEqual(await of('dan'), []);
  teams('remove', 'web');
  teams('remove', 'ops');
});

test("a member, an outsider or an unknown team's asker gets 403; a removed manager at once", async () => {
  await seed();
  teams('add', 'web', '--manager', 'mia', '--member', 'ben', '--member', 'cleo');
  const ask = async (u, team = 'web') => S.api(await S.token(u)).get(`teams/records?team=${encodeURIComponent(team)}&timerange=${RANGE}`);
  assertJson(await ask('mia'));
  assertError(await ask('ben'), 403, { prefix: 'forbidden:' });
  assertError(await ask('dan'), 403, { prefix: 'forbidden:' });
  assertError(await ask('mia', 'nosuchteam'), 403, { prefix: 'forbidden:' });
  // the manager is taken off: the very next request is refused
  teams('change', 'web', '--remove-manager', 'mia', '--add-manager', 'dan');
  assertError(await ask('mia'), 403, { prefix: 'forbidden:' });
  assert.deepEqual(keys(assertJson(await ask('dan')).records), ['ben:b1', 'ben:b2', 'cleo:c1', 'cleo:c2']);
  // a member taken off: their records leave the team's at once
  teams('change', 'web', '--remove-member', 'cleo');
  assert.deepEqual(keys(assertJson(await ask('dan')).records), ['ben:b1', 'ben:b2']);
  teams('remove', 'web');
  assertError(await ask('dan'), 403, { prefix: 'forbidden:' });
});

test('teams paths: apitoken 403, bad queries 400, no token 401, other methods 405', async () => {
  await seed();
  teams('add', 'web', '--manager', 'mia', '--member', 'ben');
  const mia = S.api(await S.token('mia'));
  const apiToken = assertJson(await mia.get('apitoken')).token;
  assertError(await S.api(apiToken).get('teams'), 403, { prefix: 'forbidden:' });
  assertError(await S.api(apiToken).get(`teams/records?team=web&timerange=${RANGE}`), 403, { prefix: 'forbidden:' });
  assertError(await mia.get(`teams/records?timerange=${RANGE}`), 400, { prefix: 'bad request:', includes: 'team' });
  assertError(await mia.get('teams/records?team=web'), 400, { prefix: 'bad request:', includes: 'timerange' });
  assertError(await mia.get('teams/records?team=web&timerange=a-b'), 400, { prefix: 'bad request:' });
  assertError(await S.api().get('teams'), 401, { prefix: 'unauthorized:' });
  assertError(await mia.put('teams', []), 405, { exact: 'method not allowed: /teams can only be used with GET' });
  assertError(await mia.put('teams/records', []), 405, { prefix: 'method not allowed:' });
  teams('remove', 'web');
});
