// Several processes on one user at once (docs/api.md "Storing", "GET updates"; docs/design.md
// "Reliability"): 4 writer processes PUT 500 times each while 2 pollers sync like a client.
// Every answered write is stored, st only grows per key, every poller ends up with every
// write (server_time never skips one), and no "database is locked" reaches a client.
import { test } from 'node:test';
import { api, loginLocal } from '../lib/harness.mjs';
import { assertJson, serverFixture } from '../lib/apitest.mjs';
import { assertNothingLost, runLoad } from '../lib/load.mjs';

const S = serverFixture({ workers: 2 });

test('4 writers x 500 PUTs and 2 polling clients on one user', { timeout: 120000 }, async () => {
  const token = await loginLocal(S.server);
  const { wres, pres } = await runLoad({ apiUrl: S.server.apiUrl, token, writers: 4, pollers: 2, count: 500 });
  const server = assertJson(await api(S.server, token).get('updates?since=0'));
  assertNothingLost(wres, pres, new Map(server.records.map((r) => [r.key, r])), { count: 500 });
});
