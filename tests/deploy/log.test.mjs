// The log: one line per request (time, pid, level, method, path, status, time taken,
// user) on standard error where the web server collects it, or in log_file; filtered by
// log_level; never a password, a token, a query string or a body; one line even when the
// path holds a line break.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fcgiRequest } from '../lib/fcgi.mjs';
import { b64, cgiEnv, copyFixture, fixturePath, PROGRAM, runCgi, tmpDir } from '../lib/harness.mjs';
import { canConnect, descendants, fcgiParams, start, stop, waitFor } from './lib/proc.mjs';

const tokens = JSON.parse(fs.readFileSync(fixturePath('tokens.json'), 'utf8'));
const CREDENTIALS = fs.readFileSync(fixturePath('credentials.txt'), 'utf8').trim();
const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ tagwatch\[(\d+)\] (info|warning|error) (GET|PUT|POST|HEAD|DELETE) (\S+) (\d{3}) (\d+\.\d)ms user=(\S+)$/;

const lines = (text) => text.split('\n').filter((l) => l !== '');

function secretsOf() {
  return [tokens.alice.password, tokens.alice.apitoken, tokens.alice.apitoken.split('.')[2], 'timerange=', 'secretDescription'];
}

test('plain CGI: exactly one line per request on standard error, with every field', async () => {
  const datadir = copyFixture();
  const body = b64(JSON.stringify({ method: 'usernamepassword', username: 'alice', password: tokens.alice.password }));
  const cases = [
    [cgiEnv({ datadir, path: 'status' }), null, /info GET \/timetagger\/status 200 [\d.]+ms user=-$/],
    [cgiEnv({ datadir, path: 'api/v2/records', query: 'timerange=0-1', headers: { authtoken: tokens.alice.apitoken } }), null,
      /info GET \/timetagger\/api\/v2\/records 200 [\d.]+ms user=alice$/],
    [cgiEnv({ datadir, path: 'api/v2/version' }), null, /info GET \/timetagger\/api\/v2\/version 401 [\d.]+ms user=-$/],
    [{ ...cgiEnv({ datadir, method: 'POST', path: 'api/v2/bootstrap_authentication', body }), TAGWATCH_CREDENTIALS: CREDENTIALS }, body,
      /info POST \/timetagger\/api\/v2\/bootstrap_authentication 200 [\d.]+ms user=/],
  ];
  const put = JSON.stringify([{ key: 'logged', t1: 1, t2: 2, mt: 3, ds: 'secretDescription', st: 0 }]);
  cases.push([cgiEnv({ datadir, method: 'PUT', path: 'api/v2/records', body: put, headers: { authtoken: tokens.alice.apitoken } }), put,
    /info PUT \/timetagger\/api\/v2\/records 200 [\d.]+ms user=alice$/]);
  for (const [env, input, want] of cases) {
    const r = await runCgi(env, input);
    const got = lines(r.stderr);
    assert.equal(got.length, 1, `one line for ${env.REQUEST_URI}: ${JSON.stringify(r.stderr)}`);
    assert.match(got[0], LINE);
    assert.match(got[0], want);
    for (const secret of secretsOf()) assert.ok(!r.stderr.includes(secret), `${secret} in the log`);
  }
});

test('a line break in the path cannot forge a second log line', async () => {
  const datadir = copyFixture();
  const env = cgiEnv({ datadir, path: 'api/v2/x%0A2026-01-01T00:00:00Z%20tagwatch[1]%20info%20GET%20/forged%20200' });
  const r = await runCgi(env, null);
  const got = lines(r.stderr);
  assert.equal(got.length, 1, JSON.stringify(r.stderr));
  assert.match(got[0], /^\S+ tagwatch\[\d+\] info GET \/timetagger\/api\/v2\/x.* 401 [\d.]+ms user=-$/);
});

test('spaces in a logged path are escaped, so every line splits into its fields', async () => {
    const r = await runCgi(cgiEnv({ datadir: copyFixture(), path: 'api/v2/a%20b%20200%201.0ms%20user=alice' }), null);
    assert.match(lines(r.stderr)[0], LINE);
    assert.match(lines(r.stderr)[0], / 401 [\d.]+ms user=-$/);
  });

test('FastCGI workers: one line per request, each with its worker\'s pid; log_level and log_file', async () => {
  const datadir = copyFixture();
  const dir = tmpDir('log-');
  const socket = path.join(dir, 's.sock');
  const logFile = path.join(dir, 'tagwatch.log');
  const child = start(PROGRAM, ['--socket', socket, '--workers', '2', '--datadir', datadir, '--log_file', logFile],
    { logFile: path.join(dir, 'stderr.log') });
  try {
    await waitFor('socket', () => canConnect(socket));
    const requests = [];
    for (let i = 0; i < 20; i++) {
      requests.push(fcgiRequest(socket, fcgiParams({ path: 'api/v2/records', query: 'timerange=0-1', headers: { authtoken: tokens['zoë'].apitoken } })));
    }
    for (const r of await Promise.all(requests)) assert.equal(r.status, 200);
    await waitFor('20 lines', () => lines(fs.readFileSync(logFile, 'utf8')).length >= 20);
    const got = lines(fs.readFileSync(logFile, 'utf8'));
    assert.equal(got.length, 20, 'whole lines, none lost or interleaved');
    const workers = new Set(descendants(child.pid).map(String));
    for (const l of got) {
      const m = LINE.exec(l);
      assert.ok(m, l);
      assert.equal(m[7], 'zoë');
      assert.ok(workers.has(m[1]), `pid ${m[1]} is a worker`);
    }
    assert.equal(fs.statSync(logFile).mode & 0o777, 0o640);
    assert.ok(!child.log().includes(' info '), 'with log_file, nothing on standard error');
  } finally {
    await stop(child, { others: descendants(child.pid) });
  }
  // log_level=warning: requests that went well are not logged.
  const quiet = await runCgi({ ...cgiEnv({ datadir, path: 'status' }), TAGWATCH_LOG_LEVEL: 'warning' }, null);
  assert.equal(quiet.stderr, '');
  const bad = await runCgi({ ...cgiEnv({ datadir, path: 'status' }), TAGWATCH_LOG_LEVEL: 'loud' }, null);
  assert.equal(bad.status, 500, 'a bad log_level stops start-up with a message');
  assert.match(bad.stderr, /log_level/);
});
