// import/timetagger.js: CSV or TSV with TimeTagger's import header mapping (docs/timetagger-client.md §1.8),
// which also reads our own CSV export (key, start, stop, tags, description). Each data line
// becomes {line, key?, t1, t2, ds} or {line, error}. DOM-free.

import { parseCsv } from '../csv.js';
import {
  parseDateTime, parseDate, parseTime, combineLocal, parseDuration, tagFromName,
  composeDescription, normalizeSpan, normHeader,
} from './common.js';
import { toValidTag } from '../../common/tags.js';

/** TimeTagger's header names per field (after normHeader). */
export const HEADER_MAP = {
  key: ['id', 'identifier', 'key'],
  t1: ['start', 'begin', 'start time', 'begin time'],
  t2: ['stop', 'end', 'stop time', 'end time'],
  description: ['description', 'summary', 'comment', 'title', 'ds'],
  tags: ['tags', 'tag'],
  projectname: ['project', 'pr', 'proj', 'project name'],
  projectkey: ['project key', 'project id'],
  projectpath: ['project path'],
  date: ['date'],
  duration: ['duration', 'duration h:m', 'duration h:m:s', 'duration hh:mm', 'duration hh:mm:ss'],
};

/** Map header cells to fields: {fields: {field: columnIndex}, ignored: [names]}. */
export function mapHeader(header) {
  const fields = {};
  const ignored = [];
  header.forEach((h, i) => {
    const n = normHeader(h);
    const field = Object.keys(HEADER_MAP).find((f) => HEADER_MAP[f].includes(n));
    if (field && !(field in fields)) fields[field] = i;
    else if (n) ignored.push(String(h).trim());
  });
  return { fields, ignored };
}

/** A start or stop cell: a full date-time, or a time of day on the row's date column. */
function parseWhen(value, dateCell) {
  const t = parseDateTime(value);
  if (Number.isFinite(t)) return t;
  const tod = parseTime(value);
  if (Number.isFinite(tod) && dateCell) return combineLocal(parseDate(dateCell, 'dmy'), tod);
  // last resort, as TimeTagger: what the JavaScript Date parser makes of it
  const p = Date.parse(String(value ?? '').trim());
  return Number.isFinite(p) && p > 0 ? p / 1000 : NaN;
}

/** Tags of a tags cell: split on commas and whitespace, each made a valid tag (>= 2 chars). */
export function tagsFromCell(cell) {
  return String(cell ?? '').split(/[,\s]+/).map((w) => toValidTag(w, 2)).filter(Boolean);
}

/**
 * Parse TimeTagger-style CSV/TSV text. Returns {format: 'csv', sep, fields, ignored, rows,
 * error?}. `rows` hold {line, key?, t1, t2, ds} or {line, error}. A missing start column, or
 * missing stop and duration columns, is an error for the whole file.
 */
export function parseTimeTaggerCsv(text) {
  const table = parseCsv(text);
  if (!table.length) return { format: 'csv', rows: [], error: 'The file is empty.' };
  const { fields, ignored } = mapHeader(table[0]);
  const res = { format: 'csv', sep: table.sep, fields, ignored, rows: [] };
  if (!('t1' in fields)) { res.error = 'No start column (start, begin, start time, begin time).'; return res; }
  if (!('t2' in fields) && !('duration' in fields)) { res.error = 'No stop or duration column.'; return res; }
  const cell = (row, f) => (f in fields ? (row[fields[f]] ?? '').trim() : '');
  for (let i = 1; i < table.length; i++) {
    const row = table[i];
    const line = table.lines[i];
    const date = cell(row, 'date');
    const t1 = parseWhen(cell(row, 't1'), date);
    if (!Number.isFinite(t1)) { res.rows.push({ line, error: `cannot read the start "${cell(row, 't1')}"` }); continue; }
    let t2 = NaN;
    const stopCell = cell(row, 't2');
    if (stopCell) t2 = parseWhen(stopCell, date);
    if (!Number.isFinite(t2) && cell(row, 'duration')) {
      const d = parseDuration(cell(row, 'duration'));
      if (Number.isFinite(d)) t2 = t1 + d;
    }
    if (!Number.isFinite(t2)) { res.rows.push({ line, error: `cannot read the stop "${stopCell}" or a duration` }); continue; }
    if (t2 < t1) { res.rows.push({ line, error: 'the stop is before the start' }); continue; }
    let tags;
    if ('tags' in fields) tags = tagsFromCell(cell(row, 'tags'));
    else {
      const name = cell(row, 'projectname') || cell(row, 'projectkey') || cell(row, 'projectpath');
      tags = [tagFromName(name)].filter(Boolean);
    }
    const [a, b] = normalizeSpan(t1, t2);
    const out = { line, t1: a, t2: b, ds: composeDescription(tags, cell(row, 'description')) };
    const key = cell(row, 'key');
    if (key) out.key = key;
    res.rows.push(out);
  }
  return res;
}
