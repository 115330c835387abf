// Crash safety (docs/design.md "Reliability"): a worker killed with SIGKILL in the middle of a
// stream of writes, then the whole program: every write that was answered 200 is there
// afterwards, the files pass PRAGMA integrity_check, and the server goes on serving.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { api, loginLocal, nginxOnly, sqlite, userFile } from '../lib/harness.mjs';
import { waitFor } from '../deploy/lib/proc.mjs';
import { assertJson, serverFixture } from '../lib/apitest.mjs';
import { startLoad, stopLoad } from '../lib/load.mjs';

// Under Apache the program's processes belong to mod_fcgid (or live for one CGI request):
// there are no workers of ours to kill by pid nor a program to restart.
const skip = nginxOnly('kills the program\'s FastCGI workers by pid and restarts the program');
const S = serverFixture({ workers: 2 });
// A writer process; w.answered counts its writes answered 200 so far.
const writer = (id, count, token) =>
  startLoad({ role: 'writer', apiUrl: S.server.apiUrl, token, id, count, sharedKeys: 3, progress: true });

const answered = (ws) => ws.reduce((n, w) => n + w.answered, 0);

async function storedKeys(token) {
  const u = assertJson(await api(S.server, token).get('updates?since=0'));
  return new Map(u.records.map((r) => [r.key, r]));
}

test('kill -9 of a worker during writes: every answered write survives, the file is intact', { timeout: 60000, skip }, async () => {
  const token = await loginLocal(S.server);
  const before = S.server.workerPids();
  assert.ok(before.length >= 1, `worker processes of ${S.server.pids.program}: ${before}`);
  const ws = [writer(10, 400, token), writer(11, 400, token)];
  try {
    await waitFor('writes under way', () => answered(ws) >= 20, 30000);
    const victim = S.server.workerPids()[0];
    process.kill(victim, 'SIGKILL');
    // The other worker, once writes are answered again after the first kill.
    const before2 = answered(ws);
    await waitFor('writes answered after the first kill', () => answered(ws) >= before2 + 10, 30000);
    const second = S.server.workerPids().find((p) => p !== victim);
    if (second) process.kill(second, 'SIGKILL');
    const res = await Promise.all(ws.map((w) => w.result));
    const stored = await storedKeys(token);
    let total = 0;
    for (const r of res) {
      for (const k of r.ok) assert.ok(stored.has(k), `answered write ${k} was lost`);
      total += r.ok.length;
      // A request cut by the kill may fail (502); nothing else may.
      for (const status of Object.keys(r.statuses)) assert.ok(['200', '502', 'error'].includes(status), JSON.stringify(r.statuses));
    }
    assert.ok(total >= 30, `only ${total} writes answered`);
    // The server serves on after losing workers.
    assertJson(await api(S.server, token).get('version'));
  } finally {
    stopLoad(ws);
  }
  if (!S.server.database) assert.equal(sqlite(userFile(S.server.datadir, 'defaultuser'), 'PRAGMA integrity_check')[0], 'ok');
});

test('kill -9 of the whole program during writes, restart: every answered write is there', { timeout: 60000, skip }, async () => {
  const token = await loginLocal(S.server);
  const ws = [writer(20, 1000, token)];
  let res;
  try {
    await waitFor('writes under way', () => answered(ws) >= 10, 30000);
    // The master and every worker at once, like a power cut for this program.
    for (const pid of S.server.programPids()) process.kill(pid, 'SIGKILL');
    res = await Promise.all(ws.map((w) => w.result));
  } finally {
    stopLoad(ws);
  }
  if (!S.server.database) {
    const file = userFile(S.server.datadir, 'defaultuser');
    assert.equal(sqlite(file, 'PRAGMA integrity_check')[0], 'ok', 'the file is intact before any recovery by the program');
  }
  await S.server.restartProgram();
  const stored = await storedKeys(token);
  assert.ok(res[0].ok.length >= 10, `${res[0].ok.length} answered before the kill`);
  for (const k of res[0].ok) assert.ok(stored.has(k), `answered write ${k} was lost`);
  if (!S.server.database) {
    const file = userFile(S.server.datadir, 'defaultuser');
    assert.equal(sqlite(file, 'PRAGMA integrity_check')[0], 'ok');
    assert.ok(fs.existsSync(file));
  }
  // And it writes again.
  assertJson(await api(S.server, token).put('records', [{ key: 'after', t1: 1, t2: 2, mt: 1, st: 0 }]));
});
