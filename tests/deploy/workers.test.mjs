// A worker that behaves on a shared host: it ends after max_requests, after idle_timeout
// seconds without a request, and when its program file was replaced (so an upload takes
// effect); and whatever ends it (even SIGKILL in the middle of writes) leaves no lock, no
// journal and no half-written file, and loses no answered write.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fcgiRequest } from '../lib/fcgi.mjs';
import { api, copyFixture, fixturePath, PROGRAM, sleep, sqlite, tmpDir, userFile } from '../lib/harness.mjs';
import { giveToApache, startApache } from './lib/apache.mjs';
import { alive, canConnect, descendants, exeOf, fcgiParams, start, stop, waitFor } from './lib/proc.mjs';

const tokens = JSON.parse(fs.readFileSync(fixturePath('tokens.json'), 'utf8'));

// Starts the program on its own socket; returns {child, socket, datadir, logPids()}.
async function startProgram(args, { datadir = copyFixture(), program = PROGRAM } = {}) {
  const dir = tmpDir('workers-');
  const socket = path.join(dir, 'tagwatch.sock');
  const child = start(program, ['--socket', socket, '--datadir', datadir, ...args], { logFile: path.join(dir, 'program.log') });
  await waitFor('socket', async () => child.exitCode !== null || (await canConnect(socket)));
  assert.equal(child.exitCode, null, child.log());
  // The pid of the worker that served each request, from its access-log line.
  const logPids = () => [...child.log().matchAll(/tagwatch\[(\d+)\] info \w+ \S+ \d+/g)].map((m) => Number(m[1]));
  return { child, socket, datadir, dir, logPids };
}

const status = (socket) => fcgiRequest(socket, fcgiParams({ path: 'status' }));

test('a worker ends after max_requests and the supervisor starts a fresh one', async () => {
  const p = await startProgram(['--workers', '2', '--max_requests', '5']);
  try {
    for (let i = 0; i < 30; i++) assert.equal((await status(p.socket)).status, 200);
    // A worker writes its log line after the answer has gone out: wait for the last ones.
    const pids = await waitFor('30 log lines', () => (p.logPids().length >= 30 ? p.logPids() : null));
    assert.equal(pids.length, 30);
    const served = new Map();
    for (const pid of pids) served.set(pid, (served.get(pid) || 0) + 1);
    assert.ok(served.size >= 6, `30 requests at 5 per worker need 6 workers, saw ${served.size}`);
    for (const [pid, n] of served) assert.ok(n <= 5, `worker ${pid} served ${n}`);
    assert.ok(!served.has(p.child.pid), 'the supervisor serves nothing itself');
    await waitFor('2 workers again', () => descendants(p.child.pid).length === 2);
    assert.ok(alive(p.child.pid));
  } finally {
    await stop(p.child, { others: descendants(p.child.pid) });
  }
});

test('a worker ends after idle_timeout seconds without a request, and another takes its place', async () => {
  const p = await startProgram(['--workers', '1', '--idle_timeout', '1']);
  try {
    assert.equal((await status(p.socket)).status, 200);
    const [first] = await waitFor('the log line', () => (p.logPids().length ? p.logPids() : null));
    await waitFor('the idle worker ends', () => !alive(first), 5000);
    const next = await waitFor('a new worker', () => descendants(p.child.pid)[0], 5000);
    assert.notEqual(next, first);
    assert.equal((await status(p.socket)).status, 200);
    await waitFor('the second log line', () => p.logPids().length >= 2);
    assert.equal(p.logPids().at(-1), next);
  } finally {
    await stop(p.child, { others: descendants(p.child.pid) });
  }
});

test('a handed-over socket (spawn-fcgi, mod_fcgid) with one worker: the process itself ends when idle', async () => {
  const dir = tmpDir('workers-');
  const socket = path.join(dir, 'tagwatch.sock');
  const child = start('spawn-fcgi', ['-n', '-s', socket, '--', PROGRAM, '--datadir', copyFixture(), '--idle_timeout', '1'],
    { logFile: path.join(dir, 'program.log') });
  try {
    await waitFor('socket', () => canConnect(socket));
    assert.equal((await status(socket)).status, 200);
    const t0 = Date.now();
    const ended = await Promise.race([child.exited, sleep(5000).then(() => null)]);
    assert.ok(ended, 'still running 5 s after its last request');
    assert.equal(ended.code, 0);
    assert.ok(Date.now() - t0 >= 500);
  } finally {
    await stop(child);
  }
});

test('through mod_fcgid, an uploaded program takes effect at once, and the old process ends', async () => {
  const datadir = copyFixture();
  giveToApache(datadir);
  // idle_timeout: the old process, which gets no more requests, ends a second later.
  const server = await startApache({ mode: 'fcgid', datadir, env: { TAGWATCH_IDLE_TIMEOUT: '1' } });
  try {
    const client = api(server, tokens.alice.apitoken);
    assert.equal((await client.get('version')).status, 200);
    const before = server.programPids();
    assert.equal(before.length, 1, `${before}`);
    const file = path.join(server.dir, 'cgi-bin/tagwatch.fcgi');
    // An upload: a new file put in place of the old one (a running program cannot be
    // overwritten in place on Linux: ETXTBSY).
    fs.copyFileSync(PROGRAM, `${file}.upload`);
    fs.chmodSync(`${file}.upload`, 0o755);
    fs.renameSync(`${file}.upload`, file);
    // mod_fcgid sees the new file and starts it for the next request.
    assert.equal((await client.get('records?timerange=0-4102444800')).json.records.length, tokens.alice.records);
    const fresh = server.programPids().filter((pid) => !before.includes(pid));
    assert.equal(fresh.length, 1);
    assert.equal(exeOf(fresh[0]), file, 'the new process runs the new file');
    assert.match(exeOf(before[0]), /\(deleted\)$|^$/, 'the old process runs the replaced file');
    await waitFor('the old process ends', () => !alive(before[0]), 5000);
    assert.equal((await client.get('version')).status, 200);
  } finally {
    await server.stop();
  }
});

test('a replaced binary takes effect under the program\'s own supervisor', async () => {
    const dir = tmpDir('workers-bin-');
    const program = path.join(dir, 'tagwatch.fcgi');
    fs.copyFileSync(PROGRAM, program);
    fs.chmodSync(program, 0o755);
    const p = await startProgram(['--workers', '1'], { program });
    try {
      assert.equal((await status(p.socket)).status, 200);
      fs.copyFileSync(PROGRAM, `${program}.new`);
      fs.chmodSync(`${program}.new`, 0o755);
      fs.renameSync(`${program}.new`, program);
      // A worker looks at its program file at most once a second: keep asking until the
      // supervisor has started the new file, then a few more times.
      const supervisor = p.child.pid;
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && exeOf(supervisor).endsWith('(deleted)')) {
        assert.equal((await status(p.socket)).status, 200);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(!exeOf(supervisor).endsWith('(deleted)'), 'the supervisor runs the new file, on the same pid');
      const before = p.logPids().length;
      for (let i = 0; i < 5; i++) assert.equal((await status(p.socket)).status, 200);
      const pids = await waitFor('5 more log lines', () => (p.logPids().length >= before + 5 ? p.logPids() : null), 3000);
      assert.ok(new Set(pids.slice(before)).size === 1, `after the change one new worker serves on, not one per request: ${pids}`);
      const workers = descendants(p.child.pid).length ? descendants(p.child.pid) : [p.child.pid];
      for (const pid of workers) assert.ok(!exeOf(pid).endsWith('(deleted)'), `${pid} still runs the old file`);
    } finally {
      await stop(p.child, { others: descendants(p.child.pid) });
    }
  });

test('workers recycled and killed in the middle of writes: no answered write lost, no lock, no journal left', async () => {
  const p = await startProgram(['--workers', '3', '--max_requests', '7']);
  const acked = new Set();
  let writing = true;
  let failures = 0;
  const writer = async (w) => {
    for (let i = 0; writing; i++) {
      const batch = Array.from({ length: 10 }, (_, j) => ({ key: `w${w}-${i}-${j}`, t1: 1767258000 + i, t2: 1767258060 + i, mt: 1767258060, ds: `#w${w}`, st: 0 }));
      const body = JSON.stringify(batch);
      try {
        const r = await fcgiRequest(p.socket, fcgiParams({ method: 'PUT', path: 'api/v2/records', body, headers: { authtoken: tokens.alice.apitoken } }), body);
        if (r.status === 200) for (const k of r.json?.accepted ?? JSON.parse(r.body).accepted) acked.add(k);
        else failures++;
      } catch {
        failures++; // the worker was killed before it answered: not acknowledged
      }
    }
  };
  try {
    const writers = [0, 1, 2, 3].map(writer);
    for (let round = 0; round < 6; round++) {
      await sleep(150);
      const workers = descendants(p.child.pid);
      try {
        if (workers.length) process.kill(workers[round % workers.length], 'SIGKILL');
      } catch (err) {
        if (err.code !== 'ESRCH') throw err; // that one was recycled meanwhile (max_requests)
      }
    }
    await sleep(200);
    writing = false;
    await Promise.all(writers);
    assert.ok(acked.size >= 100, `only ${acked.size} writes answered (${failures} failed)`);
  } finally {
    writing = false; // a failed round must not leave the writers looping on a stopped program
    await stop(p.child, { others: descendants(p.child.pid) });
  }
  const file = userFile(p.datadir, 'alice');
  assert.deepEqual(sqlite(file, 'PRAGMA integrity_check'), ['ok']);
  const stored = new Set(sqlite(file, "SELECT key FROM records WHERE key LIKE 'w%'"));
  const lost = [...acked].filter((k) => !stored.has(k));
  assert.deepEqual(lost, [], 'answered writes that are not stored');
  // No stale lock: a writer gets the lock at once, without waiting.
  assert.deepEqual(sqlite(file, 'PRAGMA busy_timeout=0; BEGIN IMMEDIATE; ROLLBACK;'), ['0']);
  const leftovers = fs.readdirSync(path.join(p.datadir, 'users')).filter((n) => /journal|tmp|partial/.test(n));
  assert.deepEqual(leftovers, []);
  assert.deepEqual(fs.readdirSync(p.datadir).filter((n) => /tmp|partial/.test(n)), []);
});

test('workers whose supervisor was killed with -9 stop too, instead of serving on as orphans', async () => {
  const p = await startProgram(['--workers', '2']);
  let workers = [];
  try {
    assert.equal((await status(p.socket)).status, 200);
    workers = await waitFor('two workers', () => (descendants(p.child.pid).length === 2 ? descendants(p.child.pid) : null), 5000);
    process.kill(p.child.pid, 'SIGKILL');
    await waitFor('the workers end', () => workers.every((w) => !alive(w)), 5000);
  } finally {
    for (const w of workers) if (alive(w)) process.kill(w, 'SIGKILL');
    await stop(p.child);
  }
});
