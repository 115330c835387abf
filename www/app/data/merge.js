// merge.js: the st/mt merge rule shared with the server and TimeTagger (docs/timetagger-client.md §3), and the
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

// ---- the server's limits, measured as the server measures them (tests/fixtures/limits.json) ----

/** Strings (key, ds) must have fewer characters than this, counted as code points. */
export const MAX_STRING = 256;
/** A setting's value must be shorter than this as Python's json.dumps writes it. */
export const MAX_VALUE_JSON = 8192;

/** Characters of a string as Python counts them (code points, not UTF-16 units). */
export function codePoints(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) i++;
    }
    n++;
  }
  return n;
}

/** A float as Python's repr writes it: the shortest round-trip digits, fixed notation for
 * 1e-4 <= |x| < 1e16, otherwise "1e+22", "1.5e-07". */
function pyFloat(x) {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, exp] = x.toExponential().split('e');
  const e = Number(exp);
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e16) {
    const t = String(x); // JavaScript writes these in fixed notation too, with the same digits
    return t.includes('.') ? t : t + '.0';
  }
  return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** Characters json.dumps uses for a JavaScript string (ensure_ascii: \uXXXX per UTF-16 unit). */
function pyStringLength(s) {
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x08 || c === 0x0c) n += 2;
    else if (c < 0x20 || c > 0x7e) n += 6;
    else n += 1;
  }
  return n;
}

/**
 * The length of Python's json.dumps of what the server receives for `v` (JSON.stringify's
 * view of it: whole numbers within 64 bits stay integers, other numbers become floats), or
 * -1 when v cannot be sent (a function, a cycle, a non-finite number).
 */
export function pyJsonLength(v, seen = new Set()) {
  if (v === null) return 4;
  switch (typeof v) {
    case 'boolean': return v ? 4 : 5;
    case 'string': return pyStringLength(v);
    case 'number':
      if (!Number.isFinite(v)) return -1;
      if (Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 64) return BigInt(v).toString().length;
      return pyFloat(v).length;
    case 'object': {
      if (seen.has(v)) return -1;
      if (typeof v.toJSON === 'function') return pyJsonLength(v.toJSON(), seen);
      seen.add(v);
      let n = 2, count = 0;
      if (Array.isArray(v)) {
        for (const x of v) {
          const m = pyJsonLength(x === undefined || typeof x === 'function' ? null : x, seen);
          if (m < 0) return -1;
          n += m + (count++ ? 2 : 0);
        }
      } else {
        for (const [k, x] of Object.entries(v)) {
          if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
          const m = pyJsonLength(x, seen);
          if (m < 0) return -1;
          n += pyStringLength(k) + 2 + m + (count++ ? 2 : 0);
        }
      }
      seen.delete(v);
      return n;
    }
    default: return -1;
  }
}

/** Why the server would refuse this key, or '' when it is fine. */
function keyProblem(key) {
  if (typeof key !== 'string' || !key) return 'it has no key';
  const n = codePoints(key);
  return n >= MAX_STRING ? `its key has ${n} characters (at most ${MAX_STRING - 1})` : '';
}

/** Why the server would refuse this setting as it is, or '' (DOM-free; the store says it). */
export function settingProblem(s) {
  if (!s || typeof s !== 'object') return 'it is not a setting';
  const k = keyProblem(s.key);
  if (k) return k;
  if (s.value === undefined) return 'it has no value';
  const n = pyJsonLength(s.value);
  if (n < 0) return 'its value cannot be written as JSON';
  return n >= MAX_VALUE_JSON ? `its value is ${n} characters long as JSON (at most ${MAX_VALUE_JSON - 1})` : '';
}

/** Why the server would refuse this record, or ''. Descriptions are cut to fit, not refused. */
export function recordProblem(r) {
  if (!r || typeof r !== 'object') return 'it is not a record';
  const k = keyProblem(r.key);
  if (k) return k;
  if (toInt(r.t1) === null || toInt(r.t2) === null || toInt(r.mt) === null) return 'its times are not whole numbers';
  if (r.ds !== undefined && r.ds !== null && typeof r.ds !== 'string') return 'its description is not text';
  return '';
}

/** A clean copy of a record for local storage, or null when it is invalid. t1 <= t2 after. */
export function validateRecord(r) {
  if (recordProblem(r)) return null;
  const t1 = toInt(r.t1), t2 = toInt(r.t2), mt = toInt(r.mt);
  const out = { key: r.key, t1: Math.min(t1, t2), t2: Math.max(t1, t2), mt, st: Number(r.st) || 0 };
  if (r.ds !== undefined && r.ds !== null) {
    const ds = cleanString(r.ds);
    if (ds) out.ds = ds;
  }
  return out;
}

/** A clean copy of a setting, or null when the server would refuse it (settingProblem). */
export function validateSetting(s) {
  if (settingProblem(s)) return null;
  const mt = toInt(s.mt);
  if (mt === null) return null;
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
