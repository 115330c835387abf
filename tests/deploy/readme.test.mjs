// The README's deployment sections stay true to the
// files it tells a newcomer to use: every file it names exists, every placeholder of the
// example configs is explained, every tagwatch-admin command it shows exists, and the
// sockets it names are the ones the units open.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../lib/harness.mjs';
import { admin } from '../admin/admin-lib.mjs';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const read = (f) => fs.readFileSync(path.join(ROOT, f), 'utf8');

test('every file of the checkout the README names exists', () => {
  const named = new Set([...readme.matchAll(/`((?:deploy|www|cgi-bin)\/[^`\s]*|[a-z]+\.conf\.example)`/g)].map((m) => m[1]));
  assert.ok(named.size >= 6, [...named].join(' '));
  for (const f of named) {
    const file = f.replace(/\*$/, '');
    if (f.endsWith('*')) assert.ok(fs.readdirSync(path.join(ROOT, path.dirname(file))).some((n) => n.startsWith(path.basename(file))), f);
    else if (f === 'cgi-bin/tagwatch.fcgi') continue; // built by make
    else assert.ok(fs.existsSync(path.join(ROOT, file)), `${f} is named but missing`);
  }
  for (const unit of ['deploy/systemd/tagwatch.service', 'deploy/systemd/socket-activated/tagwatch.socket']) {
    assert.ok(readme.includes(unit), `the README shows ${unit}`);
  }
});

test('every placeholder of apache.conf.example and nginx.conf.example is explained', () => {
  for (const example of ['apache.conf.example', 'nginx.conf.example']) {
    const text = read(example);
    const used = new Set([...text.matchAll(/@([A-Z_]+)@/g)].map((m) => m[1]));
    const header = text.split('\n').filter((l) => l.startsWith('#')).join('\n');
    for (const p of used) {
      assert.match(header, new RegExp(`#\\s+@${p}@\\s`), `${example} explains @${p}@ in its header`);
    }
  }
  const apache = new Set([...read('apache.conf.example').matchAll(/@([A-Z_]+)@/g)].map((m) => m[1]));
  for (const p of apache) assert.ok(readme.includes(`@${p}@`), `the README's Apache steps fill in @${p}@`);
});

test('every tagwatch-admin command the README shows exists', () => {
  const commands = new Set([...readme.matchAll(/tagwatch-admin (?:--datadir \S+ )?([a-z][a-z-]*)/g)].map((m) => m[1]));
  assert.ok(commands.has('users') && commands.has('backup') && commands.has('hash-password'), [...commands].join(' '));
  const help = admin(['--help']).stdout;
  for (const c of commands) {
    if (c === 'command') continue;
    assert.match(help, new RegExp(`^  ${c}\\s`, 'm'), `tagwatch-admin ${c}`);
  }
});

test('the sockets the README gives nginx are the ones the units open', () => {
  const own = /--socket (\S+)/.exec(read('deploy/systemd/tagwatch.service'))[1];
  const activated = /^ListenStream=(\S+)$/m.exec(read('deploy/systemd/socket-activated/tagwatch.socket'))[1];
  assert.ok(readme.includes(`unix:${own}`), own);
  assert.ok(readme.includes(`unix:${activated}`), activated);
  // And the program path the units run is where the README's `make install PREFIX=/usr/local` puts it.
  assert.match(readme, /make install PREFIX=\/usr\/local/);
  assert.ok(readme.includes('/usr/local/lib/tagwatch/cgi-bin/'));
});

test('the .htaccess lines the README tells a shared-host user to edit are there', () => {
  const htaccess = read('deploy/htaccess');
  assert.match(htaccess, /^SetEnv TAGWATCH_DATADIR /m);
  assert.match(htaccess, /^\s*FcgidWrapper "/m);
  assert.match(readme, /SetEnv\s+TAGWATCH_DATADIR/);
  assert.match(readme, /FcgidWrapper/);
  assert.match(readme, /128 KiB/);
});
