// conflicts.js: what the merge rule throws away, DOM-free. A change made on this device that
// the server had not confirmed yet (st == 0) loses to a newer version from another device
// (the last writer wins, docs/webapi.md): lostEdits() finds such losses among the items a
// pull brought in, the log keeps the lost versions (per user, in localStorage, a month at
// most) until the user chooses, and useMine() puts the lost version back as a new change,
// which then wins everywhere. store.js reports losses as 'lost' events; shell/conflicts.js
// shows them.

import { sameContent } from './core.js';

const MAX_AGE = 30 * 86400;
const MAX_ENTRIES = 50;

/** Is `incoming` (from the server, now accepted) replacing a local change that the server
 * never confirmed, with other content? `current` is the local copy before. */
export function isLostEdit(current, incoming) {
  return !!(current && incoming && current.st === 0 && incoming.st > 0 && !sameContent(current, incoming));
}

/**
 * The losses of one pull: `before` maps key -> the local copy before it, `accepted` are the
 * items that replaced them. Returns [{kind, key, mine, theirs}].
 */
export function lostEdits(kind, before, accepted) {
  const out = [];
  for (const it of accepted) {
    const cur = before.get(it.key);
    if (isLostEdit(cur, it)) out.push({ kind, key: it.key, mine: { ...cur }, theirs: { ...it } });
  }
  return out;
}

/** The storage key of a user's log of lost changes. */
export const logKey = (username) => 'tagwatch_lost:' + username;

/** The log from `storage` (localStorage or alike): [{kind, key, mine, theirs, at}], newest
 * first, without entries older than a month (at = when the loss was seen, unix seconds). */
export function readLog(storage, username, now) {
  let list = [];
  try { list = JSON.parse(storage.getItem(logKey(username)) || '[]'); } catch { list = []; }
  if (!Array.isArray(list)) return [];
  return list.filter((e) => e && typeof e.key === 'string' && e.mine && e.theirs && now - (e.at || 0) <= MAX_AGE);
}

function writeLog(storage, username, list) {
  if (list.length) storage.setItem(logKey(username), JSON.stringify(list.slice(0, MAX_ENTRIES)));
  else storage.removeItem(logKey(username));
}

/** Add losses to the log; a newer loss of the same item replaces the older one. Returns the log. */
export function addToLog(storage, username, losses, now) {
  const list = readLog(storage, username, now);
  for (const l of losses) {
    const i = list.findIndex((e) => e.kind === l.kind && e.key === l.key);
    const entry = { kind: l.kind, key: l.key, mine: l.mine, theirs: l.theirs, at: now };
    // a loss seen again (another tab, the same pull) keeps its first version of "mine"
    if (i >= 0 && list[i].theirs.mt === l.theirs.mt) continue;
    if (i >= 0) list.splice(i, 1);
    list.unshift(entry);
  }
  writeLog(storage, username, list);
  return readLog(storage, username, now);
}

/** Drop an entry (the user chose). Returns the log. */
export function removeFromLog(storage, username, kind, key, now) {
  const list = readLog(storage, username, now).filter((e) => !(e.kind === kind && e.key === key));
  writeLog(storage, username, list);
  return list;
}

/** Put the lost version back as a new change of this device (it wins by being the newest). */
export async function useMine(store, entry) {
  const m = entry.mine;
  if (entry.kind === 'records') return store.put('records', [{ key: m.key, t1: m.t1, t2: m.t2, ds: m.ds || '' }]);
  return store.put('settings', [{ key: m.key, value: m.value }]);
}
