// record.js: the record dialog: create, edit, start, stop; description with autocomplete
// and tag normalisation; start, end and duration fields that take shorthands ("1345", "4pm",
// "1h30m"); running or stopped; delete (soft, with undo), duplicate, split, resume; warnings
// for overlaps (with a trim action) and for records over 24 hours.

import { h, describe, toast } from '../common/ui.js';
import { openDialog, frame } from '../common/dialog.js';
import { attachAutocomplete } from '../common/autocomplete.js';
import { normalizeDescription, parseTags, duplicateTags, isHidden } from '../common/tags.js';
import { parseTimeOfDay, parseDuration, stepFiveMinutes } from '../common/timeparse.js';
import { formatDuration, formatTime } from '../common/format.js';
import { dateKey, fromDateKey, secondsOfDay } from '../common/calendar.js';
import { startRecord } from '../data/actions.js';
import { findOverlaps, softDelete, restoreRecord, duplicateRecord, splitRecord } from '../data/edits.js';

const nowSec = () => Math.floor(Date.now() / 1000);

/**
 * Open the dialog. `what`: { key } to edit a record, or { t1, t2, ds } for a new one (t1 == t2
 * starts a timer). `app` gives { store, colorOf(tag), acContext(), settings() }.
 */
export function openRecordDialog(app, what = {}) {
  const { store } = app;
  const existing = what.key ? store.records.get(what.key) : null;
  if (what.key && !existing) { toast('That record no longer exists.'); return null; }
  const orig = existing ? { ...existing } : null;
  const st = {
    t1: existing ? existing.t1 : (what.t1 ?? nowSec()),
    t2: existing ? existing.t2 : (what.t2 ?? what.t1 ?? nowSec()),
  };
  st.running = st.t1 === st.t2;
  const isNew = !existing;
  const timeRepr = () => app.settings().time_repr;
  const durRepr = () => app.settings().duration_repr;

  const ds = h('input', { type: 'text', id: 'rd-ds', maxlength: 255, spellcheck: true, autocomplete: 'off',
    value: existing ? (existing.ds || '') : (what.ds || ''), placeholder: 'Description with #tags', 'aria-describedby': 'rd-tags' });
  if (!matchMedia('(pointer: coarse)').matches) ds.autofocus = true;
  const tagline = h('div', { class: 'tagline', id: 'rd-tags', 'aria-live': 'polite' });
  const dsWarn = h('div', { class: 'warn' });

  const mkTime = (label) => h('input', { type: 'text', class: 'time', inputmode: 'text', 'aria-label': label, autocomplete: 'off' });
  const d1 = h('input', { type: 'date', 'aria-label': 'Start date' }), tm1 = mkTime('Start time');
  const d2 = h('input', { type: 'date', 'aria-label': 'End date' }), tm2 = mkTime('End time');
  const dur = h('input', { type: 'text', class: 'time', 'aria-label': 'Duration', autocomplete: 'off' });
  const stepBtn = (label, fn) => h('button', { type: 'button', class: 'btn small-btn', 'aria-label': label, onclick: fn }, label.startsWith('Earlier') ? '−' : '+');
  const runRadio = h('input', { type: 'radio', name: 'rd-state', value: 'running' });
  const stopRadio = h('input', { type: 'radio', name: 'rd-state', value: 'stopped' });
  const endRow = h('div', { class: 'field' }, h('span', {}, 'End'),
    h('div', { class: 'row' }, d2, tm2, stepBtn('Earlier end', () => { setEnd(stepFiveMinutes(st.t2, -1)); }), stepBtn('Later end', () => { setEnd(stepFiveMinutes(st.t2, 1)); })));
  const warnings = h('div', { class: 'warnings', role: 'status' });
  const splitTime = mkTime('Split at time');
  const splitRow = h('div', { class: 'row', hidden: true }, h('span', {}, 'Split at'), splitTime,
    h('button', { type: 'button', class: 'btn', id: 'rd-split-do', onclick: () => doSplit() }, 'Split here'));
  const saveBtn = h('button', { type: 'submit', class: 'btn primary', id: 'rd-save' });

  let ac, dialog, tick, written = [];

  // Enter may submit before a field's change event: apply edited fields first
  function commitFields() {
    [tm1, tm2, dur].forEach((el, i) => { if (el.value !== written[i] && !(el === dur && st.running)) el.dispatchEvent(new Event('change')); });
  }

  function fillTimes() {
    d1.value = dateKey(st.t1);
    tm1.value = formatTime(st.t1, '24h', { seconds: st.t1 % 60 !== 0 });
    d2.value = dateKey(st.t2);
    tm2.value = formatTime(st.t2, '24h', { seconds: st.t2 % 60 !== 0 });
    const len = (st.running ? Math.max(nowSec(), st.t1) : st.t2) - st.t1;
    dur.value = formatDuration(len, 'hms', { seconds: st.running || len % 60 !== 0 });
    dur.readOnly = st.running;
    runRadio.checked = st.running;
    stopRadio.checked = !st.running;
    endRow.hidden = st.running;
    for (const el of [tm1, tm2, dur]) el.removeAttribute('aria-invalid');
    written = [tm1.value, tm2.value, dur.value];
    saveBtn.textContent = isNew ? (st.running ? 'Start' : 'Create') : 'Save';
    checkWarnings();
  }

  function setStart(t) {
    if (st.running) st.t1 = st.t2 = t;
    else { st.t1 = t; if (st.t2 <= st.t1) st.t2 = st.t1 + 1; }
    fillTimes();
  }
  function setEnd(t) {
    st.t2 = t;
    if (st.t2 <= st.t1) st.t2 = st.t1 + 60;
    fillTimes();
  }

  function readTime(dateEl, timeEl) {
    const secs = parseTimeOfDay(timeEl.value);
    const t = secs === null ? null : fromDateKey(dateEl.value, secs);
    if (t === null || !Number.isFinite(t)) { timeEl.setAttribute('aria-invalid', 'true'); return null; }
    return Math.round(t);
  }

  tm1.addEventListener('change', () => { const t = readTime(d1, tm1); if (t !== null) setStart(t); });
  d1.addEventListener('change', () => {
    const t = fromDateKey(d1.value, secondsOfDay(st.t1));
    if (t !== null) { const len = st.t2 - st.t1; st.t1 = t; st.t2 = st.running ? t : t + len; fillTimes(); }
  });
  tm2.addEventListener('change', () => { const t = readTime(d2, tm2); if (t !== null) setEnd(t); });
  d2.addEventListener('change', () => { const t = fromDateKey(d2.value, secondsOfDay(st.t2)); if (t !== null) setEnd(t); });
  dur.addEventListener('change', () => {
    const s = parseDuration(dur.value);
    if (s === null || s <= 0) { dur.setAttribute('aria-invalid', 'true'); return; }
    st.t2 = st.t1 + s;
    fillTimes();
  });
  runRadio.addEventListener('change', () => { if (runRadio.checked) { st.running = true; st.t2 = st.t1; fillTimes(); } });
  stopRadio.addEventListener('change', () => {
    if (stopRadio.checked) { st.running = false; st.t2 = Math.max(st.t1 + 60, nowSec()); fillTimes(); }
  });

  function updateTagline() {
    tagline.textContent = '';
    const tags = parseTags(ds.value);
    tagline.append(h('span', { class: 'muted' }, 'Tags:'));
    for (const t of tags) tagline.append(describe(t, app.colorOf));
    const dup = duplicateTags(ds.value);
    const cps = Array.from(ds.value).length;
    dsWarn.textContent = (dup.length ? `Duplicate tag: ${dup.join(', ')}. ` : '') + (cps >= 255 ? 'At most 255 characters.' : '');
  }
  ds.addEventListener('input', updateTagline);
  ds.addEventListener('blur', () => { setTimeout(() => { if (!ac.isOpen()) { ds.value = normalizeDescription(ds.value); updateTagline(); } }, 160); });

  function current() {
    return { key: existing ? existing.key : '', t1: st.t1, t2: st.running ? st.t1 : st.t2 };
  }

  function checkWarnings() {
    warnings.textContent = '';
    const now = nowSec();
    const rec = current();
    const end = st.running ? Math.max(now, rec.t1) : rec.t2;
    if (end - rec.t1 > 86400) warnings.append(h('div', { class: 'warn' }, `⚠ This record is longer than 24 hours (${formatDuration(end - rec.t1, durRepr())}).`));
    const others = findOverlaps(store.records.query(rec.t1, end), rec, now);
    for (const o of others.slice(0, 3)) {
      const oEnd = o.t1 === o.t2 ? Math.max(now, o.t1) : o.t2;
      const label = `${formatTime(o.t1, timeRepr())}–${o.t1 === o.t2 ? 'now' : formatTime(oEnd, timeRepr())}`;
      const line = h('div', { class: 'warn row' }, `⚠ Overlaps ${label} `, describe(o.ds, app.colorOf));
      const canTrimStart = o.t1 <= rec.t1 && oEnd < end;
      const canTrimEnd = !st.running && oEnd >= end && o.t1 > rec.t1;
      if (canTrimStart || canTrimEnd) {
        line.append(h('button', { type: 'button', class: 'btn small-btn', onclick: () => {
          if (canTrimStart) setStart(oEnd); else setEnd(o.t1);
        } }, canTrimStart ? 'Start after it' : 'End before it'));
      }
      warnings.append(line);
    }
    if (others.length > 3) warnings.append(h('div', { class: 'warn' }, `…and ${others.length - 3} more overlapping records.`));
  }

  async function save(e) {
    if (e) e.preventDefault();
    if (ac.isOpen()) return;
    commitFields();
    for (const t of [tm1, tm2, dur]) if (t.getAttribute('aria-invalid') && !(t !== tm1 && st.running)) return t.focus();
    const desc = normalizeDescription(ds.value);
    const rec = { ...current(), ds: desc };
    if (isNew && st.running) {
      await startRecord(store, desc, rec.t1);
    } else {
      if (!rec.key) rec.key = store.newKey();
      if (st.running) {
        // only one timer runs: others stop when this one (re)starts
        const others = store.records.running().filter((r) => r.key !== rec.key);
        if (others.length) await store.put('records', others.map((r) => ({ ...r, t2: Math.max(r.t1 + 2, rec.t1) })));
      }
      await store.put('records', [rec]);
    }
    dialog.close('saved');
  }

  async function doDelete() {
    const prev = await softDelete(store, existing.key);
    dialog.close('deleted');
    if (prev) toast('Record deleted.', { ms: 8000, action: { label: 'Undo', run: () => restoreRecord(store, prev) } });
  }

  async function doDuplicate() {
    const copy = await duplicateRecord(store, existing.key);
    dialog.close('duplicated');
    if (copy) openRecordDialog(app, { key: copy.key });
  }

  async function doSplit() {
    if (splitRow.hidden) {
      const mid = stepFiveMinutes(Math.floor((st.t1 + st.t2) / 2), -1);
      splitTime.value = formatTime(Math.max(mid, st.t1 + 60), '24h');
      splitRow.hidden = false;
      splitTime.focus();
      return;
    }
    const secs = parseTimeOfDay(splitTime.value);
    let t = secs === null ? null : fromDateKey(dateKey(st.t1), secs);
    if (t !== null && t <= st.t1) t = fromDateKey(dateKey(st.t2), secs);
    if (t === null || t <= existing.t1 || t >= existing.t2) { splitTime.setAttribute('aria-invalid', 'true'); return; }
    await splitRecord(store, existing.key, t);
    dialog.close('split');
    toast('Record split in two.');
  }

  async function doResume() {
    await startRecord(store, normalizeDescription(ds.value));
    dialog.close('resumed');
  }

  const title = isNew ? (st.running ? 'Start a timer' : 'New record') : (isHidden(existing.ds) ? 'Deleted record' : st.running ? 'Running record' : 'Edit record');
  const pickBtn = (label, kind) => h('button', { type: 'button', class: 'btn small-btn subtle', onclick: () => ac.openWith(kind) }, label);
  const body = h('form', { id: 'rd-form', class: 'dlg-body', onsubmit: save },
    h('div', { class: 'field' }, h('label', { for: 'rd-ds' }, 'Description'),
      h('div', { class: 'ac-wrap' }, ds),
      h('div', { class: 'row' }, pickBtn('Recent ▾', 'descriptions'), pickBtn('Tags ▾', 'tags'), pickBtn('Presets ▾', 'presets')),
      tagline, dsWarn),
    h('fieldset', {}, h('legend', { class: 'sr' }, 'State'), h('label', {}, runRadio, 'Running'), h('label', {}, stopRadio, 'Stopped')),
    h('div', { class: 'field' }, h('span', {}, 'Start'),
      h('div', { class: 'row' }, d1, tm1, stepBtn('Earlier start', () => setStart(stepFiveMinutes(st.t1, -1))), stepBtn('Later start', () => setStart(stepFiveMinutes(st.t1, 1))))),
    endRow,
    h('div', { class: 'field' }, h('span', {}, 'Duration'), h('div', { class: 'row' }, dur, h('span', { class: 'hint', id: 'rd-hint' }, 'Type 1345, 4pm, 1h30m or 90m'))),
    warnings, splitRow);

  const foot = [];
  if (existing) {
    if (isHidden(existing.ds)) {
      foot.push(h('button', { type: 'button', class: 'btn', onclick: async () => { await restoreRecord(store, existing); dialog.close('restored'); } }, 'Restore'));
    } else {
      foot.push(h('button', { type: 'button', class: 'btn', id: 'rd-delete', onclick: doDelete }, 'Delete'));
      foot.push(h('button', { type: 'button', class: 'btn', id: 'rd-duplicate', onclick: doDuplicate }, 'Duplicate'));
      if (existing.t1 !== existing.t2) foot.push(h('button', { type: 'button', class: 'btn', id: 'rd-split', onclick: doSplit }, 'Split'));
      if (existing.t1 !== existing.t2) foot.push(h('button', { type: 'button', class: 'btn', id: 'rd-resume', onclick: doResume, title: 'Start a new timer with this description' }, 'Resume'));
    }
  }
  foot.push(h('span', { class: 'spacer' }));
  foot.push(h('button', { type: 'button', class: 'btn', onclick: () => dialog.close() }, 'Cancel'));
  saveBtn.setAttribute('form', 'rd-form');
  foot.push(saveBtn);

  dialog = openDialog((close) => {
    const f = frame(title, close, null, foot);
    f.querySelector('.dlg-body').replaceWith(body);
    return f;
  }, { label: title, className: 'record-dialog', onClose: () => { clearInterval(tick); ac.destroy(); } });
  ac = attachAutocomplete(ds, app.acContext);
  updateTagline();
  fillTimes();
  if (orig && st.running) tick = setInterval(() => { if (document.activeElement !== dur) { const len = nowSec() - st.t1; dur.value = formatDuration(len, 'hms', { seconds: true }); } }, 1000);
  ds.focus();
  return dialog;
}
