// A clean stop checkpoints and closes every file (docs/api.md, Storage): after SIGTERM,
// and after a worker ends for max_requests, each users/*.db on its own (copied without its
// -wal) holds every write that was answered, and no -wal with content is left, so copying
// the folder back to TimeTagger loses nothing. nginx only: the test stops the program
// itself, which Apache's process managers own.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { putOk, rec } from '../lib/apitest.mjs';
import { api, loginLocal, nginxOnly, sqlite, sqliteOnly, startServer, tmpDir, userFile } from '../lib/harness.mjs';
import { waitFor } from '../deploy/lib/proc.mjs';

// The keys of the records in a copy of `file` made without its -wal and -shm.
function keysInFileAlone(file) {
  const copy = path.join(tmpDir('alone-'), path.basename(file));
  fs.copyFileSync(file, copy);
  return sqlite(copy, 'SELECT key FROM records ORDER BY key');
}

// Every -wal file beside the user files that still has content.
function walsWithContent(datadir) {
  const users = path.join(datadir, 'users');
  return fs.readdirSync(users).filter((f) => f.endsWith('-wal') && fs.statSync(path.join(users, f)).size > 0);
}

test('SIGTERM: every answered write is in the .db file itself, and no -wal content is left',
  { skip: nginxOnly('stops the program by pid') || sqliteOnly('the -wal files of a clean stop') }, async () => {
    const server = await startServer({ workers: 3 });
    try {
      const client = api(server, await loginLocal(server));
      const keys = [];
      // Several PUTs, at once, so that more than one worker holds the file open.
      await Promise.all(Array.from({ length: 6 }, async (_, i) => {
        const batch = Array.from({ length: 5 }, (_, j) => rec(`stop${i}x${j}`, 1000 + j, 1010 + j, 'stopped cleanly'));
        await putOk(client, 'records', batch);
        keys.push(...batch.map((r) => r.key));
      }));
      await server.stopProgram('SIGTERM');
      const file = userFile(server.datadir, 'defaultuser');
      assert.deepEqual(walsWithContent(server.datadir), []);
      assert.deepEqual(keysInFileAlone(file), keys.sort());
      // And the file still has TimeTagger's journal mode setting and tables to move back with.
      assert.deepEqual(sqlite(file, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
        ['records', 'settings', 'userinfo']);
    } finally {
      await server.stop();
    }
  });

// The access log's lines per worker pid.
function linesByPid(server) {
  const counts = {};
  for (const m of server.log().matchAll(/tagwatch\[(\d+)\] info /g)) counts[m[1]] = (counts[m[1]] || 0) + 1;
  return counts;
}

test('a worker ending after max_requests leaves its answered writes in the .db file',
  { skip: nginxOnly('counts the workers of the program by pid') || sqliteOnly('the -wal files of a clean stop') }, async () => {
    const server = await startServer({ workers: 1, args: ['--max_requests=4'] });
    try {
      const client = api(server, await loginLocal(server));
      const [first] = server.workerPids();
      assert.ok(first > 0, 'the worker that answered');
      // PUT one record at a time until the worker has answered its last request (the log
      // line of each answer is waited for), so that its successor answers none of them.
      const keys = [];
      let logged = Object.values(linesByPid(server)).reduce((a, b) => a + b, 0);
      while ((linesByPid(server)[first] || 0) < 4) {
        keys.push(`recycled${keys.length}`);
        await putOk(client, 'records', [rec(keys.at(-1), 1000, 1010)]);
        logged += 1;
        await waitFor('the log line of the PUT', () => Object.values(linesByPid(server)).reduce((a, b) => a + b, 0) >= logged);
      }
      assert.ok(keys.length >= 1 && keys.length <= 3, `${keys.length} PUTs`);
      await waitFor('the worker to be replaced', () => {
        const pids = server.workerPids();
        return pids.length === 1 && pids[0] !== first;
      });
      const file = userFile(server.datadir, 'defaultuser');
      assert.deepEqual(walsWithContent(server.datadir), []);
      assert.deepEqual(keysInFileAlone(file), keys.sort());
    } finally {
      await server.stop();
    }
  });
