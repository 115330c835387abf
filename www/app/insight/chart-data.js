// chart-data.js: the numbers behind the report's bar chart (chart.js draws them): hours per
// day/week/month stacked by top-level tag, over the Overview's numbers (stats.js). DOM-free;
// loaded with the report, not at start.

import { isHidden } from '../common/tags.js';
import { matchesTags, isSecondary, tagsOf } from './combos.js';
import { periodStarts, addTime } from '../common/calendar.js';
import { periodName, formatDate } from '../common/format.js';
import { overviewStats } from './stats.js';

/** The chart's bucket size for a range: days up to ~5 weeks, weeks up to ~half a year, else months. */
export function chartBucket(t1, t2) {
  const days = (t2 - t1) / 86400;
  if (days <= 35) return 'day';
  if (days <= 190) return 'week';
  return 'month';
}

/**
 * Hours per bucket, stacked by top-level tag: each record goes to the series of the first tag
 * of its combination in overview order (selected tags and hidden secondary tags left out;
 * "General" when none remain). A record spanning buckets is split at their edges.
 * Returns {bucket, buckets: [{start, end, label, seconds, parts: {series: seconds}}],
 *   series: [{key, seconds}] (largest first), maxSeconds}.
 */
export function chartData(records, { t1, t2, now, bucket = null, firstDay = 1, tags = [], exclude = [], tagInfo = null, hideSecondary = true, dateRepr = 'dd-mm-yyyy' }) {
  const b = bucket || chartBucket(t1, t2);
  const starts = periodStarts(t1, t2, b, firstDay);
  const buckets = starts.map((s) => ({ start: Math.max(s, t1), end: Math.min(addTime(s, b, 1), t2), seconds: 0, parts: {},
    label: b === 'day' ? formatDate(s, dateRepr).slice(0, 5).replace(/[-/]$/, '') : periodName(s, b, { firstDay }) }));
  const stats = overviewStats(records, { t1, t2, now, selected: tags, excluded: exclude, tagInfo });
  // series of each combination: its first displayed tag
  const seriesOf = new Map();
  for (const c of stats.combos) {
    const rest = c.rest.filter((t) => !(hideSecondary && isSecondary(t, tagInfo)) && t !== '#untagged');
    seriesOf.set(c.tagz, rest[0] || (c.rest.includes('#untagged') ? '#untagged' : 'General'));
  }
  const totals = {};
  for (const r of records) {
    if (!r || isHidden(r.ds)) continue;
    const end = r.t1 === r.t2 ? Math.max(now, r.t1) : r.t2;
    if (end <= t1 || r.t1 >= t2) continue;
    const rtags = tagsOf(r.ds);
    if (!matchesTags(rtags, tags, exclude)) continue;
    const series = seriesOf.get(rtags.join(' ')) || 'General';
    // binary search the first bucket overlapping the record
    let lo = 0, hi = buckets.length - 1;
    const a0 = Math.max(r.t1, t1);
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (buckets[mid].start <= a0) lo = mid; else hi = mid - 1; }
    for (let i = lo; i < buckets.length && buckets[i].start < end; i++) {
      const k = buckets[i];
      const d = Math.min(end, k.end) - Math.max(r.t1, k.start);
      if (d <= 0) continue;
      k.seconds += d;
      k.parts[series] = (k.parts[series] || 0) + d;
      totals[series] = (totals[series] || 0) + d;
    }
  }
  const series = Object.entries(totals).map(([key, seconds]) => ({ key, seconds })).sort((x, y) => y.seconds - x.seconds || (x.key < y.key ? -1 : 1));
  return { bucket: b, buckets, series, maxSeconds: buckets.reduce((m, k) => Math.max(m, k.seconds), 0) };
}
