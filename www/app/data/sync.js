// sync.js: the sync loop. One tab per user syncs (a Web Lock, or a localStorage heartbeat where
// locks are missing); the others hear about changes through the store's BroadcastChannel.
// Each cycle pushes queued settings, then records, in batches under 100 KiB, then pulls
// GET updates?since=<server_time>. Polls every 10 s while visible, soon after an edit, on focus
// and when the browser comes back online; backs off after failures; renews the web token on
// start and hourly. A 401 stops the loop until the user logs in again; nothing local is lost.

import { apiFetch, ApiError, explainError } from './api.js';
import { getAuth, renewWebToken, AUTH_KEY } from './auth.js';
import { makeBatches, backoffDelay } from './batch.js';
import { KINDS } from './store.js';

const POLL_MS = 10000;
const HIDDEN_POLL_MS = 60000;
const RENEW_MS = 3600 * 1000;

/**
 * Start syncing `store`. Options: onAuthError(err) when the server refuses the token (401),
 * onMessage(text) for server notifications (402). Returns { syncNow(), stop(), stats }.
 */
export function startSync(store, { onAuthError = () => {}, onMessage = () => {} } = {}) {
  let timer = null, running = false, again = false, stopped = false;
  let failures = 0, authBlocked = null, lastRenew = 0, shownMessages = new Set();
  const stats = { cycles: 0, lastPullItems: 0, lastDurationMs: 0, firstSyncMs: null };
  let releaseLeadership = null;

  const visible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';

  let dueAt = 0;
  function schedule(ms) {
    if (stopped || !store.isLeader) return;
    clearTimeout(timer);
    dueAt = Date.now() + Math.max(0, ms);
    timer = setTimeout(() => { timer = null; cycle(); }, Math.max(0, ms));
  }
  // the earliest of an already scheduled cycle and a new request wins
  const timerDue = () => (timer ? Math.max(0, dueAt - Date.now()) : Infinity);

  function token() {
    const auth = getAuth();
    if (!auth || auth.username !== store.username) return null;
    return auth.token;
  }

  async function push(kind, tok) {
    const items = store.takeQueue(kind);
    if (!items.length) return;
    const batches = makeBatches(items);
    for (let i = 0; i < batches.length; i++) {
      let res;
      try {
        res = await apiFetch(kind, { method: 'PUT', body: batches[i].body, token: tok });
      } catch (err) {
        // put this batch and the rest back, unless newer edits of the same keys were queued
        store.requeue(kind, batches.slice(i).flatMap((b) => b.items));
        throw err;
      }
      if (res.failed && res.failed.length) {
        await store.drop(kind, res.failed);
        console.warn(`server refused ${kind}:`, res.failed, res.errors);
      }
      if (res.errors && res.errors.length) store.lastWarning = `Server dropped a ${kind.slice(0, -1)}: ${res.errors[0]}`;
    }
  }

  async function pull(tok) {
    const res = await apiFetch('updates?since=' + encodeURIComponent(store.serverTime), { token: tok });
    if (res.reset) await store.resetFromServer();
    const n = (res.settings || []).length + (res.records || []).length;
    stats.lastPullItems = n;
    if (res.settings && res.settings.length) await store.applyRemote('settings', res.settings);
    if (res.records && res.records.length) await store.applyRemote('records', res.records);
    if (typeof res.server_time === 'number') await store.setServerTime(res.server_time);
  }

  async function cycle() {
    if (stopped || !store.isLeader) return;
    if (running) { again = true; return; }
    running = true;
    const t0 = Date.now();
    let next = POLL_MS;
    try {
      const tok = token();
      if (!tok) {
        store.setStatus('auth', `Not logged in as ${store.username} in this browser any more.`);
        next = POLL_MS;
        return;
      }
      if (authBlocked && authBlocked.token === tok) {
        store.setStatus('auth', authBlocked.message, authBlocked.detail);
        next = POLL_MS;
        return;
      }
      authBlocked = null;
      store.setStatus('syncing');
      store.lastWarning = '';
      for (const kind of KINDS) await push(kind, tok);
      await pull(tok);
      failures = 0;
      stats.cycles++;
      if (stats.cycles === 1) stats.firstSyncMs = Date.now() - t0;
      const pending = store.queuedCount();
      if (store.lastWarning) store.setStatus('error', store.lastWarning);
      else store.setStatus(store.pendingCount() ? 'pending' : 'synced');
      if (pending) next = 1500;
      if (Date.now() - lastRenew > RENEW_MS) renew();
    } catch (err) {
      failures++;
      const why = explainError(err);
      if (err instanceof ApiError && err.status === 401) {
        authBlocked = { token: token(), message: why.summary, detail: why.detail };
        store.setStatus('auth', why.summary, why.detail);
        onAuthError(err);
      } else if (err instanceof ApiError && err.status === 402) {
        const msg = err.text.includes('|') && err.text.indexOf('|') < 16 ? err.text.split('|').slice(1).join('|') : err.text;
        if (!shownMessages.has(msg)) { shownMessages.add(msg); onMessage(msg); }
        store.setStatus('error', msg);
        next = backoffDelay(failures);
      } else if (err instanceof ApiError && err.isNetwork) {
        store.setStatus('offline', navigator.onLine === false ? 'The browser is offline; changes are kept and sent later.' : `${why.summary} ${why.advice}`, why.detail);
        next = backoffDelay(failures);
      } else {
        store.setStatus('error', `${why.summary} ${why.advice}`.trim(), why.detail);
        if (!(err instanceof ApiError)) console.error('sync failed', err);
        next = backoffDelay(failures);
      }
    } finally {
      stats.lastDurationMs = Date.now() - t0;
      running = false;
      if (again) { again = false; next = Math.min(next, 200); }
      if (!visible()) next = store.queuedCount() ? Math.max(next, POLL_MS) : HIDDEN_POLL_MS;
      schedule(next);
    }
  }

  async function renew() {
    lastRenew = Date.now();
    try {
      await renewWebToken();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        const why = explainError(err);
        authBlocked = { token: token(), message: why.summary, detail: why.detail };
        store.setStatus('auth', why.summary, why.detail);
        onAuthError(err);
      } else lastRenew = Date.now() - RENEW_MS + 60000; // try again in a minute
    }
  }

  const onOnline = () => schedule(100);
  const onOffline = () => { if (store.isLeader) store.setStatus('offline', 'The browser is offline; changes are kept and sent later.'); };
  const onVisible = () => { if (visible()) schedule(1000); };
  const onFocus = () => schedule(500);
  const onStorage = (e) => { if (e.key === AUTH_KEY) { authBlocked = null; schedule(100); } };
  addEventListener('online', onOnline);
  addEventListener('offline', onOffline);
  addEventListener('focus', onFocus);
  addEventListener('storage', onStorage);
  if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisible);

  store.onSyncRequest = (ms) => { if (running) again = true; else schedule(Math.min(ms, timerDue())); };

  async function lead() {
    await store.becomeLeader();
    renew();
    cycle();
  }

  // Leadership: a Web Lock held for the life of the tab. Browsers without it (or pages that
  // are not a secure context) use a heartbeat in localStorage.
  const lockName = 'tagwatch-sync:' + store.username;
  if (typeof navigator !== 'undefined' && navigator.locks && navigator.locks.request) {
    navigator.locks.request(lockName, () => new Promise((resolve) => {
      releaseLeadership = resolve;
      if (stopped) return resolve();
      lead();
    })).catch((err) => console.warn('sync lock', err));
  } else {
    const id = Math.random().toString(36).slice(2);
    const key = 'tagwatch-leader:' + store.username;
    const beat = () => {
      let cur = null;
      try { cur = JSON.parse(localStorage.getItem(key) || 'null'); } catch { /* broken value: take over */ }
      if (!cur || cur.id === id || Date.now() - cur.t > 6000) {
        localStorage.setItem(key, JSON.stringify({ id, t: Date.now() }));
        if (!store.isLeader) lead();
      }
    };
    beat();
    const hb = setInterval(beat, 2000);
    releaseLeadership = () => { clearInterval(hb); try { if (JSON.parse(localStorage.getItem(key)).id === id) localStorage.removeItem(key); } catch { /* gone */ } };
  }

  return {
    stats,
    syncNow() { if (store.isLeader) schedule(0); else store.requestSync(0); },
    retryAuth() { authBlocked = null; schedule(0); },
    stop() {
      stopped = true;
      clearTimeout(timer);
      removeEventListener('online', onOnline);
      removeEventListener('offline', onOffline);
      removeEventListener('focus', onFocus);
      removeEventListener('storage', onStorage);
      if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisible);
      store.isLeader = false;
      if (releaseLeadership) releaseLeadership();
    },
  };
}
