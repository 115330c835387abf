// Login timing (part of `make bench`): a usernamepassword login for a user name that does
// not exist must take as long as one with a wrong password for a user that does, or the
// time tells an attacker which names exist. Measured for the hash kinds and costs in use:
// Argon2id as tagwatch makes it (19 MiB, 2 passes) and bcrypt of cost 10 and 12 (what
// TimeTagger setups bring along), each as plain CGI (a process per login) and as FastCGI
// behind nginx. Prints the medians side by side with their ratio and the target: within 20%.
//
// The two kinds of login take turns (wrong password, unknown name, unknown name, wrong
// password, ...) so that other work on this machine hits both alike; every unknown name is a new one. Login throttling is
// off here (login_max_failures=0): it would answer 429 after five failures, and it costs
// both kinds of login the same. Environment: BENCH_LOGINS (15) logins of each kind per row.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { argon2idHash, b64, cgiEnv, login, runCgi, startServer, tmpDir } from '../tests/lib/harness.mjs';

const LOGINS = Number(process.env.BENCH_LOGINS || 15);
const log = (...a) => console.error('bench:', ...a);

const bcrypt = (password, cost) => {
  const line = execFileSync('htpasswd', ['-nbBC', String(cost), 'x', password], { encoding: 'utf8' }).trim();
  return line.slice(2).replace(/^\$2y\$/, '$2b$');
};

const kinds = [
  ['Argon2id (19 MiB, 2 passes)', (pw) => argon2idHash(pw)],
  ['bcrypt cost 10', (pw) => bcrypt(pw, 10)],
  ['bcrypt cost 12', (pw) => bcrypt(pw, 12)],
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Times `attempt(kind, i)` for the wrong password and for an unknown name, taking turns;
// every answer must be 403 Invalid credentials.
async function measure(attempt) {
  const wrong = [];
  const unknown = [];
  for (let i = 0; i < LOGINS; i++) {
    const pair = [['wrong', wrong], ['unknown', unknown]];
    for (const [kind, into] of i % 2 ? pair.reverse() : pair) {
      const t = process.hrtime.bigint();
      const status = await attempt(kind, i);
      into.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (status !== 403) throw new Error(`a ${kind} login answered ${status}, not 403`);
    }
  }
  return { wrong: median(wrong), unknown: median(unknown) };
}

const bodyFor = (kind, i) => b64(JSON.stringify(kind === 'wrong'
  ? { method: 'usernamepassword', username: 'alice', password: `not the password ${i}` }
  : { method: 'usernamepassword', username: `nobody-${i}-${Math.random().toString(36).slice(2)}`, password: `guess ${i}` }));

const rows = [];
for (const [name, hash] of kinds) {
  // Three users of the same kind and cost, as a setup has them.
  const credentials = ['alice', 'bob', 'carol'].map((u) => `${u}:${hash(`${u} secret`)}`);
  const datadir = path.join(tmpDir('bench-login-'), 'data');
  fs.mkdirSync(datadir, { recursive: true });
  fs.writeFileSync(path.join(datadir, 'credentials'), `${credentials.join('\n')}\n`, { mode: 0o600 });

  log(`${name}: plain CGI`);
  const cgi = await measure(async (kind, i) => {
    const body = bodyFor(kind, i);
    const a = await runCgi(cgiEnv({ datadir, method: 'POST', path: 'api/v2/bootstrap_authentication', body,
      extra: { TAGWATCH_LOGIN_MAX_FAILURES: '0' } }), body);
    return a.status;
  });
  rows.push([name, 'plain CGI', cgi]);

  log(`${name}: FastCGI behind nginx`);
  const server = await startServer({ workers: 2, datadir, localhostLogin: false, accessLog: false,
    args: ['--login_max_failures=0'] });
  try {
    rows.push([name, 'FastCGI', await measure(async (kind, i) => (await login(server, bodyFor(kind, i))).status)]);
  } finally {
    await server.stop();
  }
}

const fmt = (v) => v.toFixed(1);
const head = ['hash', 'transport', 'wrong password', 'unknown name', 'unknown / wrong', 'target', 'ok'];
const lines = rows.map(([name, transport, m]) => {
  const ratio = m.unknown / m.wrong;
  return [name, transport, `${fmt(m.wrong)} ms`, `${fmt(m.unknown)} ms`, ratio.toFixed(2), '0.80 - 1.20',
    ratio >= 0.8 && ratio <= 1.2 ? 'yes' : 'NO'];
});
const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(`\nlogin timing: medians of ${LOGINS} usernamepassword logins each, a wrong password for an existing user ` +
  'against a user name that does not exist\n');
console.log([line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(line)].join('\n'));
