// import/trackers.js: the CSV exports of Toggl Track (detailed report) and Clockify (detailed
// report). Both have separate start/end date and time columns, a duration, a tags list and
// project/client names; project and client become tags, as TimeTagger's import turns a
// project into a tag. Neither has a stable id, so keys are derived from the content.

import { parseCsv } from '../csv.js';
import { parseDate, parseTime, combineLocal, parseDuration, tagFromName, composeDescription, normalizeSpan, normHeader } from './common.js';

// Column names after normHeader ("Start date" -> "start date", "Duration (h)" stays).
const TOGGL = { start_date: 'start date', start_time: 'start time', end_date: 'end date', end_time: 'end time', duration: 'duration', description: 'description', tags: 'tags', project: 'project', client: 'client' };
const CLOCKIFY = { ...TOGGL, duration: 'duration (h)' };

/** Which tracker wrote this header row: 'toggl', 'clockify' or null. */
export function detectTracker(header) {
  const h = header.map(normHeader);
  const has = (n) => h.includes(n);
  if (!(has('start date') && has('start time') && has('end date') && has('end time'))) return null;
  if (has('duration (h)') || has('duration (decimal)')) return 'clockify';
  if (has('duration') && has('user') && has('email')) return 'toggl';
  if (has('duration')) return 'toggl';
  return null;
}

/** Clockify writes dates in the workspace's format; slashes are month-first unless some
 * date in the file proves them day-first (a first part above 12). */
function slashOrder(table, col) {
  for (let i = 1; i < table.length; i++) {
    const m = /^(\d{1,2})\/(\d{1,2})\//.exec((table[i][col] || '').trim());
    if (m && +m[1] > 12) return 'dmy';
  }
  return 'mdy';
}

/** Parse a Toggl or Clockify CSV: {format, fields, ignored, rows: [{line, t1, t2, ds} | {line, error}]}. */
export function parseTrackerCsv(text, tracker) {
  const table = parseCsv(text);
  const res = { format: tracker, rows: [], fields: {}, ignored: [] };
  if (!table.length) { res.error = 'The file is empty.'; return res; }
  const cols = tracker === 'clockify' ? CLOCKIFY : TOGGL;
  const header = table[0].map(normHeader);
  const idx = {};
  for (const [f, name] of Object.entries(cols)) { const i = header.indexOf(name); if (i >= 0) idx[f] = i; }
  res.fields = idx;
  const used = new Set(Object.values(idx));
  res.ignored = table[0].filter((h, i) => !used.has(i) && String(h).trim()).map((h) => String(h).replace(/^\uFEFF/, '').trim());
  const order = 'start_date' in idx ? slashOrder(table, idx.start_date) : 'mdy';
  const cell = (row, f) => (f in idx ? (row[idx[f]] ?? '').trim() : '');
  for (let i = 1; i < table.length; i++) {
    const row = table[i];
    const line = table.lines[i];
    const sd = parseDate(cell(row, 'start_date'), order);
    const t1 = combineLocal(sd, parseTime(cell(row, 'start_time')));
    if (!Number.isFinite(t1)) { res.rows.push({ line, error: `cannot read the start "${cell(row, 'start_date')} ${cell(row, 'start_time')}"` }); continue; }
    let t2 = combineLocal(parseDate(cell(row, 'end_date'), order) || sd, parseTime(cell(row, 'end_time')));
    if (!Number.isFinite(t2)) {
      const d = parseDuration(cell(row, 'duration'));
      if (Number.isFinite(d)) t2 = t1 + d;
    }
    if (!Number.isFinite(t2)) { res.rows.push({ line, error: 'cannot read the end or the duration' }); continue; }
    if (t2 < t1) { res.rows.push({ line, error: 'the end is before the start' }); continue; }
    const tags = [tagFromName(cell(row, 'client')), tagFromName(cell(row, 'project'))];
    for (const name of cell(row, 'tags').split(',')) tags.push(tagFromName(name));
    const [a, b] = normalizeSpan(t1, t2);
    res.rows.push({ line, t1: a, t2: b, ds: composeDescription(tags.filter(Boolean), cell(row, 'description')) });
  }
  return res;
}
