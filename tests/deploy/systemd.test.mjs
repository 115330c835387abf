// The systemd units in deploy/systemd/: they pass `systemd-analyze verify`, and their very
// ExecStart lines serve the API: the plain service on its own socket, and the
// socket-activated one under systemd-socket-activate (which hands the socket over as fd 3
// with LISTEN_FDS, as systemd does; no systemd needs to run here).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fcgiRequest } from '../lib/fcgi.mjs';
import { copyFixture, fixturePath, PROGRAM, ROOT, tmpDir } from '../lib/harness.mjs';
import { alive, canConnect, descendants, exeOf, fcgiParams, listening, start, stop, waitFor } from './lib/proc.mjs';

const UNITS = path.join(ROOT, 'deploy/systemd');
const INSTALLED = '/usr/local/lib/tagwatch/cgi-bin/tagwatch.fcgi';
const tokens = JSON.parse(fs.readFileSync(fixturePath('tokens.json'), 'utf8'));

// The value of `key` in a unit file (the last one counts, as in systemd).
function unitValue(file, key) {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith(`${key}=`));
  assert.ok(lines.length > 0, `${file} has no ${key}=`);
  return lines[lines.length - 1].slice(key.length + 1);
}

// ExecStart as argv, with the installed program's path replaced by the built one.
function execStart(file) {
  const words = unitValue(file, 'ExecStart').split(/\s+/);
  assert.equal(words[0], INSTALLED, `${file} runs the program that make install installs`);
  return [PROGRAM, ...words.slice(1)];
}

test('the units pass systemd-analyze verify', () => {
  for (const files of [['tagwatch.service'], ['socket-activated/tagwatch.socket', 'socket-activated/tagwatch.service']]) {
    const dir = tmpDir('units-');
    const copies = files.map((f) => {
      const to = path.join(dir, path.basename(f));
      fs.writeFileSync(to, fs.readFileSync(path.join(UNITS, f), 'utf8').split(INSTALLED).join(PROGRAM));
      return to;
    });
    const r = spawnSync('systemd-analyze', ['verify', ...copies], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${files}: ${r.stderr}`);
    assert.equal(r.stderr.trim(), '', `${files}: ${r.stderr}`);
  }
});

test('the service\'s ExecStart: its own socket (mode 0660), its workers, a clean stop', async () => {
  const unit = path.join(UNITS, 'tagwatch.service');
  const datadir = copyFixture();
  const dir = tmpDir('systemd-');
  const socket = path.join(dir, 'tagwatch.sock');
  const argv = execStart(unit).map((a) => (a === '/run/tagwatch/tagwatch.sock' ? socket : a));
  assert.ok(argv.includes(socket), 'the unit names its socket with --socket');
  const env = { TAGWATCH_DATADIR: datadir };
  assert.equal(unitValue(unit, 'Environment'), 'TAGWATCH_DATADIR=/var/lib/tagwatch');
  const child = start(argv[0], argv.slice(1), { env, logFile: path.join(dir, 'program.log') });
  try {
    await waitFor('socket', () => canConnect(socket));
    assert.equal(fs.statSync(socket).mode & 0o777, 0o660);
    const r = await fcgiRequest(socket, fcgiParams({ path: 'api/v2/records', query: 'timerange=0-4102444800', headers: { authtoken: tokens.alice.apitoken } }));
    assert.equal(r.status, 200, r.body);
    assert.equal(JSON.parse(r.body).records.length, tokens.alice.records);
    const workers = await waitFor('4 workers', () => (descendants(child.pid).length === 4 ? descendants(child.pid) : null));
    await stop(child, { others: workers });
    assert.equal(child.exitCode, 0, child.log());
    assert.ok(workers.every((pid) => !alive(pid)), 'every worker ended with the service');
  } finally {
    await stop(child);
  }
});

test('socket activation: started on the first request with the socket as fd 3, served by its workers', async () => {
  const socketUnit = path.join(UNITS, 'socket-activated/tagwatch.socket');
  const serviceUnit = path.join(UNITS, 'socket-activated/tagwatch.service');
  assert.equal(unitValue(socketUnit, 'ListenStream'), '/run/tagwatch.sock');
  assert.equal(unitValue(socketUnit, 'Accept'), 'no');
  const argv = execStart(serviceUnit);
  assert.ok(!argv.includes('--socket'), 'the activated service takes the socket it is given');
  const datadir = copyFixture();
  const dir = tmpDir('systemd-');
  const socket = path.join(dir, 'tagwatch.sock');
  const child = start('systemd-socket-activate', ['-l', socket, '-E', `TAGWATCH_DATADIR=${datadir}`, ...argv],
    { logFile: path.join(dir, 'activate.log') });
  try {
    await waitFor('socket', () => listening(socket));
    assert.notEqual(exeOf(child.pid), fs.realpathSync(PROGRAM), 'nothing started before the first request');
    const answers = await Promise.all(['alice', 'bob@example.com', 'zoë'].map((user) => fcgiRequest(socket,
      fcgiParams({ path: 'api/v2/records', query: 'timerange=0-4102444800', headers: { authtoken: tokens[user].apitoken } }))));
    for (const [i, user] of ['alice', 'bob@example.com', 'zoë'].entries()) {
      assert.equal(answers[i].status, 200, `${user}: ${answers[i].body} ${child.log()}`);
      assert.equal(JSON.parse(answers[i].body).records.length, tokens[user].records);
    }
    // systemd-socket-activate execs the program in its place, as systemd starts it.
    assert.equal(exeOf(child.pid), fs.realpathSync(PROGRAM));
    const workers = await waitFor('4 workers', () => (descendants(child.pid).length === 4 ? descendants(child.pid) : null));
    for (let i = 0; i < 20; i++) {
      const r = await fcgiRequest(socket, fcgiParams({ path: 'status' }));
      assert.equal(r.status, 200);
      assert.equal(r.body, 'ok');
    }
    await stop(child, { others: workers });
    assert.ok(workers.every((pid) => !alive(pid)));
    assert.match(child.log(), /GET \/timetagger\/api\/v2\/records 200 [\d.]+ms user=alice/);
  } finally {
    await stop(child);
  }
});
