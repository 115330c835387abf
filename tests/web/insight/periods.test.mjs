// Calendar periods in local time: flooring, stepping, week numbers per first day of week,
// labels, workdays and presets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  floorPeriod, addPeriods, periodLabel, weekNumber, formatDate, workdaysIn, isWorkday, presetRange, periodStarts, parseIsoDay, isoDay,
} from '../../../www/app/insight/periods.js';

const L = (y, m, d, h = 0, mi = 0, s = 0) => new Date(y, m - 1, d, h, mi, s).getTime() / 1000;

test('floorPeriod per period and first day of week', () => {
  const t = L(2024, 2, 7, 15, 30); // Wednesday 7 Feb 2024
  const cases = [
    ['day', 1, L(2024, 2, 7)],
    ['week', 1, L(2024, 2, 5)], // Monday
    ['week', 0, L(2024, 2, 4)], // Sunday
    ['week', 6, L(2024, 2, 3)], // Saturday
    ['month', 1, L(2024, 2, 1)],
    ['quarter', 1, L(2024, 1, 1)],
    ['year', 1, L(2024, 1, 1)],
  ];
  for (const [p, fd, want] of cases) assert.equal(floorPeriod(t, p, fd), want, `${p}/${fd}`);
  assert.equal(floorPeriod(L(2024, 2, 4, 10), 'week', 0), L(2024, 2, 4), 'a Sunday starts its own Sunday week');
  assert.equal(floorPeriod(L(2024, 8, 15), 'quarter'), L(2024, 7, 1));
});

test('addPeriods steps calendar units', () => {
  const cases = [
    [L(2024, 1, 31), 'day', 1, L(2024, 2, 1)],
    [L(2024, 1, 29), 'week', 1, L(2024, 2, 5)],
    [L(2024, 1, 1), 'month', 1, L(2024, 2, 1)],
    [L(2024, 10, 1), 'quarter', 1, L(2025, 1, 1)],
    [L(2024, 1, 1), 'year', -1, L(2023, 1, 1)],
  ];
  for (const [t, p, n, want] of cases) assert.equal(addPeriods(t, p, n), want, p);
});

test('week numbers: ISO for Monday, shifted for Sunday and Saturday', () => {
  const cases = [
    [L(2024, 1, 1), 1, 2024, 1],
    [L(2021, 1, 3), 1, 2020, 53], // Sunday 3 Jan 2021 is ISO week 53 of 2020
    [L(2021, 1, 4), 1, 2021, 1],
    [L(2024, 12, 30), 1, 2025, 1],
    [L(2024, 2, 7), 1, 2024, 6],
    [L(2024, 2, 4), 0, 2024, 6], // Sunday starts week 6 when weeks start on Sunday
    [L(2024, 2, 4), 1, 2024, 5],
    [L(2024, 2, 3), 6, 2024, 6], // Saturday-start week
  ];
  for (const [t, fd, y, w] of cases) assert.deepEqual(weekNumber(t, fd), { year: y, week: w }, `${new Date(t * 1000).toDateString()} fd=${fd}`);
});

test('period labels as TimeTagger reports write them', () => {
  const t = L(2024, 2, 7, 12);
  const cases = [
    ['day', { dateRepr: 'dd-mm-yyyy' }, '07-02-2024'],
    ['day', { dateRepr: 'yyyy-mm-dd' }, '2024-02-07'],
    ['day', { dateRepr: 'mm/dd/yyyy' }, '02/07/2024'],
    ['week', {}, '2024W6'],
    ['month', {}, 'Feb 2024'],
    ['quarter', {}, '2024Q1'],
    ['year', {}, '2024'],
  ];
  for (const [p, o, want] of cases) assert.equal(periodLabel(t, p, o), want, p);
  assert.equal(formatDate(t), '07-02-2024', 'dd-mm-yyyy is the default');
});

test('workdays: 0 all, 1 Sunday free, 2 weekend free; fractional days count', () => {
  const mon = L(2024, 2, 5), nextMon = L(2024, 2, 12);
  assert.equal(workdaysIn(mon, nextMon, 0), 7);
  assert.equal(workdaysIn(mon, nextMon, 1), 6);
  assert.equal(workdaysIn(mon, nextMon, 2), 5);
  assert.equal(workdaysIn(mon, L(2024, 2, 5, 12), 2), 0.5);
  assert.equal(isWorkday(L(2024, 2, 10), 2), false); // Saturday
  assert.equal(isWorkday(L(2024, 2, 10), 1), true);
  assert.equal(isWorkday(L(2024, 2, 11), 1), false); // Sunday
});

test('presets and period starts', () => {
  const now = L(2024, 2, 7, 9);
  assert.deepEqual(presetRange('today', now), [L(2024, 2, 7), L(2024, 2, 8)]);
  assert.deepEqual(presetRange('yesterday', now), [L(2024, 2, 6), L(2024, 2, 7)]);
  assert.deepEqual(presetRange('lastweek', now), [L(2024, 1, 29), L(2024, 2, 5)]);
  assert.deepEqual(presetRange('thisweek', now, 0), [L(2024, 2, 4), L(2024, 2, 11)]);
  assert.deepEqual(presetRange('lastmonth', now), [L(2024, 1, 1), L(2024, 2, 1)]);
  assert.deepEqual(presetRange('lastquarter', now), [L(2023, 10, 1), L(2024, 1, 1)]);
  assert.deepEqual(presetRange('thisyear', now), [L(2024, 1, 1), L(2025, 1, 1)]);
  assert.deepEqual(periodStarts(L(2024, 1, 15), L(2024, 4, 1), 'month'), [L(2024, 1, 1), L(2024, 2, 1), L(2024, 3, 1)]);
  assert.equal(parseIsoDay('2024-02-07'), L(2024, 2, 7));
  assert.equal(isoDay(L(2024, 2, 7, 23, 59)), '2024-02-07');
  assert.ok(Number.isNaN(parseIsoDay('7.2.2024')));
});
