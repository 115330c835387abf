// periods.js: the period blocks shown for spans longer than a couple of days, DOM-free:
// which period fits a span, the periods inside a range (from the app's calendar,
// ../common/calendar.js), and the per-period totals per primary tag.

import { periodStarts, addTime } from '../common/calendar.js';

/** Block unit for a visible span: days for about a week, weeks for a month or 7 weeks, months
 * for a quarter or a year, quarters for two years, years beyond. */
export function blockUnit(span) {
  const day = 86400;
  if (span <= 12 * day) return 'day';
  if (span <= 70 * day) return 'week';
  if (span <= 400 * day) return 'month';
  if (span <= 800 * day) return 'quarter';
  return 'year';
}

/** The periods of `unit` overlapping [t1, t2], as [{t1, t2}] in order. */
export function periodsIn(t1, t2, unit, fdow = 1, max = 1000) {
  return periodStarts(t1, t2, unit, fdow, max).map((a) => ({ t1: a, t2: addTime(a, unit, 1) }));
}

/**
 * Per-period totals. `records` are {t1, t2, ds}; running records (t1 == t2) end at `now`.
 * `primaryTags(ds)` gives the tags that get bars (secondary tags left out; "#untagged" when none);
 * `isSelected(ds)` (optional) says whether a record counts for the selected-tags total.
 * Time is split across periods where a record crosses a boundary.
 * Returns [{t1, t2, total, selected, tags: [[tag, secs], ...] largest first}].
 */
export function aggregatePeriods(records, periods, { now, primaryTags, isSelected } = {}) {
  const acc = periods.map((p) => ({ t1: p.t1, t2: p.t2, total: 0, selected: 0, tagMap: new Map() }));
  if (!periods.length) return [];
  const starts = periods.map((p) => p.t1);
  const lastEnd = periods[periods.length - 1].t2;
  for (const r of records) {
    const r1 = r.t1;
    const r2 = r.t1 === r.t2 ? Math.max(now ?? r.t2, r.t1) : r.t2;
    if (r2 <= starts[0] || r1 >= lastEnd) continue;
    let tags = null;
    let sel = null;
    // First period whose end is after r1 (binary search on starts).
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= r1) lo = mid;
      else hi = mid - 1;
    }
    for (let i = lo; i < acc.length && acc[i].t1 < r2; i++) {
      const a = acc[i];
      const secs = Math.min(r2, a.t2) - Math.max(r1, a.t1);
      if (secs <= 0) continue;
      if (tags === null) {
        tags = primaryTags ? primaryTags(r.ds || '') : ['#untagged'];
        sel = isSelected ? !!isSelected(r.ds || '') : false;
      }
      a.total += secs;
      if (sel) a.selected += secs;
      for (const tag of tags) a.tagMap.set(tag, (a.tagMap.get(tag) || 0) + secs);
    }
  }
  return acc.map(({ tagMap, ...rest }) => ({
    ...rest,
    tags: [...tagMap].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)),
  }));
}
