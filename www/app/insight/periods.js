// periods.js: calendar periods in the browser's time zone (day, week, month, quarter, year)
// for reports, targets and charts: flooring, stepping, labels, week numbers that respect
// first_day_of_week, workday counting, and date/time text in the synced date_repr. DOM-free.

export const PERIODS = ['day', 'week', 'month', 'quarter', 'year'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n) => String(n).padStart(2, '0');
const toDate = (t) => new Date(t * 1000);
const toUnix = (d) => Math.floor(d.getTime() / 1000);

/** Start (unix s) of the period containing t. Weeks start on firstDay (0 Sun, 1 Mon, 6 Sat). */
export function floorPeriod(t, period, firstDay = 1) {
  const d = toDate(t);
  d.setHours(0, 0, 0, 0);
  switch (period) {
    case 'day': break;
    case 'week': d.setDate(d.getDate() - ((d.getDay() - firstDay + 7) % 7)); break;
    case 'month': d.setDate(1); break;
    case 'quarter': d.setDate(1); d.setMonth(d.getMonth() - (d.getMonth() % 3)); break;
    case 'year': d.setMonth(0, 1); break;
    default: throw new Error('unknown period ' + period);
  }
  return toUnix(d);
}

/** Start of the period n steps after the one starting at t (t must be a period start). */
export function addPeriods(t, period, n = 1) {
  const d = toDate(t);
  switch (period) {
    case 'day': d.setDate(d.getDate() + n); break;
    case 'week': d.setDate(d.getDate() + 7 * n); break;
    case 'month': d.setMonth(d.getMonth() + n); break;
    case 'quarter': d.setMonth(d.getMonth() + 3 * n); break;
    case 'year': d.setFullYear(d.getFullYear() + n); break;
    default: throw new Error('unknown period ' + period);
  }
  return toUnix(d);
}

/** [start, end) of the period containing t. */
export function periodRange(t, period, firstDay = 1) {
  const a = floorPeriod(t, period, firstDay);
  return [a, addPeriods(a, period, 1)];
}

/** Every period start in [t1, t2): the buckets of a chart or of period grouping. */
export function periodStarts(t1, t2, period, firstDay = 1) {
  const out = [];
  for (let a = floorPeriod(t1, period, firstDay); a < t2; a = addPeriods(a, period, 1)) out.push(a);
  return out;
}

/** Week number and its year: ISO 8601's rule (the week belongs to the year of its 4th day)
 * shifted to the chosen first day of the week, so Monday gives exactly the ISO week. */
export function weekNumber(t, firstDay = 1) {
  const start = toDate(floorPeriod(t, 'week', firstDay));
  const mid = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 3);
  const jan1 = new Date(mid.getFullYear(), 0, 1);
  const dayOfYear = Math.round((mid - jan1) / 86400000);
  return { year: mid.getFullYear(), week: Math.floor(dayOfYear / 7) + 1 };
}

/** TimeTagger's report period labels: day = date in date_repr, week "2024W6",
 * month "Feb 2024", quarter "2024Q1", year "2024". */
export function periodLabel(t, period, { firstDay = 1, dateRepr = 'dd-mm-yyyy' } = {}) {
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

/** A date in one of TimeTagger's date_repr formats (default dd-mm-yyyy, as upstream). */
export function formatDate(t, dateRepr = 'dd-mm-yyyy') {
  const d = toDate(t);
  const y = d.getFullYear(), m = pad2(d.getMonth() + 1), day = pad2(d.getDate());
  if (dateRepr === 'yyyy-mm-dd') return `${y}-${m}-${day}`;
  if (dateRepr === 'mm/dd/yyyy') return `${m}/${day}/${y}`;
  return `${day}-${m}-${y}`;
}

/** Local "HH:MM" (reports always show 24 h, as TimeTagger's do). */
export function formatHM(t) {
  const d = toDate(t);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** Local "YYYY-MM-DD HH:MM:SS" (TimeTagger's "Local" export format). */
export function formatLocal(t) {
  const d = toDate(t);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ` +
    `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** UTC "YYYY-MM-DDTHH:MM:SSZ" (TimeTagger's "ISO 8601" export format). */
export function formatISO(t) {
  return new Date(t * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Local "YYYY-MM-DD" for file names and date inputs. */
export function isoDay(t) {
  const d = toDate(t);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** Parse "YYYY-MM-DD" as local midnight (unix s), or NaN. */
export function parseIsoDay(s) {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(String(s).trim());
  if (!m) return NaN;
  return toUnix(new Date(+m[1], +m[2] - 1, +m[3]));
}

/** Is the local day containing t a workday under the synced `workdays` setting
 * (0 = Mon-Sun all work, 1 = Sunday free, 2 = Saturday and Sunday free)? */
export function isWorkday(t, workdays = 0) {
  const wd = toDate(t).getDay();
  if (workdays >= 2 && wd === 6) return false;
  if (workdays >= 1 && wd === 0) return false;
  return true;
}

/** Workdays in [t1, t2), counted in (possibly fractional) days: a partial day counts by
 * the fraction of it inside the span, so "expected by now" can be computed mid-day. */
export function workdaysIn(t1, t2, workdays = 0) {
  let n = 0;
  for (let a = floorPeriod(t1, 'day'); a < t2; ) {
    const b = addPeriods(a, 'day', 1);
    if (isWorkday(a, workdays)) {
      const overlap = Math.min(b, t2) - Math.max(a, t1);
      if (overlap > 0) n += overlap / (b - a);
    }
    a = b;
  }
  return n;
}

/** Named ranges for the report and export dialogs: [t1, t2) in unix s. */
export function presetRange(name, now, firstDay = 1) {
  const step = (period, n) => {
    const a = addPeriods(floorPeriod(now, period, firstDay), period, n);
    return [a, addPeriods(a, period, 1)];
  };
  switch (name) {
    case 'today': return step('day', 0);
    case 'yesterday': return step('day', -1);
    case 'thisweek': return step('week', 0);
    case 'lastweek': return step('week', -1);
    case 'thismonth': return step('month', 0);
    case 'lastmonth': return step('month', -1);
    case 'thisquarter': return step('quarter', 0);
    case 'lastquarter': return step('quarter', -1);
    case 'thisyear': return step('year', 0);
    case 'lastyear': return step('year', -1);
    default: throw new Error('unknown preset ' + name);
  }
}
