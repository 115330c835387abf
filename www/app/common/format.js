// format.js: the app's text for times, DOM-free: durations (the synced duration_repr), clock
// times (time_repr), dates (date_repr), the title of a range, report and chart period names,
// and the export formats. English month and day names, as TimeTagger's. The calendar maths
// behind them (periods, week numbers, day starts) is in calendar.js.

import { exactPeriod, periodRange, weekNumber, dateKey } from './calendar.js';

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];
export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export const pad2 = (n) => String(n).padStart(2, '0');
const toDate = (t) => new Date(t * 1000);

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

let twelveHour = null;
/** Does the browser's locale show a 12-hour clock? (time_repr 'auto'). */
export function localeUses12h() {
  if (twelveHour === null) {
    try {
      const o = new Intl.DateTimeFormat(undefined, { hour: 'numeric' }).resolvedOptions();
      twelveHour = o.hourCycle ? o.hourCycle === 'h11' || o.hourCycle === 'h12' : !!o.hour12;
    } catch { twelveHour = false; }
  }
  return twelveHour;
}

/** Does time_repr ask for am/pm? */
export const usesAmPm = (repr) => repr === 'ampm' || (repr === 'auto' && localeUses12h());

/** Time of day of Unix time t: "13:45" or "1:45 pm". repr: 'auto' | '24h' | 'ampm'. */
export function formatTime(t, repr = '24h', { seconds = false } = {}) {
  const d = toDate(t);
  const mm = pad2(d.getMinutes()) + (seconds ? ':' + pad2(d.getSeconds()) : '');
  if (!usesAmPm(repr)) return `${pad2(d.getHours())}:${mm}`;
  const h = d.getHours() % 12 || 12;
  return `${h}:${mm} ${d.getHours() < 12 ? 'am' : 'pm'}`;
}

/** Date of Unix time t. repr: 'yyyy-mm-dd' | 'dd-mm-yyyy' (default, as TimeTagger) | 'mm/dd/yyyy'. */
export function formatDate(t, repr = 'dd-mm-yyyy') {
  const d = toDate(t);
  const y = d.getFullYear(), m = pad2(d.getMonth() + 1), dd = pad2(d.getDate());
  if (repr === 'yyyy-mm-dd') return `${y}-${m}-${dd}`;
  if (repr === 'mm/dd/yyyy') return `${m}/${dd}/${y}`;
  return `${dd}-${m}-${y}`;
}

/** "Mon 5 Feb 2024" */
export function dateLong(t) {
  const x = toDate(t);
  return `${WEEKDAYS[x.getDay()]} ${x.getDate()} ${MONTHS[x.getMonth()]} ${x.getFullYear()}`;
}

/** Local "HH:MM" (reports always show 24 h, as TimeTagger's do). */
export function formatHM(t) {
  const d = toDate(t);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** Local "YYYY-MM-DD HH:MM:SS" (TimeTagger's "Local" export format). */
export function formatLocal(t) {
  const d = toDate(t);
  return `${dateKey(t)} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** UTC "YYYY-MM-DDTHH:MM:SSZ" (TimeTagger's "ISO 8601" export format). */
export function formatISO(t) {
  return new Date(t * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The title of a range [t1, t2): "Mon 5 Feb 2024", "Week 6 · 5–11 Feb 2024", "February 2024",
 * "Q1 2024", "2024", "2020–2029", "Mon 5 Feb 2024, 09:00 – 15:00", "Mon 5 Feb 21:00 – Tue 6
 * Feb 09:00 2024", "3 Feb – 19 Feb 2024" (the last day shown is the one t2 ends).
 */
export function rangeLabel(t1, t2, fdow = 1, repr = '24h') {
  const a = toDate(t1), b = toDate(t2 - 1);
  const dm = (d) => `${d.getDate()} ${MONTHS[d.getMonth()]}`;
  const p = exactPeriod(t1, t2, fdow);
  if (p === 'day') return dateLong(t1);
  if (p === 'week') {
    const span = a.getMonth() === b.getMonth() ? `${a.getDate()}–${dm(b)}` : `${dm(a)} – ${dm(b)}`;
    return `Week ${weekNumber(t1, fdow).week} · ${span} ${b.getFullYear()}`;
  }
  if (p === 'month') return `${MONTHS_LONG[a.getMonth()]} ${a.getFullYear()}`;
  if (p === 'quarter') return `Q${Math.floor(a.getMonth() / 3) + 1} ${a.getFullYear()}`;
  if (p === 'year') return String(a.getFullYear());
  const [y1] = periodRange(t1, 'year');
  const [y2] = periodRange(t2, 'year');
  if (Math.abs(y1 - t1) < 1 && Math.abs(y2 - t2) < 1 && t2 - t1 > 360 * 86400) return `${a.getFullYear()}–${b.getFullYear()}`;
  if (t2 - t1 <= 2 * 86400 + 7200) {
    if (dateKey(t1) === dateKey(t2 - 1)) return `${dateLong(t1)}, ${formatTime(t1, repr)} – ${formatTime(t2, repr)}`;
    const e = toDate(t2);
    return `${WEEKDAYS[a.getDay()]} ${dm(a)} ${formatTime(t1, repr)} – ${WEEKDAYS[e.getDay()]} ${dm(e)} ${formatTime(t2, repr)} ${b.getFullYear()}`;
  }
  if (a.getFullYear() === b.getFullYear()) return `${dm(a)} – ${dm(b)} ${b.getFullYear()}`;
  return `${dm(a)} ${a.getFullYear()} – ${dm(b)} ${b.getFullYear()}`;
}

/** TimeTagger's period names in reports and charts: day = the date in date_repr, week
 * "2024W6", month "Feb 2024", quarter "2024Q1", year "2024". */
export function periodName(t, period, { firstDay = 1, dateRepr = 'dd-mm-yyyy' } = {}) {
  const d = toDate(t);
  switch (period) {
    case 'day': return formatDate(t, dateRepr);
    case 'week': { const w = weekNumber(t, firstDay); return `${w.year}W${w.week}`; }
    case 'month': return `${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
    case 'quarter': return `${d.getFullYear()}Q${Math.floor(d.getMonth() / 3) + 1}`;
    case 'year': return String(d.getFullYear());
    default: return '';
  }
}

/** "today", "yesterday", "N days ago" (calendar days) for autocomplete's "last used". */
export function agoLabel(t, now) {
  const [today] = periodRange(now, 'day');
  if (t >= today) return 'today';
  const [day] = periodRange(t, 'day');
  const days = Math.round((today - day) / 86400);
  return days <= 1 ? 'yesterday' : `${days} days ago`;
}
