// io-ui.js: the Import / export page. Export: all records as CSV (local, ISO or Unix times) or
// JSON (lossless, hidden records included), and the synced settings as JSON, each a download.
// Import: paste or drop a file; an analysis line by line (create / update / skip and why);
// then the import in batches through the store (IndexedDB first, then the sync) with a
// progress bar that follows the sync until the server has everything.

import { h, toast } from '../common/ui.js';
import { openDialog, frame } from '../common/dialog.js';
import { recordsCsv, recordsJson, settingsJson } from './csv.js';
import { parseImport, analyzeImport, importBatches, FORMAT_NAMES } from './import/index.js';
import { dateKey } from '../common/calendar.js';
import { download } from './files.js';

const SHOW_MAX = 1000;
const BATCH = 500;

export function openImportExport(ctx) {
  // ---- export ----
  const tf = h('select', { 'aria-label': 'Time format of the CSV' },
    h('option', { value: 'local' }, 'Local time (YYYY-MM-DD HH:MM:SS)'), h('option', { value: 'iso' }, 'ISO 8601 (UTC)'), h('option', { value: 'unix' }, 'Unix seconds'));
  const stamp = () => dateKey(ctx.now()).replace(/-/g, '');
  const exportBox = h('section', { class: 'iv-box', 'aria-label': 'Export' }, h('h3', {}, 'Export'),
    h('div', { class: 'iv-row' },
      h('button', { type: 'button', class: 'btn', onclick: () => download(`tagwatch-records-${stamp()}.csv`, recordsCsv(ctx.allRecords(false), tf.value), 'text/csv') }, 'Records as CSV'), tf),
    h('div', { class: 'iv-row' },
      h('button', { type: 'button', class: 'btn', onclick: () => download(`tagwatch-records-${stamp()}.json`, recordsJson(ctx.allRecords(true), ctx.now()), 'application/json') }, 'Records as JSON (backup)'),
      h('button', { type: 'button', class: 'btn', onclick: () => download(`tagwatch-settings-${stamp()}.json`, settingsJson(ctx.store.settings.all(), ctx.now()), 'application/json') }, 'Settings as JSON')),
    h('p', { class: 'muted' }, 'CSV has TimeTagger\'s export columns (key, start, stop, tags, description) and leaves deleted records out. JSON keeps everything and imports back exactly.'));

  // ---- import ----
  const text = h('textarea', { rows: 6, 'aria-label': 'Text to import', placeholder: 'Paste CSV, TSV or JSON here, or drop a file', spellcheck: false, class: 'iv-importtext' });
  const file = h('input', { type: 'file', accept: '.csv,.tsv,.txt,.json,text/csv,text/plain,application/json', 'aria-label': 'File to import' });
  let fileName = '';
  const analyseBtn = h('button', { type: 'button', class: 'btn' }, 'Analyse');
  const importBtn = h('button', { type: 'button', class: 'btn primary', disabled: true }, 'Import');
  const summary = h('div', { class: 'iv-import-summary', role: 'status' });
  const progress = h('progress', { max: 1, value: 0, hidden: true, 'aria-label': 'Import progress' });
  const progressText = h('span', { class: 'muted', role: 'status' });
  const log = h('div', { class: 'iv-importlog' });
  let analysis = null;

  const readFile = async (f) => {
    fileName = f.name;
    text.value = await f.text();
    analyse();
  };
  file.addEventListener('change', () => { if (file.files[0]) readFile(file.files[0]); });
  text.addEventListener('input', () => { fileName = ''; importBtn.disabled = true; });
  text.addEventListener('dragover', (e) => { e.preventDefault(); text.classList.add('drop'); });
  text.addEventListener('dragleave', () => text.classList.remove('drop'));
  text.addEventListener('drop', (e) => {
    e.preventDefault();
    text.classList.remove('drop');
    const f = e.dataTransfer.files && e.dataTransfer.files[0];
    if (f) readFile(f);
  });

  function analyse() {
    const parsed = parseImport(text.value, fileName);
    analysis = analyzeImport(parsed, { records: ctx.allRecords(true), settings: ctx.store.settings.all() });
    log.replaceChildren();
    if (analysis.error) {
      summary.replaceChildren(h('p', { class: 'iv-error' }, analysis.error));
      importBtn.disabled = true;
      return analysis;
    }
    const c = analysis.counts;
    summary.replaceChildren(
      h('p', {}, h('strong', {}, FORMAT_NAMES[analysis.format] || analysis.format), ` · ${analysis.items.length} lines: `,
        h('span', { class: 'iv-create' }, `${c.create} to create`), ', ', h('span', { class: 'iv-update' }, `${c.update} to update`), ', ',
        h('span', { class: 'iv-skip' }, `${c.skip} skipped`)),
      analysis.ignored.length ? h('p', { class: 'muted' }, `Columns not used: ${analysis.ignored.join(', ')}`) : '');
    const rows = analysis.items.slice(0, SHOW_MAX).map((x) => h('tr', { class: 'iv-' + x.action },
      h('td', { class: 'num' }, String(x.line)), h('td', {}, x.action), h('td', {}, x.reason),
      h('td', {}, x.item ? (x.item.ds ?? x.item.key ?? '') : '')));
    log.append(h('table', { class: 'tag-table iv-logtable' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Line'), h('th', {}, 'Action'), h('th', {}, 'Why'), h('th', {}, 'Record'))),
      h('tbody', {}, ...rows)));
    if (analysis.items.length > SHOW_MAX) log.append(h('p', { class: 'muted' }, `… and ${analysis.items.length - SHOW_MAX} more lines.`));
    importBtn.disabled = !(c.create + c.update);
    importBtn.textContent = c.create + c.update ? `Import ${c.create + c.update} changes` : 'Nothing to import';
    return analysis;
  }

  async function runImport() {
    if (!analysis || analysis.error) return;
    const batches = importBatches(analysis, BATCH);
    const totalItems = batches.reduce((s, b) => s + b.items.length, 0);
    if (!totalItems) return;
    importBtn.disabled = true;
    analyseBtn.disabled = true;
    progress.hidden = false;
    progress.max = totalItems * 2; // first half: saved locally; second half: acknowledged by the server
    progress.value = 0;
    const pendingBefore = ctx.store.pendingCount ? ctx.store.pendingCount() : 0;
    let done = 0;
    try {
      for (const b of batches) {
        await ctx.store.put(b.kind, b.items);
        done += b.items.length;
        progress.value = done;
        progressText.textContent = `Saved ${done} of ${totalItems} in this browser…`;
        await new Promise((r) => setTimeout(r, 0)); // let the page breathe between batches
      }
      if (ctx.store.requestSync) ctx.store.requestSync();
      // follow the sync: the store reports how many local changes wait for the server
      const started = Date.now();
      await new Promise((resolve) => {
        const tick = () => {
          const pending = Math.max(0, (ctx.store.pendingCount ? ctx.store.pendingCount() : 0) - pendingBefore);
          const acked = Math.max(0, totalItems - pending);
          progress.value = totalItems + acked;
          const st = ctx.store.status || {};
          progressText.textContent = pending ? `Syncing: ${pending} waiting for the server${st.state === 'offline' ? ' (offline: they go up when you are back)' : st.state === 'error' ? ` (${st.message || 'sync error'}; retrying)` : '…'}` : 'Synced with the server.';
          if (!pending || Date.now() - started > 120000 || st.state === 'offline' || st.state === 'auth') { resolve(); return; }
          setTimeout(tick, 250);
        };
        tick();
      });
      const c = analysis.counts;
      toast(`Imported: ${c.create} created, ${c.update} updated, ${c.skip} skipped.`);
      progressText.textContent = `Done: ${c.create} created, ${c.update} updated, ${c.skip} skipped. ` + progressText.textContent;
    } catch (e) {
      progressText.textContent = 'Import stopped: ' + (e && e.message ? e.message : e) + '. What was saved stays; analyse again to continue.';
    } finally {
      analyseBtn.disabled = false;
      analysis = null;
      importBtn.textContent = 'Import';
    }
  }
  analyseBtn.addEventListener('click', analyse);
  importBtn.addEventListener('click', runImport);

  const importBox = h('section', { class: 'iv-box', 'aria-label': 'Import' }, h('h3', {}, 'Import'),
    h('p', { class: 'muted' }, 'CSV or TSV with TimeTagger\'s columns (start, stop or duration, tags, description, key…), our CSV and JSON exports, Toggl Track and Clockify CSV exports, Timewarrior\'s "timew export". Importing the same file again changes nothing.'),
    text, h('div', { class: 'iv-row' }, file, analyseBtn, importBtn), progress, progressText, summary, log);

  const { close } = openDialog((close) => frame('Import and export', close, h('div', { class: 'iv-io' }, exportBox, importBox)), { label: 'Import and export', className: 'iv-page' });
  return { close, analyse, runImport };
}
