// reports-ui.js: the Reports page: range (presets, the visible range, or custom dates), tag
// filter, grouping, period, duration format, rounding, amounts; a summary, a bar chart and the
// table on screen; CSV download, print-to-PDF (a print view with a print stylesheet that
// paginates and keeps groups together), copy for spreadsheets; and the rates editor.

import { h, toast } from '../common/ui.js';
import { openDialog, frame } from '../common/dialog.js';
import { buildReport, reportRows, formatMoney, RATES_KEY, CURRENCY_KEY, REPORT_FORMATS } from './report.js';
import { reportCsv, reportTsv, reportFilename } from './csv.js';
import { parseQuery } from './search.js';
import { presetRange, dateKey, fromDateKey, addTime } from '../common/calendar.js';
import { formatDate } from '../common/format.js';
import { pyJsonLength, MAX_VALUE_JSON } from '../data/merge.js';
import { chartData } from './chart-data.js';
import { barChart } from './chart.js';
import { download, copyText } from './files.js';
import { parseTags } from '../common/tags.js';

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

const PRESETS = [
  ['visible', 'Visible range'], ['today', 'Today'], ['yesterday', 'Yesterday'], ['thisweek', 'This week'], ['lastweek', 'Last week'],
  ['thismonth', 'This month'], ['lastmonth', 'Last month'], ['thisquarter', 'This quarter'], ['lastquarter', 'Last quarter'],
  ['thisyear', 'This year'], ['lastyear', 'Last year'], ['custom', 'Custom dates'],
];
const FORMAT_LABELS = { hm: 'h:mm', hms: 'h:mm:ss', h0: 'hours (9)', h1: 'hours (9.1)', h2: 'hours (9.12)', h3: 'hours (9.123)', h4: 'hours (9.1234)' };

const FIRST_ROWS = 120; // rows in the first paint; the rest follow in chunks so the page stays quick
const CHUNK_ROWS = 1000;

/**
 * The table as HTML pieces (string building: fast for a year of records): {head, next()}, where
 * head is the table start with the Total row and next() returns the following run of complete
 * <tbody> elements, or '' at the end: the first of about `firstSize` rows, the others of `size`
 * (a group split over runs continues in a new tbody). Runs are built only when asked for, so
 * the first paint does not pay for the rows that follow it.
 */
export function tableParts(report, showRecords, money, firstSize = Infinity, size = firstSize) {
  const amount = report.ratesOn;
  const cols = amount ? 5 : 4;
  const span = cols - (amount ? 2 : 1);
  let head = `<table class="iv-table"><colgroup><col class="c-dur"><col class="c-date"><col class="c-time"><col class="c-desc">${amount ? '<col class="c-amt">' : ''}</colgroup>` +
    `<thead><tr><th class="num">Duration</th><th>Date</th><th>Time</th><th>Description</th>${amount ? '<th class="num">Amount</th>' : ''}</tr></thead>`;
  const rows = reportRows(report, showRecords);
  const total = rows[0];
  head += `<tbody class="iv-total"><tr><td class="num">${esc(total.text)}</td><td colspan="${span}"><strong>Total</strong></td>${amount ? `<td class="num">${esc(money(total.cents))}</td>` : ''}</tr></tbody>`;
  let i = 1, open = false, runs = 0;
  const next = () => {
    const limit = runs++ ? size : firstSize;
    let cur = open ? '<tbody class="iv-group iv-cont">' : '';
    let n = 0;
    for (; i < rows.length && n < limit; i++, n++) {
      const r = rows[i];
      if (r.kind === 'group') {
        if (open) cur += '</tbody>';
        cur += `<tbody class="iv-group"><tr class="iv-grouprow"><td class="num">${esc(r.text)}</td><td colspan="${span}">${esc(r.title)}</td>${amount ? `<td class="num">${esc(money(r.cents))}</td>` : ''}</tr>`;
        open = true;
      } else {
        if (!open) { cur += '<tbody class="iv-group">'; open = true; }
        cur += `<tr class="iv-rec${r.running ? ' running' : ''}"><td class="num">${esc(r.text)}</td><td>${esc(r.date)}</td><td>${esc(r.start)}–${esc(r.stop)}</td>` +
          `<td><button type="button" class="iv-link" data-key="${esc(r.key)}">${esc(r.ds || '-')}</button></td>${amount ? `<td class="num">${r.rate ? esc(money(r.cents)) : ''}</td>` : ''}</tr>`;
      }
    }
    if (!n) return '';
    if (open) cur += '</tbody>';
    return cur;
  };
  return { head, next, done: () => i >= rows.length };
}

/** The whole table as one HTML string (print view). */
export function tableHtml(report, showRecords, money) {
  const { head, next } = tableParts(report, showRecords, money);
  return head + next() + '</table>';
}

export function openReports(ctx, { tags = [], exclude = [] } = {}) {
  const L = (k, d) => ctx.local(k, d);
  const opts = {
    preset: 'visible',
    grouping: L('report_grouping', 'none'),
    groupPeriod: L('report_groupperiod', 'none'),
    hideSecondary: !!L('report_hidesecondary', false),
    format: REPORT_FORMATS.includes(L('report_format', 'hm')) ? L('report_format', 'hm') : 'hm',
    showRecords: L('report_showrecords', true) !== false,
    roundTo: Number(L('tagwatch_report_round', 0)) || 0,
    roundMode: L('tagwatch_report_roundmode', 'nearest'),
    amounts: !!L('tagwatch_report_amounts', false),
    chart: L('tagwatch_report_chart', true) !== false,
  };
  if (!['none', 'tagz', 'ds'].includes(opts.grouping)) opts.grouping = 'none'; // TimeTagger's legacy "date"
  let [t1, t2] = ctx.getRange();
  let report = null;
  let renderGen = 0;

  const sel = (name, value, options, label) => {
    const s = h('select', { name, 'aria-label': label }, ...options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(value) }, text)));
    return h('label', { class: 'iv-field' }, h('span', {}, label), s);
  };
  const check = (name, value, label) => h('label', { class: 'iv-check' }, h('input', { type: 'checkbox', name, checked: value }), ' ', label);
  const tagInput = h('input', { type: 'text', name: 'tags', value: [...tags, ...exclude.map((t) => '!' + t)].join(' '), placeholder: '#client !#internal', 'aria-label': 'Tag filter', spellcheck: false });
  const fromInput = h('input', { type: 'date', name: 'from', 'aria-label': 'From (included)' });
  const toInput = h('input', { type: 'date', name: 'to', 'aria-label': 'Until (included)' });
  const form = h('form', { class: 'iv-form', onsubmit: (e) => e.preventDefault() },
    sel('preset', opts.preset, PRESETS, 'Range'),
    h('label', { class: 'iv-field' }, h('span', {}, 'From'), fromInput),
    h('label', { class: 'iv-field' }, h('span', {}, 'Until'), toInput),
    h('label', { class: 'iv-field iv-wide' }, h('span', {}, 'Tags'), tagInput),
    sel('grouping', opts.grouping, [['none', 'No grouping'], ['tagz', 'By tags'], ['ds', 'By description']], 'Group'),
    sel('groupPeriod', opts.groupPeriod, [['none', 'No period'], ['day', 'Per day'], ['week', 'Per week'], ['month', 'Per month'], ['quarter', 'Per quarter'], ['year', 'Per year']], 'Period'),
    h('details', { class: 'iv-more', open: typeof innerWidth === 'undefined' || innerWidth > 600 }, h('summary', {}, 'More options'),
    h('div', { class: 'iv-form' },
    sel('format', opts.format, REPORT_FORMATS.filter((f) => f !== 'h4').map((f) => [f, FORMAT_LABELS[f]]), 'Durations'),
    sel('roundTo', opts.roundTo, [[0, 'Not rounded'], [300, '5 min'], [900, '15 min'], [1800, '30 min']], 'Round time'),
    sel('roundMode', opts.roundMode, [['nearest', 'to nearest'], ['up', 'up'], ['down', 'down']], 'Rounding'),
    h('div', { class: 'iv-checks' },
      check('showRecords', opts.showRecords, 'Show records'),
      check('hideSecondary', opts.hideSecondary, 'Hide secondary tags'),
      check('amounts', opts.amounts, 'Amounts'),
      check('chart', opts.chart, 'Chart'),
      h('button', { type: 'button', class: 'btn subtle', onclick: () => openRates(ctx, t1, t2, () => update()) }, 'Rates…')))));

  const summary = h('p', { class: 'iv-summary', 'aria-live': 'polite' });
  const chartHost = h('div', { class: 'iv-chart-host' });
  const tableHost = h('div', { class: 'iv-table-host' });
  const status = h('span', { class: 'muted iv-status', role: 'status' });

  const money = (c) => formatMoney(c, ctx.setting(CURRENCY_KEY, ''));
  function readForm() {
    const f = new FormData(form);
    opts.preset = f.get('preset');
    opts.grouping = f.get('grouping');
    opts.groupPeriod = f.get('groupPeriod');
    opts.format = f.get('format');
    opts.roundTo = Number(f.get('roundTo')) || 0;
    opts.roundMode = f.get('roundMode');
    opts.showRecords = !!f.get('showRecords');
    opts.hideSecondary = !!f.get('hideSecondary');
    opts.amounts = !!f.get('amounts');
    opts.chart = !!f.get('chart');
    ctx.setLocal('report_grouping', opts.grouping);
    ctx.setLocal('report_groupperiod', opts.groupPeriod);
    ctx.setLocal('report_format', opts.format);
    ctx.setLocal('report_showrecords', opts.showRecords);
    ctx.setLocal('report_hidesecondary', opts.hideSecondary);
    ctx.setLocal('tagwatch_report_round', opts.roundTo);
    ctx.setLocal('tagwatch_report_roundmode', opts.roundMode);
    ctx.setLocal('tagwatch_report_amounts', opts.amounts);
    ctx.setLocal('tagwatch_report_chart', opts.chart);
  }
  function rangeFromForm(source) {
    if (source === 'dates' || opts.preset === 'custom') {
      const a = fromDateKey(fromInput.value), b = fromDateKey(toInput.value);
      if (a !== null && b !== null && b >= a) { t1 = a; t2 = addTime(b, 'day', 1); }
      if (source === 'dates') form.elements.preset.value = opts.preset = 'custom';
    } else if (opts.preset === 'visible') {
      [t1, t2] = ctx.getRange();
    } else {
      [t1, t2] = presetRange(opts.preset, ctx.now(), ctx.firstDay());
    }
    fromInput.value = dateKey(t1);
    toInput.value = dateKey(Math.max(t1, t2 - 1));
  }

  function update(source) {
    readForm();
    rangeFromForm(source);
    const started = performance.now();
    const q = parseQuery(tagInput.value);
    const rates = opts.amounts ? ctx.setting(RATES_KEY, null) : null;
    const records = ctx.store.records.query(t1, t2);
    report = buildReport(records, {
      t1, t2, now: ctx.now(), tags: q.tags, exclude: q.notTags, grouping: opts.grouping, groupPeriod: opts.groupPeriod,
      hideSecondary: opts.hideSecondary, format: opts.format, roundTo: opts.roundTo, roundMode: opts.roundMode,
      rates: rates && typeof rates === 'object' ? rates : null, currency: ctx.setting(CURRENCY_KEY, ''), firstDay: ctx.firstDay(),
      dateRepr: ctx.dateRepr(), tagInfo: ctx.tagInfo,
    });
    report.showRecords = opts.showRecords;
    report.chart = opts.chart ? chartData(records, { t1, t2, now: ctx.now(), firstDay: ctx.firstDay(), tags: q.tags, exclude: q.notTags, tagInfo: ctx.tagInfo, dateRepr: ctx.dateRepr() }) : null;
    const amount = report.ratesOn ? ` · ${money(report.total.cents)}` : (opts.amounts ? ' · no rates set (Rates…)' : '');
    summary.replaceChildren(
      h('strong', { class: 'iv-total-text' }, report.total.text), ` in ${report.count} records`, amount,
      h('span', { class: 'muted' }, ` · ${formatDate(t1, ctx.dateRepr())} – ${formatDate(Math.max(t1, t2 - 1), ctx.dateRepr())}`),
      q.tags.length || q.notTags.length ? h('span', { class: 'muted' }, ` · ${[...q.tags, ...q.notTags.map((t) => '!' + t)].join(' ')}`) : '');
    chartHost.replaceChildren(report.chart && report.chart.maxSeconds ? barChart(report.chart, (k) => ctx.colorOf(k), { width: Math.max(320, Math.min(1000, chartHost.clientWidth || 720)) }) : '');
    // the first rows now, the rest in chunks after the first paint (a new update cancels them)
    const gen = ++renderGen;
    const parts = tableParts(report, opts.showRecords, money, FIRST_ROWS, CHUNK_ROWS);
    tableHost.innerHTML = parts.head + parts.next() + '</table>';
    const table = tableHost.firstChild;
    tableHost.classList.toggle('iv-loading', !parts.done());
    const step = () => {
      if (gen !== renderGen) return;
      const html = parts.next();
      if (html) table.insertAdjacentHTML('beforeend', html);
      if (!parts.done()) setTimeout(step, 0); else tableHost.classList.remove('iv-loading');
    };
    if (!parts.done()) setTimeout(step, 0);
    // what the report holds; how long it took is for the curious (a tooltip)
    status.textContent = `${report.count} record${report.count === 1 ? '' : 's'} in this report`;
    status.title = `Made in ${Math.round(performance.now() - started)} ms`;
    if (printHost.isConnected) fillPrint();
    return report;
  }

  // ---- print view: a copy of the report outside the dialog, shown only for printing ----
  const printHost = h('div', { id: 'insight-print', class: 'iv-print' });
  function fillPrint() {
    const q = parseQuery(tagInput.value);
    const tagsText = [...q.tags, ...q.notTags.map((t) => '!' + t)].join(' ') || 'all';
    printHost.replaceChildren(
      h('header', { class: 'iv-print-head' },
        h('h1', {}, 'Time record report'),
        h('dl', {},
          h('dt', {}, 'Tags:'), h('dd', {}, tagsText),
          h('dt', {}, 'From:'), h('dd', {}, formatDate(t1, ctx.dateRepr())),
          h('dt', {}, 'Until:'), h('dd', {}, formatDate(Math.max(t1, t2 - 1), ctx.dateRepr())),
          ctx.store.username ? h('dt', {}, 'User:') : null, ctx.store.username ? h('dd', {}, ctx.store.username) : null,
          h('dt', {}, 'Total:'), h('dd', { class: 'iv-print-total' }, report.total.text + (report.ratesOn ? ' · ' + money(report.total.cents) : '')))),
      report.chart && report.chart.maxSeconds ? barChart(report.chart, (k) => ctx.colorOf(k), { width: 680, height: 170 }) : '',
    );
    const t = h('div');
    t.innerHTML = tableHtml(report, opts.showRecords, money);
    printHost.append(t.firstChild);
  }
  function printReport() {
    if (!printHost.isConnected) document.body.append(printHost);
    fillPrint();
    document.body.classList.add('iv-printing');
    // the dialog stays open; the print stylesheet shows only #insight-print
    setTimeout(() => window.print(), 50);
  }

  const actions = [
    h('button', { type: 'button', class: 'btn', onclick: () => {
      const text = reportCsv(report, { user: ctx.store.username || '', showRecords: opts.showRecords });
      download(reportFilename(t1, t2, 'csv'), text, 'text/csv');
    } }, 'Download CSV'),
    h('button', { type: 'button', class: 'btn', onclick: printReport, title: 'Print, or save as PDF from the print dialog' }, 'Print / PDF'),
    h('button', { type: 'button', class: 'btn', onclick: async (e) => {
      const b = e.currentTarget; // read before the await: it is null once the event is done
      const ok = await copyText(reportTsv(report, { showRecords: opts.showRecords }));
      b.textContent = ok ? 'Copied' : 'Copy failed';
      setTimeout(() => { b.textContent = 'Copy table'; }, 1500);
    } }, 'Copy table'),
    h('button', { type: 'button', class: 'btn', title: 'A read-only link to this report, for someone without an account', onclick: async () => {
      const q = parseQuery(tagInput.value);
      const m = await import('./share-ui.js');
      m.openShare(ctx, { t1, t2, preset: opts.preset, tags: q.tags, exclude: q.notTags, amounts: opts.amounts });
    } }, 'Share…'),
    h('span', { class: 'spacer' }), status,
  ];

  const { close } = openDialog((close) => frame('Report', close,
    h('div', { class: 'iv-report' }, form, summary, chartHost, tableHost), actions), {
    label: 'Report', className: 'iv-page',
    onClose: () => { printHost.remove(); document.body.classList.remove('iv-printing'); },
  });
  form.addEventListener('change', (e) => update(e.target === fromInput || e.target === toInput ? 'dates' : undefined));
  tagInput.addEventListener('input', () => update());
  tableHost.addEventListener('click', (e) => {
    const b = e.target.closest('[data-key]');
    if (b) ctx.openRecord(b.dataset.key);
  });
  update();
  return { close, update, get report() { return report; } };
}

/** The rates editor: an hourly rate per tag (or tag combination) and the currency, stored in
 * the synced settings RATES_KEY and CURRENCY_KEY. */
export function openRates(ctx, t1, t2, onSaved) {
  const rates = { ...(ctx.setting(RATES_KEY, null) || {}) };
  const tags = new Set(Object.keys(rates));
  for (const r of ctx.store.records.query(t1, t2)) for (const t of parseTags(r.ds)) if (t !== '#untagged') tags.add(t);
  const rows = [...tags].sort().map((t) => h('tr', {},
    h('td', {}, t),
    h('td', {}, h('input', { type: 'number', min: '0', step: '0.01', inputmode: 'decimal', name: t, value: rates[t] ?? '', 'aria-label': `Hourly rate for ${t}`, class: 'iv-rate' }))));
  const combo = h('input', { type: 'text', placeholder: '#client #travel', 'aria-label': 'Tag combination for a new rate' });
  const comboRate = h('input', { type: 'number', min: '0', step: '0.01', 'aria-label': 'Hourly rate for that combination', class: 'iv-rate' });
  const currency = h('input', { type: 'text', maxlength: '8', value: ctx.setting(CURRENCY_KEY, ''), placeholder: 'EUR', 'aria-label': 'Currency', class: 'iv-cur' });
  const table = h('table', { class: 'tag-table' }, h('thead', {}, h('tr', {}, h('th', {}, 'Tag'), h('th', {}, 'Rate per hour'))), h('tbody', {}, ...rows));
  openDialog((close) => frame('Hourly rates', close,
    h('div', { class: 'iv-rates' },
      h('p', { class: 'muted' }, 'A record gets the rate of its most specific tag set: "#acme #travel" beats "#acme"; on a tie, the higher rate. Synced to your other devices.'),
      h('label', { class: 'iv-field' }, h('span', {}, 'Currency'), currency),
      table,
      h('div', { class: 'iv-row' }, combo, comboRate)),
    [h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Cancel'),
      h('button', { type: 'button', class: 'btn primary', onclick: async () => {
        const out = {};
        for (const inp of table.querySelectorAll('input.iv-rate')) {
          const v = Number(inp.value);
          if (inp.value !== '' && Number.isFinite(v) && v > 0) out[inp.name] = v;
        }
        const ctags = parseTags(combo.value).filter((t) => t !== '#untagged');
        const cv = Number(comboRate.value);
        if (ctags.length && comboRate.value !== '' && cv > 0) out[ctags.join(' ')] = cv;
        if (pyJsonLength(out) >= MAX_VALUE_JSON) { toast(`Too many rates to store in one setting: ${pyJsonLength(out)} characters as the server counts them, at most ${MAX_VALUE_JSON - 1}.`); return; }
        await ctx.store.settings.set(RATES_KEY, out);
        await ctx.store.settings.set(CURRENCY_KEY, currency.value.trim());
        close();
        if (onSaved) onSaved();
      } }, 'Save')]), { label: 'Hourly rates' });
}
