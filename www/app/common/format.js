// format.js: durations, times, dates, week numbers and calendar ranges in the browser's local
// time zone, with the synced format settings of reference §4.1 (duration_repr, time_repr,
// date_repr, first_day_of_week, today offsets). DOM-free; tests set TZ.

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];
export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export const pad2 = (n) => String(n).padStart(2, '0');

/**
 * A duration in seconds as text. repr: 'hms' ("2h01m", "5m", "42s"), 'dhms' ("1d03h20m"),
 * 'colon' ("27:20"). With seconds: true the seconds are shown too (running records).
 */
export function formatDuration(sec, repr = 'hms', { seconds = false } = {}) {
  sec = Math.max(0, Math.round(sec));
  if (!seconds && repr !== 'colon') {
    if (sec < 60) return sec + 's';
    sec = Math.round(sec / 60) * 60;
  }
  if (repr === 'colon') {
    if (!seconds) {
      const m = Math.round(sec / 60);
      return `${Math.floor(m / 60)}:${pad2(m % 60)}`;
    }
    return `${Math.floor(sec / 3600)}:${pad2(Math.floor(sec / 60) % 60)}:${pad2(sec % 60)}`;
  }
  let d = 0, h = Math.floor(sec / 3600);
  const m = Math.floor(sec / 60) % 60, s = sec % 60;
  if (repr === 'dhms' && h >= 24) { d = Math.floor(h / 24); h %= 24; }
  let out = '';
  if (d) out += d + 'd' + pad2(h) + 'h' + pad2(m) + 'm';
  else if (h) out += h + 'h' + pad2(m) + 'm';
  else if (m || !seconds) out += m + 'm';
  if (seconds) out += (out ? pad2(s) : s) + 's';
  return out;
}

/** Does this locale use a 12-hour clock? (time_repr 'auto'). */
export function localeUses12h() {
  try {
    return !!new Intl.DateTimeFormat(undefined, { hour: 'numeric' }).resolvedOptions().hour12;
  } catch { return false; }
}

/** Time of day of Unix time t. repr: 'auto' | '24h' | 'ampm'. */
export function formatTime(t, repr = '24h', { seconds = false } = {}) {
  const d = new Date(t * 1000);
  const ampm = repr === 'ampm' || (repr === 'auto' && localeUses12h());
  const mm = pad2(d.getMinutes()) + (seconds ? ':' + pad2(d.getSeconds()) : '');
  if (!ampm) return `${pad2(d.getHours())}:${mm}`;
  const h = d.getHours() % 12 || 12;
  return `${h}:${mm} ${d.getHours() < 12 ? 'am' : 'pm'}`;
}

/** Date of Unix time t. repr: 'yyyy-mm-dd' | 'dd-mm-yyyy' (default) | 'mm/dd/yyyy'. */
export function formatDate(t, repr = 'dd-mm-yyyy') {
  const d = new Date(t * 1000);
  const y = d.getFullYear(), m = pad2(d.getMonth() + 1), dd = pad2(d.getDate());
  if (repr === 'yyyy-mm-dd') return `${y}-${m}-${dd}`;
  if (repr === 'mm/dd/yyyy') return `${m}/${dd}/${y}`;
  return `${dd}-${m}-${y}`;
}

/** 'YYYY-MM-DD' of Unix time t, as <input type=date> wants it. */
export function dateKey(t) {
  return formatDate(t, 'yyyy-mm-dd');
}

/** Unix time of local midnight of a 'YYYY-MM-DD' text plus `secs` seconds (DST-safe), or null. */
export function fromDateKey(key, secs = 0) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key || '');
  if (!m) return null;
  const h = Math.floor(secs / 3600), mi = Math.floor(secs / 60) % 60, s = secs % 60;
  return new Date(+m[1], +m[2] - 1, +m[3], h, mi, s).getTime() / 1000;
}

/** Seconds since local midnight of Unix time t. */
export function secondsOfDay(t) {
  const d = new Date(t * 1000);
  return d.getHours() * 3600 + d.getMinutes() * 60 + d.getSeconds();
}

/** Start of the week containing Date d (local), for first day of week fdow (0 Sun, 1 Mon, 6 Sat). */
export function weekStart(d, fdow = 1) {
  const x = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  const back = (x.getDay() - fdow + 7) % 7;
  x.setDate(x.getDate() - back);
  return x;
}

/**
 * Week number of Date d: ISO 8601's rule shifted to the chosen week start, as TimeTagger does.
 * A week belongs to the year that holds its fourth day; week 1 is the first such week.
 * Returns { year, week }.
 */
export function weekNumber(d, fdow = 1) {
  const start = weekStart(d, fdow);
  const mid = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 3);
  const jan1 = new Date(mid.getFullYear(), 0, 1);
  const doy = Math.round((mid - jan1) / 86400000);
  return { year: mid.getFullYear(), week: Math.floor(doy / 7) + 1 };
}

export const PERIODS = ['day', 'week', 'month', 'quarter', 'year'];

/** Local Date at the start of the period containing Date d. */
export function periodStart(d, period, fdow = 1) {
  switch (period) {
    case 'day': return new Date(d.getFullYear(), d.getMonth(), d.getDate());
    case 'week': return weekStart(d, fdow);
    case 'month': return new Date(d.getFullYear(), d.getMonth(), 1);
    case 'quarter': return new Date(d.getFullYear(), d.getMonth() - (d.getMonth() % 3), 1);
    case 'year': return new Date(d.getFullYear(), 0, 1);
    default: throw new Error('unknown period ' + period);
  }
}

/** Date d moved by n periods (calendar-aware: months keep their day when they can). */
export function addPeriod(d, period, n) {
  const x = new Date(d.getTime());
  switch (period) {
    case 'day': x.setDate(x.getDate() + n); break;
    case 'week': x.setDate(x.getDate() + 7 * n); break;
    case 'month': x.setMonth(x.getMonth() + n); break;
    case 'quarter': x.setMonth(x.getMonth() + 3 * n); break;
    case 'year': x.setFullYear(x.getFullYear() + n); break;
    default: throw new Error('unknown period ' + period);
  }
  return x;
}

/** [t1, t2] in Unix seconds of the period containing Unix time t, moved by `offset` periods. */
export function periodRange(t, period, fdow = 1, offset = 0) {
  const start = addPeriod(periodStart(new Date(t * 1000), period, fdow), period, offset);
  const end = addPeriod(start, period, 1);
  return [start.getTime() / 1000, end.getTime() / 1000];
}

/** Parse an offset setting ("", "-3h", "9h", "-12h") into seconds. */
export function parseOffset(v) {
  const m = /^(-?\d+)h$/.exec(String(v || '').trim());
  return m ? parseInt(m[1], 10) * 3600 : 0;
}

/**
 * The "today" range with the synced offsets: today_snap_offset moves the day's start (a day
 * may start at 21:00 the evening before or at 09:00), today_end_offset "-12h" makes it 12 h.
 */
export function todayRange(now, { snapOffset = '', endOffset = '' } = {}) {
  const off = parseOffset(snapOffset);
  let [t1] = periodRange(now - off, 'day');
  t1 = new Date(t1 * 1000);
  const start = new Date(t1.getFullYear(), t1.getMonth(), t1.getDate(), 0, 0, off);
  const end = new Date(t1.getFullYear(), t1.getMonth(), t1.getDate() + 1, 0, 0, off + parseOffset(endOffset));
  return [start.getTime() / 1000, end.getTime() / 1000];
}

/** Which whole calendar period (if any) is [t1, t2) exactly? Returns the period name or null. */
export function exactPeriod(t1, t2, fdow = 1) {
  for (const p of PERIODS) {
    const [a, b] = periodRange(t1, p, fdow);
    if (a === t1 && b === t2) return p;
  }
  return null;
}

/** A header for a visible range: "Mon 5 Feb 2024", "Week 6 · 5–11 Feb 2024", "February 2024",
 * "Q1 2024", "2024", or "5 Feb – 3 Mar 2024". */
export function rangeLabel(t1, t2, fdow = 1) {
  const a = new Date(t1 * 1000), b = new Date((t2 - 1) * 1000);
  const p = exactPeriod(t1, t2, fdow);
  const dm = (d) => `${d.getDate()} ${MONTHS[d.getMonth()]}`;
  if (p === 'day') return `${WEEKDAYS[a.getDay()]} ${dm(a)} ${a.getFullYear()}`;
  if (p === 'week') {
    const w = weekNumber(a, fdow).week;
    const span = a.getMonth() === b.getMonth() ? `${a.getDate()}–${dm(b)}` : `${dm(a)} – ${dm(b)}`;
    return `Week ${w} · ${span} ${b.getFullYear()}`;
  }
  if (p === 'month') return `${MONTHS_LONG[a.getMonth()]} ${a.getFullYear()}`;
  if (p === 'quarter') return `Q${Math.floor(a.getMonth() / 3) + 1} ${a.getFullYear()}`;
  if (p === 'year') return String(a.getFullYear());
  if (dateKey(t1) === dateKey(t2 - 1)) {
    const hm = (d) => `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
    return `${WEEKDAYS[a.getDay()]} ${dm(a)} ${a.getFullYear()}, ${hm(a)} – ${hm(new Date(t2 * 1000))}`;
  }
  if (a.getFullYear() === b.getFullYear()) return `${dm(a)} – ${dm(b)} ${b.getFullYear()}`;
  return `${dm(a)} ${a.getFullYear()} – ${dm(b)} ${b.getFullYear()}`;
}

/** "today", "yesterday", "N days ago" for autocomplete's "last used". */
export function agoLabel(t, now) {
  const [today] = periodRange(now, 'day');
  if (t >= today) return 'today';
  const days = Math.ceil((today - t) / 86400);
  return days <= 1 ? 'yesterday' : `${days} days ago`;
}
