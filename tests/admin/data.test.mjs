// tagwatch-admin export, import, check and stats on copies of TimeTagger's data folder,
// compared with what the server answers (run as CGI) and with TimeTagger's own answers.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  cgiEnv, copyFixture, fixturePath, JsonNumber, parseExact, ROOT, runCgi, sqlite, tmpDir, userFile,
} from '../lib/harness.mjs';
import { parseCsv } from '../../www/app/insight/csv.js';
import { admin, newDatadir } from './admin-lib.mjs';

const tokens = JSON.parse(fs.readFileSync(fixturePath('tokens.json'), 'utf8'));

const byKey = (list) => [...list].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
// parseExact's numbers as text, for number-for-number comparison.
const plain = (v) => JSON.parse(JSON.stringify(v, (k, x) => (x instanceof JsonNumber ? `#${x.text}` : x)));

async function getCgi(datadir, token, p, query = '') {
  const r = await runCgi(cgiEnv({ datadir, path: `api/v2/${p}`, query, headers: { authtoken: token } }));
  assert.equal(r.status, 200, `${p}: ${r.status} ${r.body}`);
  return r;
}

test('export writes exactly the records and settings TimeTagger answered, number for number', () => {
  const datadir = copyFixture();
  for (const [user, file] of [['alice', 'expected-alice.json'], ['bob@example.com', 'expected-bob.json'],
    ['zoë', 'expected-zoe.json']]) {
    const r = admin(['export', user], { datadir });
    assert.equal(r.code, 0, r.stderr);
    const got = parseExact(r.stdout);
    const want = parseExact(fs.readFileSync(fixturePath(file), 'utf8'));
    assert.deepEqual(plain(byKey(got.records)), plain(byKey(want.records)), user);
    assert.deepEqual(plain(byKey(got.settings)), plain(byKey(want.settings)), user);
    assert.equal(got.records.length, tokens[user].records);
  }
});

test('export --format csv: one row per record, RFC 4180 quoting, formulas kept as text', () => {
  const datadir = newDatadir();
  const items = {
    records: [
      { key: 'plain', t1: 1767258000, t2: 1767261600, mt: 1767261600, ds: '#client/acme call' },
      { key: 'quoted', t1: 1767261600, t2: 1767262200, mt: 1767262200, ds: 'said "hi", then\nleft #café' },
      { key: 'formula', t1: 1767262200, t2: 1767262800, mt: 1767262800, ds: '=HYPERLINK("x")' },
      { key: 'running', t1: 1767262800, t2: 1767262800, mt: 1767262800, ds: 'still going' },
    ],
    settings: [],
  };
  const file = path.join(path.dirname(datadir), 'in.json');
  fs.writeFileSync(file, JSON.stringify(items));
  assert.equal(admin(['import', 'csvuser', file, '--force'], { datadir }).code, 0);
  const out = path.join(path.dirname(datadir), 'out.csv');
  const r = admin(['export', 'csvuser', '--format', 'csv', '--output', out], { datadir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(fs.statSync(out).mode & 0o777, 0o600);
  const csv = fs.readFileSync(out, 'utf8');
  assert.ok(csv.startsWith('key,start,stop,duration,description,tags,hidden,t1,t2,mt,st\r\n'));
  assert.match(csv, /\r\nplain,2026-01-01T09:00:00Z,2026-01-01T10:00:00Z,3600,#client\/acme call,#client\/acme,,1767258000,1767261600,1767261600,\d+(\.\d+)?\r\n/);
  assert.ok(csv.includes('\r\nquoted,2026-01-01T10:00:00Z,2026-01-01T10:10:00Z,600,"said ""hi"", then\nleft #café",#café,,'));
  assert.ok(csv.includes(`\r\nformula,2026-01-01T10:10:00Z,2026-01-01T10:20:00Z,600,"'=HYPERLINK(""x"")",,,`));
  assert.match(csv, /\r\nrunning,2026-01-01T10:20:00Z,,,still going,,,1767262800,1767262800,/);
});

// Imports `records` for a new user and returns the CSV export, parsed: {header, rows by key}.
function exportCsv(records) {
  const datadir = newDatadir();
  const file = path.join(path.dirname(datadir), 'in.json');
  fs.writeFileSync(file, JSON.stringify({ records, settings: [] }));
  const imported = admin(['import', 'csvuser', file, '--force'], { datadir });
  assert.equal(imported.code, 0, imported.stderr);
  const r = admin(['export', 'csvuser', '--format', 'csv'], { datadir });
  assert.equal(r.code, 0, r.stderr);
  const [header, ...rows] = parseCsv(r.stdout, ',');
  return { header, byKey: new Map(rows.map((row) => [row[0], Object.fromEntries(header.map((h, i) => [h, row[i]]))])) };
}

test('export --format csv: the tags and hidden columns of every vector of tests/fixtures/tags.json, as the web app has them', () => {
  const { vectors } = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/tags.json'), 'utf8'));
  const records = vectors.map((v, i) => ({ key: `k${i}`, t1: 1767258000 + i, t2: 1767258060 + i, mt: 1, ds: v.ds }));
  const { byKey } = exportCsv(records);
  vectors.forEach((v, i) => {
    const row = byKey.get(`k${i}`);
    assert.equal(row.description, v.ds);
    assert.equal(row.tags, v.tags.filter((t) => t !== '#untagged').join(' '), `${JSON.stringify(v.ds)}: ${v.why}`);
    assert.equal(row.hidden, v.hidden ? 'yes' : '', `${JSON.stringify(v.ds)}: ${v.why}`);
  });
  // The example that broke: "#Foo, bar #x." has the tags #foo and #x, lowercased, and
  // "hidden #dev" is no deleted record for the app.
  assert.ok(vectors.some((v) => v.ds === '#Foo, bar #x.'));
  assert.ok(vectors.some((v) => v.ds === 'hidden #dev' && !v.hidden));
});

test('export --format csv: times at the ends of 64 bits give exact durations, and no date where none exists', () => {
  const max = '9223372036854775807';
  const min = '-9223372036854775808';
  // JSON.stringify cannot write these integers exactly: the file is written by hand.
  const datadir = newDatadir();
  const file = path.join(path.dirname(datadir), 'in.json');
  fs.writeFileSync(file, `{"records": [
    {"key": "near-max", "t1": 9223372036854775000, "t2": ${max}, "mt": 1, "ds": "a"},
    {"key": "to-max", "t1": 1767258000, "t2": ${max}, "mt": 1, "ds": "b"},
    {"key": "whole-range", "t1": ${min}, "t2": ${max}, "mt": 1, "ds": "c"},
    {"key": "backwards", "t1": ${max}, "t2": ${min}, "mt": 1, "ds": "d"},
    {"key": "running-at-max", "t1": ${max}, "t2": ${max}, "mt": 1, "ds": "e"},
    {"key": "ordinary", "t1": 1767258000, "t2": 1767261600, "mt": 1, "ds": "f"}
  ], "settings": []}`);
  assert.equal(admin(['import', 'csvuser', file, '--force'], { datadir }).code, 0);
  const r = admin(['export', 'csvuser', '--format', 'csv'], { datadir });
  assert.equal(r.code, 0, r.stderr);
  const [header, ...rows] = parseCsv(r.stdout, ',');
  const byKey = new Map(rows.map((row) => [row[0], Object.fromEntries(header.map((h, i) => [h, row[i]]))]));
  const cols = (key) => { const x = byKey.get(key); return [x.start, x.stop, x.duration, x.t1, x.t2]; };
  assert.deepEqual(cols('near-max'), ['', '', '807', '9223372036854775000', max]);
  assert.deepEqual(cols('to-max'), ['2026-01-01T09:00:00Z', '', '9223372035087517807', '1767258000', max]);
  assert.deepEqual(cols('whole-range'), ['', '', '18446744073709551615', min, max]);
  assert.deepEqual(cols('backwards'), ['', '', '-18446744073709551615', max, min]);
  assert.deepEqual(cols('running-at-max'), ['', '', '', max, max]);
  assert.deepEqual(cols('ordinary'), ['2026-01-01T09:00:00Z', '2026-01-01T10:00:00Z', '3600', '1767258000', '1767261600']);
});

test('export --format csv: a float time beyond 64 bits in a file TimeTagger wrote has no date and no duration', () => {
  const datadir = copyFixture();
  const db = userFile(datadir, 'alice');
  sqlite(db, `INSERT INTO records (_ob, key, st, t1, t2) VALUES ('{"key": "huge", "st": 1.0, "t1": 1e300, "t2": 1767261600, "mt": 1, "ds": "x"}', 'huge', 1.0, 1e300, 1767261600)`);
  const r = admin(['export', 'alice', '--format', 'csv'], { datadir });
  assert.equal(r.code, 0, r.stderr);
  const [header, ...rows] = parseCsv(r.stdout, ',');
  const row = Object.fromEntries(header.map((h, i) => [h, rows.find((x) => x[0] === 'huge')[i]]));
  assert.deepEqual([row.start, row.stop, row.duration, row.t1], ['', '2026-01-01T10:00:00Z', '', '1e+300']);
});

test('export of a user without data fails and makes no file', () => {
  const datadir = copyFixture();
  const before = fs.readdirSync(path.join(datadir, 'users')).sort();
  const r = admin(['export', 'alcie'], { datadir });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no data for user 'alcie'/);
  assert.deepEqual(fs.readdirSync(path.join(datadir, 'users')).sort(), before);
});

test('import of an export into another folder: the server then serves the same items, with new st', async () => {
  const from = copyFixture();
  const exported = path.join(tmpDir('admin-export-'), 'alice.json');
  assert.equal(admin(['export', 'alice', '--output', exported], { datadir: from }).code, 0);
  const to = newDatadir();
  const refused = admin(['import', 'alice', exported], { datadir: to });
  assert.equal(refused.code, 2, 'an unknown user is a typo until --force');
  const r = admin(['import', 'alice', exported, '--force'], { datadir: to });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /merged 311 records and 7 settings into alice/);
  const token = admin(['token', 'alice'], { datadir: to }).stdout.trim();
  const served = JSON.parse((await getCgi(to, token, 'records', 'timerange=0-4102444800')).body).records;
  const original = JSON.parse(fs.readFileSync(exported, 'utf8')).records;
  const strip = (list) => byKey(list).map(({ st, ...rest }) => rest);
  assert.deepEqual(strip(served), strip(original));
  const oldSt = Math.max(...original.map((x) => x.st));
  assert.ok(served.every((x) => x.st > oldSt), 'imported items get a new st, so every client picks them up');
});

test('import merges with the API\'s rule: a newer stored item stays, an equal or older one is replaced', async () => {
  const datadir = copyFixture();
  const token = tokens.alice.apitoken;
  const records = JSON.parse((await getCgi(datadir, token, 'records', 'timerange=0-4102444800')).body).records;
  const [a, b, c] = byKey(records);
  const file = path.join(path.dirname(datadir), 'merge.json');
  fs.writeFileSync(file, JSON.stringify({
    records: [
      { ...a, ds: 'older than stored', mt: a.mt - 10, st: 0 },
      { ...b, ds: 'same mt as stored', st: 0 },
      { ...c, ds: 'newer than stored', mt: c.mt + 10, st: 0 },
      { key: 'brandnewKey', t1: 1767258000, t2: 1767261600, mt: 1767261600, ds: 'new #imported', st: 0 },
    ],
  }));
  const r = admin(['import', 'alice', file], { datadir });
  assert.equal(r.code, 0, r.stderr);
  const after = Object.fromEntries(JSON.parse((await getCgi(datadir, token, 'records', 'timerange=0-4102444800')).body)
    .records.map((x) => [x.key, x]));
  assert.equal(after[a.key].ds, a.ds);
  assert.equal(after[b.key].ds, 'same mt as stored');
  assert.equal(after[c.key].ds, 'newer than stored');
  assert.equal(after.brandnewKey.ds, 'new #imported');
  assert.equal(Object.keys(after).length, records.length + 1, 'nothing lost');
});

test('import is all or nothing: one bad item and nothing is written, every problem is listed', async () => {
  const datadir = copyFixture();
  const file = userFile(datadir, 'alice');
  const countBefore = sqlite(file, 'SELECT count(*) FROM records')[0];
  const changesBefore = sqlite(file, 'SELECT max(st) FROM records')[0];
  const bad = path.join(path.dirname(datadir), 'bad.json');
  fs.writeFileSync(bad, JSON.stringify({
    records: [
      { key: 'good1', t1: 1767258000, t2: 1767261600, mt: 1767261600, ds: 'fine' },
      { key: 'bad1', t1: 'soon', t2: 1767261600, mt: 1767261600 },
      { t1: 1, t2: 2, mt: 3 },
    ],
    settings: [{ key: 'bad2', mt: 1 }],
  }));
  const r = admin(['import', 'alice', bad], { datadir });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /record #1/);
  assert.match(r.stderr, /record #2/);
  assert.match(r.stderr, /setting #0/);
  assert.match(r.stderr, /3 invalid item\(s\); nothing was imported/);
  assert.equal(sqlite(file, 'SELECT count(*) FROM records')[0], countBefore);
  assert.equal(sqlite(file, 'SELECT max(st) FROM records')[0], changesBefore);

  const dry = path.join(path.dirname(datadir), 'dry.json');
  fs.writeFileSync(dry, JSON.stringify([{ key: 'dry1', t1: 1, t2: 2, mt: 3 }]));
  const d = admin(['import', 'alice', dry, '--dry-run'], { datadir });
  assert.equal(d.code, 0);
  assert.match(d.stdout, /would merge 1 records and 0 settings/);
  assert.equal(sqlite(file, 'SELECT count(*) FROM records')[0], countBefore);

  const notJson = path.join(path.dirname(datadir), 'not.json');
  fs.writeFileSync(notJson, 'key,t1\nx,1\n');
  const nj = admin(['import', 'alice', notJson], { datadir });
  assert.equal(nj.code, 2);
  assert.match(nj.stderr, /is not JSON/);
  const odd = path.join(path.dirname(datadir), 'odd.json');
  fs.writeFileSync(odd, JSON.stringify({ records: [], tags: [] }));
  assert.match(admin(['import', 'alice', odd], { datadir }).stderr, /unknown field 'tags'/);
  assert.equal(admin(['import', 'alice', path.join(datadir, 'missing.json')], { datadir }).code, 1);
});

test('import refuses items older than the user\'s last force-reset, and reads standard input', async () => {
  const datadir = copyFixture();
  const r = await runCgi(cgiEnv({ datadir, method: 'PUT', path: 'api/v2/forcereset', body: '',
    headers: { authtoken: tokens['bob@example.com'].apitoken } }), '');
  assert.equal(r.status, 200, r.body);
  const old = JSON.stringify([{ key: 'ancient', t1: 1, t2: 2, mt: 1000 }]);
  const refused = admin(['import', 'bob@example.com', '-'], { datadir, input: old });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /older than the user's last force-reset/);
  const now = Math.floor(Date.now() / 1000) + 60;
  const fine = admin(['import', 'bob@example.com', '-'], { datadir, input: JSON.stringify([{ key: 'recent', t1: 1, t2: 2, mt: now }]) });
  assert.equal(fine.code, 0, fine.stderr);
});

test('stats counts users, records, running and hidden ones, settings and bytes', () => {
  const datadir = copyFixture();
  const r = admin(['stats', '--json'], { datadir });
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.deepEqual(s.users.map((u) => u.user), ['alice', 'bob@example.com', 'zoë']);
  for (const u of s.users) {
    assert.equal(u.records, tokens[u.user].records);
    assert.equal(u.settings, tokens[u.user].settings);
    assert.equal(u.running, 1);
    assert.equal(u.hidden, 1);
    assert.equal(u.bytes, fs.statSync(userFile(datadir, u.user)).size);
    assert.match(u.last_change, /^\d{4}-\d\d-\d\dT/);
  }
  assert.equal(s.total.users, 3);
  assert.equal(s.total.records, s.users.reduce((n, u) => n + u.records, 0));
  const table = admin(['stats'], { datadir }).stdout;
  assert.match(table, /^alice\s+311\s+1\s+1\s+7\s+\d+\s+\d{4}-/m);
  assert.match(table, /^total: 3 user\(s\)\s+912\s/m);
  assert.equal(admin(['stats'], { datadir: path.join(datadir, 'nowhere') }).code, 1);
});

test('check: the fixture is sound; loose permissions, a bad key mode, damage and strays are problems', () => {
  const datadir = copyFixture();
  fs.chmodSync(datadir, 0o755);
  fs.chmodSync(path.join(datadir, 'jwt.key'), 0o644);
  let r = admin(['check'], { datadir });
  assert.equal(r.code, 1);
  assert.match(r.stdout, new RegExp(`^PROBLEM  ${datadir} has mode 0755`, 'm'));
  assert.match(r.stdout, /^PROBLEM  .*jwt\.key has mode 0644/m);
  assert.match(r.stdout, /alice~YWxpY2U=\.db is sound/);
  r = admin(['check', '--fix-permissions'], { datadir });
  assert.equal(r.code, 0, r.stdout);
  assert.equal(fs.statSync(datadir).mode & 0o777, 0o700);
  assert.equal(fs.statSync(path.join(datadir, 'jwt.key')).mode & 0o777, 0o600);
  assert.equal(admin(['check'], { datadir }).stdout.trim().split('\n').pop(), 'no problems found');

  // Damage in the middle of a user file.
  const bob = userFile(datadir, 'bob@example.com');
  const fd = fs.openSync(bob, 'r+');
  fs.writeSync(fd, Buffer.alloc(4096, 0xA5), 0, 4096, 8192);
  fs.closeSync(fd);
  // A file with a user's name but not TimeTagger's tables, and a stray file.
  const impostor = userFile(datadir, 'carol');
  sqlite(impostor, 'CREATE TABLE records (x)');
  fs.writeFileSync(path.join(datadir, 'users', 'notes.txt'), 'hello');
  fs.writeFileSync(path.join(datadir, 'credentials'), 'nocolon\n', { mode: 0o600 });
  r = admin(['check'], { datadir });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^PROBLEM  .*bob-example-com~Ym9iQGV4YW1wbGUuY29t\.db (fails SQLite's integrity check|.*malformed)/m);
  assert.match(r.stdout, /^PROBLEM  .*carol~Y2Fyb2w=\.db lacks TimeTagger's schema: .*table settings/m);
  assert.match(r.stdout, /^PROBLEM  .*notes\.txt is not a user file/m);
  assert.match(r.stdout, /^PROBLEM  .*credentials:1/m);
  assert.match(r.stdout, /^ok       .*zo-~em_Dqw==\.db is sound/m);
  assert.match(r.stdout, /^4 problem\(s\) found$/m);
});

test('check: a data folder inside a web root is a problem', () => {
  const datadir = copyFixture();
  const web = path.join(path.dirname(datadir), 'public_html', 'timetagger', 'data');
  fs.mkdirSync(path.dirname(web), { recursive: true });
  fs.renameSync(datadir, web);
  const r = admin(['check', '--fix-permissions'], { datadir: web });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^PROBLEM  .*public_html.* looks like it is inside a web root/m);
});
