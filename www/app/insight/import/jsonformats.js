// import/jsonformats.js: JSON sources: our own records and settings exports (lossless, with
// keys and mt) and Timewarrior's `timew export` (an array of intervals with start, end,
// tags, annotation). DOM-free.

import { RECORDS_JSON_FORMAT, SETTINGS_JSON_FORMAT } from '../csv.js';
import { parseDateTime, tagFromName, composeDescription, normalizeSpan } from './common.js';
import { codePoints, pyJsonLength, MAX_STRING, MAX_VALUE_JSON } from '../../data/merge.js';

/** What a parsed JSON value is: 'records', 'settings', 'timewarrior' or null. */
export function detectJson(value) {
  if (value && value.format === RECORDS_JSON_FORMAT && Array.isArray(value.records)) return 'records';
  if (value && value.format === SETTINGS_JSON_FORMAT && Array.isArray(value.settings)) return 'settings';
  if (Array.isArray(value) && value.length && value.every((x) => x && typeof x === 'object' && typeof x.start === 'string')) return 'timewarrior';
  if (Array.isArray(value) && !value.length) return 'timewarrior';
  return null;
}

const isInt = (x) => Number.isInteger(x);

/** Our records export: rows keep key, t1, t2, ds exactly, and mt (to tell which side is newer).
 * A running record (t1 == t2) stays running: the backup is restored as it was. */
export function parseRecordsJson(value) {
  const rows = [];
  value.records.forEach((r, i) => {
    const line = i + 1;
    if (!r || typeof r.key !== 'string' || !r.key || codePoints(r.key) >= MAX_STRING) { rows.push({ line, error: 'no valid key' }); return; }
    if (!isInt(r.t1) || !isInt(r.t2) || r.t2 < r.t1 || r.t1 < 0) { rows.push({ line, error: 'invalid t1/t2' }); return; }
    rows.push({ line, key: r.key, t1: r.t1, t2: r.t2, ds: typeof r.ds === 'string' ? r.ds : '', mt: isInt(r.mt) ? r.mt : 0, exact: true });
  });
  return { format: 'tagwatch-json', rows };
}

/** Our settings export: [{line, key, value, mt}]. */
export function parseSettingsJson(value) {
  const rows = [];
  value.settings.forEach((s, i) => {
    const line = i + 1;
    if (!s || typeof s.key !== 'string' || !s.key || codePoints(s.key) >= MAX_STRING) { rows.push({ line, error: 'no valid key' }); return; }
    if (!('value' in s)) { rows.push({ line, error: 'no value' }); return; }
    if (pyJsonLength(s.value) >= MAX_VALUE_JSON) { rows.push({ line, error: `value too large (${MAX_VALUE_JSON} characters or more as the server counts them)` }); return; }
    rows.push({ line, key: s.key, value: s.value, mt: isInt(s.mt) ? s.mt : 0 });
  });
  return { format: 'tagwatch-settings', rows, settings: true };
}

/** Timewarrior intervals: tags become tags (spaces to "-"), the annotation the description.
 * An open interval (no end: the timer is running there) is not imported. */
export function parseTimewarrior(list) {
  const rows = [];
  list.forEach((iv, i) => {
    const line = i + 1;
    const t1 = parseDateTime(iv.start);
    if (!Number.isFinite(t1)) { rows.push({ line, error: `cannot read the start "${iv.start}"` }); return; }
    if (!iv.end) { rows.push({ line, skip: 'still running in Timewarrior (no end); stop it there first' }); return; }
    const t2 = parseDateTime(iv.end);
    if (!Number.isFinite(t2)) { rows.push({ line, error: `cannot read the end "${iv.end}"` }); return; }
    if (t2 < t1) { rows.push({ line, error: 'the end is before the start' }); return; }
    const tags = (Array.isArray(iv.tags) ? iv.tags : []).map(tagFromName).filter(Boolean);
    const [a, b] = normalizeSpan(t1, t2);
    rows.push({ line, t1: a, t2: b, ds: composeDescription(tags, iv.annotation || '') });
  });
  return { format: 'timewarrior', rows };
}
