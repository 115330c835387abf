// PostgreSQL clusters of the tests' own: Debian's PostgreSQL server binaries run on a
// temporary folder, listening on 127.0.0.1 only (no unix socket), stopped by pid. Run as
// root (as CI does), the server runs as the `postgres` user, since PostgreSQL refuses root.
// Used by the API suite on PostgreSQL (TAGWATCH_TEST_DATABASE=pg, see harness.mjs), the
// failover and several-hosts tests (tests/pg/) and `make bench`.
//
//   startCluster({fsync=false, settings={}, name='primary'}) -> cluster
//     a new cluster (initdb, trust authentication on loopback) started on a free port.
//     fsync off by default: the tests kill processes, never the machine, so the page cache
//     keeps every committed write; `make bench` turns it on to compare with SQLite fairly.
//   startStandby(primary, {sync=true, name='standby'}) -> cluster
//     a streaming standby made with pg_basebackup -R; with sync the primary waits for it on
//     every commit (synchronous_standby_names), so an answered write is on both.
//   cluster: {port, dir, pid, host, conninfo(db), url(db), psql(sql, {db}) -> rows of
//     columns (text), createDatabase() -> a new empty database's name, promote(),
//     kill() (SIGKILL to the postmaster and every backend: a machine that dies), stop()
//     (fast shutdown), log()}
//   PG_BIN: the folder of the server binaries (TAGWATCH_PG_BIN overrides).
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alive, freePort, ROOT, sleep } from './harness.mjs';

function findBin() {
  if (process.env.TAGWATCH_PG_BIN) return process.env.TAGWATCH_PG_BIN;
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin/initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], 'bin') : '';
}
export const PG_BIN = findBin();
export const pgAvailable = () => PG_BIN !== '' && fs.existsSync(path.join(PG_BIN, 'postgres'));

// As root, the server and its tools run as `postgres` (uid and gid from the passwd file).
function serverUser() {
  if (process.getuid() !== 0) return {};
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root, but there is no postgres user to run PostgreSQL as (make deps)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(cmd)} ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

// Every postmaster started here; the test process's exit stops those still running
// (immediate shutdown) and removes their folders.
const clusters = new Set();
const dirs = [];
function killAll() {
  for (const c of clusters) {
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}
process.on('exit', () => {
  killAll();
  if (process.env.TAGWATCH_KEEP_TMP === '1') return;
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
// A test process ended by a signal (the test runner's timeout, Ctrl-C) runs no exit handler:
// the clusters, in process groups of their own, would outlive it.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}

function baseSettings(port, fsync) {
  return {
    listen_addresses: '127.0.0.1', port: String(port), unix_socket_directories: '',
    fsync: fsync ? 'on' : 'off', wal_level: 'replica', max_wal_senders: '5', max_connections: '100',
    shared_buffers: '32MB', logging_collector: 'off', log_min_messages: 'warning',
  };
}

// Starts `postgres` on `dataDir` in a process group of its own (so kill() reaches every
// backend) and waits until it accepts connections. Retries on another port if the chosen one
// was taken meanwhile.
async function launch({ dir, dataDir, name, settings, fsync }) {
  const user = serverUser();
  const logFile = path.join(dir, `${name}.log`);
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const all = { ...baseSettings(port, fsync), ...settings };
    const args = ['-D', dataDir];
    for (const [k, v] of Object.entries(all)) args.push('-c', `${k}=${v}`);
    const fd = fs.openSync(logFile, 'a');
    const child = spawn(path.join(PG_BIN, 'postgres'), args, { ...user, stdio: ['ignore', fd, fd], detached: true, cwd: dir });
    fs.closeSync(fd);
    child.on('error', () => {});
    // A cluster does not keep the test process alive: its exit stops the cluster (above).
    child.unref();
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const c = { name, dir, dataDir, port, pid: child.pid, host: '127.0.0.1', child, exited, settings: all };
    clusters.add(c);
    exited.then(() => clusters.delete(c));
    const end = Date.now() + 30000;
    let ready = false;
    while (Date.now() < end && child.exitCode === null && child.signalCode === null) {
      try {
        await run(path.join(PG_BIN, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres']);
        ready = true;
        break;
      } catch {
        await sleep(50);
      }
    }
    if (ready) return decorate(c);
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    await exited;
    if (attempt < 2 && /could not bind|Address already in use/.test(log)) continue;
    throw new Error(`PostgreSQL (${name}) did not start:\n${log}`);
  }
}

function decorate(c) {
  c.conninfo = (db = 'postgres', extra = '') => `host=127.0.0.1 port=${c.port} user=postgres dbname=${db}${extra ? ` ${extra}` : ''}`;
  c.url = (db = 'postgres') => `postgresql://postgres@127.0.0.1:${c.port}/${db}`;
  c.log = () => {
    const f = path.join(c.dir, `${c.name}.log`);
    return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').slice(-3000) : '';
  };
  // Rows of columns as psql prints them unaligned (columns split on the unit separator, rows
  // on the record separator, so that values may hold new lines).
  const psqlArgs = (sql, db) => ['-X', '-q', '-A', '-t', '-F', '\x1f', '-R', '\x1e', '-v', 'ON_ERROR_STOP=1',
    '-h', '127.0.0.1', '-p', String(c.port), '-U', 'postgres', '-d', db, '-c', sql];
  const rows = (out) => out.replace(/\n$/, '').split('\x1e').filter((l) => l !== '').map((l) => l.split('\x1f'));
  c.psql = async (sql, { db = 'postgres' } = {}) => rows(await run(path.join(PG_BIN, 'psql'), psqlArgs(sql, db)));
  // The same, waiting (for helpers the tests call without await).
  c.psqlSync = (sql, { db = 'postgres' } = {}) =>
    rows(execFileSync(path.join(PG_BIN, 'psql'), psqlArgs(sql, db), { encoding: 'utf8' }));
  let databases = 0;
  c.createDatabase = async () => {
    const name = `tagwatch_${process.pid}_${++databases}`;
    await c.psql(`CREATE DATABASE ${name}`);
    return name;
  };
  // Ends the standby's recovery; waits until it takes writes.
  c.promote = async () => {
    await c.psql('SELECT pg_promote(true, 60)');
  };
  c.kill = async () => {
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    await c.exited;
    // The backends of the group die with it; wait until none is left.
    for (let i = 0; i < 200 && fs.readdirSync('/proc').some((p) => /^\d+$/.test(p) && pgidOf(p) === c.pid); i++) await sleep(10);
  };
  c.stop = async () => {
    if (!alive(c.pid)) return;
    try {
      process.kill(c.pid, 'SIGINT');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-c.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 10000);
    await c.exited;
    clearTimeout(timer);
  };
  return c;
}

function pgidOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return -1;
  }
}

// A folder in the system's temp dir that the server user owns (PostgreSQL wants its data
// folder to be its own, mode 0700).
function ownedDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const user = serverUser();
  if (user.uid !== undefined) fs.chownSync(dir, user.uid, user.gid);
  dirs.push(dir);
  return dir;
}

export async function startCluster({ fsync = false, settings = {}, name = 'primary' } = {}) {
  if (!pgAvailable()) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (make deps)');
  const dir = ownedDir('tagwatch-pg-');
  const dataDir = path.join(dir, name);
  await run(path.join(PG_BIN, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '-N'],
    { ...serverUser(), cwd: dir });
  return launch({ dir, dataDir, name, settings, fsync });
}

export async function startStandby(primary, { sync = true, name = 'standby' } = {}) {
  const dir = ownedDir('tagwatch-pg-');
  const dataDir = path.join(dir, name);
  await run(path.join(PG_BIN, 'pg_basebackup'), ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres',
    '-D', dataDir, '-R', '-X', 'stream', '-c', 'fast', '-N', '-d', `application_name=${name}`],
  { ...serverUser(), cwd: dir });
  // The standby itself waits for nobody: once promoted it must take writes at once.
  const standby = await launch({ dir, dataDir, name, settings: { synchronous_standby_names: '' }, fsync: primary.settings.fsync === 'on' });
  if (sync) {
    await primary.psql(`ALTER SYSTEM SET synchronous_standby_names = '${name}'`);
    await primary.psql('SELECT pg_reload_conf()');
  }
  // Ready when the primary sees it streaming (and, with sync, as its synchronous standby).
  const end = Date.now() + 30000;
  for (;;) {
    const rows = await primary.psql(`SELECT sync_state FROM pg_stat_replication WHERE application_name = '${name}' AND state = 'streaming'`);
    if (rows.length && (!sync || rows[0][0] === 'sync')) break;
    if (Date.now() > end) throw new Error(`standby ${name} is not streaming:\n${standby.log()}`);
    await sleep(50);
  }
  return standby;
}

// For the API suite on PostgreSQL (harness.mjs, TAGWATCH_TEST_DATABASE=pg): a new database
// for a server, in one cluster per test process. A data folder with data in it (a copy of
// the TimeTagger fixture) is moved in first with `tagwatch-admin migrate`, as a person
// moving to PostgreSQL would. -> {cluster, name, conninfo, psql(sql), psqlSync(sql)}
let shared = null;
export async function databaseForServer(datadir) {
  if (!shared) shared = startCluster();
  const cluster = await shared;
  const name = await cluster.createDatabase();
  const conninfo = cluster.conninfo(name);
  const has = (p) => fs.existsSync(path.join(datadir, p));
  const hasUsers = has('users') && fs.readdirSync(path.join(datadir, 'users')).some((f) => f.endsWith('.db'));
  if (has('jwt.key') || has('credentials') || hasUsers) {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TAGWATCH|TIMETAGGER)_/.test(k)));
    await run(path.join(ROOT, 'build/tagwatch-admin'), ['migrate', datadir, conninfo], { env });
  }
  return { cluster, name, conninfo, psql: (sql) => cluster.psql(sql, { db: name }), psqlSync: (sql) => cluster.psqlSync(sql, { db: name }) };
}
