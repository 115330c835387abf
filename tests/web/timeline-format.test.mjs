// Tests for www/app/timeline/format.js: durations per duration_repr, clock times per time_repr,
// tick/period labels and range descriptions. Table-driven.
process.env.TZ = 'Europe/Amsterdam';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatDuration, formatClock, tickLabel, periodLabel, describeRange, dayLabel, dateLong,
} from '../../www/app/timeline/format.js';
import { TICK_STEPS } from '../../www/app/timeline/calendar.js';

const L = (y, mo, d, h = 0, mi = 0, s = 0) => new Date(y, mo - 1, d, h, mi, s).getTime() / 1000;

test('formatDuration per duration_repr', () => {
  const cases = [
    [42, 'hms', false, '42s'],
    [59.4, 'hms', false, '59s'],
    [60, 'hms', false, '1m'],
    [89, 'hms', false, '1m'],
    [90, 'hms', false, '2m'],
    [3600 + 60, 'hms', false, '1h01m'],
    [7260, 'hms', true, '2h01m00s'],
    [65, 'hms', true, '1m05s'],
    [5, 'hms', true, '5s'],
    [27 * 3600 + 20 * 60, 'hms', false, '27h20m'],
    [27 * 3600 + 20 * 60, 'dhms', false, '1d03h20m'],
    [3 * 3600, 'dhms', false, '3h00m'],
    [27 * 3600 + 20 * 60, 'colon', false, '27:20'],
    [29, 'colon', false, '0:00'],
    [31, 'colon', false, '0:01'],
    [3725, 'colon', true, '1:02:05'],
    [-5, 'hms', false, '0s'],
  ];
  for (const [secs, repr, withS, want] of cases) assert.equal(formatDuration(secs, repr, withS), want, `${secs} ${repr} ${withS}`);
});

test('formatClock per time_repr', () => {
  const cases = [
    [L(2024, 2, 7, 14, 30), '24h', false, '14:30'],
    [L(2024, 2, 7, 9, 5), '24h', false, '09:05'],
    [L(2024, 2, 7, 9, 5, 7), '24h', true, '09:05:07'],
    [L(2024, 2, 7, 14, 30), 'ampm', false, '2:30 pm'],
    [L(2024, 2, 7, 14, 0), 'ampm', false, '2 pm'],
    [L(2024, 2, 7, 0, 0), 'ampm', false, '12 am'],
    [L(2024, 2, 7, 12, 15), 'ampm', false, '12:15 pm'],
    [L(2024, 2, 7, 0, 0, 9), 'ampm', true, '12:00:09 am'],
  ];
  for (const [t, repr, secs, want] of cases) assert.equal(formatClock(t, repr, secs), want);
  // "auto" resolves to one of the two.
  const auto = formatClock(L(2024, 2, 7, 14, 30), 'auto');
  assert.ok(auto === '14:30' || auto === '2:30 pm', auto);
});

test('tick and period labels', () => {
  const st = (unit, n) => TICK_STEPS.find((s) => s.unit === unit && s.n === n);
  const cases = [
    [L(2024, 2, 7, 14), st('hour', 1), '14:00'],
    [L(2024, 2, 7, 0), st('hour', 1), 'Wed 7'],
    [L(2024, 2, 7, 0), st('day', 1), 'Wed 7'],
    [L(2024, 3, 1, 0), st('day', 1), '1 Mar'],
    [L(2024, 2, 5, 0), st('week', 1), 'W6 5 Feb'],
    [L(2024, 2, 1), st('month', 1), 'Feb'],
    [L(2024, 1, 1), st('month', 1), 'Jan 2024'],
    [L(2024, 4, 1), st('month', 3), 'Q2'],
    [L(2030, 1, 1), st('year', 10), '2030'],
    [L(2024, 2, 7, 14, 0, 30), st('second', 30), '14:00:30'],
  ];
  for (const [t, step, want] of cases) assert.equal(tickLabel(t, step, '24h'), want);
  const p = [
    [L(2024, 2, 7), 'day', 'Wed 7'],
    [L(2024, 2, 5), 'week', 'W6'],
    [L(2024, 2, 1), 'month', 'Feb'],
    [L(2024, 1, 1), 'month', 'Jan 2024'],
    [L(2024, 7, 1), 'quarter', 'Q3'],
    [L(2024, 1, 1), 'year', '2024'],
  ];
  for (const [t, unit, want] of p) assert.equal(periodLabel(t, unit), want);
  assert.equal(dayLabel(L(2024, 2, 11)), 'Sun 11');
  assert.equal(dateLong(L(2024, 2, 5)), 'Mon 5 Feb 2024');
});

test('describeRange', () => {
  const cases = [
    [L(2024, 2, 5), L(2024, 2, 6), 1, 'Mon 5 Feb 2024'],
    [L(2024, 2, 5), L(2024, 2, 12), 1, 'Week 6, 5–11 Feb 2024'],
    [L(2024, 1, 29), L(2024, 2, 5), 1, 'Week 5, 29 Jan – 4 Feb 2024'],
    [L(2024, 2, 4), L(2024, 2, 11), 0, 'Week 6, 4–10 Feb 2024'],
    [L(2024, 2, 1), L(2024, 3, 1), 1, 'February 2024'],
    [L(2024, 4, 1), L(2024, 7, 1), 1, 'Q2 2024'],
    [L(2024, 1, 1), L(2025, 1, 1), 1, '2024'],
    [L(2020, 1, 1), L(2030, 1, 1), 1, '2020–2029'],
    [L(2024, 2, 5, 9), L(2024, 2, 5, 12), 1, 'Mon 5 Feb 2024, 09:00 – 12:00'],
    [L(2024, 2, 5, 21), L(2024, 2, 6, 9), 1, 'Mon 5 Feb 21:00 – Tue 6 Feb 09:00 2024'],
    [L(2024, 2, 3), L(2024, 2, 20), 1, '3 Feb – 19 Feb 2024'],
    [L(2023, 12, 3), L(2024, 2, 20), 1, '3 Dec 2023 – 19 Feb 2024'],
  ];
  for (const [a, b, fdow, want] of cases) assert.equal(describeRange(a, b, fdow, '24h'), want);
});
