// import/common.js: what every importer shares: date, time and duration parsing, tags made
// from names, the final description, and deterministic keys (so importing the same file
// twice yields the same keys and changes nothing). DOM-free.

import { toValidTag, parseTags, cleanString } from '../../common/tags.js';

const localUnix = (y, mo, d, h = 0, mi = 0, s = 0) => Math.floor(new Date(y, mo - 1, d, h, mi, s).getTime() / 1000);

function validYMD(y, m, d) {
  return y >= 1970 && y < 3000 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/**
 * A full date-time: a Unix timestamp (a number > 31536000, as TimeTagger's import decides),
 * ISO 8601 with "T" or a space, with or without seconds, fraction and zone (without a zone it
 * is local time), or Timewarrior's compact "20231001T103000Z". Returns unix s (may be
 * fractional) or NaN.
 */
export function parseDateTime(value) {
  const s = String(value ?? '').trim();
  if (!s) return NaN;
  if (/^\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    return n > 31536000 ? n : NaN;
  }
  let m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/.exec(s);
  if (m) {
    if (!validYMD(+m[1], +m[2], +m[3])) return NaN;
    return m[7] ? Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000
      : localUnix(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6]);
  }
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (m) {
    const [y, mo, d, h, mi, sec] = [+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] || 0)];
    if (!validYMD(y, mo, d) || h > 24 || mi > 59 || sec > 60) return NaN;
    const frac = m[7] ? Number(m[7]) : 0;
    if (!m[8]) return localUnix(y, mo, d, h, mi, sec) + frac;
    let off = 0;
    if (m[8].toUpperCase() !== 'Z') {
      const z = m[8].replace(':', '');
      off = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 3600 + Number(z.slice(3, 5)) * 60);
    }
    return Date.UTC(y, mo - 1, d, h, mi, sec) / 1000 + frac - off;
  }
  return NaN;
}

/**
 * A date alone. `order` says how to read slashed or dotted dates whose parts are both <= 12:
 * 'mdy' (Clockify's and US default) or 'dmy'. "yyyy-mm-dd", "dd-mm-yyyy", "dd.mm.yyyy",
 * "mm/dd/yyyy" (or dd/mm/yyyy) are understood. Returns {y, m, d} or null.
 */
export function parseDate(value, order = 'dmy') {
  const s = String(value ?? '').trim();
  let m = /^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$/.exec(s);
  if (m) return validYMD(+m[1], +m[2], +m[3]) ? { y: +m[1], m: +m[2], d: +m[3] } : null;
  m = /^(\d{1,2})([-./])(\d{1,2})[-./](\d{4}|\d{2})$/.exec(s);
  if (!m) return null;
  let a = +m[1], b = +m[3];
  let y = +m[4];
  if (m[4].length === 2) y += 2000;
  // dashes and dots are day-first (TimeTagger: dd-mm-yyyy); slashes follow `order`
  let dmy = m[2] !== '/' || order === 'dmy';
  if (a > 12 && b <= 12) dmy = true;
  else if (b > 12 && a <= 12) dmy = false;
  const [d, mo] = dmy ? [a, b] : [b, a];
  return validYMD(y, mo, d) ? { y, m: mo, d } : null;
}

/** A time of day: "h:mm", "h:mm:ss", "h.mm" (TimeTagger), with optional am/pm
 * ("12am" = 00:00). Returns seconds after midnight or NaN. */
export function parseTime(value) {
  const s = String(value ?? '').trim().toLowerCase();
  const m = /^(\d{1,2})(?:[:.](\d{2})(?::(\d{2}))?)?\s*(am|pm|a\.m\.|p\.m\.)?$/.exec(s);
  if (!m || (m[2] === undefined && !m[4])) return NaN;
  let h = +m[1];
  const mi = +(m[2] || 0), sec = +(m[3] || 0);
  if (mi > 59 || sec > 59) return NaN;
  if (m[4]) {
    if (h < 1 || h > 12) return NaN;
    const pm = m[4].startsWith('p');
    h = (h % 12) + (pm ? 12 : 0);
  } else if (h > 24) return NaN;
  return h * 3600 + mi * 60 + sec;
}

/** Date parts plus seconds of the day -> local unix s (DST-safe). */
export function combineLocal(date, secondsOfDay) {
  if (!date || !Number.isFinite(secondsOfDay)) return NaN;
  const h = Math.floor(secondsOfDay / 3600), mi = Math.floor((secondsOfDay % 3600) / 60), s = secondsOfDay % 60;
  return localUnix(date.y, date.m, date.d, h, mi, s);
}

/** A duration: plain seconds, "h:mm" or "h:mm:ss" (TimeTagger's import); NaN otherwise. */
export function parseDuration(value) {
  const s = String(value ?? '').trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const m = /^(\d+):(\d{1,2})(?::(\d{1,2}))?$/.exec(s);
  if (!m) return NaN;
  return +m[1] * 3600 + +m[2] * 60 + +(m[3] || 0);
}

/** A tag from a free name ("Website Redesign" -> "#website-redesign"): whitespace runs become
 * "-", other characters a tag cannot hold are dropped; "" if under 2 characters remain. */
export function tagFromName(name) {
  const s = String(name ?? '').trim().replace(/\s+/g, '-');
  return toValidTag(s, 2);
}

/** The imported description, TimeTagger's way: the tags not already in the description, then
 * the description; cleaned as the store will clean it. */
export function composeDescription(tags, description) {
  const desc = String(description ?? '').trim();
  const have = desc ? new Set(parseTags(desc)) : new Set();
  const extra = [];
  for (const t of tags) if (t && !have.has(t) && !extra.includes(t)) extra.push(t);
  return cleanString([extra.join(' '), desc].filter(Boolean).join(' ')).trimEnd();
}

/** TimeTagger's stop rule: start floored, stop ceiled and at least start + 1 (no running
 * records come from a file). Returns [t1, t2]. */
export function normalizeSpan(t1, t2) {
  const a = Math.floor(t1);
  return [a, Math.max(Math.ceil(t2), a + 1)];
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A deterministic 8-letter record key (the shape of TimeTagger's keys) from a string:
 * two independent 32-bit FNV-1a style hashes, about 45 bits spread over 8 letters. */
export function deterministicKey(text) {
  let h1 = 0x811c9dc5, h2 = 0x01000193 ^ 0x9e3779b9;
  const s = String(text);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 ^= h1 >>> 13; h1 = Math.imul(h1, 0xc2b2ae35); h1 ^= h1 >>> 16;
  h2 ^= h2 >>> 13; h2 = Math.imul(h2, 0x85ebca6b); h2 ^= h2 >>> 16;
  let a = h1 >>> 0, b = h2 >>> 0, key = '';
  for (let i = 0; i < 4; i++) { key += LETTERS[a % 52]; a = Math.floor(a / 52); }
  for (let i = 0; i < 4; i++) { key += LETTERS[b % 52]; b = Math.floor(b / 52); }
  return key;
}

/** Normalise a header name for mapping: lowercased, "-" and "_" to spaces, spaces collapsed. */
export function normHeader(h) {
  return String(h ?? '').replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[-_]/g, ' ').replace(/\s+/g, ' ');
}
