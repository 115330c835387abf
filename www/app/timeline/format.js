// format.js: the timeline's text, DOM-free: durations in the synced duration_repr,
// clock times in time_repr (auto/24h/ampm), tick and period-block labels, and the sentence that
// describes a range (header and screen-reader label). English month and day names, like
// TimeTagger's headers.

import { weekNumber, floorTime, addTime } from './calendar.js';
import { formatDuration as appFormatDuration, MONTHS, MONTHS_LONG, WEEKDAYS } from '../common/format.js';

// Names shared with the rest of the app (format.js), re-exported for the timeline modules.
export { MONTHS, MONTHS_LONG, WEEKDAYS as DAYS };

const pad = (n) => String(n).padStart(2, '0');

/** A duration as the duration_repr setting says; `withSeconds` for running records. The app's
 * own formatter (format.js), so durations read the same in the timeline and everywhere else. */
export function formatDuration(secs, repr = 'hms', withSeconds = false) {
  return appFormatDuration(secs, repr, { seconds: withSeconds });
}

let autoAmPm = null;
/** Does the browser's locale show times with am/pm? (time_repr "auto"). */
export function localeUsesAmPm() {
  if (autoAmPm === null) {
    try {
      const hc = new Intl.DateTimeFormat(undefined, { hour: 'numeric' }).resolvedOptions().hourCycle;
      autoAmPm = hc === 'h11' || hc === 'h12';
    } catch {
      autoAmPm = false;
    }
  }
  return autoAmPm;
}

/** Clock time of t: "14:30" or "2:30 pm" / "2 pm" per time_repr; `seconds` adds ":05". */
export function formatClock(t, repr = 'auto', seconds = false) {
  const x = new Date(t * 1000);
  const h = x.getHours();
  const m = x.getMinutes();
  const sec = seconds ? `:${pad(x.getSeconds())}` : '';
  const ampm = repr === 'ampm' || (repr !== '24h' && localeUsesAmPm());
  if (!ampm) return `${pad(h)}:${pad(m)}${sec}`;
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const suffix = h < 12 ? 'am' : 'pm';
  if (m === 0 && !seconds) return `${h12} ${suffix}`;
  return `${h12}:${pad(m)}${sec} ${suffix}`;
}

/** "Mon 5" */
export function dayLabel(t) {
  const x = new Date(t * 1000);
  return `${WEEKDAYS[x.getDay()]} ${x.getDate()}`;
}

/** "Mon 5 Feb 2024" */
export function dateLong(t) {
  const x = new Date(t * 1000);
  return `${WEEKDAYS[x.getDay()]} ${x.getDate()} ${MONTHS[x.getMonth()]} ${x.getFullYear()}`;
}

/** The label of a tick of `step` (from TICK_STEPS) at t. */
export function tickLabel(t, step, repr = 'auto', fdow = 1) {
  const x = new Date(t * 1000);
  switch (step.unit) {
    case 'second':
      return formatClock(t, repr, true);
    case 'minute':
    case 'hour':
      if (x.getHours() === 0 && x.getMinutes() === 0) return dayLabel(t);
      return formatClock(t, repr);
    case 'day':
      if (x.getDate() === 1) return `${x.getDate()} ${MONTHS[x.getMonth()]}`;
      return dayLabel(t);
    case 'week':
      return `W${weekNumber(t, fdow).week} ${x.getDate()} ${MONTHS[x.getMonth()]}`;
    case 'month':
      if (x.getMonth() === 0) return `${MONTHS[0]} ${x.getFullYear()}`;
      return step.n === 3 ? `Q${Math.floor(x.getMonth() / 3) + 1}` : MONTHS[x.getMonth()];
    default:
      return String(x.getFullYear());
  }
}

/** The label of a period block: weekday+date, W##, month, Q#, year. */
export function periodLabel(t, unit, fdow = 1) {
  const x = new Date(t * 1000);
  switch (unit) {
    case 'day':
      return dayLabel(t);
    case 'week':
      return `W${weekNumber(t, fdow).week}`;
    case 'month':
      return MONTHS[x.getMonth()] + (x.getMonth() === 0 ? ` ${x.getFullYear()}` : '');
    case 'quarter':
      return `Q${Math.floor(x.getMonth() / 3) + 1}` + (x.getMonth() === 0 ? ` ${x.getFullYear()}` : '');
    default:
      return String(x.getFullYear());
  }
}

function sameRange(t1, t2, unit, n, fdow) {
  const a = floorTime(t1, unit, n, fdow);
  return Math.abs(a - t1) < 1 && Math.abs(addTime(a, unit, n) - t2) < 1;
}

/**
 * Words for the range [t1, t2]: "Mon 5 Feb 2024", "Week 6, 5–11 Feb 2024", "February 2024",
 * "Q1 2024", "2024", "2020–2029", or "5 Feb 09:00 – 6 Feb 17:00 2024"-style spans.
 */
export function describeRange(t1, t2, fdow = 1, repr = 'auto') {
  const a = new Date(t1 * 1000);
  const bIncl = new Date((t2 - 1) * 1000);
  const y = a.getFullYear();
  if (sameRange(t1, t2, 'day', 1, fdow)) return dateLong(t1);
  if (sameRange(t1, t2, 'week', 1, fdow)) {
    const w = weekNumber(t1, fdow).week;
    const m1 = MONTHS[a.getMonth()];
    const m2 = MONTHS[bIncl.getMonth()];
    const days = m1 === m2 ? `${a.getDate()}–${bIncl.getDate()} ${m2}` : `${a.getDate()} ${m1} – ${bIncl.getDate()} ${m2}`;
    return `Week ${w}, ${days} ${bIncl.getFullYear()}`;
  }
  if (sameRange(t1, t2, 'month', 1, fdow)) return `${MONTHS_LONG[a.getMonth()]} ${y}`;
  if (sameRange(t1, t2, 'month', 3, fdow)) return `Q${Math.floor(a.getMonth() / 3) + 1} ${y}`;
  if (sameRange(t1, t2, 'year', 1, fdow)) return String(y);
  if (a.getMonth() === 0 && a.getDate() === 1 && a.getHours() === 0 && t2 - t1 > 360 * 86400) {
    const b = new Date(t2 * 1000);
    if (b.getMonth() === 0 && b.getDate() === 1 && b.getHours() === 0) return `${y}–${b.getFullYear() - 1}`;
  }
  const span = t2 - t1;
  if (span <= 2 * 86400 + 7200) {
    const sameDay = a.toDateString() === bIncl.toDateString();
    const from = `${formatClock(t1, repr)}`;
    const to = `${formatClock(t2, repr)}`;
    if (sameDay) return `${dateLong(t1)}, ${from} – ${to}`;
    return `${dayLabel(t1)} ${MONTHS[a.getMonth()]} ${from} – ${dayLabel(t2)} ${MONTHS[new Date(t2 * 1000).getMonth()]} ${to} ${bIncl.getFullYear()}`;
  }
  const left = `${a.getDate()} ${MONTHS[a.getMonth()]}${a.getFullYear() !== bIncl.getFullYear() ? ' ' + a.getFullYear() : ''}`;
  return `${left} – ${bIncl.getDate()} ${MONTHS[bIncl.getMonth()]} ${bIncl.getFullYear()}`;
}
