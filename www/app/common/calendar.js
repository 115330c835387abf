// calendar.js: the one calendar of the app, DOM-free: day starts, periods (day, week, month,
// quarter, year) and their steps, week numbers for each first day of the week, "today" with
// the synced today offsets, workdays, named ranges, date keys, and the seconds of a record
// inside a range. Everything is in the browser's local time zone and in unix seconds; the
// timeline, the list, the overview, reports and targets all ask here, so they agree.
//
// Day starts are built from the calendar date, never by setting a clock time on another
// instant: where a DST change skips midnight (America/Santiago, America/Havana) a day starts
// at 01:00, and the month, quarter and year still start at their first day's first instant.

const MIN = 60;
const HOUR = 3600;

export const PERIODS = ['day', 'week', 'month', 'quarter', 'year'];

const toDate = (t) => new Date(t * 1000);
const sec = (d) => d.getTime() / 1000;

/** The first instant of local date (y, m, d); m is 0-based and m, d may overflow. */
export function dayStart(y, m, d) {
  const x = new Date(y, m, d);
  const want = new Date(y, m, d, 12); // the same date normalised (noon always exists)
  if (x.getDate() !== want.getDate()) {
    // midnight resolved into the evening before (a DST change at midnight): go to the day
    x.setTime(x.getTime() + (24 * HOUR - (x.getHours() * HOUR + x.getMinutes() * MIN + x.getSeconds())) * 1000);
  }
  return sec(x);
}

/** The instant `secs` of wall-clock time after midnight on local date (y, m, d) (a clock
 * time a DST change skips moves forward; negative secs reach into the day before). */
export function atClock(y, m, d, secs) {
  return sec(new Date(y, m, d, 0, 0, secs));
}

/** Start of the `n`-`unit` calendar period containing t. Units: second, minute, hour, day,
 * week (starting on fdow: 0 Sunday, 1 Monday, 6 Saturday), month, quarter, year; months,
 * quarters and years align to multiples of n. */
export function floorTime(t, unit, n = 1, fdow = 1) {
  const x = toDate(t);
  const y = x.getFullYear(), m = x.getMonth();
  switch (unit) {
    case 'second':
      return Math.floor(t / n) * n;
    case 'minute':
      x.setSeconds(0, 0);
      x.setMinutes(Math.floor(x.getMinutes() / n) * n);
      return sec(x);
    case 'hour':
      x.setMinutes(0, 0, 0);
      x.setHours(Math.floor(x.getHours() / n) * n);
      return sec(x);
    case 'day':
      return dayStart(y, m, x.getDate());
    case 'week':
      return dayStart(y, m, x.getDate() - ((x.getDay() - fdow + 7) % 7));
    case 'month':
      return dayStart(y, Math.floor(m / n) * n, 1);
    case 'quarter':
      return dayStart(y, Math.floor(m / (3 * n)) * 3 * n, 1);
    case 'year':
      return dayStart(Math.floor(y / n) * n, 0, 1);
    default:
      throw new Error('unknown unit ' + unit);
  }
}

/** t moved by k units. Seconds, minutes and hours are absolute; days and longer keep the
 * wall-clock time (a DST day is 23 or 25 h long), and a day start stays a day start. Month
 * steps clamp the day of the month (31 Jan + 1 month = 28/29 Feb). */
export function addTime(t, unit, k) {
  if (unit === 'second') return t + k;
  if (unit === 'minute') return t + k * MIN;
  if (unit === 'hour') return t + k * HOUR;
  const x = toDate(t);
  let y = x.getFullYear(), m = x.getMonth(), d = x.getDate();
  if (unit === 'day') d += k;
  else if (unit === 'week') d += 7 * k;
  else {
    const months = unit === 'month' ? k : unit === 'quarter' ? 3 * k : unit === 'year' ? 12 * k : NaN;
    if (Number.isNaN(months)) throw new Error('unknown unit ' + unit);
    const first = new Date(y, m + months, 1, 12);
    y = first.getFullYear();
    m = first.getMonth();
    d = Math.min(d, new Date(y, m + 1, 0, 12).getDate());
  }
  if (t === dayStart(x.getFullYear(), x.getMonth(), x.getDate())) return dayStart(y, m, d);
  const clock = x.getHours() * HOUR + x.getMinutes() * MIN + x.getSeconds() + x.getMilliseconds() / 1000;
  return atClock(y, m, d, clock);
}

/** [start, end) of the period containing t, moved by `offset` periods. */
export function periodRange(t, period, fdow = 1, offset = 0) {
  const a = addTime(floorTime(t, period, 1, fdow), period, offset);
  return [a, addTime(a, period, 1)];
}

/** Every start of a `period` overlapping [t1, t2), in order (at most `max`). */
export function periodStarts(t1, t2, period, fdow = 1, max = 100000) {
  const out = [];
  for (let a = floorTime(t1, period, 1, fdow); a < t2 && out.length < max; a = addTime(a, period, 1)) out.push(a);
  return out;
}

/** Which whole period, if any, is [t1, t2) exactly (to the second)? A name of PERIODS or null. */
export function exactPeriod(t1, t2, fdow = 1) {
  for (const p of PERIODS) {
    const [a, b] = periodRange(t1, p, fdow);
    if (Math.abs(a - t1) < 1 && Math.abs(b - t2) < 1) return p;
  }
  return null;
}

/** Week number and its year: ISO 8601's rule (a week belongs to the year of its fourth day)
 * shifted to the chosen first day of the week, as TimeTagger does; Monday gives ISO weeks. */
export function weekNumber(t, fdow = 1) {
  const s = toDate(floorTime(t, 'week', 1, fdow));
  // calendar days counted in UTC, where every day has 24 hours
  const mid = new Date(Date.UTC(s.getFullYear(), s.getMonth(), s.getDate() + 3));
  const doy = Math.round((mid - Date.UTC(mid.getUTCFullYear(), 0, 1)) / 864e5);
  return { year: mid.getUTCFullYear(), week: Math.floor(doy / 7) + 1 };
}

/** An offset setting ("", "-3h", "9h", "-12h") in seconds. */
export function parseOffset(v) {
  const m = /^(-?\d+)h$/.exec(String(v ?? '').trim());
  return m ? parseInt(m[1], 10) * HOUR : 0;
}

/**
 * "Today" as TimeTagger's synced settings say: today_snap_offset ("" or "-3h" .. "9h") is the
 * wall-clock time the day starts (21:00 the evening before .. 09:00), today_end_offset ("" or
 * "-12h") makes it a 12-hour day. The day is the one whose start <= now < next day's start,
 * counted on the wall clock, so a DST change in the night does not move "today".
 */
export function todayRange(now, settings = {}) {
  const off = parseOffset(settings.today_snap_offset);
  const end = parseOffset(settings.today_end_offset);
  const x = toDate(now);
  let y = x.getFullYear(), m = x.getMonth(), d = x.getDate();
  const start = (dd) => (off ? atClock(y, m, dd, off) : dayStart(y, m, dd));
  if (now < start(d)) d -= 1;
  else if (now >= start(d + 1)) d += 1;
  const t2 = off + end ? atClock(y, m, d + 1, off + end) : dayStart(y, m, d + 1);
  return [start(d), t2];
}

/** Is the local day of t a workday under the synced `workdays` setting (0: every day,
 * 1: Sunday free, 2: Saturday and Sunday free)? */
export function isWorkday(t, workdays = 0) {
  const wd = toDate(t).getDay();
  if (workdays >= 2 && wd === 6) return false;
  if (workdays >= 1 && wd === 0) return false;
  return true;
}

/** Workdays in [t1, t2) in (fractional) days: a partial day counts by the part of it inside. */
export function workdaysIn(t1, t2, workdays = 0) {
  let n = 0;
  for (let a = floorTime(t1, 'day'); a < t2;) {
    const b = addTime(a, 'day', 1);
    if (isWorkday(a, workdays)) {
      const overlap = Math.min(b, t2) - Math.max(a, t1);
      if (overlap > 0) n += overlap / (b - a);
    }
    a = b;
  }
  return n;
}

export const PRESETS = ['today', 'yesterday', 'thisweek', 'lastweek', 'thismonth', 'lastmonth',
  'thisquarter', 'lastquarter', 'thisyear', 'lastyear'];

/** A named range ("today", "lastweek", ... PRESETS) around now: [t1, t2). */
export function presetRange(name, now, fdow = 1) {
  const m = /^(today|yesterday|this|last)(week|month|quarter|year)?$/.exec(name);
  if (!m || (m[1] === 'today' || m[1] === 'yesterday') === !!m[2]) throw new Error('unknown preset ' + name);
  const period = m[2] || 'day';
  const back = m[1] === 'yesterday' || m[1] === 'last' ? -1 : 0;
  return periodRange(now, period, fdow, back);
}

const pad2 = (n) => String(n).padStart(2, '0');

/** 'YYYY-MM-DD' of the local day of t (date inputs, file names, #date= links). */
export function dateKey(t) {
  const x = toDate(t);
  return `${x.getFullYear()}-${pad2(x.getMonth() + 1)}-${pad2(x.getDate())}`;
}

/** The start of the local day 'YYYY-MM-DD', plus `secs` of wall-clock time; null if not a date. */
export function fromDateKey(key, secs = 0) {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(String(key ?? '').trim());
  if (!m) return null;
  return secs ? atClock(+m[1], +m[2] - 1, +m[3], secs) : dayStart(+m[1], +m[2] - 1, +m[3]);
}

/** Wall-clock seconds since midnight of t. */
export function secondsOfDay(t) {
  const x = toDate(t);
  return x.getHours() * HOUR + x.getMinutes() * MIN + x.getSeconds();
}

/** Seconds of record r ({t1, t2}; running when t1 == t2, then until now) inside [a, b). */
export function recordSeconds(r, a, b, now) {
  const end = r.t1 === r.t2 ? Math.max(now, r.t1) : r.t2;
  return Math.max(0, Math.min(end, b) - Math.max(r.t1, a));
}
