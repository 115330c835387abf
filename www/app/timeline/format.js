// format.js: the timeline's own short texts, DOM-free: compact clock times for ticks and
// cards ("14:30", "2 pm"), tick labels per tick step, and the labels of period blocks
// ("Mon 5", "W6", "Feb", "Q1 2024"). Durations, dates and range titles are the app's
// (../common/format.js); the calendar is ../common/calendar.js.

import { weekNumber } from '../common/calendar.js';
import { MONTHS, WEEKDAYS, pad2, usesAmPm } from '../common/format.js';

/** Clock time of t: "14:30" or "2:30 pm" / "2 pm" per time_repr; `seconds` adds ":05". */
export function formatClock(t, repr = 'auto', seconds = false) {
  const x = new Date(t * 1000);
  const h = x.getHours();
  const m = x.getMinutes();
  const sec = seconds ? `:${pad2(x.getSeconds())}` : '';
  if (repr === '24h' || !usesAmPm(repr)) return `${pad2(h)}:${pad2(m)}${sec}`;
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const suffix = h < 12 ? 'am' : 'pm';
  if (m === 0 && !seconds) return `${h12} ${suffix}`;
  return `${h12}:${pad2(m)}${sec} ${suffix}`;
}

/** "Mon 5" */
export function dayLabel(t) {
  const x = new Date(t * 1000);
  return `${WEEKDAYS[x.getDay()]} ${x.getDate()}`;
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

/** The label of a period block: weekday and date, W##, month, Q#, year. */
export function blockLabel(t, unit, fdow = 1) {
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
