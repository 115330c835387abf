// merge.js: the st/mt merge rule shared with the server and TimeTagger (reference §3), and the
// validation every item gets before it enters the local store. DOM-free.

import { cleanString } from '../common/tags.js';

/**
 * Should `incoming` replace `current`? No current: yes. Both acknowledged by the server
 * (st > 0): only a strictly later server time wins, since the server makes st strictly
 * increasing per item. Otherwise: the later or equal client modification time wins.
 */
export function isNewer(incoming, current) {
  if (!current) return true;
  if (incoming.st > 0 && current.st > 0) return incoming.st > current.st;
  return incoming.mt >= current.mt;
}

function toInt(v) {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string' && /^[+-]?\d+$/.test(v)) return parseInt(v, 10);
  return null;
}

/** A clean copy of a record for local storage, or null when it is invalid. t1 <= t2 after. */
export function validateRecord(r) {
  if (!r || typeof r !== 'object' || typeof r.key !== 'string' || !r.key || r.key.length > 255) return null;
  const t1 = toInt(r.t1), t2 = toInt(r.t2), mt = toInt(r.mt);
  if (t1 === null || t2 === null || mt === null) return null;
  const out = { key: r.key, t1: Math.min(t1, t2), t2: Math.max(t1, t2), mt, st: Number(r.st) || 0 };
  if (r.ds !== undefined && r.ds !== null) {
    if (typeof r.ds !== 'string') return null;
    const ds = cleanString(r.ds);
    if (ds) out.ds = ds;
  }
  return out;
}

/** A clean copy of a setting, or null. The value's JSON must stay under 8192 characters. */
export function validateSetting(s) {
  if (!s || typeof s !== 'object' || typeof s.key !== 'string' || !s.key || s.key.length > 255) return null;
  if (s.value === undefined) return null;
  const mt = toInt(s.mt);
  if (mt === null) return null;
  let json;
  try { json = JSON.stringify(s.value); } catch { return null; }
  if (json === undefined || json.length >= 8000) return null;
  return { key: s.key, value: s.value, mt, st: Number(s.st) || 0 };
}

/** Random record key: 8 letters from a crypto RNG, like TimeTagger's. */
export function newKey(len = 8) {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const buf = new Uint8Array(len * 2);
  globalThis.crypto.getRandomValues(buf);
  let out = '';
  for (let i = 0; out.length < len; i++) {
    if (i >= buf.length) { globalThis.crypto.getRandomValues(buf); i = 0; }
    if (buf[i] < 208) out += chars[buf[i] % 52]; // 208 = 4*52: no modulo bias
  }
  return out;
}
