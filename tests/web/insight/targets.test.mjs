// Targets: read from taginfo exactly as TimeTagger stores them (and legacy tag_targets),
// written back keeping colour and priority, progress for the current period with workdays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listTargets, withTarget, targetProgress, targetForRange, taginfoKey, trackedSeconds } from '../../../www/app/insight/targets.js';

const L = (y, m, d, h = 0, mi = 0, s = 0) => new Date(y, m - 1, d, h, mi, s).getTime() / 1000;

test('listTargets reads taginfo targets and legacy tag_targets', () => {
  const settings = [
    { key: 'taginfo #acme', value: { color: '#f00', targets: { week: 20 } } },
    { key: 'taginfo #acme #dev', value: { targets: { day: 4, month: 0 } } },
    { key: 'taginfo #beta', value: { color: '' } },
    { key: 'tag_targets', value: { '#acme': { period: 'month', hours: 80 }, '#old': { period: 'year', hours: 100 }, '#bad': { period: 'fortnight', hours: 3 } } },
    { key: 'workdays', value: 2 },
  ];
  assert.deepEqual(listTargets(settings).map((t) => [t.tagz, t.period, t.hours, !!t.legacy]), [
    ['#acme', 'week', 20, false], ['#acme #dev', 'day', 4, false], ['#old', 'year', 100, true],
  ]);
});

test('withTarget keeps colour and priority and stores one period, as TimeTagger', () => {
  assert.deepEqual(withTarget({ color: '#f00', priority: 2, targets: { day: 3 } }, 'week', 20), { color: '#f00', priority: 2, targets: { week: 20 } });
  assert.deepEqual(withTarget(undefined, 'month', '7.5'), { targets: { month: 7.5 } });
  assert.deepEqual(withTarget({ color: '#0f0', targets: { week: 20 } }, 'week', 0), { color: '#0f0', targets: {} });
  assert.equal(taginfoKey(['#b', '#A', '#b']), 'taginfo #a #b');
  assert.equal(taginfoKey('#z #a'), 'taginfo #a #z');
});

const mon = L(2024, 3, 4);
const recs = [
  { key: '1', t1: mon + 9 * 3600, t2: mon + 13 * 3600, ds: '#acme #dev' }, // 4 h Monday
  { key: '2', t1: mon + 86400 + 9 * 3600, t2: mon + 86400 + 11 * 3600, ds: '#acme' }, // 2 h Tuesday
  { key: '3', t1: mon + 86400 + 12 * 3600, t2: mon + 86400 + 12 * 3600, ds: '#acme #dev running' }, // running since Tue 12:00
  { key: '4', t1: mon + 9 * 3600, t2: mon + 10 * 3600, ds: 'HIDDEN #acme' },
  { key: '5', t1: mon - 86400, t2: mon - 86400 + 3600, ds: '#acme last week' },
];

test('trackedSeconds: all tags required, running counted to now, hidden ignored', () => {
  const now = mon + 86400 + 13 * 3600; // Tuesday 13:00
  assert.equal(trackedSeconds(recs, ['#acme'], mon, mon + 7 * 86400, now), (4 + 2 + 1) * 3600);
  assert.equal(trackedSeconds(recs, ['#acme', '#dev'], mon, mon + 7 * 86400, now), 5 * 3600);
  assert.equal(trackedSeconds(recs, [], mon, mon + 86400, now), 4 * 3600);
});

test('targetProgress for the current week with workdays, and pace by workdays elapsed', () => {
  const now = mon + 86400 + 13 * 3600; // Tuesday 13:00
  const p = targetProgress({ tagz: '#acme', tags: ['#acme'], period: 'week', hours: 20 }, recs, now, { workdays: 2 });
  assert.equal(p.start, mon);
  assert.equal(p.end, L(2024, 3, 11));
  assert.equal(p.doneSeconds, 7 * 3600);
  assert.equal(p.targetSeconds, 20 * 3600);
  assert.equal(p.leftSeconds, 13 * 3600);
  assert.equal(p.overSeconds, 0);
  assert.equal(p.fraction, 0.35);
  // 1 + 13/24 of 5 workdays elapsed
  assert.equal(p.expectedSeconds, Math.round((20 * 3600 * (1 + 13 / 24)) / 5));
  const sunStart = targetProgress({ tagz: '#acme', tags: ['#acme'], period: 'week', hours: 20 }, recs, now, { firstDay: 0 });
  assert.equal(sunStart.start, mon - 86400);
  assert.equal(sunStart.doneSeconds, 8 * 3600);
});

test('a day target on a free day has nothing to do; over target reports the excess', () => {
  const sat = L(2024, 3, 9, 12);
  const d = targetProgress({ tagz: '#acme', tags: ['#acme'], period: 'day', hours: 4 }, recs, sat, { workdays: 2 });
  assert.equal(d.freeDay, true);
  assert.equal(d.targetSeconds, 0);
  const mondayNight = mon + 23 * 3600;
  const over = targetProgress({ tagz: '#acme', tags: ['#acme'], period: 'day', hours: 3 }, recs, mondayNight, { workdays: 2 });
  assert.equal(over.overSeconds, 3600);
  assert.equal(over.expectedSeconds, null);
});

test('targetForRange scales to the visible range by workdays, "~" when not exactly one period', () => {
  const targets = [{ tagz: '#acme', tags: ['#acme'], period: 'week', hours: 20 }];
  const exact = targetForRange(targets, "#acme", mon, L(2024, 3, 11), { workdays: 2 });
  assert.equal(exact.targetSeconds, 20 * 3600);
  assert.equal(exact.approx, false);
  const twoDays = targetForRange(targets, '#acme', mon, mon + 2 * 86400, { workdays: 2 });
  assert.equal(twoDays.targetSeconds, 8 * 3600);
  assert.equal(twoDays.approx, true);
  const month = targetForRange(targets, '#acme', L(2024, 3, 1), L(2024, 4, 1), { workdays: 2 });
  assert.equal(month.targetSeconds, Math.round(20 * 3600 * 21 / 5)); // March 2024 has 21 weekdays
  assert.equal(targetForRange(targets, '#other', mon, mon + 86400), null);
});
