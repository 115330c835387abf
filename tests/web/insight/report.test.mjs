// Report computation: formats, per-record rounding that makes totals add up, grouping by tags,
// description and period, hidden secondary tags, tag filters, time rounding, rates and amounts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  toTicks, formatTicks, roundTime, rateFor, amountCents, formatCents, formatMoney, buildReport, reportRows, orderCombos, formatDuration,
} from '../../../www/app/insight/report.js';

const L = (y, m, d, h = 0, mi = 0, s = 0) => new Date(y, m - 1, d, h, mi, s).getTime() / 1000;
const rec = (key, t1, dur, ds) => ({ key, t1, t2: t1 + dur, ds, mt: 1 });

test('duration formats: hm, hms, h0..h3 (ticks and text)', () => {
  const cases = [
    // seconds, format, ticks, text
    [32844, 'hm', 547, '9:07'],
    [32844, 'hms', 32844, '9:07:24'],
    [32844, 'h0', 9, '9'],
    [32844, 'h1', 91, '9.1'],
    [32844, 'h2', 912, '9.12'],
    [32844, 'h3', 9123, '9.123'],
    [29, 'hm', 0, '0:00'],
    [30, 'hm', 1, '0:01'], // half up
    [1800, 'h0', 1, '1'], // half an hour rounds up to 1
    [18, 'h2', 1, '0.01'], // 0.005 h rounds half up
    [17, 'h2', 0, '0.00'],
    [3600 * 123 + 59, 'hms', 442859, '123:00:59'],
    [36, 'h3', 10, '0.010'],
  ];
  for (const [s, f, ticks, text] of cases) {
    assert.equal(toTicks(s, f), ticks, `${s} ${f} ticks`);
    assert.equal(formatTicks(ticks, f), text, `${s} ${f} text`);
  }
  assert.equal(formatDuration(5400, 'h1'), '1.5');
  assert.throws(() => toTicks(1, 'h9'));
});

test('roundTime to 5/15/30 minutes, nearest, up or down', () => {
  const cases = [
    [0, 0, 'nearest', 0], [449, 900, 'nearest', 0], [450, 900, 'nearest', 900], [1, 900, 'up', 900],
    [899, 900, 'down', 0], [901, 300, 'nearest', 900], [2699, 1800, 'nearest', 1800], [2700, 1800, 'nearest', 3600],
    [1234, 0, 'up', 1234],
  ];
  for (const [s, step, mode, want] of cases) assert.equal(roundTime(s, step, mode), want, `${s}/${step}/${mode}`);
});

test('rateFor picks the most specific matching tag set, then the higher rate', () => {
  const rates = { '#acme': 80, '#acme #travel': 40, '#beta': 100, '#urgent': 120, '#zero': 0 };
  const cases = [
    [['#acme'], 80], [['#acme', '#travel'], 40], [['#acme', '#dev', '#travel'], 40],
    [['#acme', '#urgent'], 120], [['#other'], 0], [['#zero'], 0], [['#untagged'], 0],
  ];
  for (const [tags, want] of cases) assert.equal(rateFor(tags, rates), want, tags.join(' '));
  assert.equal(rateFor(['#acme'], null), 0);
});

test('amounts per record are rounded to the cent from the displayed duration', () => {
  assert.equal(amountCents(547, 'hm', 80), 72933); // 9:07 h at 80 = 729.333 -> 729.33
  assert.equal(amountCents(91, 'h1', 80), 72800);
  assert.equal(amountCents(100, 'hm', 0), 0);
  assert.equal(formatCents(72933), '729.33');
  assert.equal(formatCents(5), '0.05');
  assert.equal(formatCents(-150), '-1.50');
});

const day = L(2024, 3, 4); // Monday
const records = [
  rec('a1', day + 9 * 3600, 3600 + 29, '#acme #dev build the thing'), // 1:00:29
  rec('a2', day + 11 * 3600, 1800 + 31, '#acme #meeting weekly call'), // 0:30:31
  rec('b1', day + 14 * 3600, 2 * 3600 + 20, '#beta review'),
  rec('h1', day + 16 * 3600, 3600, 'HIDDEN #acme deleted one'),
  rec('c1', day + 86400 + 9 * 3600, 3 * 3600 + 40, '#acme #dev more work'),
  rec('u1', day + 86400 + 13 * 3600, 1200, 'lunch notes'),
  rec('x1', day - 3600, 7200, '#acme #dev spans the range start'), // 23:00 Sun .. 01:00 Mon
];
const base = { t1: day, t2: day + 7 * 86400, now: day + 8 * 86400 };

test('no grouping: clipped to the range, hidden excluded, rows add up to the total', () => {
  const r = buildReport(records, { ...base, format: 'hm' });
  assert.equal(r.count, 6);
  assert.equal(r.grouped, false);
  assert.equal(r.groups.length, 1);
  const recs = r.groups[0].records;
  assert.deepEqual(recs.map((x) => x.key), ['x1', 'a1', 'a2', 'b1', 'c1', 'u1']);
  assert.equal(recs[0].seconds, 3600, 'clipped to the range start');
  const sum = recs.reduce((s, x) => s + x.ticks, 0);
  assert.equal(sum, r.total.ticks);
  // 60 + 60 + 31 + 120 + 181 + 20 minutes (each rounded per record first)
  assert.equal(r.total.text, '7:52');
});

test('per-record rounding: sum of rounded rows = displayed total in every format', () => {
  // 7 records of 0:00:40: the exact total is 4:40 (4.67 min) but each row shows 0:01
  const many = Array.from({ length: 7 }, (_, i) => rec('r' + i, day + i * 100, 40, '#x'));
  for (const format of ['hm', 'hms', 'h0', 'h1', 'h2', 'h3']) {
    const r = buildReport(many, { ...base, format, grouping: 'tagz' });
    const rows = reportRows(r);
    const recordTicks = rows.filter((x) => x.kind === 'record').reduce((s, x) => s + x.ticks, 0);
    assert.equal(recordTicks, r.total.ticks, format);
    assert.equal(r.groups.reduce((s, g) => s + g.ticks, 0), r.total.ticks, format);
  }
  assert.equal(buildReport(many, { ...base, format: 'hm' }).total.text, '0:07');
});

test('grouping by tags: selected tags left out of titles, General, overview-like order', () => {
  const r = buildReport(records, { ...base, grouping: 'tagz', tags: ['#acme'] });
  assert.deepEqual(r.groups.map((g) => g.title), ['#dev', '#meeting']);
  const all = buildReport(records, { ...base, grouping: 'tagz' });
  assert.deepEqual(all.groups.map((g) => g.title), ['#acme #dev', '#acme #meeting', '#beta', '#untagged']);
  const only = buildReport(records, { ...base, grouping: 'tagz', tags: ['#beta'] });
  assert.deepEqual(only.groups.map((g) => g.title), ['General']);
});

test('hidden secondary tags merge groups that differ only by them', () => {
  const info = (t) => (t === '#dev' || t === '#meeting' ? { priority: 2 } : {});
  const r = buildReport(records, { ...base, grouping: 'tagz', hideSecondary: true, tagInfo: info });
  assert.deepEqual(r.groups.map((g) => g.title), ['#acme', '#beta', '#untagged']);
  assert.equal(r.groups[0].records.length, 4);
  // without hiding, secondary tags are ordered after primary ones inside a title
  const shown = buildReport([rec('s', day, 60, '#aaa #zzz')], { ...base, grouping: 'tagz', tagInfo: (t) => (t === '#aaa' ? { priority: 2 } : {}) });
  assert.equal(shown.groups[0].title, '#zzz #aaa');
});

test('grouping by description: alphabetical ignoring case', () => {
  const rs = [rec('1', day, 60, 'beta'), rec('2', day + 60, 60, 'Alpha'), rec('3', day + 120, 60, 'alpha'), rec('4', day + 180, 60, '')];
  const r = buildReport(rs, { ...base, grouping: 'ds' });
  assert.deepEqual(r.groups.map((g) => g.title), ['(no description)', 'Alpha', 'alpha', 'beta']);
});

test('grouping by period, alone and with tags, sorted by date', () => {
  const byDay = buildReport(records, { ...base, groupPeriod: 'day', dateRepr: 'yyyy-mm-dd' });
  assert.deepEqual(byDay.groups.map((g) => [g.title, g.text]), [['2024-03-04', '4:31'], ['2024-03-05', '3:21']]);
  const both = buildReport(records, { ...base, groupPeriod: 'week', grouping: 'tagz', tags: ['#acme'] });
  assert.deepEqual(both.groups.map((g) => g.title), ['2024W10 / #dev', '2024W10 / #meeting']);
  const month = buildReport(records, { ...base, t1: L(2024, 1, 1), t2: L(2025, 1, 1), groupPeriod: 'month' });
  assert.deepEqual(month.groups.map((g) => g.title), ['Mar 2024']);
  const q = buildReport(records, { ...base, t1: L(2024, 1, 1), t2: L(2025, 1, 1), groupPeriod: 'quarter' });
  assert.deepEqual(q.groups.map((g) => g.title), ['2024Q1']);
  const ny = [rec('n1', L(2023, 12, 31, 23), 7200, '#party'), rec('n2', L(2024, 1, 2, 9), 600, '#work')];
  const y = buildReport(ny, { ...base, t1: L(2023, 1, 1), t2: L(2025, 1, 1), groupPeriod: 'year' });
  assert.deepEqual(y.groups.map((g) => [g.title, g.text]), [['2023', '2:00'], ['2024', '0:10']], 'a record belongs to the period of its start');
  const y24 = buildReport(ny, { ...base, t1: L(2024, 1, 1), t2: L(2025, 1, 1), groupPeriod: 'year' });
  assert.deepEqual(y24.groups.map((g) => [g.title, g.text]), [['2024', '1:10']], 'clipped to the range first');
});

test('tag filter with excluded tags, and running records counted to now', () => {
  const r = buildReport(records, { ...base, tags: ['#acme'], exclude: ['#meeting'] });
  assert.deepEqual(r.groups[0].records.map((x) => x.key), ['x1', 'a1', 'c1']);
  const now = day + 10 * 3600 + 1234;
  const running = [{ key: 'run', t1: day + 10 * 3600, t2: day + 10 * 3600, ds: '#acme live' }];
  const rr = buildReport(running, { ...base, now, format: 'hms' });
  assert.equal(rr.total.text, '0:20:34');
  assert.equal(rr.groups[0].records[0].running, true);
});

test('time rounding to 15 min then amounts: totals and amounts add up', () => {
  const rates = { '#acme': 90, '#beta': 120 };
  const r = buildReport(records, { ...base, roundTo: 900, roundMode: 'up', rates, grouping: 'tagz', format: 'h2' });
  assert.equal(r.ratesOn, true);
  for (const g of r.groups) {
    assert.equal(g.records.reduce((s, x) => s + x.cents, 0), g.cents, g.title);
    for (const x of g.records) assert.equal(x.seconds % 900, 0);
  }
  assert.equal(r.groups.reduce((s, g) => s + g.cents, 0), r.total.cents);
  // acme: x1 1:00, a1 1:15 (1:00:29 up), a2 0:45, c1 3:15 -> 6.25 h x 90 = 562.50;
  // beta 2:15 x 120 = 270; untagged 0:30 without a rate
  assert.equal(r.total.cents, 56250 + 27000);
  assert.equal(r.total.text, '9.00');
});

test('orderCombos keeps combos sharing leading tags together', () => {
  const combos = [
    { tags: ['#b'], seconds: 500 },
    { tags: ['#a', '#x'], seconds: 100 },
    { tags: ['#a', '#y'], seconds: 300 },
    { tags: ['#c', '#x'], seconds: 50 },
  ];
  const out = orderCombos(combos, null).map((c) => c.tags.join(' '));
  // '#a' (400 s) and '#b' (500 s) lead; '#x' (150 s) outweighs '#c' (50 s) so it leads its combo
  assert.deepEqual(out, ['#b', '#a #y', '#a #x', '#x #c']);
  // a combo that is a prefix of another comes first
  assert.deepEqual(orderCombos([{ tags: ['#c', '#x'], seconds: 50 }, { tags: ['#x'], seconds: 100 }], null).map((c) => c.tags.join(' ')), ['#x', '#x #c']);
});

test('money formatting with and without a known currency', () => {
  assert.equal(formatMoney(123456, ''), '1234.56');
  assert.equal(formatMoney(123456, 'XYZ1'), '1234.56 XYZ1');
  assert.match(formatMoney(123456, 'EUR'), /1.?234[.,]56/);
  assert.match(formatMoney(123456, 'eur'), /€|EUR/);
});
