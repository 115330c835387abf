// Several processes on one user at once (docs/api.md "Storing", "GET updates"; docs/design.md
// "Reliability"): 4 writer processes PUT 500 times each while 2 pollers sync like a client.
// Every answered write is stored, st only grows per key, every poller ends up with every
// write (server_time never skips one), and no "database is locked" reaches a client.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, loginLocal } from '../lib/harness.mjs';
import { assertJson, serverFixture } from '../lib/apitest.mjs';
import { assertPollersHoldAll, assertStored, assertWritersAnswered, startLoad as start, stopLoad } from '../lib/load.mjs';

const S = serverFixture({ workers: 2 });

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

    assertWritersAnswered(wres, 500);
    const server = assertJson(await api(S.server, token).get('updates?since=0'));
    const stored = new Map(server.records.map((r) => [r.key, r]));
    assertStored(wres, stored);
    assert.equal([...stored.keys()].filter((k) => k.startsWith('w')).length, 2000);
    // The shared keys hold the write with the largest mt (the last n of some writer).
    for (let s = 0; s < 5; s++) assert.match(stored.get(`shared${s}`).ds, new RegExp(`^w\\d n${495 + s}$`));
    assertPollersHoldAll(pres, stored);
  } finally {
    stopLoad(children);
  }
});
