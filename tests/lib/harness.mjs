// The test harness of tagwatch: starts the real program behind a real, private nginx (the
// config generated from nginx.conf.example by tools/nginx-private.sh), runs the binary as
// plain CGI, and speaks the web API. Used by tests/api/ and the browser tests; keep this
// interface stable. Node 18+, no npm modules. Beside it: fcgi.mjs (a FastCGI client for the
// program's socket), apitest.mjs (per-file server fixture and answer assertions of the API
// tests), load-child.mjs (writer/poller processes) and load.mjs (starting and checking them),
// argon2id.c (makes Argon2id hashes).
//
//   startServer({workers=2, env={}, args=[], datadir, mode='fastcgi', localhostLogin=true,
//                prefix='/timetagger/', basicAuth, loginBurst=1000, root, program, nginxWorkers=1,
//                accessLog=true})
//     -> {baseUrl, prefix, apiUrl, datadir, socket, dir, port, pids: {program, nginx}, stop(),
//         restartProgram(), programPids(), workerPids(), log(), database}
//     database: null, or with TAGWATCH_TEST_DATABASE=pg the server's own PostgreSQL database
//     {conninfo, psql(sql)} (see DATABASE below; sqliteOnly(why) is the skip reason there).
//     baseUrl 'http://127.0.0.1:PORT' (no slash at the end); prefix '/timetagger/';
//     apiUrl baseUrl + prefix + 'api/v2/'. Everything lives in a new temp dir under
//     build/tmp/; datadir is that dir's data/ unless given (give a copy, e.g. copyFixture()).
//     mode 'fastcgi': the program opens its own socket (--socket); 'spawn-fcgi': spawn-fcgi
//     opens it and hands it over as fd 0. localhostLogin adds --localhost_login=true.
//     basicAuth {user: password}: nginx's basic auth on the login path (the example's
//     commented lines), so REMOTE_USER reaches the program for the login method
//     "webserver". loginBurst: the burst of the example's login rate limit (null keeps the
//     example's). stop() kills by pid and waits; it is safe to call twice, and every
//     server still running when the test process exits is killed then.
//   api(serverOrBaseUrl, token) -> {get(path, opts), put(path, body, opts), post(path, body, opts),
//     request(method, path, opts)}: path is relative to api/v2/; body: a string or Buffer is
//     sent as is, anything else as JSON. opts: {headers, timeout}. Answers {status, headers,
//     text, json, contentType} (json is null when the body is not JSON).
//   request(url, {method, headers, body, timeout}) -> the same answer, for any URL (Host and
//     Content-Length may be set freely).
//   loginLocal(server) -> webtoken of 'defaultuser' (login method localhost).
//   login(server, bodyObject | rawBody) -> the answer of bootstrap_authentication.
//   loginPassword(server, user, password) -> webtoken (login method usernamepassword).
//   credentials({user: password}) -> 'user:bcrypt,...' for TAGWATCH_CREDENTIALS (cost 4).
//   copyFixture() -> path of a writable copy of the TimeTagger fixture data folder.
//   fixturePath(name) -> path of a file beside the fixture's data/ (expected-*.json ...).
//   runCgi(env, body, {timeout, keepStdinOpen}) -> {status, headers, body, stderr, code, ms}:
//     runs the binary as plain CGI with exactly `env` (plus PATH) and parses its stdout.
//   cgiEnv({datadir, method, path, query, headers, body, remoteAddr, host, prefix}) -> CGI
//     variables as nginx.conf.example passes them.
//   tmpDir(prefix) -> a new folder under build/tmp/, removed when the process exits (all of
//     them are, servers' included) unless TAGWATCH_KEEP_TMP=1.
//   request/api answers: {status, headers, text, body (Buffer), json, contentType}.
//   server.stopProgram(signal) / restartProgram(): the program alone (nginx stays), by pid.
//   server.programPids() / workerPids(): the program's master and worker pids (from /proc).
//   generateNginx(opts): runs tools/nginx-private.sh; FIXTURE: the fixture folder.
//   signJwt(payload | text, key) / decodeJwt(token) / jwtKey(datadir): HS256 like the server.
//   b64(textOrBuffer) -> base64; parseExact(text): JSON with numbers kept as their text
//     (JsonNumber), for number-for-number comparisons.
//   sqlite(dbFile, sql) -> the sqlite3 CLI's output lines; userFile(datadir, username) -> its .db.
//   argon2idHash(password) -> a libsodium Argon2id string (helper built from tests/lib/argon2id.c).
//   root: the folder whose www/ nginx serves; program: another FastCGI binary taking the same
//   --socket/--workers flags (bench/noop.c does).
//   childPids(pid) -> pids whose parent is pid.
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PROGRAM = path.join(ROOT, 'cgi-bin/tagwatch.fcgi');
export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p)) || 'nginx';
export const MAX_BODY = 10 * 1024 * 1024;

// TimeTagger's data folder, read-only (tests copy it before writing); TAGWATCH_FIXTURE may
// name another copy of it.
export const FIXTURE = process.env.TAGWATCH_FIXTURE || path.join(ROOT, 'tests/fixtures/timetagger-datadir');
export const fixturePath = (name) => path.join(FIXTURE, name);

// Temp folders go when the test process exits (servers are stopped first, see below),
// unless TAGWATCH_KEEP_TMP=1 keeps them for a look at the logs and data of a failed run.
const tmpDirs = [];
export function tmpDir(prefix = 'tmp-') {
  const base = path.join(ROOT, 'build/tmp');
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, prefix));
  tmpDirs.push(dir);
  return dir;
}

// The environment for the program: ours, without any TAGWATCH_/TIMETAGGER_ setting that
// happens to be set in the shell that runs the tests.
function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(TAGWATCH|TIMETAGGER)_/.test(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export { sleep };

export function alive(pid) {
  try {
    process.kill(pid, 0);
    // A zombie (exited, not yet reaped) still answers kill 0: look at its state.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export function childPids(pid) {
  const out = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid && fields[0] !== 'Z') out.push(Number(name));
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

// Every process started here, so that an exiting test process leaves none behind.
const running = new Set();
// SIGTERM, not SIGKILL: nginx's master and the program's then end their workers too.
function stopRunning() {
  for (const pid of running) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
}
process.on('exit', () => {
  stopRunning();
  if (process.env.TAGWATCH_KEEP_TMP !== '1' && running.size === 0) {
    for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  }
});
// A test process ended by a signal (the test runner's timeout, Ctrl-C) runs no exit handler:
// its servers would outlive it. Stop them, then end as that signal would.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    stopRunning();
    process.kill(process.pid, signal);
  });
}

// Tracks a spawned child by pid: it gets .exited (a promise of {code, signal}) and is ended
// when the test process exits. The deploy tests' helpers track their children here too.
export function track(child) {
  running.add(child.pid);
  if (!child.exited) child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.exited.then(() => running.delete(child.pid));
  return child;
}

// Spawns with output going to a log file; resolves nothing, the child is tracked by pid.
function spawnLogged(cmd, args, { env, logFile, stdio0 = 'ignore', cwd = ROOT }) {
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { env, cwd, stdio: [stdio0, fd, fd], detached: false });
  fs.closeSync(fd);
  child.on('error', () => {});
  return track(child);
}

// Stops a child by pid: `signal`, then SIGKILL after `ms`; waits for its exit.
export async function stopChild(child, signal = 'SIGTERM', ms = 5000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(child.pid, signal);
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, ms);
  await child.exited;
  clearTimeout(timer);
}

// upstream: several program sockets (unix:/path ...) behind the example's upstream, instead of socket.
export function generateNginx({ out, port, socket, prefix, root, basicAuthFile, loginBurst, workers = 1, accessLog = true, upstream }) {
  const args = [path.join(ROOT, 'tools/nginx-private.sh'), '--out', out, '--listen', `127.0.0.1:${port}`,
    '--socket', socket, '--prefix', prefix, '--root', root, '--daemon', 'off', '--workers', String(workers),
    '--access-log', accessLog ? 'on' : 'off'];
  if (basicAuthFile) args.push('--basic-auth', basicAuthFile);
  if (loginBurst != null) args.push('--login-burst', String(loginBurst));
  if (upstream) args.push('--upstream', upstream.join(' '));
  return execFileSync('bash', args, { encoding: 'utf8' }).trim();
}

// An htpasswd file for nginx's auth_basic ({SHA} is understood by nginx without crypt()).
function writeHtpasswd(file, users) {
  const lines = Object.entries(users).map(
    ([u, p]) => `${u}:{SHA}${crypto.createHash('sha1').update(p).digest('base64')}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

async function waitFor(what, fn, ms = 10000, isDead = () => false) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      if (await fn()) return;
    } catch (e) {
      last = e;
    }
    if (isDead()) throw new Error(`${what}: the process exited`);
    await sleep(25);
  }
  throw new Error(`${what}: not ready after ${ms} ms${last ? ` (${last.message})` : ''}`);
}

// The front end the API tests run through: nginx (unset), or a real Apache from Debian in
// one of tests/deploy/lib/apache.mjs's modes, so that the whole API suite runs through
// each: TAGWATCH_TEST_FRONTEND=fcgid|htaccess-cgi|htaccess-fcgid.
export const FRONTEND = process.env.TAGWATCH_TEST_FRONTEND || 'nginx';
export const APACHE_MODES = ['fcgid', 'htaccess-cgi', 'htaccess-fcgid'];
if (FRONTEND !== 'nginx' && !APACHE_MODES.includes(FRONTEND)) {
  throw new Error(`TAGWATCH_TEST_FRONTEND=${FRONTEND}: expected nginx or one of ${APACHE_MODES.join(', ')}`);
}
export const viaApache = APACHE_MODES.includes(FRONTEND);
// For `test(name, {skip: nginxOnly('why')}, fn)`: false under nginx, else the skip reason.
export const nginxOnly = (why) => (viaApache ? `needs nginx itself (Apache mode ${FRONTEND}): ${why}` : false);

// The engine the API tests run on: the data folder (unset), or PostgreSQL with
// TAGWATCH_TEST_DATABASE=pg: every server then gets a new database of its own in a cluster
// of the test process's own (tests/lib/pg.mjs; a data folder given with data in it, a
// fixture copy, is moved in with tagwatch-admin migrate), and server.database has
// {conninfo, psql(sql)}. Tests that look into the data folder's files skip, saying why.
export const DATABASE = process.env.TAGWATCH_TEST_DATABASE || 'sqlite';
if (!['sqlite', 'pg'].includes(DATABASE)) throw new Error(`TAGWATCH_TEST_DATABASE=${DATABASE}: expected sqlite or pg`);
export const onPg = DATABASE === 'pg';
export const sqliteOnly = (why) => (onPg ? `needs the data folder's files (on PostgreSQL): ${why}` : false);
// The servers on PostgreSQL by their data folder, so that jwtKey(datadir) and cgiEnv({datadir})
// find the server's database.
const databases = new Map();
async function databaseArgs(datadir) {
  if (!onPg) return { database: null, args: [] };
  const database = await (await import('./pg.mjs')).databaseForServer(datadir);
  databases.set(path.resolve(datadir), database);
  return { database, args: [`--database=${database.conninfo}`] };
}
const databaseOf = (datadir) => (datadir ? databases.get(path.resolve(datadir)) : undefined);
// The setting that points a program (or tagwatch-admin) at the database of the server on
// `datadir`, when that server runs on PostgreSQL: {TAGWATCH_DATABASE}, else {}.
export const databaseEnv = (datadir) => (databaseOf(datadir) ? { TAGWATCH_DATABASE: databaseOf(datadir).conninfo } : {});

// Program flags (--name=value, --name value, --flag) as the TAGWATCH_NAME settings Apache
// hands the program (FcgidInitialEnv, SetEnv or FcgidWrapper flags): the program reads
// both the same way (team brief), and Apache has no command line of its own for it.
export function flagsToEnv(args) {
  const env = {};
  for (let i = 0; i < args.length; i++) {
    const m = /^--([A-Za-z0-9_-]+)(?:=(.*))?$/s.exec(args[i]);
    if (!m) throw new Error(`startServer through Apache: cannot pass ${JSON.stringify(args[i])} as a setting`);
    let value = m[2];
    if (value === undefined) value = i + 1 < args.length && !args[i + 1].startsWith('--') ? args[++i] : 'true';
    env[`TAGWATCH_${m[1].replace(/-/g, '_').toUpperCase()}`] = value;
  }
  return env;
}

// startServer through Apache: the same fields as nginx's server where they mean the same
// (baseUrl, prefix, apiUrl, datadir, dir, port, stop, log). There is no socket, no
// workerPids/restartProgram/stopProgram: mod_fcgid or Apache's CGI starts the program.
async function startServerApache(opts) {
  const { env = {}, args = [], localhostLogin = true, prefix = '/timetagger/', root = ROOT, program = PROGRAM,
    mode = 'fastcgi', basicAuth = null } = opts;
  if (mode !== 'fastcgi') throw new Error(`startServer mode ${mode} needs nginx (skip it under Apache)`);
  if (basicAuth) throw new Error('startServer basicAuth is nginx\'s (skip it under Apache)');
  if (!fs.existsSync(program)) throw new Error(`${program} is missing: run make first`);
  const { startApache } = await import('../deploy/lib/apache.mjs');
  const settings = { ...env };
  if (localhostLogin) settings.TAGWATCH_LOCALHOST_LOGIN = 'true';
  if (prefix !== '/timetagger/') settings.TAGWATCH_PATH_PREFIX = prefix;
  let datadir = opts.datadir;
  if (!datadir) {
    datadir = path.join(tmpDir('data-'), 'data');
    fs.mkdirSync(datadir, { recursive: true, mode: 0o700 });
  }
  const db = await databaseArgs(datadir);
  Object.assign(settings, flagsToEnv([...db.args, ...args]));
  // workers: mod_fcgid decides how many processes run (FcgidMaxProcessesPerClass); plain
  // CGI runs one per request. The program's own --workers does not apply.
  // Bodies: apache.conf.example's FcgidMaxRequestLen (11 MiB) is already above the
  // program's 10 MiB limit; htaccess-fcgid's host default (128 KiB) is raised for the test
  // site like a host's server config would, so the program's own 413 is what is tested.
  // mod_fcgid cuts every FcgidInitialEnv value after 127 bytes (fixed-size fields in its
  // process manager's command) without a word, and the htaccess-fcgid wrapper line has its
  // own limits: longer values (two or more credentials) go into a config file, the way
  // apache.conf.example tells people to do it. Plain CGI passes SetEnv values whole.
  if (FRONTEND !== 'htaccess-cgi') {
    const long = Object.entries(settings).filter(([k, v]) => /^(TAGWATCH|TIMETAGGER)_/.test(k) && Buffer.byteLength(String(v)) > 127);
    if (long.length) {
      const file = path.join(path.dirname(datadir), `tagwatch-${crypto.randomBytes(4).toString('hex')}.conf`);
      fs.writeFileSync(file, long.map(([k, v]) => `${k.replace(/^(TAGWATCH|TIMETAGGER)_/, '').toLowerCase()} = ${v}\n`).join(''));
      for (const [k] of long) delete settings[k];
      settings.TAGWATCH_CONFIG = file;
    }
  }
  const server = await startApache({ mode: FRONTEND, datadir, env: settings, program, prefix, root,
    fcgidMaxRequestLen: FRONTEND === 'htaccess-fcgid' ? 16 * 1024 * 1024 : undefined });
  server.frontend = FRONTEND;
  server.env = settings;
  server.database = db.database;
  server.log = () => `--- apache error.log\n${server.errorTail()}`;
  return server;
}

export async function startServer(opts = {}) {
  if (viaApache) return startServerApache(opts);
  const {
    workers = 2, env = {}, args = [], mode = 'fastcgi', localhostLogin = true, prefix = '/timetagger/',
    basicAuth = null, loginBurst = 1000, root = ROOT, program = PROGRAM, nginxWorkers = 1, accessLog = true,
  } = opts;
  if (!fs.existsSync(program)) throw new Error(`${program} is missing: run make first`);
  const dir = tmpDir('server-');
  const datadir = opts.datadir || path.join(dir, 'data');
  fs.mkdirSync(datadir, { recursive: true });
  const socket = path.join(dir, 'tagwatch.sock');
  const logFile = path.join(dir, 'program.log');
  const progEnv = cleanEnv(env);
  const progArgs = ['--datadir', datadir, '--workers', String(workers)];
  if (localhostLogin) progArgs.push('--localhost_login=true');
  if (prefix !== '/timetagger/') progArgs.push(`--path_prefix=${prefix}`);
  const db = await databaseArgs(datadir);
  progArgs.push(...db.args, ...args);

  const server = {
    prefix, datadir, socket, dir, pids: {}, env: progEnv, args: progArgs, mode, database: db.database,
    log: () => {
      const read = (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').slice(-3000) : '');
      return `--- program\n${read(logFile)}\n--- nginx\n${read(path.join(dir, 'nginx/error.log'))}`;
    },
  };
  let prog = null;
  let ngx = null;

  const startProgram = async () => {
    fs.rmSync(socket, { force: true });
    if (mode === 'spawn-fcgi') {
      prog = spawnLogged('spawn-fcgi', ['-n', '-s', socket, '-M', '0600', '--', program, ...progArgs],
        { env: progEnv, logFile });
    } else {
      prog = spawnLogged(program, ['--socket', socket, ...progArgs], { env: progEnv, logFile });
    }
    server.pids.program = prog.pid;
    server.program = prog;
    await waitFor('program socket', () => fs.existsSync(socket), 10000, () => prog.exitCode !== null)
      .catch((e) => { throw new Error(`${e.message}\n${server.log()}`); });
  };
  await startProgram();

  let htpasswd = null;
  if (basicAuth) {
    htpasswd = path.join(dir, 'htpasswd');
    writeHtpasswd(htpasswd, basicAuth);
  }
  // The port is free when asked, but another process may take it before nginx does: retry.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const conf = generateNginx({ out: path.join(dir, 'nginx'), port, socket: `unix:${socket}`, prefix, root,
      basicAuthFile: htpasswd, loginBurst, workers: nginxWorkers, accessLog });
    ngx = spawnLogged(NGINX, ['-p', path.join(dir, 'nginx'), '-c', conf, '-e', path.join(dir, 'nginx/error.log')],
      { env: cleanEnv(), logFile: path.join(dir, 'nginx.log') });
    server.port = port;
    server.baseUrl = `http://127.0.0.1:${port}`;
    server.apiUrl = `${server.baseUrl}${prefix}api/v2/`;
    server.pids.nginx = ngx.pid;
    server.nginx = ngx;
    try {
      await waitFor('nginx', async () => (await request(`${server.baseUrl}${prefix}status`, { timeout: 2000 })).status === 200,
        10000, () => ngx.exitCode !== null);
      break;
    } catch (e) {
      await stopChild(ngx, 'SIGKILL');
      if (attempt >= 2 || prog.exitCode !== null) {
        const workers = childPids(prog.pid);
        await stopChild(prog, 'SIGKILL');
        for (const pid of workers) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
        throw new Error(`server did not start: ${e.message}\n${server.log()}`);
      }
    }
  }

  server.programPids = () => (prog && alive(prog.pid) ? [prog.pid, ...childPids(prog.pid)] : []);
  server.workerPids = () => (prog && alive(prog.pid) ? childPids(prog.pid) : []);
  // Stops the program (not nginx) by pid, workers included.
  server.stopProgram = async (signal = 'SIGTERM') => {
    const pids = server.programPids();
    await stopChild(prog, signal);
    for (const pid of pids.slice(1)) {
      for (let i = 0; i < 100 && alive(pid); i++) await sleep(20);
      if (alive(pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
  };
  server.restartProgram = async () => {
    await server.stopProgram();
    await startProgram();
    await waitFor('program after restart', async () => (await request(`${server.baseUrl}${prefix}status`)).status === 200);
  };
  let stopped = false;
  server.stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopChild(ngx, 'SIGQUIT');
    await server.stopProgram();
  };
  return server;
}

// --- HTTP -------------------------------------------------------------------------------

function makeAnswer(status, headers, buf) {
  const text = buf.toString('utf8');
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status, headers, text, body: buf, json, contentType: headers['content-type'] || '' };
}

export function request(url, { method = 'GET', headers = {}, body, timeout = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const hdrs = { ...headers };
    let payload = body;
    if (payload !== undefined && payload !== null && typeof payload !== 'string' && !Buffer.isBuffer(payload)) {
      payload = JSON.stringify(payload);
    }
    if (payload !== undefined && payload !== null && !Object.keys(hdrs).some((k) => k.toLowerCase() === 'content-length')) {
      hdrs['content-length'] = Buffer.byteLength(payload);
    }
    const req = http.request({
      host: u.hostname, port: u.port, method, path: u.pathname + u.search, headers: hdrs, agent: false,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(makeAnswer(res.statusCode, res.headers, Buffer.concat(chunks))));
      res.on('error', reject);
    });
    req.setTimeout(timeout, () => req.destroy(new Error(`timeout after ${timeout} ms: ${method} ${url}`)));
    req.on('error', reject);
    if (payload !== undefined && payload !== null) req.write(payload);
    req.end();
  });
}

export function api(target, token) {
  const base = typeof target === 'string'
    ? (target.includes('/api/v2/') ? target : `${target.replace(/\/$/, '')}/timetagger/api/v2/`)
    : target.apiUrl;
  const call = (method, p, { headers = {}, body, timeout } = {}) => {
    const h = { ...headers };
    if (token != null && !Object.keys(h).some((k) => k.toLowerCase() === 'authtoken')) h.authtoken = token;
    return request(base + p, { method, headers: h, body, timeout });
  };
  return {
    request: call,
    get: (p, opts = {}) => call('GET', p, opts),
    put: (p, body, opts = {}) => call('PUT', p, { ...opts, body }),
    post: (p, body, opts = {}) => call('POST', p, { ...opts, body }),
  };
}

export const b64 = (x) => Buffer.from(x).toString('base64');

export async function login(server, body, headers = {}) {
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : b64(JSON.stringify(body));
  return api(server).post('bootstrap_authentication', raw, { headers });
}

async function tokenOf(answer, what) {
  if (answer.status !== 200 || !answer.json || typeof answer.json.token !== 'string') {
    throw new Error(`${what} failed: ${answer.status} ${answer.text}`);
  }
  return answer.json.token;
}

export async function loginLocal(server) {
  return tokenOf(await login(server, { method: 'localhost' }), 'localhost login');
}

export async function loginPassword(server, username, password) {
  return tokenOf(await login(server, { method: 'usernamepassword', username, password }), `login of ${username}`);
}

// bcrypt hashes by Apache's htpasswd (cost 4: fast to check), as TIMETAGGER_CREDENTIALS text.
export function credentials(users) {
  return Object.entries(users).map(([u, p]) => {
    const line = execFileSync('htpasswd', ['-nbBC', '4', 'x', p], { encoding: 'utf8' }).trim();
    // $2y$ and $2b$ are the same algorithm; $2b$ is what TimeTagger's users have.
    return `${u}:${line.slice(2).replace(/^\$2y\$/, '$2b$')}`;
  }).join(',');
}

// --- fixture ----------------------------------------------------------------------------

export function copyFixture() {
  const dir = tmpDir('fixture-');
  const dest = path.join(dir, 'data');
  fs.cpSync(path.join(FIXTURE, 'data'), dest, { recursive: true });
  const chmod = (p) => {
    const st = fs.statSync(p);
    fs.chmodSync(p, st.isDirectory() ? 0o755 : 0o600);
    if (st.isDirectory()) for (const n of fs.readdirSync(p)) chmod(path.join(p, n));
  };
  chmod(dest);
  return dest;
}

// --- CGI --------------------------------------------------------------------------------

export function parseCgiOutput(buf) {
  let sep = buf.indexOf('\r\n\r\n');
  let sepLen = 4;
  const lf = buf.indexOf('\n\n');
  if (sep < 0 || (lf >= 0 && lf < sep)) {
    sep = lf;
    sepLen = 2;
  }
  if (sep < 0) return { status: 0, headers: {}, body: buf.toString('utf8'), raw: buf };
  const head = buf.subarray(0, sep).toString('latin1');
  const headers = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let status = 200;
  if (headers.status) status = parseInt(headers.status, 10);
  else if (headers.location) status = 302;
  const bodyBuf = buf.subarray(sep + sepLen);
  return { status, headers, body: bodyBuf.toString('utf8'), raw: bodyBuf };
}

export function runCgi(env, body, { timeout = 15000, keepStdinOpen = false, program = PROGRAM } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(program, [], {
      env: { PATH: process.env.PATH, ...env }, cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'],
    });
    running.add(child.pid);
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.stdin.on('error', () => {}); // the program may answer without reading the body
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CGI run did not end within ${timeout} ms`));
    }, timeout);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      running.delete(child.pid);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      resolve({ ...parseCgiOutput(Buffer.concat(out)), stderr: Buffer.concat(err).toString('utf8'), code, ms });
    });
    if (body !== undefined && body !== null) child.stdin.write(body);
    if (!keepStdinOpen) child.stdin.end();
  });
}

// CGI variables as nginx.conf.example passes them for a request to `path` under the prefix.
export function cgiEnv({ datadir, method = 'GET', path: p = 'status', query = '', headers = {}, body,
  remoteAddr = '127.0.0.1', host = '127.0.0.1', prefix = '/timetagger/', extra = {} } = {}) {
  const uri = prefix + p;
  const env = {
    GATEWAY_INTERFACE: 'CGI/1.1', SERVER_PROTOCOL: 'HTTP/1.1', SERVER_SOFTWARE: 'nginx',
    REQUEST_METHOD: method, REQUEST_URI: query ? `${uri}?${query}` : uri, QUERY_STRING: query,
    SCRIPT_NAME: uri, DOCUMENT_URI: uri, REQUEST_SCHEME: 'http',
    REMOTE_ADDR: remoteAddr, REMOTE_PORT: '40000', SERVER_ADDR: '127.0.0.1', SERVER_PORT: '80',
    SERVER_NAME: 'localhost', HTTP_HOST: host, CONTENT_TYPE: '', CONTENT_LENGTH: '',
  };
  if (datadir) env.TAGWATCH_DATADIR = datadir;
  Object.assign(env, databaseEnv(datadir));
  if (body !== undefined && body !== null) env.CONTENT_LENGTH = String(Buffer.byteLength(body));
  for (const [k, v] of Object.entries(headers)) env[`HTTP_${k.toUpperCase().replace(/-/g, '_')}`] = v;
  return { ...env, ...extra };
}

// --- JWT --------------------------------------------------------------------------------

const b64url = (buf) => Buffer.from(buf).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

// The server's JWT key: <datadir>/jwt.key, or on PostgreSQL its row in the database.
export const jwtKey = (datadir) => {
  const db = databaseOf(datadir);
  if (db) return db.psqlSync("SELECT value FROM tagwatch.shared WHERE name = 'jwt_key'")[0][0].trim();
  return fs.readFileSync(path.join(datadir, 'jwt.key'), 'utf8').trim();
};

export function signJwt(payload, key, header = '{"alg":"HS256","typ":"JWT"}') {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const msg = `${b64url(header)}.${b64url(text)}`;
  return `${msg}.${b64url(crypto.createHmac('sha256', Buffer.from(key)).update(msg).digest())}`;
}

export function decodeJwt(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

export function verifyJwt(token, key) {
  const [h, p, s] = token.split('.');
  const want = b64url(crypto.createHmac('sha256', Buffer.from(key)).update(`${h}.${p}`).digest());
  return want === s;
}

// --- exact JSON -------------------------------------------------------------------------

// A JSON number kept as its text, so 1.0 and 1, or 0.30000000000000004 and 0.3, differ.
export class JsonNumber {
  constructor(text) {
    this.text = text;
  }
}

export function parseExact(text) {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (what) => {
    throw new SyntaxError(`parseExact: ${what} at ${i}`);
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        const k = value();
        if (typeof k !== 'string') fail('key');
        ws();
        if (text[i++] !== ':') fail('colon');
        obj[k] = value();
        ws();
        const d = text[i++];
        if (d === '}') return obj;
        if (d !== ',') fail('comma');
      }
    }
    if (c === '[') {
      i++;
      const arr = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        const d = text[i++];
        if (d === ']') return arr;
        if (d !== ',') fail('comma');
      }
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) fail('string');
      const str = JSON.parse(text.slice(i, j + 1));
      i = j + 1;
      return str;
    }
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) fail('value');
    i += m[0].length;
    if (m[0] === 'true') return true;
    if (m[0] === 'false') return false;
    if (m[0] === 'null') return null;
    return new JsonNumber(m[0]);
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing text');
  return v;
}

// --- SQLite -----------------------------------------------------------------------------

export function sqlite(dbFile, sql) {
  return execFileSync('sqlite3', [dbFile, sql], { encoding: 'utf8' }).split('\n').filter((l) => l !== '');
}

// An item as the server stored it, on either engine: {ob, st, t1, t2} as texts (st with every
// digit; t1 and t2 only for records), or null. table: records, settings, userinfo.
export function storedItem(server, username, table, key) {
  const times = table === 'records' ? ', t1, t2' : '';
  let row;
  if (server.database) {
    const q = (s) => `'${s.replace(/'/g, "''")}'`;
    [row] = server.database.psqlSync(`SELECT _ob, st${times} FROM tagwatch.${table} WHERE username = ${q(username)}` +
      ` AND key = convert_to(${q(key)}, 'UTF8')`);
  } else {
    const rows = execFileSync('sqlite3', ['-separator', '\x1f', '-newline', '\x1e', userFile(server.datadir, username),
      `SELECT _ob, quote(st)${times} FROM ${table} WHERE key = '${key.replace(/'/g, "''")}'`], { encoding: 'utf8' });
    row = rows ? rows.split('\x1e')[0].split('\x1f') : undefined;
  }
  if (!row) return null;
  return { ob: row[0], st: row[1], t1: row[2], t2: row[3] };
}

// The file of a user, as docs/api.md names it: <clean>~<urlsafe b64 with padding>.db
export function userFile(datadir, username) {
  const clean = [...username].map((ch) => (/^[A-Za-z0-9_-]$/.test(ch) ? ch : '-')).join('');
  const enc = Buffer.from(username, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  return path.join(datadir, 'users', `${clean}~${enc}.db`);
}

export const now = () => Date.now() / 1000;

// An Argon2id hash as libsodium writes it, from tests/lib/argon2id.c (built once into build/tmp/).
export function argon2idHash(password) {
  const bin = path.join(ROOT, 'build/tmp/argon2id');
  const src = path.join(ROOT, 'tests/lib/argon2id.c');
  if (!fs.existsSync(bin) || fs.statSync(bin).mtimeMs < fs.statSync(src).mtimeMs) {
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    execFileSync('cc', ['-O2', '-o', bin, src, '-lsodium']);
  }
  return execFileSync(bin, [password], { encoding: 'utf8' }).trim();
}
