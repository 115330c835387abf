// CSV writer and reader: RFC 4180 quoting, TimeTagger's report CSV byte for byte (with and
// without the amount column), the clipboard TSV, and the records/settings exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  csvField, writeCsv, parseCsv, detectSeparator, reportCsv, reportTsv, reportFilename, recordsCsv, recordsJson, settingsJson, exportTime,
} from '../../../www/app/insight/csv.js';
import { buildReport } from '../../../www/app/insight/report.js';

const L = (y, m, d, h = 0, mi = 0, s = 0) => new Date(y, m - 1, d, h, mi, s).getTime() / 1000;
const fixture = (name) => readFileSync(new URL('./fixtures/' + name, import.meta.url), 'utf8');

test('csvField quotes separators, quotes and line breaks only', () => {
  const cases = [
    ['plain', ',', 'plain'], ['a,b', ',', '"a,b"'], ['say "hi"', ',', '"say ""hi"""'], ['two\nlines', ',', '"two\nlines"'],
    ['cr\rhere', ',', '"cr\rhere"'], ['a;b', ',', 'a;b'], ['a;b', ';', '"a;b"'], ['tab\there', '\t', '"tab\there"'],
    ['', ',', ''], [null, ',', ''], [12.5, ',', '12.5'],
  ];
  for (const [v, sep, want] of cases) assert.equal(csvField(v, sep), want, JSON.stringify(v));
  assert.equal(csvField('x', ',', true), '"x"');
});

test('writeCsv writes CRLF after every row', () => {
  assert.equal(writeCsv([['a', 'b,c'], ['1', '"']]), 'a,"b,c"\r\n1,""""\r\n');
});

test('parseCsv reads what writeCsv writes, with quotes, commas and line breaks', () => {
  const rows = [['key', 'description'], ['k1', 'a, b'], ['k2', 'say "hi"\nand more'], ['k3', ''], ['k4', 'é ✓ 🙂']];
  const back = parseCsv(writeCsv(rows));
  assert.deepEqual([...back], rows);
  assert.deepEqual(back.lines, [1, 2, 3, 5, 6], 'line numbers point at where each row starts');
  const table = [
    ['\uFEFFa;b\n1;2\n', [['a', 'b'], ['1', '2']], ';'],
    ['a\tb\r\n"x\ty"\tz\r\n\r\n', [['a', 'b'], ['x\ty', 'z']], '\t'],
    ['a,b\n\n1,2', [['a', 'b'], ['1', '2']], ','],
    ['a,b\n"1",\n', [['a', 'b'], ['1', '']], ','],
  ];
  for (const [text, want, sep] of table) {
    const got = parseCsv(text);
    assert.deepEqual([...got], want, JSON.stringify(text));
    assert.equal(got.sep, sep);
  }
  assert.equal(detectSeparator('a;b;c,d'), ';');
  assert.equal(detectSeparator('single'), ',');
});

const day = L(2024, 3, 4);
const records = [
  { key: 'r1', t1: day + 9 * 3600, t2: day + 10 * 3600, ds: '#acme #dev build, test' },
  { key: 'r2', t1: day + 11 * 3600, t2: day + 12.5 * 3600, ds: '#acme #meeting' },
  { key: 'r3', t1: day + 86400 + 13 * 3600, t2: day + 86400 + 15 * 3600, ds: '#acme #dev say "hi"\nnext line' },
  { key: 'r4', t1: day + 86400, t2: day + 86400 + 60, ds: 'HIDDEN #acme gone' },
];
const range = { t1: day, t2: day + 7 * 86400, now: day + 7 * 86400 };

test('report CSV is byte-exact: TimeTagger columns, CRLF, quoted descriptions', () => {
  const r = buildReport(records, { ...range, tags: ['#acme'], grouping: 'tagz' });
  assert.equal(reportCsv(r, { user: 'alice' }), fixture('report-expected.csv'));
});

test('report CSV with rates appends the amount column', () => {
  const r = buildReport(records, { ...range, tags: ['#acme'], grouping: 'tagz', format: 'h2', rates: { '#acme': 80 }, dateRepr: 'yyyy-mm-dd' });
  assert.equal(reportCsv(r, { user: 'alice' }), fixture('report-expected-amounts.csv'));
});

test('report CSV without grouping has only the Total row before the records; hidden rows stay out', () => {
  const r = buildReport(records, { ...range });
  const lines = reportCsv(r, { user: 'u', showRecords: true }).split('\r\n');
  assert.equal(lines[2], '4:30,Total,,,,,,,');
  assert.equal(lines[3].startsWith(',,1:00,04-03-2024,09:00,10:00,'), true);
  assert.equal(reportCsv(r, { showRecords: false }).split('\r\n').filter(Boolean).length, 2);
  assert.doesNotMatch(reportCsv(r), /gone/);
});

test('clipboard TSV and file names', () => {
  const r = buildReport(records, { ...range, grouping: 'tagz', tags: ['#acme'] });
  const tsv = reportTsv(r);
  assert.equal(tsv.split('\r\n')[0], 'duration\ttitle\tdate\tstart\tstop\tdescription');
  assert.equal(tsv.split('\r\n')[1], '4:30\tTotal\t\t\t\t');
  assert.match(tsv, /2:00\t\t05-03-2024\t13:00\t15:00\t#acme #dev say "hi" next line/);
  assert.equal(reportFilename(L(2024, 3, 1), L(2024, 4, 1)), 'tagwatch-20240301-20240331.csv');
  assert.equal(reportFilename(L(2024, 3, 4), L(2024, 3, 5), 'pdf'), 'tagwatch-20240304.pdf');
});

test('records CSV export in local, ISO and Unix times; hidden left out; sorted', () => {
  const t = L(2024, 3, 4, 9, 5, 7);
  assert.equal(exportTime(t, 'local'), '2024-03-04 09:05:07');
  assert.equal(exportTime(1709543107, 'iso'), '2024-03-04T09:05:07Z');
  assert.equal(exportTime(1709543107, 'unix'), '1709543107');
  const csv = recordsCsv([records[1], records[0], records[3]], 'unix');
  assert.equal(csv, 'key,start,stop,tags,description\r\n' +
    `r1,${records[0].t1},${records[0].t2},#acme #dev,"#acme #dev build, test"\r\n` +
    `r2,${records[1].t1},${records[1].t2},#acme #meeting,#acme #meeting\r\n`);
});

test('JSON exports keep everything, hidden records included, and settings separately', () => {
  const j = JSON.parse(recordsJson(records, 1700000000));
  assert.equal(j.format, 'tagwatch-records');
  assert.equal(j.exported, 1700000000);
  assert.equal(j.records.length, 4);
  assert.deepEqual(j.records.find((r) => r.key === 'r3'), { key: 'r3', t1: records[2].t1, t2: records[2].t2, ds: records[2].ds, mt: 0 });
  const s = JSON.parse(settingsJson([{ key: 'workdays', value: 2, mt: 5, st: 9 }, { key: 'taginfo #a', value: { color: '#f00' }, mt: 6 }], 1));
  assert.deepEqual(s.settings, [{ key: 'taginfo #a', value: { color: '#f00' }, mt: 6 }, { key: 'workdays', value: 2, mt: 5 }]);
});

test('records CSV export with ISO times is byte-exact (running: stop = start)', () => {
  const U = (s) => Date.parse(s) / 1000;
  const recs = [
    { key: 'RuNnInGx', t1: U('2024-03-05T08:00:00Z'), t2: U('2024-03-05T08:00:00Z'), ds: '#acme running' },
    { key: 'AbCdEfGh', t1: U('2024-03-04T09:05:07Z'), t2: U('2024-03-04T10:00:00Z'), ds: '#acme #dev build, "v2"' },
    { key: 'ZyXwVuTs', t1: U('2024-03-04T12:00:00Z'), t2: U('2024-03-04T12:30:00Z'), ds: 'lunch' },
    { key: 'HiDdEnXx', t1: U('2024-03-04T13:00:00Z'), t2: U('2024-03-04T14:00:00Z'), ds: 'HIDDEN lunch' },
  ];
  assert.equal(recordsCsv(recs, 'iso'), fixture('records-export-expected.csv'));
});
