// help.js: the two help dialogs: the keyboard shortcuts (`?`), with the mouse and touch
// gestures of the timeline, and the guide (`i`), a short tour of the app written here (the
// app loads nothing from elsewhere, so TimeTagger's hosted guide has this stand-in).

import { h } from '../common/ui.js';
import { openDialog, frame } from '../common/dialog.js';

// What a hand does on the timeline (timeline/gestures.js), as the help tells it.
export const GESTURES = [
  ['Drag the timeline', 'Move through time (it snaps to the day, week, … when you let go)'],
  ['Wheel', 'Move through time; Shift+wheel or a sideways swipe zooms'],
  ['Right-button drag up/down, pinch', 'Zoom freely'],
  ['Drag a record’s top or bottom edge', 'Change its start or end; drag its middle to move it'],
  ['Shift+drag, or press and hold then drag', 'Create a record on the empty timeline'],
  ['Touch: press and hold a record, then drag', 'Change it (a plain drag moves through time)'],
  ['Click or tap a record', 'Edit it'],
  ['Click the range title', 'Jump to a date or a range'],
];

// The app's keys (shell/keys.js), as the help tells them.
export const KEYS = [
  { keys: ['s'], label: 'Start: type the description of a new timer' },
  { keys: ['Shift+S'], label: 'Resume the running or last record' },
  { keys: ['x'], label: 'Stop the running timer' },
  { keys: ['e'], label: 'Edit the running or last record' },
  { keys: ['a'], label: 'Add a record that is already done' },
  { keys: ['d'], label: 'Today' },
  { keys: ['w', 'm', 'q', 'y'], label: 'This week, month, quarter, year' },
  { keys: ['n', 'Home'], label: 'Jump to now' },
  { keys: ['t'], label: 'Jump to a date or range' },
  { keys: ['↑', 'PageUp'], label: 'Earlier' },
  { keys: ['↓', 'PageDown'], label: 'Later' },
  { keys: ['→', '←'], label: 'Zoom in, zoom out' },
  { keys: ['l'], label: 'Switch between timeline and list' },
  { keys: ['o'], label: 'Show the overview (narrow screens)' },
  { keys: ['g'], label: 'Tags' },
  { keys: [','], label: 'Settings' },
  { keys: ['i'], label: 'Guide' },
  { keys: ['?'], label: 'This help' },
];

/** A row of keys: each key in its own <kbd>, separated by spaces. */
function keyCell(keys) {
  return h('td', {}, keys.flatMap((k, i) => (i ? [' ', h('kbd', {}, k)] : [h('kbd', {}, k)])));
}

/** The shortcuts dialog: the app's keys, those others registered ([{keys: [..], label}]), the gestures. */
export function openHelpDialog(more = []) {
  const rows = [...KEYS, ...more].map(({ keys, label }) => h('tr', {}, keyCell(keys), h('td', {}, label)));
  const gestures = GESTURES.map(([what, does]) => h('tr', {}, h('td', {}, what), h('td', {}, does)));
  return openDialog((close) => frame('Keyboard shortcuts', close,
    [h('table', { class: 'keys', 'aria-label': 'Keys' }, h('tbody', {}, rows)),
      h('p', { class: 'hint' }, 'In dialogs: Enter saves, Escape closes. In suggestions: ↑ ↓ choose, Enter or Tab take, Escape closes.'),
      h('h3', {}, 'Mouse and touch'),
      h('table', { class: 'keys gestures', 'aria-label': 'Gestures' }, h('tbody', {}, gestures))],
    [h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Close')]), { label: 'Keyboard shortcuts' });
}

const GUIDE = [
  ['Track time', [
    'Type what you are doing in the box at the top and press Enter (or s): a timer starts. Stop it with Stop (x).',
    'Words with a # are tags: “Call with Anna #client1 #meeting”. Tags group your time in the overview and reports.',
    'Forgot to start one? Add a finished record with + Add (a), or Shift+drag on the timeline.',
  ]],
  ['Look back', [
    'The timeline shows the range in the title above it: drag it, use ↑ ↓ to step, and D W M Q Y (or d w m q y) for a day, week, month, quarter or year.',
    'Click the title (or press t) to jump to a date, to yesterday, last week, last month… or to a range of your own.',
    'Longer ranges show one block per day, week or month with the time per tag; click a block to zoom in.',
    'The overview beside it sums the range by tag; click tags to narrow it down. Reports (r) make a table, CSV or PDF.',
  ]],
  ['Change and undo', [
    'Click a record to edit, split, duplicate, resume or delete it. Deleted records stay in Recently deleted (menu) and can be restored.',
    'Tags (g) lists every tag: give one a colour, mark it secondary, rename or merge it. Each tag has a colour of its own until you pick one.',
  ]],
  ['Everywhere, also offline', [
    'Everything is kept on this device and sent to your server: the icon top right says whether all is saved.',
    'When a change made here while offline meets a newer change made on another device, the newer one wins and the app says so, with a button to use yours instead.',
    'Settings (,) has the synced settings and this device’s own: dark mode, notifications and the Pomodoro timer.',
  ]],
];

/** The guide: a short tour of the app. */
export function openGuide(openShortcuts) {
  const body = GUIDE.map(([title, paras]) => h('section', { class: 'guide' }, h('h3', {}, title), paras.map((p) => h('p', {}, p))));
  const foot = [];
  if (openShortcuts) foot.push(h('button', { type: 'button', class: 'btn', onclick: () => { d.close(); openShortcuts(); } }, 'Keyboard shortcuts'));
  foot.push(h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'btn', onclick: () => d.close() }, 'Close'));
  const d = openDialog((close) => frame('Guide', close, body, foot), { label: 'Guide' });
  return d;
}
