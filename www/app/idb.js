// idb.js: the IndexedDB database of one user: object stores "records" and "settings" (keyPath
// "key", items as the server shapes them) and "meta" ({key, value}: server_time). Small promise
// wrappers; nothing here knows about merging or sync.

const VERSION = 1;

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
  req.onupgradeneeded = () => {
    const db = req.result;
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

  /** All items of a store. */
  async getAll(store) {
    const tx = this.db.transaction(store, 'readonly');
    return req2promise(tx.objectStore(store).getAll());
  }

  /** Write items (and delete keys) in one transaction; resolves when it is durable. */
  async write(store, items, deleteKeys = []) {
    const tx = this.db.transaction(store, 'readwrite', { durability: 'strict' });
    const os = tx.objectStore(store);
    for (const it of items) os.put(it);
    for (const k of deleteKeys) os.delete(k);
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
