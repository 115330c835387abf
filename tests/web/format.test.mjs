// The app's text for times (www/app/common/format.js): durations, clock times, dates, range
// titles, report period names. The calendar itself is tested by calendar.test.mjs.
process.env.TZ = 'Europe/Amsterdam';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatDuration, formatTime, formatDate, rangeLabel, periodName, agoLabel, formatHM, formatLocal, formatISO, dateLong,
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
  assert.equal(formatHM(t), '13:07');
  assert.equal(formatLocal(t), '2024-02-05 13:07:09');
  assert.equal(formatISO(t), '2024-02-05T12:07:09Z');
  assert.equal(dateLong(t), 'Mon 5 Feb 2024');
});

test('rangeLabel: the title of a range', () => {
  const cases = [
    [T(2024, 2, 5), T(2024, 2, 6), 1, 'Mon 5 Feb 2024'],
    [T(2024, 2, 5), T(2024, 2, 12), 1, 'Week 6 · 5–11 Feb 2024'],
    [T(2024, 1, 29), T(2024, 2, 5), 1, 'Week 5 · 29 Jan – 4 Feb 2024'],
    [T(2024, 2, 4), T(2024, 2, 11), 0, 'Week 6 · 4–10 Feb 2024'],
    [T(2024, 2, 1), T(2024, 3, 1), 1, 'February 2024'],
    [T(2024, 4, 1), T(2024, 7, 1), 1, 'Q2 2024'],
    [T(2024, 1, 1), T(2025, 1, 1), 1, '2024'],
    [T(2020, 1, 1), T(2030, 1, 1), 1, '2020–2029'],
    [T(2024, 3, 31), T(2024, 4, 1), 1, 'Sun 31 Mar 2024'], // 23 hours
    [T(2024, 2, 5, 9), T(2024, 2, 5, 15), 1, 'Mon 5 Feb 2024, 09:00 – 15:00'],
    [T(2024, 2, 5, 12), T(2024, 2, 6), 1, 'Mon 5 Feb 2024, 12:00 – 00:00'],
    [T(2024, 2, 5, 21), T(2024, 2, 6, 9), 1, 'Mon 5 Feb 21:00 – Tue 6 Feb 09:00 2024'],
    [T(2024, 2, 3), T(2024, 2, 20), 1, '3 Feb – 19 Feb 2024'],
    [T(2024, 2, 3), T(2024, 3, 4), 1, '3 Feb – 3 Mar 2024'],
    [T(2023, 12, 3), T(2024, 1, 4), 1, '3 Dec 2023 – 3 Jan 2024'],
  ];
  for (const [a, b, fdow, want] of cases) assert.equal(rangeLabel(a, b, fdow), want);
  assert.equal(rangeLabel(T(2024, 2, 5, 9), T(2024, 2, 5, 15), 1, 'ampm'), 'Mon 5 Feb 2024, 9:00 am – 3:00 pm');
});

test('periodName: TimeTagger\'s period names in reports', () => {
  const t = T(2024, 2, 7, 12);
  const cases = [
    ['day', { dateRepr: 'dd-mm-yyyy' }, '07-02-2024'],
    ['day', { dateRepr: 'yyyy-mm-dd' }, '2024-02-07'],
    ['day', { dateRepr: 'mm/dd/yyyy' }, '02/07/2024'],
    ['week', {}, '2024W6'],
    ['week', { firstDay: 0 }, '2024W6'],
    ['month', {}, 'Feb 2024'],
    ['quarter', {}, '2024Q1'],
    ['year', {}, '2024'],
  ];
  for (const [p, o, want] of cases) assert.equal(periodName(t, p, o), want, p);
  assert.equal(periodName(T(2024, 2, 4, 12), 'week', { firstDay: 0 }), '2024W6', 'a Sunday in a Sunday week');
  assert.equal(periodName(T(2024, 2, 4, 12), 'week', { firstDay: 1 }), '2024W5');
});

test('agoLabel', () => {
  const now = T(2024, 2, 5, 10);
  assert.equal(agoLabel(T(2024, 2, 5, 1), now), 'today');
  assert.equal(agoLabel(T(2024, 2, 4, 23), now), 'yesterday');
  assert.equal(agoLabel(T(2024, 2, 1, 12), now), '4 days ago');
});
