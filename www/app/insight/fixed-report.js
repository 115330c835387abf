// fixed-report.js: a report of records handed in from outside the local store, with a range
// and tags fixed by whoever made it: a share link's page (pages/share.js) and a manager's team
// report (team-ui.js). The same renderer as the Reports page (buildReport, its table, CSV and
// print view); the viewer picks the grouping, the period and the duration format.

import { h } from '../common/ui.js';
import { buildReport, formatMoney, REPORT_FORMATS } from './report.js';
import { reportCsv, reportFilename } from './csv.js';
import { tableParts, tableHtml } from './reports-ui.js';
import { download } from './files.js';
import { formatDate } from '../common/format.js';

const FORMAT_LABELS = { hm: 'h:mm', hms: 'h:mm:ss', h0: 'hours (9)', h1: 'hours (9.1)', h2: 'hours (9.12)', h3: 'hours (9.123)' };
const GROUPINGS = { none: 'No grouping', tagz: 'By tags', ds: 'By description', user: 'By member', usertagz: 'By member, then tags' };
const FIRST_ROWS = 120;
const CHUNK_ROWS = 1000;

/**
 * Mount a report into `host`. opts: title, lines ([[label, text]] shown under the title and
 * in the print head), records ([{key, t1, t2, ds, user?}]), t1, t2 (the range, [t1, t2)),
 * groupings (keys of GROUPINGS offered, first is the default), amounts (show money),
 * rates ({tagz: rate}), currency, tagInfo(tagz), firstDay, dateRepr, user (the CSV's user
 * column when records carry none), now() (unix s).
 * Returns {update(records, range), report(), el}.
 */
export function mountFixedReport(host, opts) {
  const o = { groupings: ['none', 'tagz', 'ds'], firstDay: 1, dateRepr: 'dd-mm-yyyy', now: () => Math.floor(Date.now() / 1000), ...opts };
  let records = o.records || [];
  let report = null;
  let gen = 0;
  const sel = (name, value, options, label) => h('label', { class: 'iv-field' }, h('span', {}, label),
    h('select', { name, 'aria-label': label }, ...options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))));
  const form = h('form', { class: 'iv-form', onsubmit: (e) => e.preventDefault() },
    sel('grouping', o.groupings[0], o.groupings.map((g) => [g, GROUPINGS[g]]), 'Group'),
    sel('groupPeriod', 'none', [['none', 'No period'], ['day', 'Per day'], ['week', 'Per week'], ['month', 'Per month'], ['year', 'Per year']], 'Period'),
    sel('format', 'hm', REPORT_FORMATS.filter((f) => FORMAT_LABELS[f]).map((f) => [f, FORMAT_LABELS[f]]), 'Durations'),
    h('label', { class: 'iv-check' }, h('input', { type: 'checkbox', name: 'showRecords', checked: true }), ' Show records'));
  const summary = h('p', { class: 'iv-summary', 'aria-live': 'polite' });
  const tableHost = h('div', { class: 'iv-table-host' });
  const money = (c) => formatMoney(c, o.currency || '');
  const printHost = h('div', { id: 'insight-print', class: 'iv-print' });

  function update() {
    const f = new FormData(form);
    const showRecords = !!f.get('showRecords');
    report = buildReport(records, {
      t1: o.t1, t2: o.t2, now: o.now(), grouping: f.get('grouping'), groupPeriod: f.get('groupPeriod'), format: f.get('format'),
      rates: o.amounts && o.rates && typeof o.rates === 'object' ? o.rates : null, currency: o.currency || '',
      firstDay: o.firstDay, dateRepr: o.dateRepr, tagInfo: o.tagInfo,
    });
    report.showRecords = showRecords;
    summary.replaceChildren(h('strong', { class: 'iv-total-text' }, report.total.text), ` in ${report.count} records`,
      report.ratesOn ? ` · ${money(report.total.cents)}` : '',
      h('span', { class: 'muted' }, ` · ${formatDate(o.t1, o.dateRepr)} – ${formatDate(Math.max(o.t1, o.t2 - 1), o.dateRepr)}`));
    // the first rows now, the rest after the first paint, as the Reports page does
    const mine = ++gen;
    const parts = tableParts(report, showRecords, money, FIRST_ROWS, CHUNK_ROWS);
    tableHost.innerHTML = parts.head + parts.next() + '</table>';
    const table = tableHost.firstChild;
    const step = () => {
      if (mine !== gen) return;
      const more = parts.next();
      if (more) table.insertAdjacentHTML('beforeend', more);
      if (!parts.done()) setTimeout(step, 0);
    };
    if (!parts.done()) setTimeout(step, 0);
    return report;
  }

  function printReport() {
    printHost.replaceChildren(h('header', { class: 'iv-print-head' }, h('h1', {}, o.title || 'Time record report'),
      h('dl', {}, ...(o.lines || []).flatMap(([k, v]) => [h('dt', {}, k + ':'), h('dd', {}, v)]),
        h('dt', {}, 'Total:'), h('dd', { class: 'iv-print-total' }, report.total.text + (report.ratesOn ? ' · ' + money(report.total.cents) : '')))));
    const t = h('div');
    t.innerHTML = tableHtml(report, report.showRecords, money);
    printHost.append(t.firstChild);
    if (!printHost.isConnected) document.body.append(printHost);
    document.body.classList.add('iv-printing');
    const done = () => { document.body.classList.remove('iv-printing'); window.removeEventListener('afterprint', done); };
    window.addEventListener('afterprint', done);
    setTimeout(() => window.print(), 50);
  }

  const actions = h('div', { class: 'actions iv-fixed-actions' },
    h('button', { type: 'button', class: 'btn', onclick: () => download(reportFilename(o.t1, o.t2, 'csv'),
      reportCsv(report, { user: o.user || '', showRecords: report.showRecords }), 'text/csv') }, 'Download CSV'),
    h('button', { type: 'button', class: 'btn', onclick: printReport, title: 'Print, or save as PDF from the print dialog' }, 'Print / PDF'));
  const el = h('div', { class: 'iv-report iv-fixed' }, form, summary, actions, tableHost);
  host.append(el);
  form.addEventListener('change', () => update());
  update();
  return {
    el,
    report: () => report,
    update(newRecords, range) {
      records = newRecords || records;
      if (range) [o.t1, o.t2] = range;
      return update();
    },
    destroy() { gen++; printHost.remove(); el.remove(); },
  };
}
