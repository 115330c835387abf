// Overview numbers (combos, drill-down, exclusion, running time) and chart buckets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overviewStats } from '../../../www/app/insight/stats.js';
import { chartData, chartBucket } from '../../../www/app/insight/chart-data.js';

const L = (y, m, d, h = 0, mi = 0, s = 0) => new Date(y, m - 1, d, h, mi, s).getTime() / 1000;
const mon = L(2024, 3, 4);
const recs = [
  { key: '1', t1: mon + 9 * 3600, t2: mon + 12 * 3600, ds: '#acme #dev' },
  { key: '2', t1: mon + 13 * 3600, t2: mon + 14 * 3600, ds: '#acme #meeting' },
  { key: '3', t1: mon + 14 * 3600, t2: mon + 16 * 3600, ds: '#beta' },
  { key: '4', t1: mon + 86400 + 9 * 3600, t2: mon + 86400 + 9 * 3600, ds: '#acme #dev live' },
  { key: '5', t1: mon - 3600, t2: mon + 3600, ds: 'late night' },
  { key: '6', t1: mon + 10 * 3600, t2: mon + 11 * 3600, ds: 'HIDDEN #acme' },
];

test('overview: combos with clipping and running time; totals', () => {
  const now = mon + 86400 + 10 * 3600; // the running record has 1 h
  const s = overviewStats(recs, { t1: mon, t2: mon + 7 * 86400, now });
  assert.equal(s.rangeSeconds, (3 + 1 + 2 + 1 + 1) * 3600);
  assert.equal(s.selectionSeconds, s.rangeSeconds);
  assert.equal(s.running, true);
  assert.deepEqual(s.combos.map((c) => [c.rest.join(' '), c.seconds / 3600, c.running]), [
    ['#acme #dev', 4, true], ['#acme #meeting', 1, false], ['#beta', 2, false], ['#untagged', 1, false],
  ]);
});

test('overview drill-down: selected tags leave the titles; excluded tags drop records', () => {
  const now = mon + 86400 + 10 * 3600;
  const s = overviewStats(recs, { t1: mon, t2: mon + 7 * 86400, now, selected: ['#acme'] });
  assert.equal(s.selectionSeconds, 5 * 3600);
  assert.deepEqual(s.combos.map((c) => [c.rest.join(' '), c.seconds / 3600]), [['#dev', 4], ['#meeting', 1]]);
  assert.equal(s.tagSeconds['#dev'], 4 * 3600);
  const x = overviewStats(recs, { t1: mon, t2: mon + 7 * 86400, now, selected: ['#acme'], excluded: ['#dev'] });
  assert.deepEqual(x.combos.map((c) => c.rest.join(' ')), ['#meeting']);
  assert.equal(x.running, false);
});

test('chart: day buckets for a week, stacked by top-level tag; records split at midnight', () => {
  const now = mon + 86400 + 10 * 3600;
  const c = chartData(recs, { t1: mon, t2: L(2024, 3, 11), now, dateRepr: 'yyyy-mm-dd' });
  assert.equal(c.bucket, 'day');
  assert.equal(c.buckets.length, 7);
  assert.deepEqual(c.buckets[0].parts, { '#acme': 4 * 3600, '#beta': 2 * 3600, '#untagged': 3600 });
  assert.deepEqual(c.buckets[1].parts, { '#acme': 3600 });
  assert.deepEqual(c.series.map((x) => x.key), ['#acme', '#beta', '#untagged']);
  assert.equal(c.maxSeconds, 7 * 3600);
  assert.equal(chartBucket(mon, mon + 60 * 86400), 'week');
  assert.equal(chartBucket(L(2024, 1, 1), L(2025, 1, 1)), 'month');
  const y = chartData(recs, { t1: L(2024, 1, 1), t2: L(2025, 1, 1), now });
  assert.equal(y.buckets.length, 12);
  assert.equal(y.buckets[2].label, 'Mar 2024');
  assert.equal(y.buckets[2].seconds, 9 * 3600); // the late-night record (3-4 March) is all in March
});
