// Tests for www/app/timeline/format.js: clock times per time_repr, tick and period-block
// labels; and the durations the timeline shows (the app's formatDuration). Table-driven.
process.env.TZ = 'Europe/Amsterdam';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatClock, tickLabel, blockLabel, dayLabel } from '../../www/app/timeline/format.js';
import { formatDuration, dateLong } from '../../www/app/common/format.js';
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
  for (const [secs, repr, withS, want] of cases) assert.equal(formatDuration(secs, repr, { seconds: withS }), want, `${secs} ${repr} ${withS}`);
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
  for (const [t, unit, want] of p) assert.equal(blockLabel(t, unit), want);
  assert.equal(dayLabel(L(2024, 2, 11)), 'Sun 11');
  assert.equal(dateLong(L(2024, 2, 5)), 'Mon 5 Feb 2024');
});
