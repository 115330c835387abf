// Several hosts (README.md, "More than one machine"): two program instances, each with a socket
// of its own as two machines would have, on one PostgreSQL database, behind one nginx
// upstream (nginx.conf.example's tagwatch_hosts). Writers and polling clients spread over
// both: every answered write is stored, st only grows for every key, and every client ends
// up with every write. A login on one host gives a token the other takes (one JWT key,
// one credentials table, one login throttle); when one host stops, the other serves on.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  api, credentials, freePort, generateNginx, login, loginLocal, loginPassword, NGINX, request, ROOT, sleep,
  startServer, stopChild, tmpDir, track,
} from '../lib/harness.mjs';
import { startCluster } from '../lib/pg.mjs';
import { assertError, assertJson } from '../lib/apitest.mjs';
import { assertNothingLost, runLoad } from '../lib/load.mjs';

let cluster;
let hosts = [];
let front;  // {baseUrl, apiUrl, nginx}

before(async () => {
  cluster = await startCluster();
  const db = await cluster.createDatabase();
  const env = { TAGWATCH_CREDENTIALS: credentials({ ann: 'ann-pw' }) };
  // Each instance comes with an nginx of its own (unused here): the front nginx below is the
  // load balancer.
  for (let i = 0; i < 2; i++) hosts.push(await startServer({ workers: 2, env, args: [`--database=${cluster.conninfo(db)}`] }));
  const dir = tmpDir('front-');
  const port = await freePort();
  const conf = generateNginx({ out: path.join(dir, 'nginx'), port, socket: 'unix:/nonexistent', prefix: '/timetagger/',
    root: ROOT, upstream: hosts.map((h) => `unix:${h.socket}`), loginBurst: 1000 });
  const log = fs.openSync(path.join(dir, 'nginx.log'), 'a');
  const nginx = track(spawn(NGINX, ['-p', path.join(dir, 'nginx'), '-c', conf, '-e', path.join(dir, 'nginx/error.log')],
    { stdio: ['ignore', log, log] }));
  fs.closeSync(log);
  front = { nginx, baseUrl: `http://127.0.0.1:${port}`, apiUrl: `http://127.0.0.1:${port}/timetagger/api/v2/` };
  for (let i = 0; i < 400; i++) {
    try {
      if ((await request(`${front.baseUrl}/timetagger/status`, { timeout: 2000 })).status === 200) break;
    } catch {
      /* not up yet */
    }
    await sleep(25);
  }
});
after(async () => {
  if (front) await stopChild(front.nginx, 'SIGQUIT');
  for (const h of hosts) await h.stop();
  if (cluster) await cluster.stop();
});

// Which instance answered: the worker's pid is in neither answer, but each instance logs
// its requests; the front's requests reach both when the counts of both logs grow.
const logged = (h) => (fs.readFileSync(path.join(h.dir, 'program.log'), 'utf8').match(/ PUT \/timetagger\/api\/v2\/records 200 /g) || []).length;

test('two hosts behind one upstream: the concurrency test, nothing lost, st only grows', { timeout: 180000 }, async (t) => {
  const token = await loginLocal(front);
  const before = hosts.map(logged);
  const { wres, pres } = await runLoad({ apiUrl: front.apiUrl, token, writers: 4, pollers: 4, count: 300 });
  const served = hosts.map((h, i) => logged(h) - before[i]);
  t.diagnostic(`PUTs answered by each host: ${served.join(', ')}`);
  assert.ok(served.every((n) => n >= 100), `both hosts wrote: ${served}`);
  const server = assertJson(await api(front.apiUrl, token).get('updates?since=0'));
  assertNothingLost(wres, pres, new Map(server.records.map((r) => [r.key, r])), { count: 300 });
});

test('the hosts share the key, the credentials, the seeds and the login throttle', async () => {
  // A token made through one host works on the other: one JWT key, the seeds in one place.
  const web = await loginPassword(hosts[0], 'ann', 'ann-pw');
  assertJson(await api(hosts[1], web).get('version'));
  // A revocation on one host is in effect on the other at once.
  const fresh = assertJson(await api(hosts[1], web).get('webtoken?reset=1')).token;
  assertError(await api(hosts[0], web).get('version'), 401, { prefix: 'unauthorized: The webtoken is revoked' });
  assertJson(await api(hosts[0], fresh).get('version'));
  // Failed logins counted on both hosts together: the limit holds across them.
  const bad = { method: 'usernamepassword', username: 'ann', password: 'wrong' };
  const statuses = [];
  for (let i = 0; i < 8; i++) statuses.push((await login(hosts[i % 2], bad)).status);
  assert.deepEqual(statuses.slice(0, 5), [403, 403, 403, 403, 403]);
  assert.deepEqual(statuses.slice(5), [429, 429, 429], `statuses ${statuses}`);
});

test('one host stops: the other serves on, behind the same upstream', async () => {
  const token = await loginLocal(front);
  await hosts[0].stopProgram();
  for (let i = 0; i < 20; i++) {
    const a = await api(front.apiUrl, token).put('records', [{ key: `alone${i}`, t1: 1, t2: 2, mt: 1, st: 0 }]);
    assertJson(a);
  }
  const u = assertJson(await api(front.apiUrl, token).get('updates?since=0'));
  assert.equal(u.records.filter((r) => r.key.startsWith('alone')).length, 20);
});
