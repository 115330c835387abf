// idb.js: the IndexedDB database of one user: object stores "records" and "settings" and "meta"
// ({key, value}: server_time). Items (as the server shapes them) are kept in 64 buckets per
// store, by a hash of their key: IndexedDB pays per object, and writing 10,000 records as
// 10,000 objects took ~500 ms in Chromium against ~30 ms as 64 buckets, while one edit still
// rewrites only one small bucket. A bucket holds its items as one JSON text ({key, json}):
// reading a text and JSON.parse is cheaper than IndexedDB rebuilding thousands of objects,
// which was most of a reload. Buckets written before ({key, items: {key: item}}) are read as
// they are and rewritten as text on their next change. Nothing here knows about merging.

const VERSION = 2;
export const BUCKETS = 64;

/** The bucket of an item key (a stable string hash). */
export function bucketOf(key) {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0;
  return 'b' + (Math.abs(h) % BUCKETS);
}

/** The database name for a user (one database per user, so logout can drop just theirs). */
export function dbName(username) {
  return 'tagwatch:' + username;
}

function req2promise(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** The items of a bucket, as a list. */
function bucketItems(b) {
  if (!b) return [];
  if (typeof b.json === 'string') return JSON.parse(b.json);
  return Object.values(b.items || {});
}

/** The items of a store's buckets, as one list. */
function flatten(buckets) {
  const out = [];
  for (const b of buckets) for (const it of bucketItems(b)) out.push(it);
  return out;
}

function txDone(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('IndexedDB transaction aborted'));
  });
}

/** Open (creating on first use) the database of `username`. Resolves to a UserDB. */
export async function openUserDB(username) {
  const req = indexedDB.open(dbName(username), VERSION);
  req.onupgradeneeded = (e) => {
    const db = req.result;
    // version 1 kept one object per item: start over (the server has everything synced, and
    // no release ever shipped it)
    if (e.oldVersion < 2) for (const name of [...db.objectStoreNames]) db.deleteObjectStore(name);
    for (const name of ['records', 'settings', 'meta']) {
      if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath: 'key' });
    }
  };
  // another tab holding an old version open must not block us forever
  req.onblocked = () => console.warn('IndexedDB upgrade blocked by another tab');
  const db = await req2promise(req);
  db.onversionchange = () => db.close();
  return new UserDB(db);
}

/** Delete a user's database (logout). Resolves even when it did not exist. */
export function deleteUserDB(username) {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(dbName(username));
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  });
}

export class UserDB {
  constructor(db) { this.db = db; }

  /** All items of a store ("records" or "settings"). */
  async getAll(store) {
    const tx = this.db.transaction(store, 'readonly');
    return flatten(await req2promise(tx.objectStore(store).getAll()));
  }

  /** Everything at once, in one transaction: { records, settings, meta: {key: value} }. */
  async readAll() {
    const tx = this.db.transaction(['records', 'settings', 'meta'], 'readonly');
    const [records, settings, meta] = await Promise.all(['records', 'settings', 'meta'].map((s) => req2promise(tx.objectStore(s).getAll())));
    return { records: flatten(records), settings: flatten(settings), meta: Object.fromEntries(meta.map((m) => [m.key, m.value])) };
  }

  /** Write items (and delete keys) in one transaction; resolves when it is durable. Each
   * touched bucket is read and rewritten inside the transaction, so concurrent tabs are safe. */
  async write(store, items, deleteKeys = []) {
    const tx = this.db.transaction(store, 'readwrite', { durability: 'strict' });
    const os = tx.objectStore(store);
    const groups = new Map();
    const group = (key) => {
      const b = bucketOf(key);
      if (!groups.has(b)) groups.set(b, { put: [], del: [] });
      return groups.get(b);
    };
    for (const it of items) group(it.key).put.push(it);
    for (const k of deleteKeys) group(k).del.push(k);
    for (const [b, g] of groups) {
      const req = os.get(b);
      req.onsuccess = () => {
        const items = new Map(bucketItems(req.result).map((it) => [it.key, it]));
        for (const it of g.put) items.set(it.key, it);
        for (const k of g.del) items.delete(k);
        os.put({ key: b, json: JSON.stringify([...items.values()]) });
      };
    }
    return txDone(tx);
  }

  async getMeta(key, dflt) {
    const tx = this.db.transaction('meta', 'readonly');
    const it = await req2promise(tx.objectStore('meta').get(key));
    return it ? it.value : dflt;
  }

  async setMeta(key, value) {
    const tx = this.db.transaction('meta', 'readwrite');
    tx.objectStore('meta').put({ key, value });
    return txDone(tx);
  }

  /** Empty every store (a server reset). */
  async clearAll() {
    const tx = this.db.transaction(['records', 'settings', 'meta'], 'readwrite');
    for (const s of ['records', 'settings', 'meta']) tx.objectStore(s).clear();
    return txDone(tx);
  }

  close() { this.db.close(); }
}
