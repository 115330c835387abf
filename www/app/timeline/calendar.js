// calendar.js: the timeline's scales over the app's one calendar (../common/calendar.js),
// DOM-free: zoom scales, snapping a free range to a calendar-aligned one, zoom, step and
// today ranges, tick marks. All times are unix seconds (floats allowed); nothing here reads
// the clock.

import { floorTime, addTime, todayRange } from '../common/calendar.js';

const MIN = 60;
const HOUR = 3600;
const DAY = 86400;
const YEAR = 365.25 * DAY;
const MONTH = YEAR / 12;

/**
 * The zoom scales, finest first (TimeTagger's list). `unit`/`n` say how a period of the scale is
 * built from the calendar; `align` (seconds, sub-day scales only) is the grid a range of that
 * scale starts on, so a 3 h view shows 09:00-12:00 rather than 09:17-12:17.
 */
export const SCALES = [
  { name: '5m', unit: 'minute', n: 5, secs: 5 * MIN, align: MIN },
  { name: '20m', unit: 'minute', n: 20, secs: 20 * MIN, align: 5 * MIN },
  { name: '1h', unit: 'hour', n: 1, secs: HOUR, align: 15 * MIN },
  { name: '3h', unit: 'hour', n: 3, secs: 3 * HOUR, align: HOUR },
  { name: '6h', unit: 'hour', n: 6, secs: 6 * HOUR, align: HOUR },
  { name: '12h', unit: 'hour', n: 12, secs: 12 * HOUR, align: 3 * HOUR },
  { name: '1D', unit: 'day', n: 1, secs: DAY },
  { name: '1W', unit: 'week', n: 1, secs: 7 * DAY },
  { name: '1M', unit: 'month', n: 1, secs: MONTH },
  { name: '7W', unit: 'week', n: 7, secs: 49 * DAY },
  { name: '3M', unit: 'month', n: 3, secs: 3 * MONTH },
  { name: '1Y', unit: 'year', n: 1, secs: YEAR },
  { name: '2Y', unit: 'year', n: 2, secs: 2 * YEAR },
  { name: '5Y', unit: 'year', n: 5, secs: 5 * YEAR },
  { name: '10Y', unit: 'year', n: 10, secs: 10 * YEAR },
  { name: '20Y', unit: 'year', n: 20, secs: 20 * YEAR },
];

/** Spans up to this long show individual records; longer ones show period blocks. Two days plus
 * slack for a DST day and for a pinch that ends a little past two days. */
export const RECORDS_MAX_SPAN = 2 * DAY + 2 * HOUR;

/** The scale whose span is nearest (in log terms) to `span` seconds. */
export function chooseScale(span) {
  let best = SCALES[0];
  let bestDist = Infinity;
  for (const sc of SCALES) {
    const dist = Math.abs(Math.log(Math.max(span, 1) / sc.secs));
    if (dist < bestDist) {
      best = sc;
      bestDist = dist;
    }
  }
  return best;
}

export function scaleByName(name) {
  const sc = SCALES.find((x) => x.name === name);
  if (!sc) throw new Error('unknown scale ' + name);
  return sc;
}

/** The range of scale `sc` around time t: for calendar scales the period containing t; for
 * sub-day scales a range of the scale's length centred on t, its start on the scale's grid. */
export function periodAround(t, sc, fdow = 1) {
  if (sc.unit === 'minute' || sc.unit === 'hour') {
    // The grid is in local time: shift by the UTC offset so 09:00 local is on a 3 h grid.
    const off = -new Date(t * 1000).getTimezoneOffset() * MIN;
    const local = Math.round((t + off - sc.secs / 2) / sc.align) * sc.align - off;
    return [local, local + sc.secs];
  }
  const start = floorTime(t, sc.unit, sc.n, fdow);
  return [start, addTime(start, sc.unit, sc.n)];
}

/** Snap a freely panned/zoomed range to the nearest calendar-aligned range: the scale nearest
 * its span, the period of that scale that contains its middle. */
export function snapRange(t1, t2, fdow = 1) {
  const sc = chooseScale(t2 - t1);
  return periodAround((t1 + t2) / 2, sc, fdow);
}

/** Zoom one scale in (dir +1) or out (dir -1). The new range is the period of the neighbouring
 * scale around `anchor` when given, else around now when now is visible, else the centre. */
export function zoomRange(t1, t2, dir, { anchor, now, fdow = 1 } = {}) {
  const sc = chooseScale(t2 - t1);
  const i = SCALES.indexOf(sc);
  const j = Math.max(0, Math.min(SCALES.length - 1, i - Math.sign(dir)));
  let at = (t1 + t2) / 2;
  if (anchor !== undefined && anchor !== null) at = anchor;
  else if (now !== undefined && now >= t1 && now <= t2) at = now;
  return periodAround(at, SCALES[j], fdow);
}

/** Step forward (+1) or back (-1). Spans under ~22 h move by exactly their length; longer ones
 * by one calendar unit of their scale (day, week, month, quarter; 7W moves by a week; a year or
 * more moves by a year), keeping calendar alignment across DST and month lengths. */
export function stepRange(t1, t2, dir) {
  const span = t2 - t1;
  const k = Math.sign(dir) || 1;
  if (span < 80000) return [t1 + k * span, t2 + k * span];
  const sc = chooseScale(span);
  let unit = sc.unit;
  let n = sc.n;
  if (sc.name === '7W') n = 1;
  if (unit === 'year') n = 1;
  if (unit === 'minute' || unit === 'hour') {
    unit = 'day';
    n = 1;
  }
  return [addTime(t1, unit, k * n), addTime(t2, unit, k * n)];
}

/** The range goToday shows: today with offsets; when that is already shown, a plain day. */
export function todayToggle(cur1, cur2, now, settings = {}) {
  const [a, b] = todayRange(now, settings);
  if (Math.abs(a - cur1) < 1 && Math.abs(b - cur2) < 1) {
    const p = periodAround(now, scaleByName('1D'));
    if (p[0] !== a || p[1] !== b) return p;
  }
  return [a, b];
}

// Tick intervals, finest first, with their rough length for density decisions.
export const TICK_STEPS = [
  { unit: 'second', n: 10, secs: 10 },
  { unit: 'second', n: 30, secs: 30 },
  { unit: 'minute', n: 1, secs: MIN },
  { unit: 'minute', n: 2, secs: 2 * MIN },
  { unit: 'minute', n: 5, secs: 5 * MIN },
  { unit: 'minute', n: 10, secs: 10 * MIN },
  { unit: 'minute', n: 15, secs: 15 * MIN },
  { unit: 'minute', n: 30, secs: 30 * MIN },
  { unit: 'hour', n: 1, secs: HOUR },
  { unit: 'hour', n: 2, secs: 2 * HOUR },
  { unit: 'hour', n: 3, secs: 3 * HOUR },
  { unit: 'hour', n: 6, secs: 6 * HOUR },
  { unit: 'hour', n: 12, secs: 12 * HOUR },
  { unit: 'day', n: 1, secs: DAY },
  { unit: 'week', n: 1, secs: 7 * DAY },
  { unit: 'month', n: 1, secs: MONTH },
  { unit: 'month', n: 3, secs: 3 * MONTH },
  { unit: 'year', n: 1, secs: YEAR },
  { unit: 'year', n: 2, secs: 2 * YEAR },
  { unit: 'year', n: 5, secs: 5 * YEAR },
  { unit: 'year', n: 10, secs: 10 * YEAR },
  { unit: 'year', n: 50, secs: 50 * YEAR },
  { unit: 'year', n: 100, secs: 100 * YEAR },
];

/** Pick tick steps for a density: the finest step at least `majorPx` apart gets labels; a finer
 * one at least `minorPx` apart that nests inside it gives unlabelled grid lines (or null). */
export function chooseTickSteps(secPerPx, majorPx = 40, minorPx = 9) {
  let mi = TICK_STEPS.findIndex((st) => st.secs / secPerPx >= majorPx);
  if (mi < 0) mi = TICK_STEPS.length - 1;
  const major = TICK_STEPS[mi];
  let minor = null;
  for (let i = 0; i < mi; i++) {
    const st = TICK_STEPS[i];
    if (st.secs / secPerPx < minorPx) continue;
    if (nests(st, major)) {
      minor = st;
      break;
    }
  }
  return { major, minor };
}

function nests(inner, outer) {
  if (outer.unit === 'week') return inner.unit === 'day';
  if (inner.unit === 'week') return false;
  if (outer.unit === 'month' || outer.unit === 'year') {
    if (inner.unit === 'month') return outer.unit === 'year' ? 12 % inner.n === 0 : outer.n % inner.n === 0;
    if (inner.unit === 'year') return outer.n % inner.n === 0;
    return inner.unit === 'day';
  }
  // second .. day: exact divisibility of lengths (local DST days still nest hours/minutes).
  return outer.secs % inner.secs === 0;
}

/** Tick times of `step` inside [t1, t2], aligned to the local calendar. */
export function tickTimes(t1, t2, step, fdow = 1, max = 2000) {
  const out = [];
  const { unit, n, secs } = step;
  let t = floorTime(t1, unit, n, fdow);
  if (unit === 'week' && n > 1) t = floorTime(t1, 'week', 1, fdow);
  while (t <= t2 && out.length < max) {
    if (t >= t1) out.push(t);
    let nt;
    if (unit === 'second' || unit === 'minute' || unit === 'hour') {
      // Re-floor after each step so ticks stay on local hours across a DST change.
      nt = floorTime(t + secs * 1.5, unit, n, fdow);
      if (nt <= t) nt = t + secs;
    } else if (unit === 'week') {
      nt = addTime(t, 'week', n);
    } else {
      nt = floorTime(addTime(t, unit, n), unit, n, fdow);
      if (nt <= t) nt = addTime(t, unit, n);
    }
    t = nt;
  }
  return out;
}
