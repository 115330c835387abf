// A load process for the concurrency and crash tests, started with child_process.fork():
// a writer PUTs records as fast as it can, a poller syncs like a client (GET updates with the
// last server_time). Each sends its findings back over IPC when done (writers) or told to
// stop (pollers). Config comes as JSON in argv[2]:
//   {role: 'writer', apiUrl, token, id, count, sharedKeys, progress}
//     progress: also send {answered: n} after each write answered 200, so a test can wait
//     for writes to be under way instead of sleeping.
//   {role: 'poller', apiUrl, token, intervalMs}
import { api } from './harness.mjs';

const cfg = JSON.parse(process.argv[2]);
const c = api(cfg.apiUrl, cfg.token);

async function writer() {
  const ok = [];
  const statuses = {};
  const problems = [];
  for (let n = 0; n < cfg.count; n++) {
    const key = `w${cfg.id}-${n}`;
    const items = [{ key, t1: 1000 + n, t2: 1100 + n, mt: 1, st: 0, ds: `writer ${cfg.id} #n${n}` }];
    if (cfg.sharedKeys) {
      // Every writer also writes a few shared keys: st must still grow on every write of each.
      items.push({ key: `shared${n % cfg.sharedKeys}`, t1: 1, t2: 2, mt: 1000000 + n, st: 0, ds: `w${cfg.id} n${n}` });
    }
    let a;
    try {
      a = await c.put('records', items, { timeout: 20000 });
    } catch (e) {
      statuses.error = (statuses.error || 0) + 1;
      problems.push(String(e.message));
      continue;
    }
    statuses[a.status] = (statuses[a.status] || 0) + 1;
    if (/database is locked|busy/i.test(a.text)) problems.push(a.text);
    if (a.status === 200 && a.json && a.json.accepted.includes(key)) {
      ok.push(key);
      if (cfg.progress) process.send({ answered: ok.length });
    }
    else if (a.status === 200) problems.push(`not accepted: ${a.text}`);
  }
  process.send({ ok, statuses, problems: problems.slice(0, 20) });
}

async function poller() {
  let since = 0;
  let stop = false;
  let polls = 0;
  const seen = {}; // key -> [st, ds]
  const violations = [];
  const problems = [];
  process.on('message', (m) => {
    if (m === 'stop') stop = true;
  });
  const poll = async () => {
    const a = await c.get(`updates?since=${since}`, { timeout: 20000 });
    polls++;
    if (a.status !== 200 || !a.json) {
      problems.push(`${a.status} ${a.text.slice(0, 200)}`);
      return;
    }
    if (a.json.server_time < since) violations.push(`server_time ${a.json.server_time} went back from ${since}`);
    for (const r of a.json.records) {
      const prev = seen[r.key];
      if (prev && r.st < prev[0]) violations.push(`${r.key}: st ${r.st} after ${prev[0]}`);
      if (prev && r.st === prev[0] && r.ds !== prev[1]) violations.push(`${r.key}: two versions with st ${r.st}`);
      seen[r.key] = [r.st, r.ds];
    }
    since = a.json.server_time;
  };
  while (!stop) {
    try {
      await poll();
    } catch (e) {
      problems.push(String(e.message));
    }
    await new Promise((r) => setTimeout(r, cfg.intervalMs ?? 10));
  }
  await poll(); // after every write has been answered
  process.send({ seen, violations: violations.slice(0, 20), problems: problems.slice(0, 20), polls });
}

(cfg.role === 'writer' ? writer() : poller()).then(
  () => process.disconnect(),
  (e) => {
    process.send({ fatal: String(e && e.stack) });
    process.disconnect();
  },
);
