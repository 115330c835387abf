// Durations, times, dates, week numbers for each first day of week, and calendar ranges.
// Runs in a DST zone so range arithmetic across the clock change is exercised.
process.env.TZ = 'Europe/Amsterdam';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatDuration, formatTime, formatDate, weekNumber, periodRange, todayRange, rangeLabel,
  exactPeriod, dateKey, fromDateKey, parseOffset, agoLabel,
} from '../../www/app/common/format.js';

const T = (y, m, d, h = 0, mi = 0, s = 0) => new Date(y, m - 1, d, h, mi, s).getTime() / 1000;

test('formatDuration', () => {
  const cases = [
    [42, 'hms', false, '42s'],
    [60, 'hms', false, '1m'],
    [7260, 'hms', false, '2h01m'],
    [7289, 'hms', false, '2h01m'],
    [7291, 'hms', false, '2h02m'],
    [7265, 'hms', true, '2h01m05s'],
    [65, 'hms', true, '1m05s'],
    [5, 'hms', true, '5s'],
    [98400, 'dhms', false, '1d03h20m'],
    [3600, 'dhms', false, '1h00m'],
    [98400, 'colon', false, '27:20'],
    [20, 'colon', false, '0:00'],
    [98405, 'colon', true, '27:20:05'],
    [-5, 'hms', false, '0s'],
  ];
  for (const [s, repr, secs, want] of cases) assert.equal(formatDuration(s, repr, { seconds: secs }), want, `${s} ${repr}`);
});

test('formatTime and formatDate', () => {
  const t = T(2024, 2, 5, 13, 7, 9);
  assert.equal(formatTime(t, '24h'), '13:07');
  assert.equal(formatTime(t, '24h', { seconds: true }), '13:07:09');
  assert.equal(formatTime(t, 'ampm'), '1:07 pm');
  assert.equal(formatTime(T(2024, 2, 5, 0, 5), 'ampm'), '12:05 am');
  assert.equal(formatTime(T(2024, 2, 5, 12, 0), 'ampm'), '12:00 pm');
  assert.equal(formatDate(t), '05-02-2024');
  assert.equal(formatDate(t, 'yyyy-mm-dd'), '2024-02-05');
  assert.equal(formatDate(t, 'mm/dd/yyyy'), '02/05/2024');
  assert.equal(dateKey(t), '2024-02-05');
  assert.equal(fromDateKey('2024-02-05', 13 * 3600 + 7 * 60 + 9), t);
  assert.equal(fromDateKey('2024-03-31', 3 * 3600), T(2024, 3, 31, 3)); // day of the DST change
  assert.equal(fromDateKey('nope'), null);
});

test('weekNumber for each first day of week', () => {
  const cases = [
    // date, fdow, year, week
    [[2024, 1, 1], 1, 2024, 1],
    [[2021, 1, 1], 1, 2020, 53],
    [[2026, 12, 31], 1, 2026, 53],
    [[2027, 1, 4], 1, 2027, 1],
    [[2024, 2, 5], 1, 2024, 6],
    [[2024, 1, 7], 0, 2024, 2],     // Sunday starts week 2
    [[2023, 12, 31], 0, 2024, 1],   // its Wednesday is Jan 3
    [[2024, 1, 6], 0, 2024, 1],
    [[2024, 1, 6], 6, 2024, 2],     // Saturday weeks
    [[2023, 12, 30], 6, 2024, 1],
    [[2023, 12, 29], 6, 2023, 52],
    [[2024, 12, 30], 1, 2025, 1],
  ];
  for (const [[y, m, d], fdow, year, week] of cases) {
    assert.deepEqual(weekNumber(new Date(y, m - 1, d), fdow), { year, week }, `${y}-${m}-${d} fdow ${fdow}`);
  }
});

test('periodRange aligns to calendar periods, through DST', () => {
  const t = T(2024, 3, 31, 12); // Sunday, the day the clocks go forward
  const cases = [
    ['day', 1, 0, [T(2024, 3, 31), T(2024, 4, 1)]],
    ['week', 1, 0, [T(2024, 3, 25), T(2024, 4, 1)]],
    ['week', 0, 0, [T(2024, 3, 31), T(2024, 4, 7)]],
    ['week', 6, 0, [T(2024, 3, 30), T(2024, 4, 6)]],
    ['month', 1, 0, [T(2024, 3, 1), T(2024, 4, 1)]],
    ['quarter', 1, 0, [T(2024, 1, 1), T(2024, 4, 1)]],
    ['year', 1, 0, [T(2024, 1, 1), T(2025, 1, 1)]],
    ['month', 1, -1, [T(2024, 2, 1), T(2024, 3, 1)]],
    ['quarter', 1, 1, [T(2024, 4, 1), T(2024, 7, 1)]],
  ];
  for (const [p, fdow, off, want] of cases) assert.deepEqual(periodRange(t, p, fdow, off), want, `${p} ${fdow} ${off}`);
  assert.equal(periodRange(t, 'day')[1] - periodRange(t, 'day')[0], 23 * 3600);
});

test('todayRange with offsets', () => {
  const now = T(2024, 2, 5, 10);
  assert.deepEqual(todayRange(now), [T(2024, 2, 5), T(2024, 2, 6)]);
  assert.deepEqual(todayRange(now, { snapOffset: '-3h' }), [T(2024, 2, 4, 21), T(2024, 2, 5, 21)]);
  assert.deepEqual(todayRange(now, { snapOffset: '9h' }), [T(2024, 2, 5, 9), T(2024, 2, 6, 9)]);
  assert.deepEqual(todayRange(T(2024, 2, 5, 8), { snapOffset: '9h' }), [T(2024, 2, 4, 9), T(2024, 2, 5, 9)]);
  assert.deepEqual(todayRange(now, { endOffset: '-12h' }), [T(2024, 2, 5), T(2024, 2, 5, 12)]);
  assert.equal(parseOffset(''), 0);
  assert.equal(parseOffset('-3h'), -10800);
});

test('rangeLabel and exactPeriod', () => {
  const cases = [
    [T(2024, 2, 5), T(2024, 2, 6), 'Mon 5 Feb 2024'],
    [T(2024, 2, 5), T(2024, 2, 12), 'Week 6 · 5–11 Feb 2024'],
    [T(2024, 1, 29), T(2024, 2, 5), 'Week 5 · 29 Jan – 4 Feb 2024'],
    [T(2024, 2, 1), T(2024, 3, 1), 'February 2024'],
    [T(2024, 1, 1), T(2024, 4, 1), 'Q1 2024'],
    [T(2024, 1, 1), T(2025, 1, 1), '2024'],
    [T(2024, 2, 3), T(2024, 3, 4), '3 Feb – 3 Mar 2024'],
    [T(2023, 12, 3), T(2024, 1, 4), '3 Dec 2023 – 3 Jan 2024'],
    [T(2024, 2, 5, 9), T(2024, 2, 5, 15), 'Mon 5 Feb 2024, 09:00 – 15:00'],
    [T(2024, 2, 5, 12), T(2024, 2, 6), 'Mon 5 Feb 2024, 12:00 – 00:00'],
  ];
  for (const [a, b, want] of cases) assert.equal(rangeLabel(a, b, 1), want);
  assert.equal(exactPeriod(T(2024, 2, 4), T(2024, 2, 11), 0), 'week');
  assert.equal(exactPeriod(T(2024, 2, 4), T(2024, 2, 11), 1), null);
});

test('agoLabel', () => {
  const now = T(2024, 2, 5, 10);
  assert.equal(agoLabel(T(2024, 2, 5, 1), now), 'today');
  assert.equal(agoLabel(T(2024, 2, 4, 23), now), 'yesterday');
  assert.equal(agoLabel(T(2024, 2, 1, 12), now), '4 days ago');
});
