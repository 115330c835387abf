// The FastCGI workers themselves: a worker that meets an
// unexpected error answers 500 with a message and goes on serving; SIGTERM ends the program
// only after the request in hand is answered, and that request's write is stored.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { fcgiRequest } from '../lib/fcgi.mjs';
import { api, loginLocal, nginxOnly, startServer, storedItem, userFile } from '../lib/harness.mjs';
import { fcgiParams, waitFor } from '../deploy/lib/proc.mjs';

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
    if (server.database) {
      // On PostgreSQL: a column the queries need is gone.
      await server.database.psql('ALTER TABLE tagwatch.users RENAME COLUMN records_st TO gone');
    } else {
      // The user's file replaced by something that is not a database: the store cannot open it.
      const file = userFile(server.datadir, 'defaultuser');
      fs.writeFileSync(`${file}.new`, 'this is not an SQLite file, it is long enough to be looked at '.repeat(20));
      fs.renameSync(`${file}.new`, file);
      for (const side of ['-wal', '-shm']) fs.rmSync(file + side, { force: true });  // no pages left to read
    }
    const broken = await api(server, token).get('updates?since=0');
    assert.equal(broken.status, 500, broken.text);
    assert.match(broken.contentType, /^text\/plain/);
    assert.match(broken.text, /^internal server error: /);
    assert.doesNotMatch(broken.text, /SQLite|\.db|users\/|postgres|_ob/i, 'details stay in the log');
    const after = await api(server).get('');
    assert.equal(after.status, 200);
    assert.deepEqual(server.workerPids(), [worker], 'the same worker answered, none was replaced');
  } finally {
    await server.stop();
  }
});

// What /proc says of a process: its open descriptors, and whether a SIGTERM waits for it
// (blocked while it answers a request).
const fdCount = (pid) => {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return -1;
  }
};
const sigtermPending = (pid) => {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return ['SigPnd', 'ShdPnd'].some((f) => (BigInt(`0x${status.match(new RegExp(`^${f}:\\s*(\\w+)`, 'm'))[1]}`) & 0x4000n) !== 0n);
  } catch {
    return false;
  }
};
test('SIGTERM: the request in hand is answered and stored, then the program ends', { skip }, async () => {
  const server = await startServer({ workers: 2 });
  try {
    const token = await loginLocal(server);
    const body = JSON.stringify([{ key: 'inhand01', t1: 100, t2: 200, mt: 1, ds: '#sigterm' }]);
    const workers = server.workerPids();
    const fds = new Map(workers.map((p) => [p, fdCount(p)]));
    // The body is held back until the worker that accepted the request has been told to
    // stop: the request is in hand, half read, when the SIGTERM comes.
    let sendBody;
    const bodyAfter = new Promise((resolve) => { sendBody = resolve; });
    const pending = fcgiRequest(server.socket,
      fcgiParams({ method: 'PUT', path: 'api/v2/records', body, headers: { authtoken: token } }), body,
      { bodyAfter });
    const busy = await waitFor('a worker accepts the request', () => workers.find((p) => fdCount(p) > fds.get(p)), 20000);
    const master = server.pids.program;
    process.kill(master, 'SIGTERM');
    await waitFor('the busy worker holds a SIGTERM back', () => sigtermPending(busy), 20000);
    sendBody();
    const answer = await pending;
    assert.equal(answer.status, 200, answer.body);
    assert.deepEqual(JSON.parse(answer.body).accepted, ['inhand01']);
    await waitFor('the program ends', () => !alive(master), 20000);
    assert.ok(storedItem(server, 'defaultuser', 'records', 'inhand01'), 'stored');
  } finally {
    await server.stop();
  }
});
