// settings.js: the settings: the synced ones of docs/timetagger-client.md §4.1 (same keys and values as
// TimeTagger, written only when the user changes them) and the per-device ones (dark mode,
// width, and the rows the shell adds: notifications, Pomodoro). Changes apply at once;
// there is no Save button.

import { h, toast } from '../common/ui.js';
import { openDialog, frame } from '../common/dialog.js';
import { tagsFromLine } from '../common/tags.js';
import { pyJsonLength, MAX_VALUE_JSON } from '../data/merge.js';

const SYNCED = [
  ['first_day_of_week', 'First day of the week', [[1, 'Monday'], [0, 'Sunday'], [6, 'Saturday']]],
  ['workdays', 'Work days', [[0, 'Monday – Sunday'], [1, 'Monday – Saturday'], [2, 'Monday – Friday']]],
  ['time_repr', 'Time format', [['auto', 'Automatic'], ['24h', '24 hour (13:45)'], ['ampm', '12 hour (1:45 pm)']]],
  ['duration_repr', 'Durations', [['hms', '2h01m'], ['dhms', '1d03h20m'], ['colon', '27:20']]],
  ['date_repr', 'Dates in reports', [['dd-mm-yyyy', 'dd-mm-yyyy'], ['yyyy-mm-dd', 'yyyy-mm-dd'], ['mm/dd/yyyy', 'mm/dd/yyyy']]],
  ['today_snap_offset', 'My day starts at', [['', 'midnight'], ['-3h', '21:00 the day before'], ['-2h', '22:00 the day before'], ['-1h', '23:00 the day before'],
    ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => [`${n}h`, `${String(n).padStart(2, '0')}:00`])]],
  ['today_end_offset', 'Length of "today"', [['', '24 hours'], ['-12h', '12 hours']]],
];
const LOCAL = [
  ['darkmode', 'Appearance', [[0, 'Follow the system'], [1, 'Light'], [2, 'Dark']]],
  ['width_mode', 'Width on wide screens', [['auto', 'Automatic'], ['1000', 'At most 1000 px'], ['1500', 'At most 1500 px'], ['full', 'Full width']]],
];

function select(id, options, value, onChange) {
  const s = h('select', { id }, options.map(([v, label]) => h('option', { value: String(v), selected: String(v) === String(value) }, label)));
  s.addEventListener('change', () => {
    const opt = options.find(([v]) => String(v) === s.value);
    onChange(opt ? opt[0] : s.value);
  });
  return s;
}

export function openSettingsDialog(app) {
  const { store } = app;
  const grid = h('div', { class: 'settings-grid' });
  grid.append(h('h3', {}, 'Synced to all your devices'));
  for (const [key, label, options] of SYNCED) {
    grid.append(h('label', { for: 'set-' + key }, label),
      select('set-' + key, options, store.settings.get(key), (v) => { if (v !== store.settings.get(key)) store.settings.set(key, v); }));
  }
  const sw = h('input', { type: 'checkbox', id: 'set-show_stopwatch', checked: store.settings.get('show_stopwatch') !== false });
  sw.addEventListener('change', () => store.settings.set('show_stopwatch', sw.checked));
  grid.append(h('label', { for: 'set-show_stopwatch' }, 'Show the running time'), h('div', {}, sw));

  const presets = h('textarea', { id: 'set-presets', rows: 4, spellcheck: false, placeholder: '#client1 #meeting\n#admin' });
  presets.value = (store.settings.get('tag_presets', []) || []).join('\n');
  const presetMsg = h('div', { class: 'hint', 'aria-live': 'polite' });
  grid.append(h('label', { for: 'set-presets' }, 'Tag presets (one per line)'),
    h('div', { class: 'field' }, presets,
      h('div', { class: 'row' }, h('button', { type: 'button', class: 'btn', onclick: async () => {
        const lines = presets.value.split('\n').map((l) => tagsFromLine(l).join(' '));
        while (lines.length && !lines[lines.length - 1]) lines.pop();
        // measured as the server measures it, so what it would refuse is never sent
        const n = pyJsonLength(lines);
        if (n >= MAX_VALUE_JSON) { presetMsg.textContent = `Too many presets: the list is ${n} characters as the server counts them (letters like é count 6), at most ${MAX_VALUE_JSON - 1}. Not saved.`; return; }
        await store.settings.set('tag_presets', lines);
        presets.value = lines.join('\n');
        const unique = new Set(lines.flatMap((l) => l.split(' ').filter(Boolean)));
        presetMsg.textContent = `Saved ${lines.filter(Boolean).length} presets, with ${unique.size} unique tags.`;
      } }, 'Check & save')), presetMsg));

  grid.append(h('h3', {}, 'This device'));
  for (const [key, label, options] of LOCAL) {
    grid.append(h('label', { for: 'set-' + key }, label), select('set-' + key, options, store.local.get(key), (v) => store.local.set(key, v)));
  }
  if (app.deviceRows) grid.append(...app.deviceRows()); // notifications, Pomodoro (../shell/)
  const off = -new Date().getTimezoneOffset();
  const tz = `UTC${off >= 0 ? '+' : '−'}${String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')}:${String(Math.abs(off) % 60).padStart(2, '0')}`;
  grid.append(h('h3', {}, 'Fixed'), h('span', {}, 'Time zone'), h('span', {}, `${Intl.DateTimeFormat().resolvedOptions().timeZone || ''} (${tz})`));
  openDialog((close) => frame('Settings', close, grid, [h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Close')]), { label: 'Settings' });
}

export { toast };
