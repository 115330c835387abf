// core.js: the in-memory half of the local store, DOM-free so node tests drive it directly:
// records and settings by key, the merge rule on every write, the push queue, the set of
// unsynced items, and fast range queries over records. store.js wraps it with IndexedDB,
// cross-tab messages and change events.

import { isNewer, validateRecord, validateSetting, recordProblem, settingProblem } from './merge.js';
import { isHidden } from '../common/tags.js';

export const KINDS = ['settings', 'records']; // push order: settings first

export class StoreCore {
  constructor() {
    this.items = { records: new Map(), settings: new Map() };
    this.queue = { records: new Map(), settings: new Map() };
    this.unsynced = { records: new Set(), settings: new Set() };
    this._sorted = null; // records sorted by t1, rebuilt lazily
    this._maxLen = 0;    // longest stopped record, bounds the range search
    this._running = [];  // running records (t1 == t2), sorted by start
  }

  _set(kind, item) {
    this.items[kind].set(item.key, item);
    if (item.st > 0) this.unsynced[kind].delete(item.key);
    else this.unsynced[kind].add(item.key);
    if (kind === 'records') this._sorted = null;
  }

  /**
   * Stamp and validate items the user changed: mt = now (never lower than the current copy's
   * mt, so a local edit always wins over what it edits even with a skewed clock), st = 0.
   * Invalid items are dropped. Does not store anything.
   */
  prepareLocal(kind, items, now, refused = []) {
    const out = [];
    for (const raw of items) {
      const cur = raw && this.items[kind].get(raw.key);
      const mt = Math.max(Math.floor(now), cur ? cur.mt : 0);
      const item = { ...raw, mt, st: 0 };
      const v = (kind === 'records' ? validateRecord : validateSetting)(item);
      if (v) out.push(v);
      else refused.push({ key: raw && raw.key, why: (kind === 'records' ? recordProblem : settingProblem)(item) || 'it is not valid' });
    }
    return out;
  }

  /** Store prepared local items by the merge rule and queue the accepted ones for the push. */
  applyLocal(kind, items) {
    const accepted = [];
    for (const it of items) {
      if (!isNewer(it, this.items[kind].get(it.key))) continue;
      this._set(kind, it);
      this.queue[kind].set(it.key, it);
      accepted.push(it);
    }
    return accepted;
  }

  /**
   * Store items that came from the server (or from the tab that syncs) by the merge rule. One
   * exception: while a newer local edit of the same key waits in the queue with the same mt
   * (it was made in the same second as the pushed copy whose echo this is), the local edit stays.
   */
  applyRemote(kind, items) {
    const accepted = [];
    for (const it of items) {
      if (!it || typeof it.key !== 'string') continue;
      const cur = this.items[kind].get(it.key);
      const queued = this.queue[kind].get(it.key);
      if (queued && cur && cur.st === 0 && queued.mt === it.mt && cur.mt === it.mt && it.st > 0 &&
          !sameContent(cur, it)) continue;
      if (!isNewer(it, cur)) continue;
      this._set(kind, it);
      if (queued && it.mt >= queued.mt) this.queue[kind].delete(it.key);
      accepted.push(it);
    }
    return accepted;
  }

  /** Replace a copy without the merge rule (a message from the tab that owns the sync). */
  applyForced(kind, items) {
    for (const it of items) this._set(kind, it);
  }

  /** Remove items the server refused (it re-sends its own copy, if it has one, on the pull). */
  drop(kind, keys) {
    for (const k of keys) {
      this.items[kind].delete(k);
      this.queue[kind].delete(k);
      this.unsynced[kind].delete(k);
    }
    if (kind === 'records') this._sorted = null;
  }

  /** Take every queued item of a kind for a push (the queue is emptied). */
  takeQueue(kind) {
    const items = [...this.queue[kind].values()];
    this.queue[kind].clear();
    return items;
  }

  /** Put items of a failed push back, unless a newer edit of the same key was queued meanwhile. */
  requeue(kind, items) {
    for (const it of items) {
      const q = this.queue[kind].get(it.key);
      if (!q || q.mt < it.mt) this.queue[kind].set(it.key, this.items[kind].get(it.key) || it);
    }
  }

  /** Queue every unsynced item (st == 0): after a reload or when this tab takes over the sync. */
  requeueUnsynced() {
    for (const kind of KINDS) {
      for (const k of this.unsynced[kind]) {
        const it = this.items[kind].get(k);
        if (it) this.queue[kind].set(k, it);
      }
    }
  }

  queuedCount() {
    return this.queue.records.size + this.queue.settings.size;
  }

  /** Number of local changes the server has not acknowledged yet. */
  pendingCount() {
    return this.unsynced.records.size + this.unsynced.settings.size;
  }

  clear() {
    for (const kind of KINDS) {
      this.items[kind].clear();
      this.queue[kind].clear();
      this.unsynced[kind].clear();
    }
    this._sorted = null;
  }

  _sortedRecords() {
    if (!this._sorted) {
      this._sorted = [...this.items.records.values()].sort((a, b) => a.t1 - b.t1 || (a.key < b.key ? -1 : 1));
      let maxLen = 0;
      this._running = [];
      for (const r of this._sorted) {
        if (r.t1 === r.t2) this._running.push(r);
        else if (r.t2 - r.t1 > maxLen) maxLen = r.t2 - r.t1;
      }
      this._maxLen = maxLen;
    }
    return this._sorted;
  }

  /**
   * Records overlapping [t1, t2], sorted by start. Running records (t1 == t2) reach to `now`.
   * Hidden (soft-deleted) records are left out unless { hidden: true }.
   */
  queryRecords(t1, t2, now, { hidden = false } = {}) {
    const arr = this._sortedRecords();
    // first index whose t1 could still overlap: t1 >= t1 - longest stopped record
    let lo = 0, hi = arr.length;
    const from = t1 - this._maxLen;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (arr[mid].t1 < from) lo = mid + 1; else hi = mid; }
    const out = [];
    // running records may start long before `from`
    for (const r of this._running) {
      if (r.t1 >= from) break;
      if (r.t1 === r.t2 && r.t1 <= t2 && now >= t1 && (hidden || !isHidden(r.ds))) out.push(r);
    }
    for (let i = lo; i < arr.length; i++) {
      const r = arr[i];
      if (r.t1 > t2) break;
      const end = r.t1 === r.t2 ? Math.max(now, r.t1) : r.t2;
      if (end >= t1 && (hidden || !isHidden(r.ds))) out.push(r);
    }
    return out;
  }

  /** Running records (t1 == t2) that are not hidden, oldest first. */
  runningRecords() {
    this._sortedRecords();
    return this._running.filter((r) => !isHidden(r.ds));
  }

  /** All records sorted by start (hidden ones only when asked). */
  allRecords({ hidden = false } = {}) {
    const arr = this._sortedRecords();
    return hidden ? arr.slice() : arr.filter((r) => !isHidden(r.ds));
  }
}

/** Do two copies of an item hold the same content (times and description, or value)? */
export function sameContent(a, b) {
  return a.t1 === b.t1 && a.t2 === b.t2 && (a.ds || '') === (b.ds || '') &&
    JSON.stringify(a.value) === JSON.stringify(b.value);
}
