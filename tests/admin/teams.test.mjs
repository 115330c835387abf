// tagwatch-admin teams: add, change, list, show and remove, what each prints, and the usage
// errors (exit status 2) and failures (1) that say what was wrong. What a team lets its
// managers read through the API is tested in tests/api/teams.test.mjs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { admin, newDatadir } from './admin-lib.mjs';

test('teams add, change, list, show and remove', () => {
  const datadir = newDatadir();
  const run = (...args) => admin(['teams', ...args], { datadir });
  let r = run('add', 'Design team', '--manager', 'mia', '--member', 'ben', '--member', 'cleo', '--member', 'ben', '--tag', 'Client-A', '--tag=#web');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^team: +Design team\nmanagers: mia\nmembers: +ben cleo\ntags: +#client-a #web\n$/);
  assert.ok(fs.existsSync(path.join(datadir, 'teams.db')), 'kept beside users/');
  assert.equal(fs.statSync(path.join(datadir, 'teams.db')).mode & 0o777, 0o600);
  const check = admin(['check'], { datadir });
  assert.match(check.stdout, /ok +\S*teams\.db has mode 0?600/);
  assert.match(check.stdout, /ok +\S*teams\.db is sound/);

  r = run('change', 'Design team', '--remove-member', 'ben', '--add-member', 'dan', '--add-manager', 'eve', '--remove-tag', 'web', '--add-tag', 'ops');
  assert.equal(r.code, 0, r.stderr);
  r = run('show', 'Design team');
  assert.equal(r.stdout, 'team:     Design team\nmanagers: eve mia\nmembers:  cleo dan\ntags:     #client-a #ops\n');
  assert.equal(run('add', 'ops', '--manager', 'cleo', '--member', 'mia').code, 0);
  r = run('list');
  assert.equal(r.stdout, 'Design team\tmanagers: eve mia\tmembers: cleo dan\ttags: #client-a #ops\nops\tmanagers: cleo\tmembers: mia\ttags: -\n');
  r = run('change', 'ops', '--remove-manager', 'cleo');
  assert.match(r.stdout, /no manager now/);
  assert.equal(run('remove', 'ops').code, 0);
  assert.equal(run('list').stdout, 'Design team\tmanagers: eve mia\tmembers: cleo dan\ttags: #client-a #ops\n');
});

test('teams refuses what it cannot do, saying why', () => {
  const datadir = newDatadir();
  const run = (...args) => admin(['teams', ...args], { datadir });
  const cases = [
    [['add', 'x', '--manager', 'mia'], 2, /at least one --manager and one --member/],
    [['add', 'x', '--member', 'ben'], 2, /at least one --manager and one --member/],
    [['add', 'x', '--manager', 'mia', '--member', 'ben', '--tag', 'two words'], 2, /'two words' is not a tag/],
    [['add', 'x', '--manager', 'a:b', '--member', 'ben'], 2, /not a valid user name/],
    [['add', '', '--manager', 'a', '--member', 'ben'], 2, /not a valid team name/],
    [['add', 'x', '--manager', 'mia', '--member', 'ben', '--add-tag', 'y'], 2, /takes no --add-tag/],
    [['frobnicate', 'x'], 2, /unknown action/],
    [['show'], 2, /missing team name/],
    [['show', 'nope'], 1, /no team named 'nope'/],
    [['remove', 'nope'], 1, /no team named 'nope'/],
    [['change', 'nope', '--add-member', 'x'], 1, /no team named 'nope'/],
    [['change', 'nope'], 2, /needs something to change/],
  ];
  for (const [args, code, message] of cases) {
    const r = run(...args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
  }
  assert.equal(run('add', 'x', '--manager', 'mia', '--member', 'ben').code, 0);
  const again = run('add', 'x', '--manager', 'eve', '--member', 'dan');
  assert.equal(again.code, 1);
  assert.match(again.stderr, /a team named 'x' exists/);
  assert.match(run('show', 'x').stdout, /managers: mia/);
  assert.match(admin(['teams', '--help']).stdout, /^Usage: tagwatch-admin teams add NAME --manager USER --member USER \[--tag TAG\]/);
});

test('backup copies the teams and restore puts them back', () => {
  const datadir = newDatadir();
  const run = (...args) => admin(args, { datadir });
  assert.equal(run('teams', 'add', 'crew', '--manager', 'mia', '--member', 'ben').code, 0);
  const dest = path.join(path.dirname(datadir), 'backup');
  const b = run('backup', dest);
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stdout, /, teams into /);
  assert.match(fs.readFileSync(path.join(dest, 'tagwatch-backup.txt'), 'utf8'), /^teams: yes$/m);
  assert.equal(run('teams', 'remove', 'crew').code, 0);
  const r = run('restore', dest, '--force');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /restored teams/);
  assert.match(run('teams', 'show', 'crew').stdout, /managers: mia\nmembers: +ben/);
});
