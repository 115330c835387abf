// jump.js: the "Jump to" dialog (TimeTagger's time-range dialog, key t, or a click on the
// range title): one date, the named ranges (today, yesterday, this and last week, month,
// quarter, year; d w m q y while it is open) and a range of dates of one's own, both ends
// included. It only picks a range; the app shows it (app.setRange).

import { h } from '../common/ui.js';
import { openDialog, frame } from '../common/dialog.js';
import { presetRange, todayRange, dateKey, fromDateKey, addTime } from '../common/calendar.js';

// [preset, label, key that picks it while the dialog is open]
const PRESETS = [
  ['today', 'Today', 'd'], ['yesterday', 'Yesterday', ''],
  ['thisweek', 'This week', 'w'], ['lastweek', 'Last week', ''],
  ['thismonth', 'This month', 'm'], ['lastmonth', 'Last month', ''],
  ['thisquarter', 'This quarter', 'q'], ['lastquarter', 'Last quarter', ''],
  ['thisyear', 'This year', 'y'], ['lastyear', 'Last year', ''],
];

/**
 * The range of a preset name at `now`: "today" honours the synced today offsets (as the
 * Today button does); the others are whole calendar periods.
 */
export function jumpRange(name, now, settings = {}) {
  if (name === 'today') return todayRange(now, settings);
  return presetRange(name, now, Number(settings.first_day_of_week ?? 1));
}

/**
 * The range of two 'YYYY-MM-DD' dates, both days included, in either order: [t1, t2) or null
 * when a date is missing or not a date.
 */
export function datesRange(from, to) {
  const a = fromDateKey(from), b = fromDateKey(to);
  if (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b)) return null;
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  return [lo, addTime(hi, 'day', 1)];
}

/** Open the dialog. `app` gives { getRange(), setRange(t1, t2), settings(), now() }. */
export function openJumpDialog(app) {
  const [r1, r2] = app.getRange();
  const coarse = typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;
  const go = (t1, t2) => { app.setRange(t1, t2); d.close('jumped'); };
  const pick = (name) => { const [a, b] = jumpRange(name, app.now(), app.settings()); go(a, b); };

  const day = h('input', { type: 'date', id: 'jump-date', value: dateKey(r1), 'aria-label': 'Date', required: true });
  const dayForm = h('form', { class: 'row', onsubmit: (e) => {
    e.preventDefault();
    const r = datesRange(day.value, day.value);
    if (!r) { day.setAttribute('aria-invalid', 'true'); day.focus(); return; }
    go(r[0], r[1]);
  } }, day, h('button', { type: 'submit', class: 'btn primary', id: 'jump-date-go' }, 'Show this day'));

  const presets = h('div', { class: 'jump-presets', role: 'group', 'aria-label': 'Named ranges' },
    PRESETS.map(([name, label, key], i) => h('button', { type: 'button', class: 'btn', dataset: { preset: name },
      'aria-keyshortcuts': key || null, autofocus: i === 0, onclick: () => pick(name) },
    h('span', {}, label), key && !coarse ? h('kbd', { 'aria-hidden': 'true' }, key) : null)));

  const from = h('input', { type: 'date', id: 'jump-from', value: dateKey(r1), 'aria-label': 'From' });
  const to = h('input', { type: 'date', id: 'jump-to', value: dateKey(Math.max(r1, r2 - 1)), 'aria-label': 'To (included)' });
  const rangeMsg = h('p', { class: 'error', id: 'jump-range-msg', 'aria-live': 'polite' });
  const rangeForm = h('form', { class: 'field', onsubmit: (e) => {
    e.preventDefault();
    const r = datesRange(from.value, to.value);
    rangeMsg.textContent = r ? '' : 'Give both dates.';
    if (!r) return;
    go(r[0], r[1]);
  } }, h('div', { class: 'row' }, h('label', { for: 'jump-from' }, 'From'), from, h('label', { for: 'jump-to' }, 'to'), to,
    h('button', { type: 'submit', class: 'btn', id: 'jump-range-go' }, 'Show these days')),
  h('p', { class: 'hint' }, 'Both days are included.'), rangeMsg);

  const body = [
    h('section', { class: 'field' }, h('h3', {}, 'A period'), presets),
    h('section', { class: 'field' }, h('h3', {}, 'A day'), dayForm),
    h('section', { class: 'field' }, h('h3', {}, 'Days of your choice'), rangeForm),
  ];
  const d = openDialog((close) => frame('Jump to', close, body), { label: 'Jump to a date or range', className: 'jump-dialog' });
  // d w m q y pick their period here too, unless typing in a date field
  d.el.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName)) return;
    const p = PRESETS.find(([, , key]) => key && key === e.key);
    if (p) { e.preventDefault(); pick(p[0]); }
  });
  return d;
}
