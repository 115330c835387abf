// Importers against small fixture files written from each format's public description,
// the analysis (create / update / skip with reasons), deterministic keys so a second import
// changes nothing, and export -> import round trips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseImport, analyzeImport, importBatches } from '../../../www/app/insight/import/index.js';
import { parseDateTime, parseDate, parseTime, parseDuration, deterministicKey, tagFromName, composeDescription } from '../../../www/app/insight/import/common.js';
import { mapHeader } from '../../../www/app/insight/import/timetagger.js';
import { recordsCsv, recordsJson, settingsJson } from '../../../www/app/insight/csv.js';

const L = (y, m, d, h = 0, mi = 0, s = 0) => new Date(y, m - 1, d, h, mi, s).getTime() / 1000;
const U = (y, m, d, h = 0, mi = 0, s = 0) => Date.UTC(y, m - 1, d, h, mi, s) / 1000;
const fixture = (name) => readFileSync(new URL('./fixtures/' + name, import.meta.url), 'utf8');
const strip = (rows) => rows.map(({ line, t1, t2, ds, error, skip, key }) => (error ? { line, error: !!error } : skip ? { line, skip: true } : { line, t1, t2, ds, ...(key ? { key } : {}) }));

/** What the store would hold after putting the analysis' items (the store's own merge is
 * tested by the webapp; here a put replaces by key). */
function applied(existing, analysis) {
  const map = new Map(existing.map((r) => [r.key, r]));
  for (const b of importBatches(analysis, 2)) for (const it of b.items) map.set(it.key, { ...it, mt: 100 });
  return [...map.values()];
}

test('date, time and duration parsing', () => {
  const dt = [
    ['1709542800', 1709542800], ['2024-03-04T09:00:00Z', U(2024, 3, 4, 9)], ['2024-03-04T09:00:00+02:00', U(2024, 3, 4, 7)],
    ['2024-03-04 09:00', L(2024, 3, 4, 9)], ['2024-03-04T09:00:05.5', L(2024, 3, 4, 9, 0, 5) + 0.5], ['20240304T080000Z', U(2024, 3, 4, 8)],
    ['12345', NaN], ['', NaN], ['2024-13-01 10:00', NaN],
  ];
  for (const [s, want] of dt) assert.ok(Object.is(parseDateTime(s), want) || parseDateTime(s) === want, `${s} -> ${parseDateTime(s)}`);
  const dates = [
    ['2024-03-04', 'dmy', { y: 2024, m: 3, d: 4 }], ['04-03-2024', 'mdy', { y: 2024, m: 3, d: 4 }], ['04.03.2024', 'dmy', { y: 2024, m: 3, d: 4 }],
    ['03/04/2024', 'mdy', { y: 2024, m: 3, d: 4 }], ['03/04/2024', 'dmy', { y: 2024, m: 4, d: 3 }], ['25/12/2024', 'mdy', { y: 2024, m: 12, d: 25 }],
    ['12/25/24', 'dmy', { y: 2024, m: 12, d: 25 }], ['2024/3/4', 'mdy', { y: 2024, m: 3, d: 4 }], ['soon', 'dmy', null],
  ];
  for (const [s, o, want] of dates) assert.deepEqual(parseDate(s, o), want, s);
  const times = [
    ['9:00', 32400], ['09:00:05', 32405], ['13.30', 48600], ['12:00:00 AM', 0], ['12:30 pm', 45000], ['1:15:00 PM', 47700], ['4pm', 57600],
    ['13:00 pm', NaN], ['9', NaN], ['25:00', NaN],
  ];
  for (const [s, want] of times) assert.ok(Object.is(parseTime(s), want), `${s} -> ${parseTime(s)}`);
  const durs = [['5400', 5400], ['1:30', 5400], ['01:30:15', 5415], ['90m', NaN]];
  for (const [s, want] of durs) assert.ok(Object.is(parseDuration(s), want), s);
});

test('tags from names, descriptions, and stable keys', () => {
  assert.equal(tagFromName('Website Redesign'), '#website-redesign');
  assert.equal(tagFromName(' x '), '');
  assert.equal(tagFromName('Acme (EU)'), '#acme-eu');
  assert.equal(composeDescription(['#a', '#b'], 'work on #b'), '#a work on #b');
  assert.equal(composeDescription([], '  spaced  '), 'spaced');
  assert.equal(composeDescription(['#a'], ''), '#a');
  const k = deterministicKey('csv|1|2|x');
  assert.match(k, /^[a-zA-Z]{8}$/);
  assert.equal(deterministicKey('csv|1|2|x'), k);
  assert.notEqual(deterministicKey('csv|1|2|y'), k);
  const keys = new Set();
  for (let i = 0; i < 20000; i++) keys.add(deterministicKey(`toggl|${1700000000 + i * 60}|${1700000000 + i * 60 + 1800}|#work`));
  assert.equal(keys.size, 20000, 'no collisions among 20,000 similar rows');
});

test('TimeTagger header mapping', () => {
  const { fields, ignored } = mapHeader(['ID', 'Begin_Time', 'end-time', 'Summary', 'TAG', 'Project Name', 'Duration HH:MM', 'Date', 'Whatever']);
  assert.deepEqual(fields, { key: 0, t1: 1, t2: 2, description: 3, tags: 4, projectname: 5, duration: 6, date: 7 });
  assert.deepEqual(ignored, ['Whatever']);
  const p = mapHeader(['project id', 'project path', 'comment', 'stop', 'start']);
  assert.deepEqual(p.fields, { projectkey: 0, projectpath: 1, description: 2, t2: 3, t1: 4 });
});

test('Toggl Track CSV', () => {
  const p = parseImport(fixture('toggl.csv'), 'Toggl_time_entries.csv');
  assert.equal(p.format, 'toggl');
  assert.deepEqual(strip(p.rows), [
    { line: 2, t1: L(2024, 3, 4, 9), t2: L(2024, 3, 4, 10, 30), ds: '#acme-corp #website-redesign #design #review Homepage mockups, v2' },
    { line: 3, t1: L(2024, 3, 4, 11), t2: L(2024, 3, 4, 11, 45), ds: '#internal Team meeting' },
    { line: 4, t1: L(2024, 3, 4, 23, 30), t2: L(2024, 3, 5, 0, 15), ds: '#acme-corp #website-redesign #deploy Late deploy: "hotfix"' },
    { line: 5, error: true },
    { line: 6, t1: L(2024, 3, 4, 11), t2: L(2024, 3, 4, 11, 45), ds: '#internal Team meeting' },
  ]);
  assert.deepEqual(p.ignored, ['User', 'Email', 'Task', 'Billable', 'Amount (USD)']);
  const a = analyzeImport(p, { records: [] });
  assert.deepEqual(a.counts, { create: 3, update: 0, skip: 2 });
  assert.match(a.items[3].reason, /cannot read the start/);
  assert.equal(a.items[4].reason, 'duplicate of line 3');
});

test('Clockify CSV: month-first dates, 12-hour times, quoted fields', () => {
  const p = parseImport(fixture('clockify.csv'), 'Clockify_Time_Report_Detailed.csv');
  assert.equal(p.format, 'clockify');
  assert.deepEqual(strip(p.rows), [
    { line: 2, t1: L(2024, 3, 6, 10), t2: L(2024, 3, 6, 12), ds: '#acme-corp #mobile-app #dev #backend Push notifications' },
    { line: 3, t1: L(2024, 3, 6, 13, 15), t2: L(2024, 3, 6, 14), ds: '#acme-corp #mobile-app Review "final" build' },
    { line: 4, t1: L(2024, 3, 7, 0), t2: L(2024, 3, 7, 0, 30), ds: 'Admin, mail' },
  ]);
});

test('Timewarrior JSON (with the trailing comma of its documented example); running intervals skipped', () => {
  const p = parseImport(fixture('timewarrior.json'), 'timew.json');
  assert.equal(p.format, 'timewarrior');
  assert.deepEqual(strip(p.rows), [
    { line: 1, t1: U(2024, 3, 4, 8), t2: U(2024, 3, 4, 9, 30), ds: '#work #client-one Planning' },
    { line: 2, t1: U(2024, 3, 4, 10), t2: U(2024, 3, 4, 10, 15), ds: '#break' },
    { line: 3, skip: true },
  ]);
  const a = analyzeImport(p, { records: [] });
  assert.deepEqual(a.counts, { create: 2, update: 0, skip: 1 });
  assert.match(a.items[2].reason, /running/);
});

test('TimeTagger-style CSV: semicolons, date column, times with dots, project as tag, errors per line', () => {
  const p = parseImport(fixture('timetagger-semicolon.csv'));
  assert.equal(p.format, 'csv');
  assert.equal(p.sep, ';');
  assert.deepEqual(p.ignored, ['Notes']);
  assert.deepEqual(strip(p.rows), [
    { line: 2, t1: L(2024, 3, 4, 9), t2: L(2024, 3, 4, 10, 15), ds: '#client-one Write report' },
    { line: 3, t1: L(2024, 3, 4, 13, 30), t2: L(2024, 3, 4, 14), ds: '#client-one Call #phone' },
    { line: 4, error: true },
  ]);
  const t = parseImport(fixture('timetagger-tab.tsv'), 'x.tsv');
  assert.equal(t.sep, '\t');
  assert.deepEqual(strip(t.rows), [
    { line: 2, t1: 1709542800, t2: 1709542800 + 5400, ds: '#acme #dev unix start with h:m duration' },
    { line: 3, t1: 1709550000, t2: 1709550000 + 5400, ds: '#acme seconds duration #Dev' },
  ]);
  assert.match(parseImport('when,what\n1,2').error, /No start column/);
  assert.match(parseImport('start,what\n1,2').error, /No stop or duration/);
});

test('spreadsheets, PDFs, empty text and unknown JSON are refused with advice', () => {
  assert.match(parseImport('PK\x03\x04...', 'a.xlsx').error, /spreadsheet/);
  assert.match(parseImport('%PDF-1.4', 'r.pdf').error, /PDF/);
  assert.match(parseImport('  \n').error, /empty/);
  assert.match(parseImport('{"a":1}').error, /Unknown JSON/);
  assert.match(parseImport('[{"start":').error, /does not parse/);
});

test('re-importing the same file changes nothing (every source)', () => {
  for (const name of ['toggl.csv', 'clockify.csv', 'timewarrior.json', 'timetagger-semicolon.csv', 'timetagger-tab.tsv']) {
    const p = parseImport(fixture(name), name);
    const first = analyzeImport(p, { records: [] });
    assert.ok(first.counts.create > 0, name);
    const store = applied([], first);
    const second = analyzeImport(parseImport(fixture(name), name), { records: store });
    assert.equal(second.counts.create + second.counts.update, 0, name);
    assert.equal(applied(store, second).length, store.length, name);
  }
});

test('a record imported before and edited since is kept; same start and stop reuses the key', () => {
  const p = parseImport(fixture('toggl.csv'));
  const store = applied([], analyzeImport(p, { records: [] }));
  const edited = store.map((r) => (r.ds.includes('Team meeting') ? { ...r, ds: r.ds + ' (edited)' } : r));
  const a = analyzeImport(p, { records: edited });
  assert.equal(a.counts.update, 0);
  assert.ok(a.items.some((x) => /edited since/.test(x.reason)));
  // TimeTagger's rule: no key, but an existing record with the same t1 and t2
  const mine = [{ key: 'ExIsTiNg', t1: L(2024, 3, 4, 9), t2: L(2024, 3, 4, 10, 15), ds: 'typed by hand', mt: 5 }];
  const b = analyzeImport(parseImport(fixture('timetagger-semicolon.csv')), { records: mine });
  assert.equal(b.items[0].action, 'update');
  assert.equal(b.items[0].item.key, 'ExIsTiNg');
  const same = [{ ...mine[0], ds: '#client-one Write report' }];
  assert.equal(analyzeImport(parseImport(fixture('timetagger-semicolon.csv')), { records: same }).items[0].action, 'skip');
});

const ours = [
  { key: 'aaaaaaaa', t1: L(2024, 2, 1, 9), t2: L(2024, 2, 1, 10, 0, 7), ds: '#acme build, "quoted"', mt: 10 },
  { key: 'bbbbbbbb', t1: L(2024, 2, 2, 23, 50), t2: L(2024, 2, 3, 0, 20), ds: 'no tags at all', mt: 11 },
  { key: 'cccccccc', t1: L(2024, 2, 3, 8), t2: L(2024, 2, 3, 9), ds: '#x #y Ünïcödé ✓', mt: 12 },
  { key: 'dddddddd', t1: L(2024, 2, 4, 8), t2: L(2024, 2, 4, 9), ds: 'HIDDEN #x deleted', mt: 13 },
  { key: 'eeeeeeee', t1: L(2024, 2, 5, 8), t2: L(2024, 2, 5, 8), ds: '#x running', mt: 14 },
];

test('round trip: our CSV export (each time format) imports back to the same records', () => {
  const visible = ours.filter((r) => !r.ds.startsWith('HIDDEN') && r.t1 !== r.t2);
  for (const tf of ['local', 'iso', 'unix']) {
    const p = parseImport(recordsCsv(visible, tf), 'tagwatch-records.csv');
    assert.equal(p.format, 'csv', tf);
    const a = analyzeImport(p, { records: [] });
    assert.deepEqual(a.items.map((x) => x.item), visible.map(({ key, t1, t2, ds }) => ({ key, t1, t2, ds })), tf);
    const again = analyzeImport(p, { records: visible });
    assert.deepEqual(again.counts, { create: 0, update: 0, skip: visible.length }, tf);
  }
  // an export re-imported after a change on the other side updates by key
  const changed = visible.map((r) => (r.key === 'aaaaaaaa' ? { ...r, t2: r.t2 + 60 } : r));
  const u = analyzeImport(parseImport(recordsCsv(changed, 'unix')), { records: visible });
  assert.deepEqual(u.counts, { create: 0, update: 1, skip: 2 });
  assert.equal(u.items[0].reason, 'aaaaaaaa: stop changed');
});

test('round trip: JSON export is lossless (hidden and running records included)', () => {
  const p = parseImport(recordsJson(ours), 'backup.json');
  assert.equal(p.format, 'tagwatch-json');
  const a = analyzeImport(p, { records: [] });
  assert.deepEqual(a.items.map((x) => x.item), ours.map(({ key, t1, t2, ds }) => ({ key, t1, t2, ds })));
  assert.deepEqual(analyzeImport(p, { records: ours }).counts, { create: 0, update: 0, skip: 5 });
  // the running record was stopped here after the backup: the newer local copy wins
  const stopped = ours.map((r) => (r.key === 'eeeeeeee' ? { ...r, t2: r.t1 + 600, mt: 99 } : r));
  const b = analyzeImport(p, { records: stopped });
  assert.match(b.items[4].reason, /changed here after the export/);
  // an older local copy is restored from the backup
  const older = ours.map((r) => (r.key === 'bbbbbbbb' ? { ...r, ds: 'old', mt: 1 } : r));
  assert.equal(analyzeImport(p, { records: older }).items[1].action, 'update');
});

test('settings JSON: create, update, unchanged, newer here', () => {
  const text = settingsJson([{ key: 'workdays', value: 2, mt: 50 }, { key: 'taginfo #a', value: { color: '#f00', targets: { week: 20 } }, mt: 50 }, { key: 'date_repr', value: 'yyyy-mm-dd', mt: 50 }]);
  const p = parseImport(text, 'settings.json');
  assert.equal(p.format, 'tagwatch-settings');
  const a = analyzeImport(p, { settings: [{ key: 'workdays', value: 2, mt: 1 }, { key: 'taginfo #a', value: { color: '' }, mt: 1 }, { key: 'date_repr', value: 'dd-mm-yyyy', mt: 99 }] });
  // the export is sorted by key: date_repr, taginfo #a, workdays
  assert.deepEqual(a.items.map((x) => [x.line, x.action, x.reason]), [
    [1, 'skip', 'date_repr was changed here after the export'], [2, 'update', 'taginfo #a changes'], [3, 'skip', 'workdays unchanged']]);
  const batches = importBatches(a);
  assert.deepEqual(batches, [{ kind: 'settings', items: [{ key: 'taginfo #a', value: { color: '#f00', targets: { week: 20 } } }] }]);
});

test('batches: settings first, then records in slices', () => {
  const analysis = { items: [
    ...Array.from({ length: 5 }, (_, i) => ({ kind: 'records', action: 'create', item: { key: 'r' + i } })),
    { kind: 'records', action: 'skip' },
    { kind: 'settings', action: 'update', item: { key: 's' } },
  ] };
  assert.deepEqual(importBatches(analysis, 2).map((b) => [b.kind, b.items.length]), [['settings', 1], ['records', 2], ['records', 2], ['records', 1]]);
});

test("TimeTagger's own export pasted as TSV (key, start, stop, tags, description) keeps keys and descriptions", () => {
  const tsv = 'key\tstart\tstop\ttags\tdescription\n' +
    'AbCdEfGh\t2024-03-04 09:00:00\t2024-03-04 10:00:00\t#acme #dev\t#acme #dev build\n' +
    'ZyXwVuTs\t1709550000\t1709553600\t\tno tags here\n';
  const p = parseImport(tsv);
  assert.equal(p.sep, '\t');
  assert.deepEqual(strip(p.rows), [
    { line: 2, key: 'AbCdEfGh', t1: L(2024, 3, 4, 9), t2: L(2024, 3, 4, 10), ds: '#acme #dev build' },
    { line: 3, key: 'ZyXwVuTs', t1: 1709550000, t2: 1709553600, ds: 'no tags here' },
  ]);
  // a running record in such an export (stop = start) becomes one second long: no running imports
  const run = parseImport('key,start,stop\nk,1709550000,1709550000\n');
  assert.deepEqual(strip(run.rows), [{ line: 2, key: 'k', t1: 1709550000, t2: 1709550001, ds: '' }]);
});
