// combos.js: what the Overview and the report share, DOM-free: the tags of a description
// (cached), the tag filter, and the order of tag combinations (primary tags first, then by
// time, combos sharing leading tags together). Kept apart from report.js so that the
// Overview, shown at start, does not load the report.

import { parseTags } from '../common/tags.js';

/** Is a tag secondary (taginfo priority 2)? `tagInfo(tagz)` returns the taginfo object. */
export function isSecondary(tag, tagInfo) {
  const info = tagInfo ? tagInfo(tag) : null;
  return !!info && Number(info.priority) === 2;
}

/**
 * Order tag combinations so they read as a hierarchy, the way TimeTagger's overview does:
 * inside each combo, primary tags before secondary ones, then tags with more total time first;
 * then combos sharing leading tags sit together, ordered by the subtotal of the shared prefix,
 * then by their own duration. `combos` is [{tags, seconds, ...}]; returns new objects with
 * `tags` reordered, sorted.
 */
export function orderCombos(combos, tagInfo) {
  const tagTotal = new Map();
  for (const c of combos) for (const t of c.tags) tagTotal.set(t, (tagTotal.get(t) || 0) + c.seconds);
  const sec = new Map();
  const rank = (t) => { if (!sec.has(t)) sec.set(t, isSecondary(t, tagInfo) ? 1 : 0); return sec.get(t); };
  const ordered = combos.map((c) => ({
    ...c,
    tags: [...c.tags].sort((a, b) => rank(a) - rank(b) || tagTotal.get(b) - tagTotal.get(a) || (a < b ? -1 : a > b ? 1 : 0)),
  }));
  const prefixTotal = new Map();
  for (const c of ordered) {
    let p = '';
    for (const t of c.tags) { p += t + ' '; prefixTotal.set(p, (prefixTotal.get(p) || 0) + c.seconds); }
  }
  ordered.sort((a, b) => {
    let p = '';
    const n = Math.min(a.tags.length, b.tags.length);
    for (let i = 0; i < n; i++) {
      if (a.tags[i] !== b.tags[i]) {
        const ta = prefixTotal.get(p + a.tags[i] + ' '), tb = prefixTotal.get(p + b.tags[i] + ' ');
        return tb - ta || (a.tags[i] < b.tags[i] ? -1 : 1);
      }
      p += a.tags[i] + ' ';
    }
    return a.tags.length - b.tags.length || b.seconds - a.seconds;
  });
  return ordered;
}

// Tag sets by description: a year of records repeats its descriptions a lot, and parsing is
// the biggest cost of a report. Bounded so a long session does not grow it without end.
const tagCache = new Map();
/** parseTags with a cache (the result is shared: do not modify it). */
export function tagsOf(ds) {
  const key = ds || '';
  let t = tagCache.get(key);
  if (!t) {
    if (tagCache.size > 50000) tagCache.clear();
    t = parseTags(key);
    tagCache.set(key, t);
  }
  return t;
}

/** Does a record pass a tag filter (all `tags` present, none of `exclude`)? */
export function matchesTags(recordTags, tags = [], exclude = []) {
  for (const t of tags) if (!recordTags.includes(t)) return false;
  for (const t of exclude) if (recordTags.includes(t)) return false;
  return true;
}
