// actions.js: what the first screen does to records, as functions over the store's public
// interface (start, stop, resume), plus the DOM-free analyses it needs (recent tags and
// descriptions, tag usage, tag colours from the synced taginfo settings with the legacy
// "color <tag>" fallback, else the tag's own colour from its name, ../common/palette.js).
// What the dialogs do (delete, restore, duplicate, split, rename tags) is in edits.js.

import { parseTags, isHidden, tagzKey } from '../common/tags.js';
import { defaultTagColor, UNTAGGED_COLOR } from '../common/palette.js';

const nowSec = () => Math.floor(Date.now() / 1000);

/** Tags used by records (hidden ones too, as TimeTagger does), newest use first:
 * [{tag, last, count, seconds}] where seconds counts visible records only. */
export function tagUsage(records, now) {
  const m = new Map();
  for (const r of records) {
    for (const tag of parseTags(r.ds)) {
      if (tag === '#untagged') continue;
      let u = m.get(tag);
      if (!u) m.set(tag, (u = { tag, last: 0, count: 0, seconds: 0 }));
      u.count++;
      if (r.t1 > u.last) u.last = r.t1;
      if (!isHidden(r.ds)) u.seconds += (r.t1 === r.t2 ? Math.max(now, r.t1) : r.t2) - r.t1;
    }
  }
  return [...m.values()].sort((a, b) => b.last - a.last || (a.tag < b.tag ? -1 : 1));
}

/** Distinct descriptions of records started within `maxAge` seconds, newest first. */
export function recentDescriptions(records, now, maxAge = 12 * 7 * 86400) {
  const seen = new Map();
  for (const r of records) {
    if (!r.ds || isHidden(r.ds) || r.t1 < now - maxAge) continue;
    const prev = seen.get(r.ds);
    if (!prev || prev < r.t1) seen.set(r.ds, r.t1);
  }
  return [...seen].sort((a, b) => b[1] - a[1]).map(([ds, last]) => ({ ds, last }));
}

/**
 * The synced tag info of a tag or combo: {color, priority, targets}. Reads `taginfo <tagz>`,
 * falling back to the legacy `color <tag>` and `tag_targets` settings (read, never written).
 */
export function tagInfo(getSetting, tagz) {
  const info = getSetting('taginfo ' + tagz, null);
  const out = { color: '', priority: 0, targets: {} };
  if (info && typeof info === 'object') {
    if (typeof info.color === 'string') out.color = info.color;
    if (info.priority === 2) out.priority = 2;
    if (info.targets && typeof info.targets === 'object') out.targets = { ...info.targets };
  }
  if (!out.color && !tagz.includes(' ')) {
    const legacy = getSetting('color ' + tagz, null);
    if (typeof legacy === 'string') out.color = legacy;
  }
  if (!Object.keys(out.targets).length) {
    const legacy = getSetting('tag_targets', null);
    const t = legacy && legacy[tagz];
    if (t && t.period && typeof t.hours === 'number') out.targets = { [t.period]: t.hours };
  }
  return out;
}

/** The colour of one tag: the one set for it, else its own from its name. */
export function tagColor(getSetting, tag) {
  return tagInfo(getSetting, tag).color || defaultTagColor(tag);
}

/** One colour for a record's tag list: the combo's own colour, else the first primary tag that
 * has a colour set, else the first tag that has one, else the own colour of the first primary
 * tag (of the first tag when all are secondary); grey without tags. */
export function colorForTags(getSetting, tags) {
  const list = tags.filter((t) => t !== '#untagged');
  if (!list.length) return UNTAGGED_COLOR;
  if (list.length > 1) {
    const c = tagInfo(getSetting, tagzKey(list)).color;
    if (c) return c;
  }
  let fallback = '', primary = '';
  for (const t of list) {
    const i = tagInfo(getSetting, t);
    if (i.color && i.priority !== 2) return i.color;
    if (i.color && !fallback) fallback = i.color;
    if (!primary && i.priority !== 2) primary = t;
  }
  return fallback || defaultTagColor(primary || list[0]);
}

// ---- operations on the store ----

/** Stop every running record at max(t1 + 2, t) (TimeTagger's rule). */
export async function stopAll(store, t = nowSec()) {
  const running = store.records.running();
  if (!running.length) return [];
  return store.put('records', running.map((r) => ({ ...r, t2: Math.max(r.t1 + 2, t) })));
}

/** Start a new running record (stopping running ones at its start). Returns the new record. */
export async function startRecord(store, ds, t1 = nowSec()) {
  const running = store.records.running();
  if (running.length) await store.put('records', running.map((r) => ({ ...r, t2: Math.max(r.t1 + 2, t1) })));
  const rec = { key: store.newKey(), t1, t2: t1, ds: ds || '' };
  const [saved] = await store.put('records', [rec]);
  return saved || rec;
}

/** The description to resume: the running record's, or else the most recently ended one in
 * the last 7 days. */
export function resumeDescription(store, now = nowSec()) {
  const running = store.records.running();
  if (running.length) return running[running.length - 1].ds || '';
  const recent = store.records.query(now - 7 * 86400, now);
  let best = null;
  for (const r of recent) if (r.t1 !== r.t2 && (!best || r.t2 > best.t2)) best = r;
  return best ? best.ds || '' : '';
}
