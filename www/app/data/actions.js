// actions.js: what the user does to records and tags, as functions over the store's public
// interface (start, stop, resume, soft delete, undo and restore, duplicate, split, rename
// tags), plus the DOM-free analyses behind them (overlaps, recent tags and descriptions, tag
// usage, the recently deleted, tag colours from the synced taginfo settings with the legacy
// "color <tag>" fallback, else the tag's own colour from its name, ../common/palette.js).

import { parseTags, isHidden, hideDescription, unhideDescription, renameTagsInDescription, hasAllTags, tagzKey } from '../common/tags.js';
import { defaultTagColor, UNTAGGED_COLOR } from '../common/palette.js';

const nowSec = () => Math.floor(Date.now() / 1000);

/** Records of `records` (not hidden, not `rec` itself) that overlap `rec` in time; running
 * records reach to `now`. */
export function findOverlaps(records, rec, now) {
  const end = (r) => (r.t1 === r.t2 ? Math.max(now, r.t1) : r.t2);
  const a1 = rec.t1, a2 = end(rec);
  return records.filter((r) => r.key !== rec.key && !isHidden(r.ds) && r.t1 < a2 && end(r) > a1);
}

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

/** The taginfo value with one field changed (other fields, unknown ones included, kept). */
export function withTagInfo(getSetting, tagz, change) {
  const cur = getSetting('taginfo ' + tagz, null);
  const base = cur && typeof cur === 'object' ? { ...cur } : {};
  const out = { ...base, ...change };
  if (!out.targets) out.targets = {};
  return out;
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

/** Soft delete: ds gets "HIDDEN ", t2 = t1 + 1 if running. Returns the previous copy, for undo. */
export async function softDelete(store, key) {
  const r = store.records.get(key);
  if (!r) return null;
  const prev = { ...r };
  await store.put('records', [{ ...r, ds: hideDescription(r.ds), t2: r.t1 === r.t2 ? r.t1 + 1 : r.t2 }]);
  return prev;
}

/** Undo a delete (or any edit): put back the previous content under the same key. */
export async function restoreRecord(store, prev) {
  const r = { key: prev.key, t1: prev.t1, t2: prev.t2, ds: unhideDescription(prev.ds || '') };
  return store.put('records', [r]);
}

/** The deleted (hidden) records, the most recently deleted first (a deletion is the record's
 * last change, so its mt), ties by key. */
export function deletedRecords(records) {
  return records.filter((r) => isHidden(r.ds)).sort((a, b) => b.mt - a.mt || (a.key < b.key ? -1 : 1));
}

/** A copy of a record, placed right after it with the same duration (or now, if running). */
export async function duplicateRecord(store, key) {
  const r = store.records.get(key);
  if (!r) return null;
  const len = r.t2 - r.t1;
  const t1 = r.t1 === r.t2 ? nowSec() : r.t2;
  const copy = { key: store.newKey(), t1, t2: t1 + len, ds: unhideDescription(r.ds || '') };
  const [saved] = await store.put('records', [copy]);
  return saved || copy;
}

/** Split a stopped record at time t into [t1, t] and [t, t2]; returns [first, second] or null. */
export async function splitRecord(store, key, t) {
  const r = store.records.get(key);
  if (!r || r.t1 === r.t2 || t <= r.t1 || t >= r.t2) return null;
  const first = { ...r, t2: t };
  const second = { key: store.newKey(), t1: t, t2: r.t2, ds: r.ds || '' };
  return store.put('records', [first, second]);
}

/** Records that a rename of `oldTags` touches: all records having every old tag, hidden too. */
export function recordsWithTags(records, oldTags) {
  return records.filter((r) => hasAllTags(r.ds || '', oldTags));
}

/**
 * Rename, merge or remove tags across all records (TimeTagger's rule). For a 1→1 rename the
 * tag's taginfo moves to the new tag (merged into the target's if it has one) and the old
 * one is cleared. Returns the number of records changed.
 */
export async function renameTags(store, oldTags, newTags) {
  const targets = recordsWithTags(store.records.all({ hidden: true }), oldTags);
  const changed = [];
  for (const r of targets) {
    const ds = renameTagsInDescription(r.ds || '', oldTags, newTags);
    if (ds !== r.ds) changed.push({ ...r, ds });
  }
  if (changed.length) await store.put('records', changed);
  if (oldTags.length === 1 && newTags.length === 1 && oldTags[0] !== newTags[0]) {
    const old = store.settings.get('taginfo ' + oldTags[0], null);
    if (old && typeof old === 'object') {
      const target = store.settings.get('taginfo ' + newTags[0], null) || {};
      const merged = { ...old, ...target, color: target.color || old.color || '',
        targets: target.targets && Object.keys(target.targets).length ? target.targets : old.targets || {} };
      await store.put('settings', [
        { key: 'taginfo ' + newTags[0], value: merged },
        { key: 'taginfo ' + oldTags[0], value: { color: '', targets: {} } },
      ]);
    }
  }
  return changed.length;
}
