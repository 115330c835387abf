// Process helpers of the deploy tests: start a program with its output in a log file,
// track it by pid (and kill whatever is left when the test process exits), wait for a
// condition, and look processes up in /proc.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { ROOT, sleep, stopChild, track } from '../../lib/harness.mjs';

export function alive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export function exeOf(pid) {
  try {
    return fs.readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return '';
  }
}

// Every live descendant of pid.
export function descendants(pid) {
  const parents = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z') parents.set(Number(name), Number(fields[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  const out = [];
  const walk = (p) => {
    for (const [child, parent] of parents) {
      if (parent === p) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

// Spawns cmd with args; output (stdout and stderr) goes to logFile. Returns the child with
// .exited (a promise of {code, signal}) and .log() (the log so far).
export function start(cmd, args, { env = {}, logFile, cwd = ROOT, stdin = 'ignore' } = {}) {
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { env: { PATH: process.env.PATH, ...env }, cwd, stdio: [stdin, fd, fd] });
  fs.closeSync(fd);
  track(child);
  child.on('error', () => {});
  child.log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
  return child;
}

// Sends signal, waits for the exit (SIGKILL after ms), and for the given other pids to end.
export async function stop(child, { signal = 'SIGTERM', ms = 10000, others = [] } = {}) {
  await stopChild(child, signal, ms);
  for (const pid of others) {
    for (let i = 0; i < ms / 20 && alive(pid); i++) await sleep(20);
  }
}

export async function waitFor(what, fn, ms = 10000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(25);
  }
  throw new Error(`${what}: not after ${ms} ms${last ? ` (${last.message})` : ''}`);
}

// FastCGI parameters for a request to the API as nginx.conf.example passes them.
export function fcgiParams({ method = 'GET', path = 'status', query = '', headers = {}, body, remoteAddr = '127.0.0.1', prefix = '/timetagger/' } = {}) {
  const uri = prefix + path;
  const params = {
    GATEWAY_INTERFACE: 'CGI/1.1', SERVER_PROTOCOL: 'HTTP/1.1', REQUEST_METHOD: method,
    REQUEST_URI: query ? `${uri}?${query}` : uri, QUERY_STRING: query, SCRIPT_NAME: uri,
    REMOTE_ADDR: remoteAddr, SERVER_NAME: 'localhost', SERVER_PORT: '80', HTTP_HOST: 'localhost',
    CONTENT_LENGTH: body == null ? '' : String(Buffer.byteLength(body)),
  };
  for (const [k, v] of Object.entries(headers)) params[`HTTP_${k.toUpperCase().replace(/-/g, '_')}`] = v;
  return params;
}

// True once something listens on the unix socket (the file appears at bind(), before listen()).
export function canConnect(socketPath) {
  return new Promise((resolve) => {
    const sock = net.createConnection(socketPath);
    sock.on('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.on('error', () => resolve(false));
  });
}

// True once a socket at that path is listening, without connecting to it (a connection
// would start a socket-activated program): /proc/net/unix flags it __SO_ACCEPTCON (0x10000).
export function listening(socketPath) {
  const real = fs.existsSync(socketPath) ? fs.realpathSync(socketPath) : socketPath;
  for (const line of fs.readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 8 && (f[7] === socketPath || f[7] === real) && (parseInt(f[3], 16) & 0x10000)) return true;
  }
  return false;
}
