// The benchmarks of docs/design.md "Speed", measured in one run on this machine and printed as a
// table with ratios against the baselines: nginx serving a static file of the same size, and
// the do-nothing FastCGI responder (bench/noop.c) behind the same nginx. Started by
// bench/run.sh (`make bench`), which builds the responder first.
//
// Environment: BENCH_SECONDS (4) per wrk run, BENCH_REPEAT (3) rounds of the throughput runs,
// BENCH_CONNECTIONS (16), BENCH_WORKERS (2) program workers, BENCH_NGINX_WORKERS (1),
// BENCH_CGI_RUNS (200), BENCH_ONLY (records: only the GET records runs).
// The PostgreSQL engine runs beside the data folder (a cluster of the bench's own, started
// like the tests' with tests/lib/pg.mjs, fsync on as the SQLite files' synchronous=FULL):
// its poll, full sync, PUT and memory, each against the data folder's figure of the same run.
// Each run's figures go to build/bench/last.json; the previous run's are shown beside them.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { api, cgiEnv, freePort, loginLocal, now, PROGRAM, ROOT, startServer, stopChild, tmpDir, track } from '../tests/lib/harness.mjs';
import { pgAvailable, startCluster } from '../tests/lib/pg.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS || 4);
const CONNS = Number(process.env.BENCH_CONNECTIONS || 16);
const WORKERS = Number(process.env.BENCH_WORKERS || 2);
const NGINX_WORKERS = Number(process.env.BENCH_NGINX_WORKERS || 1);
const CGI_RUNS = Number(process.env.BENCH_CGI_RUNS || 200);
const REPEAT = Number(process.env.BENCH_REPEAT || 3);
// BENCH_ONLY=records: the GET records runs and the do-nothing responder only (a focused run).
const ONLY_RECORDS = process.env.BENCH_ONLY === 'records';
const NOOP = path.join(ROOT, 'build/bench/noop');
const OUT = path.join(ROOT, 'build/bench');

const log = (...a) => console.error('bench:', ...a);

// wrk's figures: requests/s and the latency percentiles (in ms).
function wrk(url, { connections = CONNS, threads = 1, headers = {}, script, seconds = SECONDS } = {}) {
  const args = ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--latency'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  if (script) args.push('-s', script);
  args.push(url);
  const out = execFileSync('wrk', args, { encoding: 'utf8' });
  const rps = Number((/Requests\/sec:\s+([\d.]+)/.exec(out) || [])[1]);
  const ms = (label) => {
    const m = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    if (!m) return NaN;
    return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]];
  };
  const non2xx = Number((/Non-2xx or 3xx responses:\s+(\d+)/.exec(out) || [0, 0])[1]);
  const errors = /Socket errors:.*/.exec(out);
  if (non2xx || errors) log(`${url}: ${non2xx} non-2xx answers ${errors ? errors[0] : ''}`);
  return { rps, p50: ms(50), p90: ms(90), p99: ms(99), non2xx };
}

// TimeTagger itself, the baseline of the GET records targets, when it is installed (`pip
// install timetagger`; it is not a Debian package, so most machines here have none): served
// by its own program on a backup of the bench's data folder (a data folder moves both ways),
// where the bench's token is valid as it is. Answers {apiUrl, stop} or null.
async function startTimeTagger(datadir) {
  if (spawnSync('python3', ['-c', 'import timetagger'], { stdio: 'ignore' }).status !== 0) return null;
  const copy = path.join(tmpDir('bench-timetagger-'), 'data');
  execFileSync(path.join(ROOT, 'build/tagwatch-admin'), ['--datadir', datadir, 'backup', copy], { stdio: 'ignore' });
  const port = await freePort();
  const child = track(spawn('python3', ['-m', 'timetagger'], {
    env: { ...process.env, TIMETAGGER_BIND: `127.0.0.1:${port}`, TIMETAGGER_DATADIR: copy, TIMETAGGER_LOG_LEVEL: 'warning' },
    stdio: 'ignore',
  }));
  const connects = () => new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
    s.on('error', () => resolve(false));
  });
  for (let i = 0; i < 300 && !(await connects()); i++) {
    if (child.exitCode !== null) return null;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { apiUrl: `http://127.0.0.1:${port}/timetagger/api/v2/`, stop: () => stopChild(child) };
}

function rssKb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

async function main() {
  if (!fs.existsSync(PROGRAM)) throw new Error(`${PROGRAM} is missing: run make`);
  if (!fs.existsSync(NOOP)) throw new Error(`${NOOP} is missing: run bench/run.sh`);
  const results = {};
  const servers = [];
  try {
    // The program, with 10,000 records for one user.
    log('starting the program behind nginx');
    const srv = await startServer({ workers: WORKERS, nginxWorkers: NGINX_WORKERS, accessLog: false });
    servers.push(srv);
    const t0 = Math.floor(now()) - 400 * 86400;
    const fill = async (server) => {
      const tok = await loginLocal(server);
      for (let b = 0; b < 10; b++) {
        const items = Array.from({ length: 1000 }, (_, i) => {
          const n = b * 1000 + i;
          return { key: `bench${n}`, t1: t0 + n * 3600, t2: t0 + n * 3600 + 1800, mt: t0, st: 0,
            ds: `#client/acme #dev record number ${n} with a typical description` };
        });
        const a = await api(server, tok).put('records', items);
        if (a.status !== 200) throw new Error(`fill: ${a.status} ${a.text}`);
      }
      return tok;
    };
    const token = await fill(srv);
    const c = api(srv, token);
    const settled = await c.get('updates?since=0');
    const since = settled.json.server_time;

    // The same program and records on PostgreSQL.
    let pg = null;
    if (!ONLY_RECORDS && pgAvailable()) {
      log('starting PostgreSQL and the program on it');
      const cluster = await startCluster({ fsync: true });
      servers.push({ stop: () => cluster.stop() });
      const db = await cluster.createDatabase();
      const pgSrv = await startServer({ workers: WORKERS, nginxWorkers: NGINX_WORKERS, accessLog: false,
        args: [`--database=${cluster.conninfo(db)}`] });
      servers.unshift(pgSrv);
      const pgToken = await fill(pgSrv);
      pg = { srv: pgSrv, token: pgToken, auth: { headers: { authtoken: pgToken } },
        since: (await api(pgSrv, pgToken).get('updates?since=0')).json.server_time };
    } else if (!ONLY_RECORDS) {
      log('PostgreSQL is not installed (make deps): its figures are left out');
    }
    const nothingNew = await c.get(`updates?since=${since}`);
    const bodySize = nothingNew.body.length;
    log(`nothing-new answer: ${bodySize} bytes; full sync: ${settled.body.length} bytes`);

    // Baselines: a static file of the same size, and the do-nothing responder, each behind nginx.
    const root = tmpDir('bench-root-');
    fs.mkdirSync(path.join(root, 'www'));
    fs.writeFileSync(path.join(root, 'www', 'static.json'), 'x'.repeat(bodySize));
    const noop = await startServer({ program: NOOP, workers: WORKERS, nginxWorkers: NGINX_WORKERS, accessLog: false, root,
      localhostLogin: false, args: [`--body_size=${bodySize}`] });
    servers.push(noop);

    // Throughput: the runs take turns, REPEAT times, and each keeps its best run, so a burst
    // of other work on this machine does not decide a ratio. GET records asks for the last
    // day (24 records, what the app shows first) and for one month in the middle (about 720
    // of them, as a report or the CLI asks), out of the 10,000.
    const best = (a, b) => (!a || b.rps > a.rps ? b : a);
    const lastDay = `records?timerange=${t0 + 9999 * 3600 - 86400}-${t0 + 9999 * 3600 + 3600}`;
    const monthFrom = t0 + 100 * 86400;
    const month = `records?timerange=${monthFrom}-${monthFrom + 30 * 86400}`;
    const auth = { headers: { authtoken: token } };
    const tt = await startTimeTagger(srv.datadir);
    if (tt) servers.push(tt);
    else log('TimeTagger is not installed (pip install timetagger): its baseline is left out');
    for (let rep = 0; rep < REPEAT; rep++) {
      log(`throughput round ${rep + 1} of ${REPEAT}: static file, do-nothing responder, updates with nothing new, records`);
      if (tt) {
        results.ttDay = best(results.ttDay, wrk(`${tt.apiUrl}${lastDay}`, auth));
        results.ttMonth = best(results.ttMonth, wrk(`${tt.apiUrl}${month}`, auth));
      }
      if (!ONLY_RECORDS) results.static = best(results.static, wrk(`${noop.baseUrl}/timetagger/static.json`));
      results.noop = best(results.noop, wrk(`${noop.apiUrl}updates?since=${since}`, auth));
      if (!ONLY_RECORDS) results.nothingNew = best(results.nothingNew, wrk(`${srv.apiUrl}updates?since=${since}`, auth));
      if (pg) results.pgNothingNew = best(results.pgNothingNew, wrk(`${pg.srv.apiUrl}updates?since=${pg.since}`, pg.auth));
      results.day = best(results.day, wrk(`${srv.apiUrl}${lastDay}`, auth));
      results.month = best(results.month, wrk(`${srv.apiUrl}${month}`, auth));
    }
    if (ONLY_RECORDS) return results;
    log('full sync of 10,000 records, one connection');
    results.fullSync = wrk(`${srv.apiUrl}updates?since=0`, { headers: { authtoken: token }, connections: 1 });
    log('PUT of 100 records, one connection');
    const body = JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ key: `put${i}`, t1: t0 + i * 60, t2: t0 + i * 60 + 30,
      mt: t0, st: 0, ds: `#bench put ${i}` })));
    const put100 = (server, tok) => {
      const lua = path.join(server.dir, 'put100.lua');
      fs.writeFileSync(lua, `wrk.method = "PUT"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["authtoken"] = "${tok}"\n` +
        'wrk.headers["Content-Type"] = "application/json"\n');
      return wrk(`${server.apiUrl}records`, { connections: 1, script: lua });
    };
    results.put100 = put100(srv, token);
    if (pg) {
      log('PostgreSQL: full sync and PUT of 100, one connection');
      results.pgFullSync = wrk(`${pg.srv.apiUrl}updates?since=0`, { ...pg.auth, connections: 1 });
      results.pgPut100 = put100(pg.srv, pg.token);
    }

    // Memory of each worker, idle between requests.
    await new Promise((r) => setTimeout(r, 200));
    const maxRss = (server) => {
      const workers = server.workerPids();
      const pids = workers.length ? workers : [server.pids.program];
      log(`worker RSS: ${pids.map((p) => `${p}=${rssKb(p)} kB`).join(', ')}`);
      return Math.max(...pids.map(rssKb));
    };
    results.rssKb = maxRss(srv);
    if (pg) results.pgRssKb = maxRss(pg.srv);

    // Plain CGI: one process per request, as a web server runs it (fork + exec + answer).
    // The request is the hot one, updates with nothing new (a since after the PUTs above).
    log(`plain CGI, ${CGI_RUNS} runs`);
    const sinceNow = (await c.get('updates?since=0')).json.server_time;
    const env = cgiEnv({ datadir: srv.datadir, path: 'api/v2/updates', query: `since=${sinceNow}`, headers: { authtoken: token } });
    const script = `for i in $(seq ${CGI_RUNS}); do "$0" </dev/null >/dev/null || exit 1; done`;
    // The median of 3 runs of CGI_RUNS requests, in ms per request.
    const cgiRuns = (cgiEnvironment) => {
      const times = [];
      for (let rep = 0; rep < 3; rep++) {
        const t = process.hrtime.bigint();
        const r = spawnSync('bash', ['-c', script, PROGRAM], { env: { ...cgiEnvironment, PATH: process.env.PATH } });
        if (r.status !== 0) throw new Error(`CGI run failed: ${r.stderr}`);
        times.push(Number(process.hrtime.bigint() - t) / 1e6 / CGI_RUNS);
      }
      return times.sort((a, b) => a - b)[1];
    };
    const check = spawnSync(PROGRAM, [], { env: { ...env, PATH: process.env.PATH } });
    if (!/"records": \[\]/.test(check.stdout.toString())) throw new Error(`CGI answer is not nothing-new: ${check.stdout}`);
    results.cgiMs = cgiRuns(env);
    // An error answer (the same poll with a token the server refuses: 401), which throws the
    // one error type on its way to the answer.
    const refused = cgiEnv({ datadir: srv.datadir, path: 'api/v2/updates', query: `since=${sinceNow}`, headers: { authtoken: 'not-a-token' } });
    const refusedCheck = spawnSync(PROGRAM, [], { env: { ...refused, PATH: process.env.PATH } });
    if (!/^Status: 401/.test(refusedCheck.stdout.toString())) throw new Error(`CGI answer is not a 401: ${refusedCheck.stdout}`);
    results.cgiErrorMs = cgiRuns(refused);
  } finally {
    for (const s of servers) await s.stop();
  }
  return results;
}

function table(r, prev) {
  const fmt = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
  const rows = [
    ['nginx static file (same size)', fmt(r.static.rps), 'req/s', 'baseline', '', prev?.static?.rps],
    ['do-nothing FastCGI responder', fmt(r.noop.rps), 'req/s', `${fmt((r.noop.rps / r.static.rps) * 100)}% of static`, 'baseline',
      prev?.noop?.rps],
    ['updates, nothing new', fmt(r.nothingNew.rps), 'req/s', `${fmt((r.nothingNew.rps / r.noop.rps) * 100)}% of noop`, '>= 80%',
      prev?.nothingNew?.rps, r.nothingNew.rps / r.noop.rps >= 0.8],
    ...[['last day', r.day, r.ttDay, prev?.day], ['one month', r.month, r.ttMonth, prev?.month]].map(([what, ours, tt, p]) => [
      `GET records, ${what} of 10,000`, fmt(ours?.rps), 'req/s',
      tt ? `${fmt(ours.rps / tt.rps, 1)}x TimeTagger (${fmt(tt.rps)})` : `${fmt((ours?.rps / r.noop.rps) * 100)}% of noop`,
      '>= 20x TimeTagger', p?.rps, tt ? ours.rps / tt.rps >= 20 : 'n/a: no TimeTagger here']),
    ['full sync 10,000 records (median)', fmt(r.fullSync.p50, 2), 'ms', `p90 ${fmt(r.fullSync.p90, 2)} ms`, '< 20 ms',
      prev?.fullSync?.p50, r.fullSync.p50 < 20],
    ['PUT 100 records (median)', fmt(r.put100.p50, 2), 'ms', `p90 ${fmt(r.put100.p90, 2)} ms`, '< 10 ms', prev?.put100?.p50,
      r.put100.p50 < 10],
    ['worker RSS between requests', fmt(r.rssKb / 1024, 1), 'MB', '', '< 10 MB', prev ? prev.rssKb / 1024 : undefined,
      r.rssKb < 10 * 1024],
    ['plain-CGI request', fmt(r.cgiMs, 2), 'ms', '', '< 5 ms', prev?.cgiMs, r.cgiMs < 5],
    ['plain-CGI request, an error answer (401)', fmt(r.cgiErrorMs, 2), 'ms', '', '< 5 ms', prev?.cgiErrorMs, r.cgiErrorMs < 5],
  ];
  if (r.pgNothingNew) {
    rows.push(
      ['PostgreSQL: updates, nothing new', fmt(r.pgNothingNew.rps), 'req/s', `${fmt((r.pgNothingNew.rps / r.nothingNew.rps) * 100)}% of SQLite's`,
        '>= 50% of SQLite', prev?.pgNothingNew?.rps, r.pgNothingNew.rps / r.nothingNew.rps >= 0.5],
      ['PostgreSQL: full sync 10,000 (median)', fmt(r.pgFullSync.p50, 2), 'ms', `${fmt(r.pgFullSync.p50 / r.fullSync.p50, 2)}x SQLite's`,
        '<= 2x SQLite', prev?.pgFullSync?.p50, r.pgFullSync.p50 <= 2 * r.fullSync.p50],
      ['PostgreSQL: PUT 100 records (median)', fmt(r.pgPut100.p50, 2), 'ms', `${fmt(r.pgPut100.p50 / r.put100.p50, 2)}x SQLite's`,
        '<= 2x SQLite', prev?.pgPut100?.p50, r.pgPut100.p50 <= 2 * r.put100.p50],
      ['PostgreSQL: worker RSS between requests', fmt(r.pgRssKb / 1024, 1), 'MB', '', '< 10 MB',
        prev?.pgRssKb ? prev.pgRssKb / 1024 : undefined, r.pgRssKb < 10 * 1024],
    );
  }
  const head = ['scenario', 'value', 'unit', 'ratio', 'target', 'previous', 'ok'];
  const lines = rows.map(([a, b, c, d, e, p, ok]) => [a, b, c, d, e, p === undefined ? '' : fmt(p, p < 100 ? 2 : 0),
    ok === undefined ? '' : typeof ok === 'string' ? ok : ok ? 'yes' : 'NO']);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 1 || i === 5 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(line)].join('\n');
}

const results = await main();
if (ONLY_RECORDS) {
  const fmt = (v) => (Number.isFinite(v) ? v.toFixed(0) : 'n/a');
  console.log(`do-nothing responder ${fmt(results.noop.rps)} req/s; GET records, last day ${fmt(results.day.rps)} req/s ` +
    `(p50 ${results.day.p50} ms), one month ${fmt(results.month.rps)} req/s (p50 ${results.month.p50} ms); ` +
    `TimeTagger: ${results.ttDay ? `last day ${fmt(results.ttDay.rps)}, one month ${fmt(results.ttMonth.rps)} req/s` : 'not installed'}`);
  process.exit(0);
}
fs.mkdirSync(OUT, { recursive: true });
const lastFile = path.join(OUT, 'last.json');
const prev = fs.existsSync(lastFile) ? JSON.parse(fs.readFileSync(lastFile, 'utf8')) : null;
let commit = '';
try {
  commit = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
} catch {
  /* not a checkout */
}
console.log(`\ntagwatch benchmarks (${commit || 'no commit'}; wrk ${SECONDS}s, ${CONNS} connections, ${WORKERS} workers, ` +
  `nginx ${NGINX_WORKERS} worker${NGINX_WORKERS > 1 ? 's' : ''}${prev ? `; previous run: ${prev.commit}` : ''})\n`);
console.log(table(results, prev));
fs.writeFileSync(lastFile, JSON.stringify({ ...results, commit, at: new Date().toISOString() }, null, 1));
