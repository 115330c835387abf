// tagwatch-admin: the command line itself (help, errors, settings), hash-password, users and
// token, checked against the real server program run as CGI on the same data folder.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { b64, copyFixture, cgiEnv, fixturePath, runCgi, tmpDir } from '../lib/harness.mjs';
import { admin, adminOnTerminal, ADMIN, cleanEnv, newDatadir } from './admin-lib.mjs';

const COMMANDS = ['hash-password', 'users', 'token', 'export', 'import', 'backup', 'restore', 'check', 'stats'];

async function loginCgi(datadir, username, password, remoteAddr = '127.0.0.1') {
  const body = b64(JSON.stringify({ method: 'usernamepassword', username, password }));
  return runCgi(cgiEnv({ datadir, method: 'POST', path: 'api/v2/bootstrap_authentication', body, remoteAddr }), body);
}

async function versionCgi(datadir, token) {
  return runCgi(cgiEnv({ datadir, path: 'api/v2/version', headers: { authtoken: token } }));
}

test('--help lists every command, and every command has its own --help', () => {
  const top = admin(['--help']);
  assert.equal(top.code, 0);
  for (const c of COMMANDS) assert.match(top.stdout, new RegExp(`^  ${c}\\s`, 'm'));
  for (const c of COMMANDS) {
    const r = admin([c, '--help']);
    assert.equal(r.code, 0, `${c} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^Usage: tagwatch-admin ${c}`), `${c} --help`);
    assert.deepEqual(admin(['help', c]).stdout, r.stdout);
  }
  assert.match(admin(['--version']).stdout, /^tagwatch-admin \d+\.\d+\.\d+/);
});

test('bad command lines exit 2 with a message that says what is wrong', () => {
  const datadir = newDatadir();
  const cases = [
    [[], /missing command/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['users'], /missing what to do/],
    [['users', 'rename', 'x'], /unknown action 'rename'/],
    [['users', 'add'], /missing USER/],
    [['users', 'add', 'a:b'], /not a valid user name/],
    [['users', 'list', '--bogus'], /unknown option '--bogus'/],
    [['users', 'list', 'extra'], /unexpected argument 'extra'/],
    [['users', 'add', 'x', '--hash', 'plaintext'], /--hash must be an Argon2id/],
    [['users', 'remove', 'x', '--hash=abc'], /takes no --hash/],
    [['token'], /missing USER/],
    [['export', 'alice', '--format', 'xml'], /--format must be json or csv/],
    [['export', 'alice', '--format'], /--format needs a value/],
    [['import', 'alice'], /missing FILE/],
    [['backup'], /missing DEST/],
    [['restore'], /missing SRC/],
    [['check', 'now'], /unexpected argument 'now'/],
    [['stats', '--json=yes'], /takes no value/],
  ];
  for (const [args, message] of cases) {
    const r = admin(args, { datadir });
    assert.equal(r.code, 2, `${args.join(' ')} should exit 2: ${r.stdout} ${r.stderr}`);
    assert.match(r.stderr, message, `${args.join(' ')}`);
  }
  // A bad setting is named, like the server names it.
  const bad = admin(['stats'], { env: { TAGWATCH_JOURNAL_MODE: 'memory' } });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /journal_mode/);
  // Nothing was made by any of those.
  assert.ok(!fs.existsSync(path.join(datadir, 'credentials')));
});

test('it finds the data folder the way the server does: flag, environment, config file', async () => {
  const datadir = newDatadir();
  assert.equal(admin(['users', 'add', 'viaflag', '--password-stdin'], { input: 'pw-one\n', datadir }).code, 0);
  const env = admin(['users', 'list'], { env: { TAGWATCH_DATADIR: datadir } });
  assert.equal(env.stdout, 'viaflag\n');
  const tt = admin(['users', 'list'], { env: { TIMETAGGER_DATADIR: datadir } });
  assert.equal(tt.stdout, 'viaflag\n');
  const conf = path.join(tmpDir('admin-conf-'), 'tagwatch.conf');
  fs.writeFileSync(conf, `# settings\ndatadir = ${datadir}\n`);
  assert.equal(admin(['--config', conf, 'users', 'list']).stdout, 'viaflag\n');
  // The settings may also follow the command.
  assert.equal(admin(['users', 'list', '--datadir', datadir]).stdout, 'viaflag\n');
  assert.equal(admin(['users', 'list', `--datadir=${datadir}`]).stdout, 'viaflag\n');
});

test('hash-password reads standard input and prints an Argon2id hash that logs in', async () => {
  const r = admin(['hash-password'], { input: 'tr0ub4dor&3\n' });
  assert.equal(r.code, 0, r.stderr);
  const hash = r.stdout.trim();
  assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.ok(!r.stdout.includes('tr0ub4dor'));
  const datadir = newDatadir();
  assert.equal(admin(['users', 'add', 'hashed', '--hash', hash], { datadir }).code, 0);
  assert.equal((await loginCgi(datadir, 'hashed', 'tr0ub4dor&3')).status, 200);
  assert.equal((await loginCgi(datadir, 'hashed', 'tr0ub4dor&4')).status, 403);
  // Refused: nothing, a password that logins would trim.
  assert.equal(admin(['hash-password'], { input: '' }).code, 2);
  assert.equal(admin(['hash-password'], { input: '\n' }).code, 2);
  const spaced = admin(['hash-password'], { input: ' padded \n' });
  assert.equal(spaced.code, 2);
  assert.match(spaced.stderr, /space/);
});

test('hash-password on a terminal asks twice without echo, and refuses two different answers', async () => {
  const secret = 'N0-echo-please';
  const ok = await adminOnTerminal(['hash-password'], [[/New password: /, secret], [/again: /, secret]]);
  assert.equal(ok.code, 0, ok.output);
  assert.match(ok.output, /\$argon2id\$/);
  assert.ok(!ok.output.includes(secret), `the terminal showed the password: ${JSON.stringify(ok.output)}`);
  const differ = await adminOnTerminal(['hash-password'], [[/New password: /, secret], [/again: /, `${secret}x`]]);
  assert.equal(differ.code, 2);
  assert.match(differ.output, /differ/);
  assert.ok(!differ.output.includes('$argon2id$'));
});

test('users add, list, passwd and remove keep the credentials file, and the server follows at once', async () => {
  const datadir = newDatadir();
  assert.equal(admin(['users', 'list'], { datadir }).stdout, '');
  const add = admin(['users', 'add', 'anna', '--password-stdin'], { input: 'first-pass\n', datadir });
  assert.equal(add.code, 0, add.stderr);
  assert.equal(admin(['users', 'add', 'zoë', '--password-stdin'], { input: 'zoë-pass\n', datadir }).code, 0);
  const again = admin(['users', 'add', 'anna', '--password-stdin'], { input: 'other\n', datadir });
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already exists/);

  const file = path.join(datadir, 'credentials');
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.equal(fs.statSync(datadir).mode & 0o777, 0o700);
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  assert.deepEqual(lines.map((l) => l.split(':')[0]), ['anna', 'zoë']);
  assert.equal(admin(['users', 'list'], { datadir }).stdout, 'anna\nzoë\n');

  const login = await loginCgi(datadir, 'anna', 'first-pass');
  assert.equal(login.status, 200, login.body);
  const webtoken = JSON.parse(login.body).token;
  const apitoken = admin(['token', 'anna'], { datadir }).stdout.trim();
  assert.equal((await versionCgi(datadir, webtoken)).status, 200);
  assert.equal((await versionCgi(datadir, apitoken)).status, 200);
  assert.match(admin(['users', 'list', '--long'], { datadir }).stdout, /^anna\tpassword:file\tdata:yes$/m);

  const passwd = admin(['users', 'passwd', 'anna', '--password-stdin'], { input: 'second-pass\n', datadir });
  assert.equal(passwd.code, 0, passwd.stderr);
  assert.match(passwd.stdout, /revoked/);
  for (const token of [webtoken, apitoken]) {
    const r = await versionCgi(datadir, token);
    assert.equal(r.status, 401);
    assert.match(r.body, /revoked/);
  }
  assert.equal((await loginCgi(datadir, 'anna', 'first-pass')).status, 403);
  const fresh = await loginCgi(datadir, 'anna', 'second-pass');
  assert.equal(fresh.status, 200);
  const freshToken = JSON.parse(fresh.body).token;

  const missing = admin(['users', 'passwd', 'nobody', '--password-stdin'], { input: 'x-pass\n', datadir });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no user 'nobody'/);

  const remove = admin(['users', 'remove', 'anna'], { datadir });
  assert.equal(remove.code, 0, remove.stderr);
  assert.match(remove.stdout, /data stays in/);
  assert.equal((await loginCgi(datadir, 'anna', 'second-pass')).status, 403);
  assert.equal((await versionCgi(datadir, freshToken)).status, 401);
  assert.equal(admin(['users', 'list', '--long'], { datadir }).stdout.split('\n')[0], 'anna\tpassword:-\tdata:yes');
  assert.equal(admin(['users', 'remove', 'anna'], { datadir }).code, 2);

  assert.equal((await loginCgi(datadir, 'zoë', 'zoë-pass')).status, 200);
  const gone = admin(['users', 'remove', 'zoë', '--delete-data'], { datadir });
  assert.equal(gone.code, 0, gone.stderr);
  assert.ok(!fs.readdirSync(path.join(datadir, 'users')).some((n) => n.startsWith('zo-')));
  assert.equal(admin(['users', 'list'], { datadir }).stdout, 'anna\n');
});

test('a user of the credentials setting is reported, not edited', () => {
  const datadir = newDatadir();
  const hash = admin(['hash-password'], { input: 'setting-pass\n' }).stdout.trim();
  const env = { TAGWATCH_CREDENTIALS: `fromsetting:${hash}` };
  assert.match(admin(['users', 'list', '--long'], { datadir, env }).stdout, /^fromsetting\tpassword:setting\tdata:no$/m);
  const r = admin(['users', 'passwd', 'fromsetting', '--password-stdin'], { datadir, env, input: 'new-pass\n' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /credentials setting/);
});

test('users passwd clears the failed logins of that user', async () => {
  const datadir = newDatadir();
  admin(['users', 'add', 'locked', '--password-stdin'], { input: 'right-pass\n', datadir });
  let last;
  for (let i = 0; i < 6; i++) last = await loginCgi(datadir, 'locked', 'wrong-pass', `10.0.0.${i + 1}`);
  assert.equal(last.status, 429, `the login throttle is not wired into the server yet: ${last.status} ${last.body}`);
  admin(['users', 'passwd', 'locked', '--password-stdin'], { input: 'new-right-pass\n', datadir });
  assert.equal((await loginCgi(datadir, 'locked', 'new-right-pass', '10.0.0.9')).status, 200);
});

test('token prints the apitoken the server accepts; on TimeTagger\'s data it is the very token TimeTagger issued', async () => {
  const datadir = copyFixture();
  const fixtureTokens = JSON.parse(fs.readFileSync(fixturePath('tokens.json'), 'utf8'));
  for (const user of ['alice', 'bob@example.com', 'zoë']) {
    const r = admin(['token', user], { datadir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), fixtureTokens[user].apitoken, user);
  }
  const reset = admin(['token', 'alice', '--reset'], { datadir }).stdout.trim();
  assert.notEqual(reset, fixtureTokens.alice.apitoken);
  assert.equal((await versionCgi(datadir, reset)).status, 200);
  const old = await versionCgi(datadir, fixtureTokens.alice.apitoken);
  assert.equal(old.status, 401);
  assert.match(old.body, /revoked/);

  const typo = admin(['token', 'alcie'], { datadir });
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /neither a password nor data/);
  assert.ok(!fs.readdirSync(path.join(datadir, 'users')).some((n) => n.startsWith('alcie')));
  const forced = admin(['token', 'newcomer', '--force'], { datadir });
  assert.equal(forced.code, 0);
  assert.equal((await versionCgi(datadir, forced.stdout.trim())).status, 200);
});

test('two admins adding users at the same moment lose nobody', async () => {
  const datadir = newDatadir();
  admin(['users', 'add', 'first', '--password-stdin'], { input: 'pass-0\n', datadir });
  const runs = [];
  for (let i = 1; i <= 6; i++) {
    runs.push(new Promise((resolve) => {
      const child = spawn(ADMIN, ['--datadir', datadir, 'users', 'add', `user${i}`, '--password-stdin'],
        { env: cleanEnv(), stdio: ['pipe', 'ignore', 'pipe'] });
      child.stdin.end(`pass-${i}\n`);
      child.on('close', resolve);
    }));
  }
  assert.deepEqual(await Promise.all(runs), [0, 0, 0, 0, 0, 0]);
  assert.equal(admin(['users', 'list'], { datadir }).stdout.trim().split('\n').length, 7);
  assert.deepEqual(fs.readdirSync(datadir).filter((n) => n.includes('tmp')), [], 'no temporary file left');
});

test('run as root on a data folder of another user, it works as that user', { skip: process.getuid() !== 0 && 'needs root' }, async () => {
  const datadir = newDatadir();
  fs.mkdirSync(datadir, { mode: 0o700 });
  fs.chownSync(path.dirname(datadir), 65534, 65534);
  fs.chownSync(datadir, 65534, 65534);
  const r = admin(['users', 'add', 'served', '--password-stdin'], { input: 'pass-pass\n', datadir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(fs.statSync(path.join(datadir, 'credentials')).uid, 65534);
  assert.equal(admin(['token', 'served'], { datadir }).code, 0);
  for (const name of fs.readdirSync(path.join(datadir, 'users'))) {
    assert.equal(fs.statSync(path.join(datadir, 'users', name)).uid, 65534, name);
  }
});
