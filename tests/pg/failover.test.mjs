// Failover (README.md, "More than one machine"): the program on a PostgreSQL primary with a
// synchronous streaming standby, named together in one connection string (`host=a,b
// target_session_attrs=read-write`). Writers and polling clients run; the primary dies
// (SIGKILL to every one of its processes, as when its machine goes); the standby is
// promoted. Meanwhile the program answers 503 with Retry-After at once (never a hang, never
// a 500); within seconds of the promotion it serves again from the new primary, every
// write it answered 200 is there, and every client has every write, st never going back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, loginLocal, sleep, startServer } from '../lib/harness.mjs';
import { startCluster, startStandby } from '../lib/pg.mjs';
import { assertError, assertJson } from '../lib/apitest.mjs';
import { assertPollersHoldAll, assertStored, startLoad as start, stopLoad } from '../lib/load.mjs';

let primary;
let standby;
let server;

before(async () => {
  primary = await startCluster();
  const db = await primary.createDatabase();
  standby = await startStandby(primary, { sync: true });
  const conninfo = `host=127.0.0.1,127.0.0.1 port=${primary.port},${standby.port} user=postgres dbname=${db}`
    + ' target_session_attrs=read-write connect_timeout=3';
  server = await startServer({ workers: 3, args: [`--database=${conninfo}`] });
});
after(async () => {
  if (server) await server.stop();
  for (const c of [primary, standby]) if (c) await c.stop();
});

async function stored(token) {
  const u = assertJson(await api(server, token).get('updates?since=0'));
  return new Map(u.records.map((r) => [r.key, r]));
}

test('the primary dies, the standby is promoted: 503 meanwhile, then every answered write is there', { timeout: 180000 }, async (t) => {
  const token = await loginLocal(server);
  const children = [];
  try {
    const pollers = [0, 1].map(() => start({ role: 'poller', apiUrl: server.apiUrl, token, intervalMs: 20 }));
    const writers = [0, 1, 2].map((id) => start({ role: 'writer', apiUrl: server.apiUrl, token, id, count: 400, sharedKeys: 3 }));
    children.push(...pollers, ...writers);
    // Kill the primary once the writes flow.
    for (let i = 0; i < 800 && (await stored(token)).size < 60; i++) await sleep(25);
    assert.ok((await stored(token)).size >= 60, 'the writers got going');
    await primary.kill();

    // No primary now: an answer at once, 503 with Retry-After, never a hang or a 500.
    const t0 = Date.now();
    const down = await api(server, token).get('updates?since=0', { timeout: 15000 });
    assertError(down, 503, { prefix: 'service unavailable:' });
    assert.ok(Number(down.headers['retry-after']) > 0, `Retry-After: ${down.headers['retry-after']}`);
    assert.ok(Date.now() - t0 < 5000, `the 503 took ${Date.now() - t0} ms`);

    await standby.promote();
    const promoted = Date.now();
    let back = null;
    while (Date.now() - promoted < 20000) {
      const a = await api(server, token).put('records', [{ key: 'after-failover', t1: 1, t2: 2, mt: 1, st: 0 }]);
      if (a.status === 200) {
        back = Date.now() - promoted;
        break;
      }
      assertError(a, 503, { prefix: 'service unavailable:' });
      await sleep(50);
    }
    assert.ok(back !== null && back < 10000, `serving again ${back} ms after the promotion`);

    const wres = await Promise.all(writers.map((w) => w.result));
    for (const p of pollers) p.child.send('stop');
    const pres = await Promise.all(pollers.map((p) => p.result));

    const all = await stored(token);
    let answered = 0;
    for (const [i, w] of wres.entries()) {
      assert.equal(w.fatal, undefined, w.fatal);
      // The writes cut by the failover were refused with 503; nothing else but 200.
      assert.deepEqual(Object.keys(w.statuses).filter((s) => s !== '200' && s !== '503'), [], `writer ${i}: ${JSON.stringify(w.statuses)}`);
      answered += w.ok.length;
    }
    assertStored(wres, all);
    assert.ok(answered >= 600, `${answered} writes answered`);
    const refused = wres.reduce((n, w) => n + (w.statuses['503'] || 0), 0);
    t.diagnostic(`503 for ${promoted - t0} ms until the promotion, serving again ${back} ms after it; `
      + `${answered} writes answered 200 and all stored, ${refused} refused with 503`);
    // Across the failover too, no write was skipped: every client holds every stored item as
    // stored (the write made to see the program back aside).
    all.delete('after-failover');
    assertPollersHoldAll(pres, all, { allowProblem: (text) => /^503 service unavailable:/.test(text) });
    // The program serves on: the new primary writes (it waits for no standby now).
    assert.equal((await standby.psql('SELECT pg_is_in_recovery()'))[0][0], 'f');
  } finally {
    stopLoad(children);
  }
});
