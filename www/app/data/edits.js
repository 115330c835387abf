// edits.js: what the dialogs do to records and tags, as functions over the store's public
// interface (soft delete, undo and restore, duplicate, split, rename tags, a tag's info
// changed), plus the DOM-free analyses behind them (overlaps, the recently deleted, the
// records a rename touches). Loaded with the dialogs; what the first screen does is in
// actions.js.

import { isHidden, hideDescription, unhideDescription, renameTagsInDescription, hasAllTags } from '../common/tags.js';

const nowSec = () => Math.floor(Date.now() / 1000);

/** Records of `records` (not hidden, not `rec` itself) that overlap `rec` in time; running
 * records reach to `now`. */
export function findOverlaps(records, rec, now) {
  const end = (r) => (r.t1 === r.t2 ? Math.max(now, r.t1) : r.t2);
  const a1 = rec.t1, a2 = end(rec);
  return records.filter((r) => r.key !== rec.key && !isHidden(r.ds) && r.t1 < a2 && end(r) > a1);
}

/** The taginfo value with one field changed (other fields, unknown ones included, kept). */
export function withTagInfo(getSetting, tagz, change) {
  const cur = getSetting('taginfo ' + tagz, null);
  const base = cur && typeof cur === 'object' ? { ...cur } : {};
  const out = { ...base, ...change };
  if (!out.targets) out.targets = {};
  return out;
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
