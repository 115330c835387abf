// Several processes on one user at once (docs/api.md "Storing", "GET updates"; docs/design.md
// "Reliability"): 4 writer processes PUT 500 times each while 2 pollers sync like a client.
// Every answered write is stored, st only grows per key, every poller ends up with every
// write (server_time never skips one), and no "database is locked" reaches a client.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { api, loginLocal, ROOT } from '../lib/harness.mjs';
import { assertJson, serverFixture } from '../lib/apitest.mjs';

const S = serverFixture({ workers: 2 });
const CHILD = path.join(ROOT, 'tests/lib/load-child.mjs');

function start(cfg) {
  const child = fork(CHILD, [JSON.stringify(cfg)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const result = new Promise((resolve, reject) => {
    child.on('message', resolve);
    child.on('exit', (code) => reject(new Error(`${cfg.role} exited with ${code} before reporting`)));
  });
  return { child, result };
}

test('4 writers x 500 PUTs and 2 polling clients on one user', { timeout: 120000 }, async () => {
  const token = await loginLocal(S.server);
  const children = [];
  try {
    const pollers = [0, 1].map(() => start({ role: 'poller', apiUrl: S.server.apiUrl, token, intervalMs: 5 }));
    children.push(...pollers);
    const writers = [0, 1, 2, 3].map((id) => start({ role: 'writer', apiUrl: S.server.apiUrl, token, id, count: 500, sharedKeys: 5 }));
    children.push(...writers);
    const wres = await Promise.all(writers.map((w) => w.result));
    for (const p of pollers) p.child.send('stop');
    const pres = await Promise.all(pollers.map((p) => p.result));

    for (const [i, w] of wres.entries()) {
      assert.equal(w.fatal, undefined, w.fatal);
      assert.deepEqual(w.problems, [], `writer ${i}`);
      assert.deepEqual(w.statuses, { 200: 500 }, `writer ${i} answers`);
    }
    const server = assertJson(await api(S.server, token).get('updates?since=0'));
    const stored = Object.fromEntries(server.records.map((r) => [r.key, r]));
    for (const w of wres) for (const key of w.ok) assert.ok(stored[key], `answered write ${key} is stored`);
    assert.equal(Object.keys(stored).filter((k) => k.startsWith('w')).length, 2000);
    // The shared keys hold the write with the largest mt (the last n of some writer).
    for (let s = 0; s < 5; s++) assert.match(stored[`shared${s}`].ds, new RegExp(`^w\\d n${495 + s}$`));

    for (const [i, p] of pres.entries()) {
      assert.equal(p.fatal, undefined, p.fatal);
      assert.deepEqual(p.problems, [], `poller ${i}`);
      assert.deepEqual(p.violations, [], `poller ${i}`);
      assert.ok(p.polls > 10, `poller ${i} polled ${p.polls} times`);
      const missing = Object.keys(stored).filter((k) => !p.seen[k]);
      assert.deepEqual(missing.slice(0, 10), [], `poller ${i} never saw ${missing.length} writes`);
      const stale = Object.keys(stored).filter((k) => p.seen[k][0] !== stored[k].st);
      assert.deepEqual(stale.slice(0, 10), [], `poller ${i} holds an old version of ${stale.length} items`);
    }
  } finally {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  }
});
