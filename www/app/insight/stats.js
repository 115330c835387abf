// stats.js: the numbers behind the Overview panel: time per exact tag combination in a range
// (running records counted to now, partial overlaps clipped), drill-down by selected and
// excluded tags, totals. The report's bar chart builds on them (chart-data.js). DOM-free.

import { isHidden } from '../common/tags.js';
import { orderCombos, matchesTags, tagsOf } from './combos.js';

/**
 * Overview numbers for [t1, t2).
 * Returns {rangeSeconds (all visible records), selectionSeconds (those passing the filter),
 *   running (a passing record is running), combos: [{tagz, tags, rest, seconds, running}]
 *   ordered like TimeTagger's overview (rest = tags minus the selected ones, in display order),
 *   tagSeconds: {tag: seconds} over the selection}.
 */
export function overviewStats(records, { t1, t2, now, selected = [], excluded = [], tagInfo = null }) {
  let rangeSeconds = 0, selectionSeconds = 0, anyRunning = false;
  const combos = new Map();
  const tagSeconds = {};
  for (const r of records) {
    if (!r || isHidden(r.ds)) continue;
    const running = r.t1 === r.t2;
    const end = running ? Math.max(now, r.t1) : r.t2;
    const a = Math.max(r.t1, t1), b = Math.min(end, t2);
    if (b < a || (b === a && !(running && r.t1 >= t1 && r.t1 < t2))) continue;
    const d = b - a;
    rangeSeconds += d;
    const tags = tagsOf(r.ds);
    if (!matchesTags(tags, selected, excluded)) continue;
    selectionSeconds += d;
    if (running) anyRunning = true;
    const tagz = tags.join(' ');
    let c = combos.get(tagz);
    if (!c) { c = { tagz, tags, seconds: 0, running: false }; combos.set(tagz, c); }
    c.seconds += d;
    if (running) c.running = true;
    for (const t of tags) tagSeconds[t] = (tagSeconds[t] || 0) + d;
  }
  const sel = new Set(selected);
  const list = orderCombos([...combos.values()].map((c) => ({ ...c, tags: c.tags.filter((t) => !sel.has(t)), all: c.tags })), tagInfo)
    .map((c) => ({ tagz: c.tagz, tags: c.all, rest: c.tags, seconds: c.seconds, running: c.running }));
  return { rangeSeconds, selectionSeconds, running: anyRunning, combos: list, tagSeconds };
}
