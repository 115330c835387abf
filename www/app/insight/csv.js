// csv.js: CSV/TSV writing and reading (RFC 4180), TimeTagger's report CSV, and the exports of
// all records (CSV with local, ISO or Unix times; JSON, lossless) and of settings (JSON).
// DOM-free; the UI turns the strings into downloads.

import { parseTags, isHidden } from '../common/tags.js';
import { reportRows, formatCents } from './report.js';
import { formatLocal, formatISO } from '../common/format.js';
import { dateKey } from '../common/calendar.js';

/** One CSV field: quoted when it holds the separator, a quote, CR or LF (or `always`),
 * with quotes doubled, as RFC 4180 says. */
export function csvField(value, sep = ',', always = false) {
  const s = value === null || value === undefined ? '' : String(value);
  if (always || s.includes(sep) || s.includes('"') || s.includes('\n') || s.includes('\r')) {
    return '"' + s.replace(/"/g, '""') + '"';
  }
  return s;
}

/** Rows (arrays of fields) -> CSV text with CRLF line ends, including after the last row.
 * `quoted` is a set of column indexes that are always quoted. */
export function writeCsv(rows, { sep = ',', quoted = null } = {}) {
  let out = '';
  for (const row of rows) {
    out += row.map((v, i) => csvField(v, sep, !!quoted && quoted.has(i) && v !== '')).join(sep) + '\r\n';
  }
  return out;
}

/** Guess the separator from a header line: whichever of tab, comma or semicolon occurs
 * most (TimeTagger's import rule); comma when none. */
export function detectSeparator(headerLine) {
  let best = ',', n = 0;
  for (const sep of ['\t', ',', ';']) {
    const c = headerLine.split(sep).length - 1;
    if (c > n) { best = sep; n = c; }
  }
  return best;
}

/**
 * Parse CSV/TSV text into rows of fields. Quoted fields may hold separators, quotes ("") and
 * line breaks. Each row carries its 1-based starting line number (`rows.lines[i]`) so that
 * import analysis can point at the line. A UTF-8 BOM is dropped. Blank lines are skipped.
 */
export function parseCsv(text, sep = null) {
  let s = String(text);
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  if (!sep) sep = detectSeparator(s.split(/\r?\n/, 1)[0] || '');
  const rows = [];
  const lines = [];
  let row = [], field = '', i = 0, line = 1, rowLine = 1, quoted = false;
  const endField = () => { row.push(field); field = ''; quoted = false; };
  const endRow = () => {
    endField();
    if (row.length > 1 || row[0].trim() !== '') { rows.push(row); lines.push(rowLine); }
    row = [];
  };
  while (i < s.length) {
    const c = s[i];
    if (c === '"' && field === '' && !quoted) {
      // quoted field: read to the closing quote
      quoted = true; i++;
      for (;;) {
        if (i >= s.length) break;
        const d = s[i];
        if (d === '"') {
          if (s[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++; break;
        }
        if (d === '\n') line++;
        field += d; i++;
      }
      continue;
    }
    if (c === sep) { endField(); i++; continue; }
    if (c === '\r' || c === '\n') {
      endRow();
      if (c === '\r' && s[i + 1] === '\n') i++;
      i++; line++; rowLine = line;
      continue;
    }
    field += c; i++;
  }
  if (field !== '' || row.length || quoted) endRow();
  rows.lines = lines;
  rows.sep = sep;
  return rows;
}

// ---- the report CSV (TimeTagger's columns, in its order) ----------------------------------

export const REPORT_CSV_HEADER = ['subtotals', 'tag_groups', 'duration', 'date', 'start', 'stop', 'description', 'user', 'tags'];

/**
 * TimeTagger's report CSV: the header, one empty line, a "Total" row, then per group a blank
 * separator row and the group row (`<duration>,<title>`), and the record rows
 * (`,,<duration>,<date>,<start>,<stop>,"<description>",<user>,<tags>`). The description is
 * always quoted, as TimeTagger writes it. With rates on, an `amount` column is appended
 * (group, total and record amounts as "123.45"). Without any grouping there are no group rows.
 * CRLF line ends, no BOM.
 */
export function reportCsv(report, { user = '', showRecords = true } = {}) {
  const amount = report.ratesOn;
  const width = REPORT_CSV_HEADER.length + (amount ? 1 : 0);
  const blank = () => new Array(width).fill('');
  const rows = [amount ? [...REPORT_CSV_HEADER, 'amount'] : REPORT_CSV_HEADER.slice()];
  rows.push(null); // the one empty line
  for (const r of reportRows(report, showRecords)) {
    if (r.kind === 'total' || r.kind === 'group') {
      if (r.kind === 'group') rows.push(blank());
      const row = blank();
      row[0] = r.text;
      row[1] = r.title;
      if (amount) row[width - 1] = formatCents(r.cents);
      rows.push(row);
    } else {
      const row = ['', '', r.text, r.date, r.start, r.stop, r.ds || '', r.user ?? user,
        r.tags.filter((t) => t !== '#untagged').join(' ')];
      if (amount) row.push(formatCents(r.cents));
      row.isRecord = true;
      rows.push(row);
    }
  }
  let out = '';
  for (const row of rows) {
    if (row === null) { out += '\r\n'; continue; }
    out += row.map((v, i) => csvField(v, ',', i === 6 && row.isRecord)).join(',') + '\r\n';
  }
  return out;
}

/** The report as tab-separated text for the clipboard (pastes into spreadsheets). */
export function reportTsv(report, { showRecords = true } = {}) {
  const head = ['duration', 'title', 'date', 'start', 'stop', 'description'];
  if (report.ratesOn) head.push('amount');
  const rows = [head];
  for (const r of reportRows(report, showRecords)) {
    const row = r.kind === 'record'
      ? [r.text, '', r.date, r.start, r.stop, r.ds || '']
      : [r.text, r.title, '', '', '', ''];
    if (report.ratesOn) row.push(formatCents(r.cents));
    rows.push(row);
  }
  return rows.map((row) => row.map((v) => String(v).replace(/[\t\r\n]+/g, ' ')).join('\t')).join('\r\n') + '\r\n';
}

/** TimeTagger's report file name: timetagger-YYYYMMDD[-YYYYMMDD].csv (the end date is the
 * last day included). We keep the same pattern with our name. */
export function reportFilename(t1, t2, ext = 'csv', prefix = 'tagwatch') {
  const a = dateKey(t1).replace(/-/g, '');
  const b = dateKey(Math.max(t1, t2 - 1)).replace(/-/g, '');
  return `${prefix}-${a}${b !== a ? '-' + b : ''}.${ext}`;
}

// ---- exports of all records and of settings ----------------------------------------------

export const EXPORT_CSV_HEADER = ['key', 'start', 'stop', 'tags', 'description'];

/** One time in an export: 'local' "YYYY-MM-DD HH:MM:SS", 'iso' UTC "...Z", 'unix' seconds. */
export function exportTime(t, timeFormat) {
  if (timeFormat === 'unix') return String(t);
  if (timeFormat === 'iso') return formatISO(t);
  return formatLocal(t);
}

/**
 * All non-hidden records as CSV with TimeTagger's export columns (key, start, stop, tags,
 * description), sorted by start (TimeTagger's is in store order; sorted is more useful).
 * Running records have stop = start, as upstream. The description is the full text, tags
 * included, so import rebuilds the same description.
 */
export function recordsCsv(records, timeFormat = 'local') {
  const rows = [EXPORT_CSV_HEADER];
  const list = records.filter((r) => r && !isHidden(r.ds)).sort((a, b) => a.t1 - b.t1 || (a.key < b.key ? -1 : 1));
  for (const r of list) {
    const tags = parseTags(r.ds).filter((t) => t !== '#untagged').join(' ');
    rows.push([r.key, exportTime(r.t1, timeFormat), exportTime(r.t2, timeFormat), tags, r.ds || '']);
  }
  return writeCsv(rows);
}

export const RECORDS_JSON_FORMAT = 'tagwatch-records';
export const SETTINGS_JSON_FORMAT = 'tagwatch-settings';

/** All records, hidden ones included (it is a backup), as JSON that import reads back
 * exactly: {format, version, exported, records: [{key, t1, t2, ds, mt}]}. */
export function recordsJson(records, now = Math.floor(Date.now() / 1000)) {
  const list = records.filter(Boolean).map((r) => ({ key: r.key, t1: r.t1, t2: r.t2, ds: r.ds || '', mt: r.mt || 0 }))
    .sort((a, b) => a.t1 - b.t1 || (a.key < b.key ? -1 : 1));
  return JSON.stringify({ format: RECORDS_JSON_FORMAT, version: 1, exported: now, records: list }, null, 1) + '\n';
}

/** The synced settings as JSON: {format, version, exported, settings: [{key, value, mt}]}. */
export function settingsJson(settings, now = Math.floor(Date.now() / 1000)) {
  const list = settings.filter(Boolean).map((s) => ({ key: s.key, value: s.value, mt: s.mt || 0 }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return JSON.stringify({ format: SETTINGS_JSON_FORMAT, version: 1, exported: now, settings: list }, null, 1) + '\n';
}
