// The FastCGI workers themselves (issue 2, "both ways of running"): a worker that meets an
// unexpected error answers 500 with a message and goes on serving; SIGTERM ends the program
// only after the request in hand is answered, and that request's write is stored.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { fcgiRequest } from '../lib/fcgi.mjs';
import { api, loginLocal, nginxOnly, sleep, sqlite, startServer, userFile } from '../lib/harness.mjs';
import { fcgiParams } from '../deploy/lib/proc.mjs';

const skip = nginxOnly('talks to the program\'s own socket and signals it by pid');
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('an unexpected error is a 500 with a message, and the same worker serves on', { skip }, async () => {
  const server = await startServer({ workers: 1 });
  try {
    const token = await loginLocal(server);
    const [worker] = server.workerPids();
    // The user's file replaced by something that is not a database: the store cannot open it.
    const file = userFile(server.datadir, 'defaultuser');
    fs.writeFileSync(`${file}.new`, 'this is not an SQLite file, it is long enough to be looked at '.repeat(20));
    fs.renameSync(`${file}.new`, file);
    for (const side of ['-wal', '-shm']) fs.rmSync(file + side, { force: true });  // no pages left to read
    const broken = await api(server, token).get('updates?since=0');
    assert.equal(broken.status, 500, broken.text);
    assert.match(broken.contentType, /^text\/plain/);
    assert.match(broken.text, /^internal server error: /);
    assert.doesNotMatch(broken.text, /SQLite|\.db|users\//, 'details stay in the log');
    const after = await api(server).get('');
    assert.equal(after.status, 200);
    assert.deepEqual(server.workerPids(), [worker], 'the same worker answered, none was replaced');
  } finally {
    await server.stop();
  }
});

test('SIGTERM: the request in hand is answered and stored, then the program ends', { skip }, async () => {
  const server = await startServer({ workers: 2 });
  try {
    const token = await loginLocal(server);
    const body = JSON.stringify([{ key: 'inhand01', t1: 100, t2: 200, mt: 1, ds: '#sigterm' }]);
    // The body follows 700 ms after the request's parameters: the worker has accepted the
    // request and is reading it when the program is told to stop.
    const pending = fcgiRequest(server.socket,
      fcgiParams({ method: 'PUT', path: 'api/v2/records', body, headers: { authtoken: token } }), body,
      { bodyDelayMs: 700 });
    await sleep(200);
    const master = server.pids.program;
    process.kill(master, 'SIGTERM');
    const answer = await pending;
    assert.equal(answer.status, 200, answer.body);
    assert.deepEqual(JSON.parse(answer.body).accepted, ['inhand01']);
    for (let i = 0; i < 100 && alive(master); i++) await sleep(50);
    assert.ok(!alive(master), 'the program ended');
    assert.deepEqual(sqlite(userFile(server.datadir, 'defaultuser'), "SELECT key FROM records WHERE key = 'inhand01'"),
      ['inhand01']);
  } finally {
    await server.stop();
  }
});
