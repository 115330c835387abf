// store.js: the user's local-first data store (records and synced settings in IndexedDB, the
// per-device settings in localStorage), shared by every module of the app. Every change is
// written to IndexedDB before it is shown, queued or sent; sync.js pushes and pulls it.
//
// Public interface (used by the app, the timeline glue and the insight panel):
//
//   const store = await openStore(username)
//   store.username
//   store.records.get(key)                  -> record | undefined (hidden ones too)
//   store.records.query(t1, t2, {hidden})   -> records overlapping [t1, t2] sorted by t1; running
//                                              ones (t1 == t2) reach to now; hidden left out
//   store.records.all({hidden})             -> every record sorted by t1 (hidden left out)
//   store.records.running()                 -> visible running records
//   store.settings.get(key, dflt)           -> a synced setting's value (dflt when absent)
//   store.settings.set(key, value)          -> Promise; stores, queues and syncs it
//   store.settings.all()                    -> [{key, value, mt, st}]
//   store.local.get(key, dflt) / store.local.set(key, value)   per-device settings (docs/timetagger-client.md §4.2 keys)
//   store.put(kind, items)                  -> Promise<accepted items>; kind 'records'|'settings';
//                                              sets mt = now and st = 0, validates, applies the
//                                              merge rule, writes IndexedDB, then updates memory,
//                                              notifies, tells other tabs and queues for the push
//   store.newKey()                          -> a fresh random record key
//   store.pendingCount()                    -> local changes the server has not acknowledged
//   store.status                            -> {state, message, detail, pending}; state is one of
//                                              'synced' | 'pending' | 'syncing' | 'offline' |
//                                              'error' | 'auth'
//   store.subscribe(fn)                     -> unsubscribe function; fn(event) with event.type
//                                              'records' | 'settings' | 'local' | 'status' |
//                                              'reset' | 'refused' (items a put left out, as
//                                              {key, why}) | 'lost' ([{kind, key, mine, theirs}]:
//                                              this device's changes a newer one replaced, see
//                                              conflicts.js), event.items (changed items) and
//                                              event.origin 'local' | 'remote' | 'tab'
//   store.requestSync()                     -> ask for a sync soon (any tab)
//   store.close()
//
// The sync loop (sync.js, in the tab that syncs) uses only these besides the above:
//   store.takeQueue(kind) / store.requeue(kind, items) / store.queuedCount()   the push queue
//   store.applyRemote(kind, items), store.drop(kind, keys), store.resetFromServer(),
//   store.serverTime, store.setServerTime(t), store.setStatus(state, message, detail),
//   store.becomeLeader(), store.isLeader, store.onSyncRequest
//
// Record: {key, t1, t2, ds?, mt, st}; running when t1 == t2; deleted when ds starts "HIDDEN".

import { StoreCore, KINDS } from './core.js';

export { KINDS };
import { openUserDB } from './idb.js';
import { newKey } from './merge.js';
import { lostEdits } from './conflicts.js';

export const LOCAL_SETTINGS_KEY = 'timetagger_local_settings';

export const LOCAL_DEFAULTS = {
  darkmode: 0, // 0 auto, 1 light, 2 dark (TimeTagger defaults to light; we follow the system)
  width_mode: 'auto',
  notifications: false, // notify when a timer starts (shell/timer-notify.js)
  pomodoro_enabled: false, // TimeTagger's key; the lengths (minutes) and sound are ours
  pomodoro_work: 25,
  pomodoro_break: 5,
  pomodoro_sound: true,
  report_grouping: 'none',
  report_groupperiod: 'none',
  report_hidesecondary: false,
  report_format: 'hm',
  report_showrecords: true,
};

export const SYNCED_DEFAULTS = {
  first_day_of_week: 1,
  workdays: 0,
  date_repr: 'dd-mm-yyyy',
  time_repr: 'auto',
  duration_repr: 'hms',
  today_snap_offset: '',
  today_end_offset: '',
  show_stopwatch: true,
};

const nowSec = () => Date.now() / 1000;

function readLocalSettings() {
  try {
    const v = JSON.parse(localStorage.getItem(LOCAL_SETTINGS_KEY) || '{}');
    return v && typeof v === 'object' ? v : {};
  } catch { return {}; }
}

/** Open the store of `username`: loads IndexedDB into memory. */
export async function openStore(username, { now = nowSec } = {}) {
  const db = await openUserDB(username);
  const store = new Store(username, db, now);
  await store._load();
  return store;
}

class Store {
  constructor(username, db, now) {
    this.username = username;
    this.db = db;
    this.now = now;
    this.core = new StoreCore();
    this.serverTime = 0;
    this.listeners = new Set();
    this.status = { state: 'pending', message: '', pending: 0 };
    this.isLeader = false;
    this.onLeaderMessage = null; // set by sync.js: called for other tabs' requests
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('tagwatch:' + username) : null;
    if (this.channel) this.channel.onmessage = (e) => this._onMessage(e.data);
    this._onStorage = (e) => { if (e.key === LOCAL_SETTINGS_KEY) this._emit({ type: 'local', origin: 'tab' }); };
    if (typeof addEventListener === 'function') addEventListener('storage', this._onStorage);

    const self = this;
    this.records = {
      get: (key) => self.core.items.records.get(key),
      query: (t1, t2, opts) => self.core.queryRecords(t1, t2, self.now(), opts),
      all: (opts) => self.core.allRecords(opts),
      running: () => self.core.runningRecords(),
    };
    this.settings = {
      get(key, dflt) {
        const it = self.core.items.settings.get(key);
        if (it) return it.value;
        return dflt !== undefined ? dflt : SYNCED_DEFAULTS[key];
      },
      set: (key, value) => self.put('settings', [{ key, value }]),
      all: () => [...self.core.items.settings.values()],
    };
    this.local = {
      get(key, dflt) {
        const v = readLocalSettings()[key];
        return v !== undefined ? v : dflt !== undefined ? dflt : LOCAL_DEFAULTS[key];
      },
      set(key, value) {
        const all = readLocalSettings();
        all[key] = value;
        localStorage.setItem(LOCAL_SETTINGS_KEY, JSON.stringify(all));
        self._emit({ type: 'local', origin: 'local', key });
      },
    };
  }

  async _load() {
    // messages from other tabs that arrive while IndexedDB is read are applied after it
    this._held = this._held || [];
    this._loading = true;
    try {
      const { records, settings, meta } = await this.db.readAll(); // one transaction
      const st = meta.server_time ?? 0;
      this.core.clear();
      this.core.applyForced('records', records);
      this.core.applyForced('settings', settings);
      this.serverTime = st;
      this.loadedAt = Date.now();
    } finally {
      this._loading = false;
    }
    const held = this._held;
    this._held = [];
    for (const msg of held) await this._onMessage(msg);
    this._updatePending();
  }

  newKey() { return newKey(); }

  pendingCount() { return this.core.pendingCount(); }

  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  _emit(ev) {
    for (const fn of [...this.listeners]) {
      try { fn(ev); } catch (err) { console.error('store listener failed', err); }
    }
  }

  _post(msg) {
    if (this.channel) { try { this.channel.postMessage(msg); } catch (err) { console.warn(err); } }
  }

  /** Store user changes: see the header. Resolves with the accepted items after IndexedDB has them. */
  async put(kind, items) {
    if (!KINDS.includes(kind)) throw new Error('unknown kind ' + kind);
    const refused = [];
    const prepared = this.core.prepareLocal(kind, items, this.now(), refused);
    // what the server would refuse is not kept, and the app says so
    if (refused.length) this._emit({ type: 'refused', kind, items: refused, origin: 'local' });
    if (!prepared.length) return [];
    await this.db.write(kind, prepared);
    const accepted = this.core.applyLocal(kind, prepared);
    if (!accepted.length) return [];
    this._post({ type: 'put', kind, items: accepted });
    this._updatePending();
    this._emit({ type: kind, items: accepted, origin: 'local' });
    this.requestSync(1500);
    return accepted;
  }

  /** Ask for a sync: the syncing tab schedules one; other tabs pass the request on. */
  requestSync(delayMs = 200) {
    if (this.isLeader) { if (this.onSyncRequest) this.onSyncRequest(delayMs); }
    else this._post({ type: 'sync-request', delayMs });
  }

  _updatePending() {
    const pending = this.core.pendingCount();
    if (pending !== this.status.pending) {
      this.status = { ...this.status, pending };
      if (this.status.state === 'synced' && pending) this.status.state = 'pending';
      this._emit({ type: 'status', origin: 'local' });
    }
  }

  /** Set the sync status (sync.js in the syncing tab); other tabs get it too. `message` says
   * what happened and what to do; `detail` is the server's own answer, shown on demand. */
  setStatus(state, message = '', detail = '') {
    this.status = { state, message, detail, pending: this.core.pendingCount() };
    this._emit({ type: 'status', origin: 'local' });
    if (this.isLeader) this._post({ type: 'status', status: this.status });
  }

  // ---- used by sync.js in the tab that syncs ----

  /** The queued items of `kind` for a push (the queue is emptied). */
  takeQueue(kind) { return this.core.takeQueue(kind); }

  /** Put back items whose push failed, unless newer edits of the same keys were queued. */
  requeue(kind, items) { this.core.requeue(kind, items); }

  /** Items waiting in the push queue (this tab's, unlike pendingCount()). */
  queuedCount() { return this.core.queuedCount(); }

  /** Apply items pulled from the server; persists them and the server time first. Local
   * changes that newer ones from elsewhere replaced are reported as a 'lost' event. */
  async applyRemote(kind, items) {
    const before = new Map();
    for (const it of items) if (it && this.core.items[kind].has(it.key)) before.set(it.key, this.core.items[kind].get(it.key));
    const accepted = this.core.applyRemote(kind, items);
    if (accepted.length) {
      await this.db.write(kind, accepted);
      this._post({ type: 'remote', kind, items: accepted });
      this._updatePending();
      this._emit({ type: kind, items: accepted, origin: 'remote' });
      const lost = lostEdits(kind, before, accepted);
      if (lost.length) {
        this._post({ type: 'lost', items: lost });
        this._emit({ type: 'lost', items: lost, origin: 'remote' });
      }
    }
    return accepted;
  }

  async setServerTime(t) {
    this.serverTime = t;
    await this.db.setMeta('server_time', t);
  }

  /** Remove items the server refused. */
  async drop(kind, keys) {
    if (!keys.length) return;
    this.core.drop(kind, keys);
    await this.db.write(kind, [], keys);
    this._post({ type: 'drop', kind, keys });
    this._updatePending();
    this._emit({ type: kind, items: [], origin: 'remote' });
  }

  /**
   * A server reset (its `reset: true`): drop the local copy and keep only edits queued after
   * the push that preceded this pull (everything else the server has just sent in full).
   */
  async resetFromServer() {
    const keep = {};
    for (const kind of KINDS) keep[kind] = [...this.core.queue[kind].values()];
    await this.db.clearAll();
    this.core.clear();
    for (const kind of KINDS) {
      if (keep[kind].length) { await this.db.write(kind, keep[kind]); this.core.applyLocal(kind, keep[kind]); }
    }
    this.serverTime = 0;
    this._post({ type: 'reset' });
    this._emit({ type: 'reset', origin: 'remote' });
  }

  /** This tab now owns the sync: reload from IndexedDB (other tabs may have written) and queue
   * every unsynced item. */
  async becomeLeader() {
    this.isLeader = true;
    // Taking over from a tab that closed: read what it may have written without telling us.
    // Right after opening (the usual case) memory is IndexedDB plus every message since.
    if (Date.now() - this.loadedAt > 2000) {
      await this._load();
      this._emit({ type: 'reset', origin: 'tab' });
    }
    this.core.requeueUnsynced();
  }

  async _onMessage(msg) {
    if (!msg || typeof msg !== 'object') return;
    if (this._loading) { this._held.push(msg); return; }
    switch (msg.type) {
      case 'put': {
        // another tab's edit, already in IndexedDB: the merge rule keeps tabs consistent
        const accepted = this.core.applyLocal(msg.kind, msg.items);
        if (!this.isLeader) for (const it of accepted) this.core.queue[msg.kind].delete(it.key);
        this._updatePending();
        this._emit({ type: msg.kind, items: accepted, origin: 'tab' });
        if (this.isLeader && this.onSyncRequest) this.onSyncRequest(1500);
        break;
      }
      case 'remote':
        this.core.applyForced(msg.kind, msg.items);
        this._updatePending();
        this._emit({ type: msg.kind, items: msg.items, origin: 'tab' });
        break;
      case 'drop':
        this.core.drop(msg.kind, msg.keys);
        this._updatePending();
        this._emit({ type: msg.kind, items: [], origin: 'tab' });
        break;
      case 'lost':
        this._emit({ type: 'lost', items: msg.items, origin: 'tab' });
        break;
      case 'reset':
        await this._load();
        this._emit({ type: 'reset', origin: 'tab' });
        break;
      case 'status':
        if (!this.isLeader) { this.status = msg.status; this._emit({ type: 'status', origin: 'tab' }); }
        break;
      case 'sync-request':
        if (this.isLeader && this.onSyncRequest) this.onSyncRequest(msg.delayMs);
        break;
      default:
        if (this.onLeaderMessage) this.onLeaderMessage(msg);
    }
  }

  close() {
    if (this.channel) this.channel.close();
    if (typeof removeEventListener === 'function') removeEventListener('storage', this._onStorage);
    this.db.close();
    this.listeners.clear();
  }
}
