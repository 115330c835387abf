// Tests for www/app/timeline/periods.js: block units per span, periods in a range, and
// per-period aggregation by primary tag (records crossing boundaries, running
// records, selected totals). Table-driven.
process.env.TZ = 'America/New_York';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockUnit, periodsIn, aggregatePeriods } from '../../www/app/timeline/periods.js';
import { parseTags } from '../../www/app/common/tags.js';

const L = (y, mo, d, h = 0, mi = 0, s = 0) => new Date(y, mo - 1, d, h, mi, s).getTime() / 1000;
const DAY = 86400;

test('blockUnit per span', () => {
  const cases = [[3 * DAY, 'day'], [7 * DAY, 'day'], [31 * DAY, 'week'], [49 * DAY, 'week'], [92 * DAY, 'month'],
    [366 * DAY, 'month'], [731 * DAY, 'quarter'], [5 * 365 * DAY, 'year']];
  for (const [span, want] of cases) assert.equal(blockUnit(span), want, `span ${span / DAY} d`);
});

test('periodsIn covers the range with whole calendar periods', () => {
  const fmt = (t) => new Date(t * 1000).toISOString().slice(0, 10);
  const cases = [
    [L(2024, 3, 4), L(2024, 3, 11), 'day', 1, 7, '2024-03-04'],
    [L(2024, 3, 1), L(2024, 4, 1), 'week', 1, 5, '2024-02-26'],
    [L(2024, 3, 1), L(2024, 4, 1), 'week', 0, 6, '2024-02-25'],
    [L(2024, 1, 1), L(2025, 1, 1), 'month', 1, 12, '2024-01-01'],
    [L(2024, 1, 1), L(2026, 1, 1), 'quarter', 1, 8, '2024-01-01'],
    [L(2020, 1, 1), L(2030, 1, 1), 'year', 1, 10, '2020-01-01'],
  ];
  for (const [a, b, unit, fdow, n, first] of cases) {
    const ps = periodsIn(a, b, unit, fdow);
    assert.equal(ps.length, n, unit);
    assert.equal(fmt(ps[0].t1 + 43200), first, unit);
    for (let i = 1; i < ps.length; i++) assert.equal(ps[i].t1, ps[i - 1].t2, 'contiguous');
    assert.ok(ps[ps.length - 1].t2 >= b);
  }
  // DST week in New York (10 Mar 2024): the day periods follow local midnights.
  const days = periodsIn(L(2024, 3, 9), L(2024, 3, 12), 'day');
  assert.deepEqual(days.map((p) => (p.t2 - p.t1) / 3600), [24, 23, 24]);
});

test('aggregatePeriods splits records across periods and totals primary tags', () => {
  const days = periodsIn(L(2024, 3, 4), L(2024, 3, 7), 'day'); // Mon, Tue, Wed
  const secondary = new Set(['#billable']);
  const primaryTags = (ds) => {
    const t = parseTags(ds).filter((x) => !secondary.has(x));
    return t.length ? t : ['#untagged'];
  };
  const records = [
    { t1: L(2024, 3, 4, 9), t2: L(2024, 3, 4, 11), ds: '#work #billable report' },
    { t1: L(2024, 3, 4, 23), t2: L(2024, 3, 5, 1), ds: 'late #work' }, // 1 h Mon + 1 h Tue
    { t1: L(2024, 3, 5, 12), t2: L(2024, 3, 5, 12, 30), ds: 'lunch' },
    { t1: L(2024, 3, 6, 8), t2: L(2024, 3, 6, 8), ds: '#work #home running' }, // running until now
    { t1: L(2024, 3, 1, 8), t2: L(2024, 3, 2, 8), ds: 'outside' },
  ];
  const now = L(2024, 3, 6, 10);
  const r = aggregatePeriods(records, days, { now, primaryTags, isSelected: (ds) => parseTags(ds).includes('#work') });
  assert.deepEqual(r.map((p) => p.total / 3600), [3, 1.5, 2]);
  assert.deepEqual(r.map((p) => p.selected / 3600), [3, 1, 2]);
  assert.deepEqual(r[0].tags, [['#work', 3 * 3600]]);
  assert.deepEqual(r[1].tags, [['#work', 3600], ['#untagged', 1800]]);
  assert.deepEqual(r[2].tags, [['#home', 7200], ['#work', 7200]]);
  // A running record is clipped at now: later periods get nothing from it.
  const r2 = aggregatePeriods(records, days, { now: L(2024, 3, 6, 8, 30), primaryTags });
  assert.equal(r2[2].total, 1800);
  assert.deepEqual(aggregatePeriods(records, [], { now }), []);
  // 10,000 records over a year: every second lands in exactly one month.
  const months = periodsIn(L(2024, 1, 1), L(2025, 1, 1), 'month');
  const many = Array.from({ length: 10000 }, (_, i) => {
    const t1 = L(2024, 1, 1) + i * 3000;
    return { t1, t2: t1 + 1800, ds: `#p${i % 7}` };
  });
  const agg = aggregatePeriods(many, months, { now, primaryTags: (ds) => parseTags(ds) });
  assert.equal(agg.reduce((a, p) => a + p.total, 0), 10000 * 1800);
});
