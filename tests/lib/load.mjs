// load.mjs: the writer and poller processes of load-child.mjs, started, stopped and checked in
// one way by every test that runs them (one host, several hosts, failover, a crash).
//   startLoad(cfg) -> {child, result, answered}: cfg as load-child.mjs takes it; result resolves
//     to the process's findings; with cfg.progress, answered counts its writes answered 200.
//   stopLoad(procs): kills those still running (for a finally).
//   runLoad({apiUrl, token, writers, pollers, count, sharedKeys}) -> {wres, pres}: that many
//     writers of count PUTs each and pollers syncing meanwhile, all stopped at the end.
//   assertNothingLost(wres, pres, stored, {count, sharedKeys}): the outcome of a runLoad on a
//     healthy server: every write answered and stored, the shared keys hold the newest
//     write, and every poller holds every item as stored.
//   assertWritersAnswered(wres, count): every writer had all its count writes answered 200.
//   assertStored(wres, stored): every write answered 200 is in stored (a Map key -> record).
//   assertPollersHoldAll(pres, stored, {allowProblem}): every poller polled, saw st only grow,
//     and ends up holding every stored item as stored; allowProblem(text) passes a problem a
//     test expects (the 503s of a failover).
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './harness.mjs';

const CHILD = path.join(ROOT, 'tests/lib/load-child.mjs');

export function startLoad(cfg) {
  const child = fork(CHILD, [JSON.stringify(cfg)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const proc = { child, answered: 0 };
  proc.result = new Promise((resolve, reject) => {
    child.on('message', (m) => {
      if (m.answered !== undefined) proc.answered = m.answered;
      else resolve(m);
    });
    child.on('exit', (code) => reject(new Error(`${cfg.role} exited with ${code} before reporting`)));
  });
  return proc;
}

export function stopLoad(procs) {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
}

export async function runLoad({ apiUrl, token, writers, pollers, count, sharedKeys = 5 }) {
  const procs = [];
  try {
    const ps = Array.from({ length: pollers }, () => startLoad({ role: 'poller', apiUrl, token, intervalMs: 5 }));
    procs.push(...ps);
    const ws = Array.from({ length: writers }, (_, id) => startLoad({ role: 'writer', apiUrl, token, id, count, sharedKeys }));
    procs.push(...ws);
    const wres = await Promise.all(ws.map((w) => w.result));
    for (const p of ps) p.child.send('stop');
    return { wres, pres: await Promise.all(ps.map((p) => p.result)) };
  } finally {
    stopLoad(procs);
  }
}

export function assertNothingLost(wres, pres, stored, { count, sharedKeys = 5 }) {
  assertWritersAnswered(wres, count);
  assertStored(wres, stored);
  assert.equal([...stored.keys()].filter((k) => k.startsWith('w')).length, wres.length * count);
  // The shared keys hold the write with the largest mt (the last n of some writer).
  for (let s = 0; s < sharedKeys; s++) {
    assert.match(stored.get(`shared${s}`).ds, new RegExp(`^w\\d n${count - sharedKeys + s}$`));
  }
  assertPollersHoldAll(pres, stored);
}

export function assertWritersAnswered(wres, count) {
  for (const [i, w] of wres.entries()) {
    assert.equal(w.fatal, undefined, w.fatal);
    assert.deepEqual(w.problems, [], `writer ${i}`);
    assert.deepEqual(w.statuses, { 200: count }, `writer ${i} answers`);
  }
}

export function assertStored(wres, stored) {
  for (const w of wres) for (const key of w.ok) assert.ok(stored.has(key), `answered write ${key} is not stored`);
}

export function assertPollersHoldAll(pres, stored, { allowProblem = () => false } = {}) {
  for (const [i, p] of pres.entries()) {
    assert.equal(p.fatal, undefined, p.fatal);
    assert.deepEqual(p.problems.filter((text) => !allowProblem(text)), [], `poller ${i}`);
    assert.deepEqual(p.violations, [], `poller ${i}: st went back or two versions shared an st`);
    assert.ok(p.polls > 10, `poller ${i} polled ${p.polls} times`);
    const missing = [...stored.keys()].filter((k) => !p.seen[k]);
    assert.deepEqual(missing.slice(0, 10), [], `poller ${i} never saw ${missing.length} writes`);
    const stale = [...stored.keys()].filter((k) => p.seen[k][0] !== stored.get(k).st);
    assert.deepEqual(stale.slice(0, 10), [], `poller ${i} holds an old version of ${stale.length} items`);
  }
}
