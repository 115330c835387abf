// The cases of the app's one calendar (www/app/common/calendar.js) in the process's time zone:
// tests/web/calendar.test.mjs runs this file once per zone, with TZ set for the process
// (America/Santiago, America/Havana, Europe/Amsterdam, America/New_York, Asia/Kolkata,
// Australia/Lord_Howe). Examples are built from local dates away from DST changes, so they
// hold in every zone; around every DST change of 2020-2026 properties are checked instead;
// the two bugs that made the views disagree are checked in their own zones.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PERIODS, dayStart, atClock, floorTime, addTime, periodRange, periodStarts, exactPeriod, weekNumber, parseOffset,
  todayRange, isWorkday, workdaysIn, presetRange, dateKey, fromDateKey, secondsOfDay, recordSeconds,
} from '../../www/app/common/calendar.js';
import { periodAround, scaleByName, snapRange } from '../../www/app/timeline/calendar.js';
import { periodsIn } from '../../www/app/timeline/periods.js';
import { rangeLabel } from '../../www/app/common/format.js';

const ZONE = process.env.TZ;
const L = (y, m, d, h = 0, mi = 0, s = 0) => new Date(y, m - 1, d, h, mi, s).getTime() / 1000;
const show = (t) => {
  const x = new Date(t * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${x.getFullYear()}-${p(x.getMonth() + 1)}-${p(x.getDate())} ${p(x.getHours())}:${p(x.getMinutes())}:${p(x.getSeconds())} (UTC${-x.getTimezoneOffset() / 60})`;
};
const ymd = (t) => { const x = new Date(t * 1000); return [x.getFullYear(), x.getMonth(), x.getDate()]; };
const FDOWS = [1, 0, 6];

test(`the process runs in the zone it was given (${ZONE})`, () => {
  assert.ok(ZONE, 'TZ is set');
  const f = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, dateStyle: 'short', timeStyle: 'medium' });
  for (const t of [Date.UTC(2022, 0, 15, 12), Date.UTC(2022, 6, 15, 12)]) {
    assert.equal(new Date(t).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' }), f.format(t));
  }
});

test('floorTime: local calendar periods, weeks per first_day_of_week', () => {
  const t = L(2024, 2, 7, 13, 47, 12); // a Wednesday
  const cases = [
    ['minute', 5, 1, L(2024, 2, 7, 13, 45)],
    ['hour', 3, 1, L(2024, 2, 7, 12)],
    ['day', 1, 1, L(2024, 2, 7)],
    ['week', 1, 1, L(2024, 2, 5)],
    ['week', 1, 0, L(2024, 2, 4)],
    ['week', 1, 6, L(2024, 2, 3)],
    ['month', 1, 1, L(2024, 2, 1)],
    ['month', 3, 1, L(2024, 1, 1)],
    ['quarter', 1, 1, L(2024, 1, 1)],
    ['year', 1, 1, L(2024, 1, 1)],
    ['year', 10, 1, L(2020, 1, 1)],
  ];
  for (const [unit, n, fdow, want] of cases) assert.equal(floorTime(t, unit, n, fdow), want, `${unit} ${n} ${fdow}`);
  assert.equal(floorTime(L(2024, 2, 4, 10), 'week', 1, 0), L(2024, 2, 4), 'a Sunday starts its own Sunday week');
  assert.equal(floorTime(L(2024, 8, 15), 'quarter'), L(2024, 7, 1));
});

test('addTime: calendar steps keep the clock and clamp month ends', () => {
  const cases = [
    [L(2024, 1, 31), 'day', 1, L(2024, 2, 1)],
    [L(2024, 1, 29), 'week', 1, L(2024, 2, 5)],
    [L(2024, 1, 31, 9, 30), 'month', 1, L(2024, 2, 29, 9, 30)],
    [L(2023, 1, 31), 'month', 1, L(2023, 2, 28)],
    [L(2024, 10, 1), 'quarter', 1, L(2025, 1, 1)],
    [L(2024, 2, 29), 'year', 1, L(2025, 2, 28)],
    [L(2024, 1, 1), 'year', -1, L(2023, 1, 1)],
    [L(2024, 2, 7, 10), 'hour', 2, L(2024, 2, 7, 12)],
  ];
  for (const [t, unit, k, want] of cases) assert.equal(addTime(t, unit, k), want, `${show(t)} + ${k} ${unit}`);
});

test('periodRange, periodStarts and exactPeriod', () => {
  const t = L(2024, 2, 7, 12);
  assert.deepEqual(periodRange(t, 'week', 1), [L(2024, 2, 5), L(2024, 2, 12)]);
  assert.deepEqual(periodRange(t, 'month', 1, -1), [L(2024, 1, 1), L(2024, 2, 1)]);
  assert.deepEqual(periodRange(t, 'quarter', 1, 1), [L(2024, 4, 1), L(2024, 7, 1)]);
  assert.deepEqual(periodStarts(L(2024, 1, 15), L(2024, 4, 1), 'month'), [L(2024, 1, 1), L(2024, 2, 1), L(2024, 3, 1)]);
  assert.equal(exactPeriod(L(2024, 2, 4), L(2024, 2, 11), 0), 'week');
  assert.equal(exactPeriod(L(2024, 2, 4), L(2024, 2, 11), 1), null);
  assert.equal(exactPeriod(L(2024, 1, 1), L(2024, 4, 1)), 'quarter');
  assert.equal(exactPeriod(L(2024, 1, 1, 1), L(2024, 4, 1, 1)), null);
});

test('week numbers: ISO for Monday, shifted for Sunday and Saturday', () => {
  const cases = [
    [[2024, 1, 1], 1, 2024, 1], [[2021, 1, 1], 1, 2020, 53], [[2021, 1, 3], 1, 2020, 53], [[2021, 1, 4], 1, 2021, 1],
    [[2026, 12, 31], 1, 2026, 53], [[2027, 1, 4], 1, 2027, 1], [[2024, 2, 5], 1, 2024, 6], [[2024, 12, 30], 1, 2025, 1],
    [[2024, 1, 7], 0, 2024, 2], [[2023, 12, 31], 0, 2024, 1], [[2024, 1, 6], 0, 2024, 1], [[2024, 2, 4], 0, 2024, 6],
    [[2024, 1, 6], 6, 2024, 2], [[2023, 12, 30], 6, 2024, 1], [[2023, 12, 29], 6, 2023, 52], [[2024, 2, 3], 6, 2024, 6],
  ];
  for (const [[y, m, d], fdow, year, week] of cases) {
    for (const h of [0, 12, 23]) assert.deepEqual(weekNumber(L(y, m, d, h), fdow), { year, week }, `${y}-${m}-${d} ${h}h fdow ${fdow}`);
  }
});

test('today offsets: when the day starts and how long it is', () => {
  const now = L(2024, 2, 5, 10);
  assert.deepEqual(todayRange(now), [L(2024, 2, 5), L(2024, 2, 6)]);
  assert.deepEqual(todayRange(now, { today_snap_offset: '-3h' }), [L(2024, 2, 4, 21), L(2024, 2, 5, 21)]);
  assert.deepEqual(todayRange(L(2024, 2, 5, 22), { today_snap_offset: '-3h' }), [L(2024, 2, 5, 21), L(2024, 2, 6, 21)]);
  assert.deepEqual(todayRange(now, { today_snap_offset: '9h' }), [L(2024, 2, 5, 9), L(2024, 2, 6, 9)]);
  assert.deepEqual(todayRange(L(2024, 2, 5, 8, 59), { today_snap_offset: '9h' }), [L(2024, 2, 4, 9), L(2024, 2, 5, 9)]);
  assert.deepEqual(todayRange(now, { today_end_offset: '-12h' }), [L(2024, 2, 5), L(2024, 2, 5, 12)]);
  assert.deepEqual(todayRange(now, { today_snap_offset: '3h', today_end_offset: '-12h' }), [L(2024, 2, 5, 3), L(2024, 2, 5, 15)]);
  assert.equal(parseOffset(''), 0);
  assert.equal(parseOffset('-3h'), -10800);
  assert.equal(parseOffset('9h'), 32400);
  assert.equal(parseOffset('junk'), 0);
});

test('workdays, named ranges, date keys, record seconds', () => {
  const mon = L(2024, 2, 5), nextMon = L(2024, 2, 12);
  assert.equal(workdaysIn(mon, nextMon, 0), 7);
  assert.equal(workdaysIn(mon, nextMon, 1), 6);
  assert.equal(workdaysIn(mon, nextMon, 2), 5);
  assert.equal(workdaysIn(mon, L(2024, 2, 5, 12), 2), 0.5);
  assert.equal(isWorkday(L(2024, 2, 10), 2), false); // Saturday
  assert.equal(isWorkday(L(2024, 2, 10), 1), true);
  assert.equal(isWorkday(L(2024, 2, 11), 1), false); // Sunday
  const now = L(2024, 2, 7, 9);
  assert.deepEqual(presetRange('today', now), [L(2024, 2, 7), L(2024, 2, 8)]);
  assert.deepEqual(presetRange('yesterday', now), [L(2024, 2, 6), L(2024, 2, 7)]);
  assert.deepEqual(presetRange('lastweek', now), [L(2024, 1, 29), L(2024, 2, 5)]);
  assert.deepEqual(presetRange('thisweek', now, 0), [L(2024, 2, 4), L(2024, 2, 11)]);
  assert.deepEqual(presetRange('lastmonth', now), [L(2024, 1, 1), L(2024, 2, 1)]);
  assert.deepEqual(presetRange('lastquarter', now), [L(2023, 10, 1), L(2024, 1, 1)]);
  assert.deepEqual(presetRange('thisyear', now), [L(2024, 1, 1), L(2025, 1, 1)]);
  assert.throws(() => presetRange('thisday', now), /unknown preset/);
  assert.equal(dateKey(L(2024, 2, 7, 23, 59)), '2024-02-07');
  assert.equal(fromDateKey('2024-02-07'), L(2024, 2, 7));
  assert.equal(fromDateKey('2024-02-07', 13 * 3600 + 7 * 60 + 9), L(2024, 2, 7, 13, 7, 9));
  assert.equal(fromDateKey('7.2.2024'), null);
  assert.equal(secondsOfDay(L(2024, 2, 7, 13, 7, 9)), 47229);
  const rec = { t1: L(2024, 2, 7, 9), t2: L(2024, 2, 7, 11) };
  assert.equal(recordSeconds(rec, L(2024, 2, 7, 10), L(2024, 2, 8)), 3600);
  assert.equal(recordSeconds({ t1: rec.t1, t2: rec.t1 }, L(2024, 2, 7), L(2024, 2, 8), rec.t1 + 90), 90, 'running until now');
  assert.equal(recordSeconds(rec, L(2024, 2, 8), L(2024, 2, 9)), 0);
});

// ---- around every DST change of the zone ----

/** The instants (unix s) where the zone's UTC offset changes, 2020-2026. */
function transitions() {
  const out = [];
  const off = (t) => new Date(t * 1000).getTimezoneOffset();
  for (let t = Date.UTC(2020, 0, 1) / 1000; t < Date.UTC(2027, 0, 1) / 1000; t += 3600) {
    if (off(t) !== off(t + 3600)) {
      let a = t, b = t + 3600; // the change lies in (a, b]
      while (b - a > 1) { const m = Math.floor((a + b) / 2); if (off(m) === off(a)) a = m; else b = m; }
      out.push(b);
    }
  }
  return out;
}

/** The first date of the period of `p` containing local date (y, m, d), by plain date sums. */
function firstDate(p, [y, m, d], fdow) {
  const wd = new Date(Date.UTC(y, m, d)).getUTCDay();
  const x = {
    day: [y, m, d], week: [y, m, d - ((wd - fdow + 7) % 7)], month: [y, m, 1],
    quarter: [y, m - (m % 3), 1], year: [y, 0, 1],
  }[p];
  const u = new Date(Date.UTC(x[0], x[1], x[2]));
  return [u.getUTCFullYear(), u.getUTCMonth(), u.getUTCDate()];
}

/** ISO-style week number from the local date alone, in UTC day arithmetic. */
function weekByDates([y, m, d], fdow) {
  const wd = new Date(Date.UTC(y, m, d)).getUTCDay();
  const mid = new Date(Date.UTC(y, m, d - ((wd - fdow + 7) % 7) + 3));
  const jan1 = Date.UTC(mid.getUTCFullYear(), 0, 1);
  return { year: mid.getUTCFullYear(), week: Math.floor((mid - jan1) / 864e5 / 7) + 1 };
}

const CHANGES = transitions();

test('the zone\'s DST changes are found (none in Kolkata)', () => {
  if (ZONE === 'Asia/Kolkata') assert.equal(CHANGES.length, 0);
  else assert.ok(CHANGES.length >= 10, `${CHANGES.length} changes`);
});

test('across every DST change: periods start at the first instant of their first day and cover time without gaps', () => {
  for (const T of CHANGES) {
    const times = [T - 1, T, T + 1];
    for (let dt = -36 * 3600; dt <= 36 * 3600; dt += 1800) times.push(T + dt);
    for (const t of times) {
      for (const p of PERIODS) {
        for (const fdow of p === 'week' ? FDOWS : [1]) {
          const what = `${p} (fdow ${fdow}) of ${show(t)}`;
          const [a, b] = periodRange(t, p, fdow);
          assert.ok(a <= t && t < b, `${what}: ${show(a)} .. ${show(b)} holds it`);
          assert.deepEqual(ymd(a), firstDate(p, ymd(t), fdow), `${what} starts on its first date: ${show(a)}`);
          assert.notDeepEqual(ymd(a - 1), ymd(a), `${what} starts at the first instant of its day: ${show(a)}`);
          assert.equal(periodRange(b, p, fdow)[0], b, `${what}: the next period starts where it ends`);
          assert.equal(addTime(a, p, 1), b, `${what}: one step is its end`);
          assert.equal(floorTime(a, p, 1, fdow), a, `${what}: its start floors to itself`);
          // the timeline's scales ask the same calendar
          const sc = { day: '1D', week: '1W', month: '1M', quarter: '3M', year: '1Y' }[p];
          assert.deepEqual(periodAround(t, scaleByName(sc), fdow), [a, b], `${what}: the timeline agrees`);
          assert.equal(exactPeriod(a, b, fdow) !== null, true, `${what} is a whole period`);
        }
      }
      const [d1, d2] = periodRange(t, 'day');
      assert.ok([23, 23.5, 24, 24.5, 25].includes((d2 - d1) / 3600), `the day of ${show(t)} lasts ${(d2 - d1) / 3600} h`);
      for (const fdow of FDOWS) assert.deepEqual(weekNumber(t, fdow), weekByDates(ymd(t), fdow), `week of ${show(t)}, fdow ${fdow}`);
    }
  }
});

test('across every DST change: "today" with each day-start offset holds now and starts on the wall clock', () => {
  const offsets = ['', '-3h', '-1h', '1h', '2h', '3h', '9h'];
  for (const T of CHANGES) {
    for (let dt = -36 * 3600; dt <= 36 * 3600; dt += 900) {
      const now = T + dt;
      for (const snap of offsets) {
        for (const end of ['', '-12h']) {
          const [a, b] = todayRange(now, { today_snap_offset: snap, today_end_offset: end });
          const what = `today of ${show(now)} (starts ${snap || '0h'}, ends ${end || '+0h'}): ${show(a)} .. ${show(b)}`;
          const off = parseOffset(snap);
          const day = new Date(a * 1000 - off * 1000 + 12 * 3600 * 1000); // the date this day is named for
          const startOf = (k) => (off ? atClock(day.getFullYear(), day.getMonth(), day.getDate() + k, off)
            : dayStart(day.getFullYear(), day.getMonth(), day.getDate() + k));
          assert.equal(a, startOf(0), `${what} starts at ${snap || '00:00'} wall clock`);
          assert.ok(a <= now && now < startOf(1), `${what} holds now, the next day starts at ${show(startOf(1))}`);
          const hours = (b - a) / 3600;
          const base = end ? 12 : 24;
          assert.ok(Math.abs(hours - base) <= 1, `${what} lasts ${hours} h`);
        }
      }
    }
  }
});

test('across every DST change: period blocks of the timeline and range titles use the same starts', () => {
  for (const T of CHANGES) {
    const [y0] = periodRange(T, 'year');
    const [, y1] = periodRange(T, 'year', 1, 1);
    for (const unit of ['day', 'week', 'month', 'quarter']) {
      const blocks = periodsIn(y0, y1, unit);
      for (let i = 0; i < blocks.length; i++) {
        const b = blocks[i];
        assert.deepEqual([b.t1, b.t2], periodRange(b.t1, unit), `${unit} block at ${show(b.t1)}`);
        if (i) assert.equal(blocks[i - 1].t2, b.t1, `${unit} blocks join at ${show(b.t1)}`);
      }
    }
    const [m1, m2] = periodRange(T, 'month');
    assert.match(rangeLabel(m1, m2), /^[A-Z][a-z]+ \d{4}$/, `the month of ${show(T)} is titled as a month`);
    const [s1, s2] = snapRange(m1 + 3600, m2 - 3600);
    assert.deepEqual([s1, s2], [m1, m2], `a panned month snaps to the month of ${show(T)}`);
  }
});

// ---- the two bugs, in their zones ----

test('America/Santiago 2022-09-11 (DST starts at midnight): the day starts at 01:00, its month, quarter and year at 00:00 of their first day', { skip: ZONE !== 'America/Santiago' && 'only in America/Santiago' }, () => {
  const t = L(2022, 9, 11, 10);
  const day = periodRange(t, 'day');
  assert.equal(show(day[0]), '2022-09-11 01:00:00 (UTC-3)');
  assert.equal(show(day[1]), '2022-09-12 00:00:00 (UTC-3)');
  assert.equal(show(periodRange(t, 'month')[0]), '2022-09-01 00:00:00 (UTC-4)');
  assert.equal(show(periodRange(t, 'quarter')[0]), '2022-07-01 00:00:00 (UTC-4)');
  assert.equal(show(periodRange(t, 'year')[0]), '2022-01-01 00:00:00 (UTC-3)');
  assert.equal(show(periodRange(t, 'week', 0)[0]), '2022-09-11 01:00:00 (UTC-3)', 'a Sunday week starts with the short day');
  assert.equal(show(periodRange(t, 'week', 1)[1]), '2022-09-12 00:00:00 (UTC-3)');
  // the month after a day start at 01:00 still starts at 00:00
  assert.equal(show(addTime(day[0], 'month', 1)), '2022-10-11 00:00:00 (UTC-3)');
  // what the views show: the timeline's month, the list's title, the year view's blocks
  assert.deepEqual(periodAround(t, scaleByName('1M')), periodRange(t, 'month'));
  assert.equal(rangeLabel(...periodRange(t, 'month')), 'September 2022');
  assert.equal(rangeLabel(...periodRange(t, 'quarter')), 'Q3 2022');
  assert.equal(rangeLabel(...day), 'Sun 11 Sep 2022');
  const months = periodsIn(...periodRange(t, 'year'), 'month');
  assert.equal(months.length, 12);
  for (const m of months) assert.equal(new Date(m.t1 * 1000).getHours(), 0, `month block at ${show(m.t1)}`);
  assert.deepEqual(todayRange(t), day);
  assert.deepEqual(todayRange(L(2022, 9, 11, 0, 30)), day, 'the hour that does not exist is still that day');
  assert.equal(dateKey(day[0]), '2022-09-11');
  assert.equal(fromDateKey('2022-09-11'), day[0]);
});

test('America/Santiago 2022-04-03 (DST ends at midnight): the day starts once, after the repeated hour', { skip: ZONE !== 'America/Santiago' && 'only in America/Santiago' }, () => {
  const t = L(2022, 4, 3, 10);
  const day = periodRange(t, 'day');
  assert.equal(show(day[0]), '2022-04-03 00:00:00 (UTC-4)');
  assert.equal((day[1] - day[0]) / 3600, 24);
  assert.equal((periodRange(L(2022, 4, 2, 12), 'day')[1] - periodRange(L(2022, 4, 2, 12), 'day')[0]) / 3600, 25);
  assert.equal(show(periodRange(t, 'month')[0]), '2022-04-01 00:00:00 (UTC-3)');
});

test('Europe/Amsterdam 2021-03-28 09:00 with the day starting at 09:00 (DST started at 02:00): today is that Sunday', { skip: ZONE !== 'Europe/Amsterdam' && 'only in Europe/Amsterdam' }, () => {
  const s = { today_snap_offset: '9h' };
  const today = todayRange(L(2021, 3, 28, 9), s);
  assert.equal(show(today[0]), '2021-03-28 09:00:00 (UTC2)');
  assert.equal(show(today[1]), '2021-03-29 09:00:00 (UTC2)');
  assert.equal(show(todayRange(L(2021, 3, 28, 8, 59), s)[0]), '2021-03-27 09:00:00 (UTC1)');
  assert.equal((todayRange(L(2021, 3, 28, 8, 59), s)[1] - todayRange(L(2021, 3, 28, 8, 59), s)[0]) / 3600, 23);
  assert.equal(rangeLabel(...today), 'Sun 28 Mar 09:00 – Mon 29 Mar 09:00 2021');
  // and when the clocks go back (31 Oct 2021, 03:00 -> 02:00)
  assert.equal(show(todayRange(L(2021, 10, 31, 9), s)[0]), '2021-10-31 09:00:00 (UTC1)');
  assert.equal(show(todayRange(L(2021, 10, 31, 8, 30), s)[0]), '2021-10-30 09:00:00 (UTC2)');
});

test('America/Havana: DST starts at midnight in March and ends at 01:00 in November', { skip: ZONE !== 'America/Havana' && 'only in America/Havana' }, () => {
  const t = L(2022, 3, 13, 12);
  assert.equal(show(periodRange(t, 'day')[0]), '2022-03-13 01:00:00 (UTC-4)');
  assert.equal(show(periodRange(t, 'month')[0]), '2022-03-01 00:00:00 (UTC-5)');
  assert.equal(show(periodRange(L(2022, 11, 6, 12), 'day')[0]), '2022-11-06 00:00:00 (UTC-4)');
  assert.equal((periodRange(L(2022, 11, 6, 12), 'day')[1] - periodRange(L(2022, 11, 6, 12), 'day')[0]) / 3600, 25);
});

test('Australia/Lord_Howe: a 30-minute DST change', { skip: ZONE !== 'Australia/Lord_Howe' && 'only in Australia/Lord_Howe' }, () => {
  const [a, b] = periodRange(L(2022, 10, 2, 12), 'day'); // 02:00 -> 02:30
  assert.equal((b - a) / 3600, 23.5);
  const [c, d] = periodRange(L(2022, 4, 3, 12), 'day'); // 02:00 -> 01:30
  assert.equal((d - c) / 3600, 24.5);
  assert.equal(show(floorTime(L(2022, 10, 2, 3, 10), 'hour')), '2022-10-02 03:00:00 (UTC11)');
  assert.deepEqual(todayRange(L(2022, 10, 2, 3), { today_snap_offset: '2h' }).map(show),
    ['2022-10-02 02:30:00 (UTC11)', '2022-10-03 02:00:00 (UTC11)'], 'a day start the clocks skip moves on to the first instant');
});

test('Asia/Kolkata (+5:30): hours and days on the local clock', { skip: ZONE !== 'Asia/Kolkata' && 'only in Asia/Kolkata' }, () => {
  assert.equal(show(floorTime(L(2024, 2, 7, 13, 47), 'hour', 3)), '2024-02-07 12:00:00 (UTC5.5)');
  assert.equal(show(periodRange(L(2024, 2, 7, 0, 10), 'day')[0]), '2024-02-07 00:00:00 (UTC5.5)');
  assert.equal(periodRange(L(2024, 2, 7), 'day')[0] % 3600, 1800, 'a local midnight is half past a UTC hour');
});

test('America/New_York: the Sunday of each change is 23 or 25 hours', { skip: ZONE !== 'America/New_York' && 'only in America/New_York' }, () => {
  const len = (t) => { const [a, b] = periodRange(t, 'day'); return (b - a) / 3600; };
  assert.equal(len(L(2024, 3, 10, 12)), 23);
  assert.equal(len(L(2024, 11, 3, 12)), 25);
  assert.deepEqual(todayRange(L(2024, 3, 10, 1, 30), { today_snap_offset: '2h' }).map(show),
    ['2024-03-09 02:00:00 (UTC-5)', '2024-03-10 03:00:00 (UTC-4)'], '02:00 does not exist that night: the next day starts at 03:00');
});
