// import/index.js: the import pipeline behind the Import page: recognise the source, parse it
// into rows, analyse each row against the local store (create / update / skip, with the
// reason, line by line), and cut the result into batches for the store and its sync.
// Re-importing the same file changes nothing: keys come from the file or, when it has none,
// from the row's content. DOM-free.

import { parseCsv } from '../csv.js';
import { cleanString, isHidden } from '../../common/tags.js';
import { deterministicKey } from './common.js';
import { parseTimeTaggerCsv } from './timetagger.js';
import { parseTrackerCsv, detectTracker } from './trackers.js';
import { detectJson, parseRecordsJson, parseSettingsJson, parseTimewarrior } from './jsonformats.js';

export const FORMAT_NAMES = {
  csv: 'CSV/TSV (TimeTagger columns, or our CSV export)',
  toggl: 'Toggl Track CSV',
  clockify: 'Clockify CSV',
  timewarrior: 'Timewarrior JSON (timew export)',
  'tagwatch-json': 'tagwatch records JSON',
  'tagwatch-settings': 'tagwatch settings JSON',
};

/**
 * Recognise and parse an import. `name` is the file name if any (spreadsheets and PDFs are
 * refused with advice, as TimeTagger does). Returns {format, rows, fields?, ignored?, error?}.
 */
export function parseImport(text, name = '') {
  const lower = String(name).toLowerCase();
  if (/\.(xls|xlsx|xlsm|ods)$/.test(lower) || /^PK\x03\x04/.test(text)) {
    return { format: null, rows: [], error: 'This is a spreadsheet file: save it as CSV first (File, Save as, CSV).' };
  }
  if (lower.endsWith('.pdf') || text.startsWith('%PDF')) {
    return { format: null, rows: [], error: 'A PDF cannot be imported: export CSV or JSON from the other app.' };
  }
  const trimmed = String(text).replace(/^\uFEFF/, '').trim();
  if (!trimmed) return { format: null, rows: [], error: 'Nothing to import: the text is empty.' };
  if (trimmed[0] === '[' || trimmed[0] === '{') {
    let value;
    try {
      // Timewarrior's documented example ends its array with "},\n]": accept a trailing comma.
      value = JSON.parse(trimmed.replace(/,\s*([\]}])\s*$/, '$1'));
    } catch (e) {
      return { format: null, rows: [], error: 'This looks like JSON but does not parse: ' + e.message };
    }
    const kind = detectJson(value);
    if (kind === 'records') return parseRecordsJson(value);
    if (kind === 'settings') return parseSettingsJson(value);
    if (kind === 'timewarrior') return parseTimewarrior(value);
    return { format: null, rows: [], error: 'Unknown JSON: expected a tagwatch export or Timewarrior\'s "timew export".' };
  }
  const firstLine = trimmed.split(/\r?\n/, 1)[0];
  const header = parseCsv(firstLine)[0] || [];
  const tracker = detectTracker(header);
  if (tracker) return parseTrackerCsv(text, tracker);
  return parseTimeTaggerCsv(text);
}

const same = (r, x) => r.t1 === x.t1 && r.t2 === x.t2 && (r.ds || '') === (x.ds || '');

/**
 * Analyse parsed rows against what the store holds.
 * existing: {records: [{key, t1, t2, ds, mt}], settings: [{key, value, mt}]}.
 * Returns {format, items: [{line, action: 'create'|'update'|'skip', reason, kind, item}],
 *   counts: {create, update, skip}, ignored, error}. `item` is what to put.
 * Rules, in order, for a record row:
 *  1. invalid rows are skipped with what was wrong;
 *  2. key: the file's, or derived from format, start, stop and description;
 *  3. a key seen earlier in the file: skip (duplicate of line N);
 *  4. key in the store: identical -> skip; the store's copy newer than the file's (mt) -> skip;
 *     a derived key whose record was edited since the last import -> skip (your edit is kept);
 *     else update, listing what changes;
 *  5. no file key and a visible store record with the same start and stop (TimeTagger's rule):
 *     same description -> skip; else update that record's description;
 *  6. else create.
 */
export function analyzeImport(parsed, existing = {}) {
  const res = { format: parsed.format, items: [], counts: { create: 0, update: 0, skip: 0 }, ignored: parsed.ignored || [], error: parsed.error || null };
  if (parsed.error) return res;
  const add = (x) => { res.items.push(x); res.counts[x.action]++; };

  if (parsed.settings) {
    const byKey = new Map((existing.settings || []).map((s) => [s.key, s]));
    const seen = new Map();
    for (const row of parsed.rows) {
      if (row.error) { add({ line: row.line, action: 'skip', kind: 'settings', reason: row.error }); continue; }
      if (seen.has(row.key)) { add({ line: row.line, action: 'skip', kind: 'settings', reason: `duplicate of line ${seen.get(row.key)}` }); continue; }
      seen.set(row.key, row.line);
      const cur = byKey.get(row.key);
      const item = { key: row.key, value: row.value };
      if (!cur) add({ line: row.line, action: 'create', kind: 'settings', reason: `new setting ${row.key}`, item });
      else if (JSON.stringify(cur.value) === JSON.stringify(row.value)) add({ line: row.line, action: 'skip', kind: 'settings', reason: `${row.key} unchanged` });
      else if ((cur.mt || 0) > row.mt) add({ line: row.line, action: 'skip', kind: 'settings', reason: `${row.key} was changed here after the export` });
      else add({ line: row.line, action: 'update', kind: 'settings', reason: `${row.key} changes`, item });
    }
    return res;
  }

  const byKey = new Map();
  const bySpan = new Map();
  for (const r of existing.records || []) {
    byKey.set(r.key, r);
    if (!isHidden(r.ds)) bySpan.set(r.t1 + '|' + r.t2, r);
  }
  const seen = new Map();
  for (const row of parsed.rows) {
    const line = row.line;
    if (row.error) { add({ line, action: 'skip', kind: 'records', reason: row.error }); continue; }
    if (row.skip) { add({ line, action: 'skip', kind: 'records', reason: row.skip }); continue; }
    const ds = row.exact ? row.ds : cleanString(row.ds);
    const fileKey = !!row.key;
    const key = fileKey ? row.key : deterministicKey(`${parsed.format}|${row.t1}|${row.t2}|${ds}`);
    const item = { key, t1: row.t1, t2: row.t2, ds };
    if (seen.has(key)) { add({ line, action: 'skip', kind: 'records', reason: `duplicate of line ${seen.get(key)}` }); continue; }
    seen.set(key, line);
    const cur = byKey.get(key);
    if (cur) {
      if (same(cur, item)) { add({ line, action: 'skip', kind: 'records', reason: `unchanged (${key})` }); continue; }
      if (row.mt !== undefined && (cur.mt || 0) > row.mt) { add({ line, action: 'skip', kind: 'records', reason: `${key} was changed here after the export; kept` }); continue; }
      if (!fileKey) { add({ line, action: 'skip', kind: 'records', reason: `imported before as ${key} and edited since; your edit is kept` }); continue; }
      const what = [];
      if (cur.t1 !== item.t1) what.push('start');
      if (cur.t2 !== item.t2) what.push('stop');
      if ((cur.ds || '') !== item.ds) what.push(isHidden(cur.ds) !== isHidden(item.ds) ? (isHidden(item.ds) ? 'deleted' : 'restored') : 'description');
      add({ line, action: 'update', kind: 'records', reason: `${key}: ${what.join(', ')} changed`, item });
      continue;
    }
    if (!fileKey) {
      const twin = bySpan.get(item.t1 + '|' + item.t2);
      if (twin) {
        if ((twin.ds || '') === item.ds) { add({ line, action: 'skip', kind: 'records', reason: `same record exists (${twin.key})` }); continue; }
        add({ line, action: 'update', kind: 'records', reason: `same start and stop as ${twin.key}: description replaced`, item: { ...item, key: twin.key } });
        continue;
      }
    }
    add({ line, action: 'create', kind: 'records', reason: 'new record', item });
  }
  return res;
}

/** The items to write, in batches of `size`, per kind: [{kind, items}]. Settings first, as
 * the sync pushes them first too. */
export function importBatches(analysis, size = 500) {
  const batches = [];
  for (const kind of ['settings', 'records']) {
    const items = analysis.items.filter((x) => x.kind === kind && x.action !== 'skip').map((x) => x.item);
    for (let i = 0; i < items.length; i += size) batches.push({ kind, items: items.slice(i, i + size) });
  }
  return batches;
}
