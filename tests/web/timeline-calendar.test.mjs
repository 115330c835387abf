// Tests for www/app/timeline/calendar.js (scales, snapping, zoom/step/today ranges, tick
// generation) and, as the timeline uses it, the app's calendar (www/app/common/calendar.js:
// flooring and stepping in local time, week numbers) in a DST zone. Table-driven.
process.env.TZ = 'Europe/Amsterdam';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chooseScale, periodAround, scaleByName, snapRange, zoomRange, stepRange, todayToggle, chooseTickSteps, tickTimes, SCALES, TICK_STEPS,
} from '../../www/app/timeline/calendar.js';
import { floorTime, addTime, todayRange, periodRange, weekNumber } from '../../www/app/common/calendar.js';

const L = (y, mo, d, h = 0, mi = 0, s = 0) => new Date(y, mo - 1, d, h, mi, s).getTime() / 1000;
const fmt = (t) => {
  const x = new Date(t * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${x.getFullYear()}-${p(x.getMonth() + 1)}-${p(x.getDate())} ${p(x.getHours())}:${p(x.getMinutes())}`;
};
const fmtR = (r) => `${fmt(r[0])} .. ${fmt(r[1])}`;

test('floorTime: local calendar periods, weeks per first_day_of_week', () => {
  // 2024-02-07 is a Wednesday.
  const t = L(2024, 2, 7, 13, 47, 12);
  const cases = [
    ['minute', 1, 1, '2024-02-07 13:47'],
    ['minute', 5, 1, '2024-02-07 13:45'],
    ['minute', 20, 1, '2024-02-07 13:40'],
    ['hour', 1, 1, '2024-02-07 13:00'],
    ['hour', 3, 1, '2024-02-07 12:00'],
    ['hour', 12, 1, '2024-02-07 12:00'],
    ['day', 1, 1, '2024-02-07 00:00'],
    ['week', 1, 1, '2024-02-05 00:00'], // Monday
    ['week', 1, 0, '2024-02-04 00:00'], // Sunday
    ['week', 1, 6, '2024-02-03 00:00'], // Saturday
    ['month', 1, 1, '2024-02-01 00:00'],
    ['month', 3, 1, '2024-01-01 00:00'],
    ['year', 1, 1, '2024-01-01 00:00'],
    ['year', 10, 1, '2020-01-01 00:00'],
  ];
  for (const [unit, n, fdow, want] of cases) assert.equal(fmt(floorTime(t, unit, n, fdow)), want, `${unit} ${n} ${fdow}`);
  // A Sunday with Monday weeks goes back 6 days; with Sunday weeks it stays.
  assert.equal(fmt(floorTime(L(2024, 2, 11, 10), 'week', 1, 1)), '2024-02-05 00:00');
  assert.equal(fmt(floorTime(L(2024, 2, 11, 10), 'week', 1, 0)), '2024-02-11 00:00');
  assert.equal(fmt(floorTime(L(2024, 2, 10, 10), 'week', 1, 6)), '2024-02-10 00:00');
});

test('addTime: calendar steps keep the clock across DST and clamp month ends', () => {
  const cases = [
    [L(2024, 3, 30, 12), 'day', 1, '2024-03-31 12:00'], // DST starts on 31 Mar
    [L(2024, 3, 31, 0), 'day', 1, '2024-04-01 00:00'],
    [L(2024, 10, 27, 0), 'day', 1, '2024-10-28 00:00'], // DST ends on 27 Oct
    [L(2024, 3, 25, 0), 'week', 1, '2024-04-01 00:00'],
    [L(2024, 1, 31, 9), 'month', 1, '2024-02-29 09:00'],
    [L(2023, 1, 31, 9), 'month', 1, '2023-02-28 09:00'],
    [L(2024, 3, 31, 0), 'month', -1, '2024-02-29 00:00'],
    [L(2024, 2, 29, 0), 'year', 1, '2025-02-28 00:00'],
    [L(2024, 11, 1, 0), 'month', 3, '2025-02-01 00:00'],
  ];
  for (const [t, unit, k, want] of cases) assert.equal(fmt(addTime(t, unit, k)), want, `${fmt(t)} + ${k} ${unit}`);
  // Day lengths follow DST.
  assert.equal(addTime(L(2024, 3, 31), 'day', 1) - L(2024, 3, 31), 23 * 3600);
  assert.equal(addTime(L(2024, 10, 27), 'day', 1) - L(2024, 10, 27), 25 * 3600);
  assert.equal(addTime(100, 'minute', 2), 220);
  assert.equal(addTime(100, 'hour', -1), -3500);
});

test('chooseScale picks the scale nearest in log terms', () => {
  const cases = [
    [60, '5m'], [300, '5m'], [1000, '20m'], [3600, '1h'], [4 * 3600, '3h'], [86400, '1D'],
    [23 * 3600, '1D'], [25 * 3600, '1D'], [2 * 86400, '1D'], [3 * 86400, '1W'], [7 * 86400, '1W'],
    [31 * 86400, '1M'], [28 * 86400, '1M'], [49 * 86400, '7W'], [92 * 86400, '3M'], [366 * 86400, '1Y'],
    [3 * 365 * 86400, '2Y'], [10 * 365 * 86400, '10Y'], [1e12, '20Y'],
  ];
  for (const [span, want] of cases) assert.equal(chooseScale(span).name, want, `span ${span}`);
  assert.throws(() => scaleByName('nope'));
  assert.equal(SCALES.length, 16);
});

test('periodAround: calendar periods and centred sub-day ranges on their grid', () => {
  const t = L(2024, 2, 7, 13, 47);
  const cases = [
    ['5m', 1, '2024-02-07 13:45 .. 2024-02-07 13:50'],
    ['20m', 1, '2024-02-07 13:35 .. 2024-02-07 13:55'],
    ['1h', 1, '2024-02-07 13:15 .. 2024-02-07 14:15'],
    ['3h', 1, '2024-02-07 12:00 .. 2024-02-07 15:00'],
    ['12h', 1, '2024-02-07 09:00 .. 2024-02-07 21:00'],
    ['1D', 1, '2024-02-07 00:00 .. 2024-02-08 00:00'],
    ['1W', 1, '2024-02-05 00:00 .. 2024-02-12 00:00'],
    ['1W', 0, '2024-02-04 00:00 .. 2024-02-11 00:00'],
    ['1M', 1, '2024-02-01 00:00 .. 2024-03-01 00:00'],
    ['7W', 1, '2024-02-05 00:00 .. 2024-03-25 00:00'],
    ['3M', 1, '2024-01-01 00:00 .. 2024-04-01 00:00'],
    ['1Y', 1, '2024-01-01 00:00 .. 2025-01-01 00:00'],
    ['5Y', 1, '2020-01-01 00:00 .. 2025-01-01 00:00'],
  ];
  for (const [name, fdow, want] of cases) assert.equal(fmtR(periodAround(t, scaleByName(name), fdow)), want, name);
});

test('snapRange: a panned range snaps to the calendar period containing its middle', () => {
  const day = 86400;
  const cases = [
    // panned 40% into the next day: stays on the 7th
    [[L(2024, 2, 7, 9, 36), L(2024, 2, 7, 9, 36) + day], '2024-02-07 00:00 .. 2024-02-08 00:00'],
    // panned 60%: the 8th
    [[L(2024, 2, 7, 14, 24), L(2024, 2, 7, 14, 24) + day], '2024-02-08 00:00 .. 2024-02-09 00:00'],
    // a pinch that ended at 1.6 days still snaps to a day
    [[L(2024, 2, 7, 0), L(2024, 2, 8, 14, 24)], '2024-02-07 00:00 .. 2024-02-08 00:00'],
    // 9 days becomes the week of its middle
    [[L(2024, 2, 2), L(2024, 2, 11)], '2024-02-05 00:00 .. 2024-02-12 00:00'],
    // about a year
    [[L(2023, 11, 1), L(2024, 11, 1)], '2024-01-01 00:00 .. 2025-01-01 00:00'],
  ];
  for (const [[a, b], want] of cases) assert.equal(fmtR(snapRange(a, b, 1)), want);
  // A snapped range is a fixed point.
  for (const [[a, b]] of cases) {
    const r = snapRange(a, b, 1);
    assert.deepEqual(snapRange(r[0], r[1], 1), r);
  }
});

test('zoomRange: neighbouring scale around anchor, now, or centre', () => {
  const day = [L(2024, 2, 7), L(2024, 2, 8)];
  const cases = [
    [day, +1, {}, '2024-02-07 06:00 .. 2024-02-07 18:00'], // centre noon
    [day, +1, { anchor: L(2024, 2, 7, 20) }, '2024-02-07 15:00 .. 2024-02-08 03:00'],
    [day, +1, { now: L(2024, 2, 7, 9, 10) }, '2024-02-07 03:00 .. 2024-02-07 15:00'],
    [day, -1, {}, '2024-02-05 00:00 .. 2024-02-12 00:00'],
    [day, -1, { fdow: 0 }, '2024-02-04 00:00 .. 2024-02-11 00:00'],
    [[L(2024, 2, 5), L(2024, 2, 12)], -1, {}, '2024-02-01 00:00 .. 2024-03-01 00:00'],
    [[L(2024, 2, 5), L(2024, 2, 12)], +1, { now: L(2030, 1, 1) }, '2024-02-08 00:00 .. 2024-02-09 00:00'],
    [[L(2024, 1, 1), L(2025, 1, 1)], +1, { anchor: L(2024, 5, 3) }, '2024-04-01 00:00 .. 2024-07-01 00:00'],
  ];
  for (const [[a, b], dir, opts, want] of cases) assert.equal(fmtR(zoomRange(a, b, dir, opts)), want, JSON.stringify(opts));
  // Ends of the scale list stay put in size.
  const fine = zoomRange(L(2024, 2, 7, 13, 45), L(2024, 2, 7, 13, 50), +1);
  assert.equal(fine[1] - fine[0], 300);
  const coarse = zoomRange(L(2000, 1, 1), L(2020, 1, 1), -1);
  assert.equal(fmtR(coarse), '2000-01-01 00:00 .. 2020-01-01 00:00');
});

test('stepRange: by the span under 22 h, by calendar units above', () => {
  const cases = [
    [[L(2024, 2, 7, 9), L(2024, 2, 7, 12)], +1, '2024-02-07 12:00 .. 2024-02-07 15:00'],
    [[L(2024, 2, 7, 9), L(2024, 2, 7, 12)], -1, '2024-02-07 06:00 .. 2024-02-07 09:00'],
    [[L(2024, 3, 30), L(2024, 3, 31)], +1, '2024-03-31 00:00 .. 2024-04-01 00:00'], // into the 23 h day
    [[L(2024, 3, 31), L(2024, 4, 1)], +1, '2024-04-01 00:00 .. 2024-04-02 00:00'], // 23 h < 80000 s? no: 82800
    [[L(2024, 2, 5), L(2024, 2, 12)], +1, '2024-02-12 00:00 .. 2024-02-19 00:00'],
    [[L(2024, 1, 1), L(2024, 2, 1)], +1, '2024-02-01 00:00 .. 2024-03-01 00:00'],
    [[L(2024, 2, 1), L(2024, 3, 1)], -1, '2024-01-01 00:00 .. 2024-02-01 00:00'],
    [[L(2024, 2, 5), L(2024, 3, 25)], +1, '2024-02-12 00:00 .. 2024-04-01 00:00'], // 7W by a week
    [[L(2024, 1, 1), L(2024, 4, 1)], +1, '2024-04-01 00:00 .. 2024-07-01 00:00'],
    [[L(2024, 1, 1), L(2025, 1, 1)], -1, '2023-01-01 00:00 .. 2024-01-01 00:00'],
    [[L(2020, 1, 1), L(2030, 1, 1)], +1, '2021-01-01 00:00 .. 2031-01-01 00:00'],
  ];
  for (const [[a, b], dir, want] of cases) assert.equal(fmtR(stepRange(a, b, dir)), want, fmtR([a, b]));
});

test('todayRange and todayToggle honour today_snap_offset and today_end_offset', () => {
  const now = L(2024, 2, 7, 2, 30);
  const cases = [
    [{}, '2024-02-07 00:00 .. 2024-02-08 00:00'],
    [{ today_snap_offset: '' }, '2024-02-07 00:00 .. 2024-02-08 00:00'],
    [{ today_snap_offset: '-3h' }, '2024-02-06 21:00 .. 2024-02-07 21:00'],
    [{ today_snap_offset: '3h' }, '2024-02-06 03:00 .. 2024-02-07 03:00'], // 02:30 is still "yesterday"
    [{ today_snap_offset: '2h' }, '2024-02-07 02:00 .. 2024-02-08 02:00'],
    [{ today_end_offset: '-12h' }, '2024-02-07 00:00 .. 2024-02-07 12:00'],
    [{ today_snap_offset: '1h', today_end_offset: '-12h' }, '2024-02-07 01:00 .. 2024-02-07 13:00'],
  ];
  for (const [settings, want] of cases) assert.equal(fmtR(todayRange(now, settings)), want, JSON.stringify(settings));
  // 22:00 with a day starting at 21:00 (-3h) belongs to the next day.
  assert.equal(fmtR(todayRange(L(2024, 2, 7, 22), { today_snap_offset: '-3h' })), '2024-02-07 21:00 .. 2024-02-08 21:00');
  const st = { today_snap_offset: '2h' };
  const [a, b] = todayRange(now, st);
  assert.equal(fmtR(todayToggle(0, 1, now, st)), '2024-02-07 02:00 .. 2024-02-08 02:00');
  assert.equal(fmtR(todayToggle(a, b, now, st)), '2024-02-07 00:00 .. 2024-02-08 00:00');
  // Without offsets pressing again keeps the plain day.
  const [p, q] = todayRange(now, {});
  assert.equal(fmtR(todayToggle(p, q, now, {})), '2024-02-07 00:00 .. 2024-02-08 00:00');
});

test('periodRange for the app\'s goPeriod', () => {
  const t = L(2024, 8, 15, 10);
  const cases = [
    ['day', 1, '2024-08-15 00:00 .. 2024-08-16 00:00'],
    ['week', 1, '2024-08-12 00:00 .. 2024-08-19 00:00'],
    ['week', 6, '2024-08-10 00:00 .. 2024-08-17 00:00'],
    ['month', 1, '2024-08-01 00:00 .. 2024-09-01 00:00'],
    ['quarter', 1, '2024-07-01 00:00 .. 2024-10-01 00:00'],
    ['year', 1, '2024-01-01 00:00 .. 2025-01-01 00:00'],
  ];
  for (const [p, fdow, want] of cases) assert.equal(fmtR(periodRange(t, p, fdow)), want, p);
  assert.throws(() => periodRange(t, 'decade'));
});

test('weekNumber: ISO for Monday weeks, shifted for Sunday and Saturday', () => {
  const cases = [
    [L(2024, 1, 1), 1, 2024, 1],
    [L(2023, 1, 1), 1, 2022, 52], // Sunday belongs to the last ISO week of 2022
    [L(2021, 1, 3), 1, 2020, 53],
    [L(2026, 12, 31), 1, 2026, 53],
    [L(2024, 12, 30), 1, 2025, 1],
    [L(2023, 1, 1), 0, 2023, 1], // Sunday start: Sun 1 Jan 2023 starts week 1
    [L(2024, 2, 7), 1, 2024, 6],
    [L(2024, 2, 4), 0, 2024, 6],
    [L(2024, 2, 3), 6, 2024, 6],
  ];
  for (const [t, fdow, year, week] of cases) assert.deepEqual(weekNumber(t, fdow), { year, week }, `${fmt(t)} fdow ${fdow}`);
});

test('chooseTickSteps: labelled ticks far enough apart, nested minor ticks', () => {
  const h = 700;
  const cases = [
    // secPerPx, major, minor
    [86400 / h, 'hour 2', 'minute 30'],
    [3600 / h, 'minute 5', 'minute 1'],
    [300 / h, 'second 30', 'second 10'],
    [7 * 86400 / h, 'hour 12', 'hour 3'],
    [31 * 86400 / h, 'week 1', 'day 1'],
    [366 * 86400 / h, 'month 1', null],
    [10 * 366 * 86400 / h, 'year 1', 'month 3'],
  ];
  const name = (st) => (st ? `${st.unit} ${st.n}` : null);
  for (const [spp, major, minor] of cases) {
    const r = chooseTickSteps(spp);
    assert.equal(name(r.major), major, `major at ${spp}`);
    assert.equal(name(r.minor), minor, `minor at ${spp}`);
  }
  // Stats views ask for wider label spacing: a week then gets day labels.
  assert.equal(name(chooseTickSteps(7 * 86400 / h, 60).major), 'day 1');
  assert.equal(chooseTickSteps(1e12).major, TICK_STEPS[TICK_STEPS.length - 1]);
});

test('tickTimes: aligned to local time, through DST changes', () => {
  const step = (unit, n) => TICK_STEPS.find((s) => s.unit === unit && s.n === n);
  const hourly = (y, m, d) => tickTimes(L(y, m, d), L(y, m, d + 1) - 1, step('hour', 1));
  assert.equal(hourly(2024, 2, 7).length, 24);
  assert.equal(hourly(2024, 3, 31).length, 23);
  assert.equal(hourly(2024, 10, 27).length, 25);
  for (const ts of [hourly(2024, 3, 31), hourly(2024, 10, 27)]) {
    for (let i = 1; i < ts.length; i++) assert.equal(ts[i] - ts[i - 1], 3600);
    for (const t of ts) assert.equal(new Date(t * 1000).getMinutes(), 0);
  }
  const three = tickTimes(L(2024, 3, 31), L(2024, 4, 1), step('hour', 3)).map(fmt);
  assert.deepEqual(three.map((x) => x.slice(11)), ['00:00', '03:00', '06:00', '09:00', '12:00', '15:00', '18:00', '21:00', '00:00']);
  const weeks = tickTimes(L(2024, 2, 1), L(2024, 3, 1), step('week', 1), 0).map(fmt);
  assert.deepEqual(weeks, ['2024-02-04 00:00', '2024-02-11 00:00', '2024-02-18 00:00', '2024-02-25 00:00']);
  const months = tickTimes(L(2024, 1, 15), L(2024, 12, 31), step('month', 3)).map(fmt);
  assert.deepEqual(months, ['2024-04-01 00:00', '2024-07-01 00:00', '2024-10-01 00:00']);
  const fives = tickTimes(L(2024, 2, 7, 13, 2), L(2024, 2, 7, 13, 30), step('minute', 5)).map((x) => fmt(x).slice(11));
  assert.deepEqual(fives, ['13:05', '13:10', '13:15', '13:20', '13:25', '13:30']);
  const decades = tickTimes(L(1995, 1, 1), L(2031, 1, 1), step('year', 10)).map((x) => fmt(x).slice(0, 4));
  assert.deepEqual(decades, ['2000', '2010', '2020', '2030']);
  assert.equal(tickTimes(0, 1e9, step('second', 10), 1, 50).length, 50);
});
