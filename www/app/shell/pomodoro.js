// pomodoro.js: the Pomodoro timer of this device (a device setting, as in TimeTagger, with
// lengths of one's own): a button in the top bar with the time left, its dialog, the tab
// title's "Working | " or "Break | ", work starting with a timer and resting when all stop,
// and at the end of a phase a sound (optional), the dialog and a notification whose buttons
// start the break or the next work. The clock itself is ../common/pomodoro.js; the state is
// kept in the device settings so a reload and every tab see the same.

import { h, icon } from '../common/ui.js';
import { openDialog, frame } from '../common/dialog.js';
import { isHidden } from '../common/tags.js';
import { IDLE, begin, advance, timerStarted, timersStopped, describeState, clock, minutes, valid, POMODORO_DEFAULTS } from '../common/pomodoro.js';
import { showNotification, closeNotifications, onNotificationAction } from '../common/notify.js';

const TAG = 'tagwatch-pomodoro';
const TOMATO = 'M12 7c-4.4 0-8 2.9-8 6.5S7.6 20 12 20s8-2.9 8-6.5S16.4 7 12 7zM12 7c0-1.5.6-2.6 2-3M9 5l3 2 3-2';
const nowSec = () => Date.now() / 1000;

// ---- sounds, made here (no files): a wind-up at the start, a chime at the end, a drop on stop
let audio = null;
function unlockAudio() {
  if (audio || typeof AudioContext === 'undefined') return;
  try { audio = new AudioContext(); } catch { audio = null; }
}
function play(kind) {
  unlockAudio();
  if (!audio) return;
  if (audio.state === 'suspended') audio.resume().catch(() => {});
  const notes = { start: [[440, 0, 0.12], [660, 0.12, 0.12], [880, 0.24, 0.2]], end: [[880, 0, 0.3], [1320, 0.3, 0.6]], stop: [[660, 0, 0.15], [440, 0.15, 0.25]] }[kind];
  const t0 = audio.currentTime + 0.02;
  for (const [f, at, len] of notes) {
    const o = audio.createOscillator(), g = audio.createGain();
    o.frequency.value = f;
    g.gain.setValueAtTime(0.0001, t0 + at);
    g.gain.exponentialRampToValueAtTime(0.25, t0 + at + 0.02);
    g.gain.exponentialRampToValueAtTime(0.0001, t0 + at + len);
    o.connect(g).connect(audio.destination);
    o.start(t0 + at);
    o.stop(t0 + at + len + 0.05);
  }
}

/** The Pomodoro of `app` (shell/app.js). Returns { open(), settingsRows(), titlePrefix() }. */
export function startPomodoro(app) {
  const { store } = app;
  const enabled = () => !!store.local.get('pomodoro_enabled');
  const lengths = () => ({ work: minutes(store.local.get('pomodoro_work'), POMODORO_DEFAULTS.work), break: minutes(store.local.get('pomodoro_break'), POMODORO_DEFAULTS.break) });
  const read = () => { const s = store.local.get('pomodoro_state', null); return valid(s) ? s : IDLE; };
  // a sound that fails (no audio device, a suspended context) must never stop what follows it
  const sound = (kind) => {
    if (store.local.get('pomodoro_sound') === false) return;
    try { play(kind); } catch (err) { console.warn('Pomodoro sound', err); }
  };
  let dialog = null;

  const left = h('span', { class: 'pomodoro-left' });
  const btn = h('button', { type: 'button', id: 'pomodoro-btn', class: 'btn subtle pomodoro', hidden: true, onclick: () => open() }, icon(TOMATO), left);
  document.getElementById('sync-btn').before(btn);
  for (const ev of ['pointerdown', 'keydown']) addEventListener(ev, unlockAudio, { once: true, capture: true });

  function set(state, { say = '' } = {}) {
    store.local.set('pomodoro_state', state);
    if (say) sound(say);
    render();
  }

  function start(kind) {
    closeNotifications(TAG);
    set(begin(kind, nowSec(), lengths()), { say: 'start' });
  }
  function stop() {
    closeNotifications(TAG);
    set(timersStopped(), { say: read().phase === 'work' || read().phase === 'break' ? 'stop' : '' });
  }

  function ended(kind) {
    const l = lengths();
    const next = kind === 'work'
      ? { title: 'Work done: time for a break', action: { action: 'break', title: `Start ${l.break}m break` } }
      : { title: 'Break over', action: { action: 'work', title: `Start ${l.work}m work` } };
    showNotification(next.title, { body: `tagwatch Pomodoro: ${kind === 'work' ? l.work : l.break} minutes of ${kind} are over.`, tag: TAG,
      requireInteraction: true, actions: [next.action, { action: 'close', title: 'Close' }] });
    if (!dialog) open();
    sound('end');
  }

  /** Every second: the end of a phase, the button, the open dialog. */
  function tick() {
    if (!enabled()) { btn.hidden = true; return; }
    const { state, ended: e } = advance(read(), nowSec());
    if (e) {
      store.local.set('pomodoro_state', state);
      if (store.isLeader) ended(e); // one tab sounds and notifies
    }
    render();
  }

  function render() {
    btn.hidden = !enabled();
    if (btn.hidden) return;
    const d = describeState(read(), nowSec(), lengths());
    left.textContent = d.left > 0 ? clock(d.left) : '';
    btn.classList.toggle('active', d.left > 0);
    btn.setAttribute('aria-label', `Pomodoro: ${d.label}${d.left > 0 ? `, ${clock(d.left)} left` : ''}`);
    btn.title = 'Pomodoro';
    if (dialog) dialog.update();
  }

  function open() {
    if (dialog) return dialog;
    const status = h('p', { class: 'pomodoro-status', id: 'pomodoro-status', 'aria-live': 'polite' });
    const big = h('div', { class: 'pomodoro-clock', 'aria-hidden': 'true' });
    const l = lengths();
    const d = openDialog((close) => frame('Pomodoro', close, [big, status,
      h('p', { class: 'hint' }, `Work starts with a timer and rests when you stop it. ${l.work} minutes of work, ${l.break} of break: change them in Settings.`)],
    [h('button', { type: 'button', class: 'btn', id: 'pomodoro-stop', onclick: () => stop() }, 'Stop'),
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'btn', id: 'pomodoro-break', onclick: () => start('break') }, `Start ${l.break}m break`),
      h('button', { type: 'button', class: 'btn primary', id: 'pomodoro-work', onclick: () => start('work') }, `Start ${l.work}m work`)]),
    { label: 'Pomodoro', className: 'pomodoro-dialog', onClose: () => { dialog = null; } });
    d.update = () => {
      const s = describeState(read(), nowSec(), lengths());
      big.textContent = s.left > 0 ? clock(s.left) : '–';
      status.textContent = s.label;
    };
    dialog = d;
    d.update();
    return d;
  }

  // Timers started or stopped in this tab. Switching to another timer stops one and starts
  // the next a moment later: work goes on; only when none runs a second later does it rest.
  let running = store.records.running().length > 0;
  let restSoon = 0;
  store.subscribe((e) => {
    if (e.type !== 'records' || e.origin !== 'local' || !enabled()) return;
    const now = store.records.running().length > 0;
    const started = (e.items || []).some((r) => r.t1 === r.t2 && !isHidden(r.ds));
    if (started) {
      clearTimeout(restSoon);
      const cur = read();
      const next = timerStarted(cur, nowSec(), lengths());
      if (next !== cur) { closeNotifications(TAG); set(next, { say: 'start' }); }
    } else if (!now && running) {
      clearTimeout(restSoon);
      restSoon = setTimeout(() => { if (!store.records.running().length) stop(); }, 1000);
    }
    running = now;
  });
  onNotificationAction('break', () => start('break'));
  onNotificationAction('work', () => start('work'));
  onNotificationAction('close', () => closeNotifications(TAG));
  setInterval(tick, 1000);
  tick();

  function settingsRows() {
    const on = h('input', { type: 'checkbox', id: 'set-pomodoro', checked: enabled() });
    const num = (id, key, dflt, label) => {
      const el = h('input', { type: 'number', id, min: '1', max: '240', step: '1', value: minutes(store.local.get(key), dflt), class: 'num-input', 'aria-label': label });
      el.addEventListener('change', () => { const v = minutes(el.value, dflt); el.value = v; store.local.set(key, v); render(); });
      return el;
    };
    const snd = h('input', { type: 'checkbox', id: 'set-pomodoro-sound', checked: store.local.get('pomodoro_sound') !== false });
    on.addEventListener('change', () => { store.local.set('pomodoro_enabled', on.checked); if (!on.checked) set(IDLE); render(); });
    snd.addEventListener('change', () => store.local.set('pomodoro_sound', snd.checked));
    return [
      h('span', { id: 'set-pomodoro-label' }, 'Pomodoro'),
      h('div', { class: 'opts', role: 'group', 'aria-labelledby': 'set-pomodoro-label' },
        h('label', { class: 'check' }, on, ' Show a Pomodoro timer'),
        h('div', { class: 'row' }, 'Work', num('set-pomodoro-work', 'pomodoro_work', POMODORO_DEFAULTS.work, 'Minutes of work'), 'min, break',
          num('set-pomodoro-break', 'pomodoro_break', POMODORO_DEFAULTS.break, 'Minutes of break'), 'min'),
        h('label', { class: 'check' }, snd, ' Sounds at the start and the end')),
    ];
  }

  return {
    open, settingsRows, start, stop,
    /** The tab title's prefix ("Working | "), empty when off or resting. */
    titlePrefix: () => (enabled() ? describeState(advance(read(), nowSec()).state, nowSec(), lengths()).title : ''),
  };
}
