// reminders-ui.js: optional reminders as notifications (../common/notify.js): a timer running
// longer than N hours (with a Stop button), nothing tracked for N minutes during work hours.
// Settings are per device (local settings key LOCAL_KEY); the decision logic is
// reminders.js. A toast is shown too, so a reminder is seen even where notifications are
// blocked.

import { h, toast } from '../common/ui.js';
import { openDialog, frame } from '../common/dialog.js';
import { checkReminders, REMINDER_DEFAULTS, parseClock } from './reminders.js';
import { showNotification, permission, askPermission } from '../common/notify.js';

export const LOCAL_KEY = 'tagwatch_reminders'; // index.js reads it too (REMINDERS_KEY)

function settingsOf(ctx) {
  const v = ctx.local(LOCAL_KEY, null);
  return { ...REMINDER_DEFAULTS, ...(v && typeof v === 'object' ? v : {}) };
}

async function show(n) {
  toast(`${n.title}. ${n.body}`, { ms: 10000 });
  // a long-running timer's reminder can stop it from the notification (shell/timer-notify.js)
  await showNotification(n.title, { body: n.body, tag: n.tag, actions: n.kind === 'long' ? [{ action: 'stop', title: 'Stop' }] : [] });
}

/** One check of the reminders, as a function to call every half minute (it keeps what was said). */
export function reminderTicker(ctx) {
  let state;
  return () => {
    const s = settingsOf(ctx);
    if (!s.longRunningOn && !s.idleOn) return;
    const now = ctx.now();
    const recs = ctx.store.records.query(now - 2 * 86400, now + 1);
    const res = checkReminders(recs, now, { ...s, workdays: ctx.workdays() }, state);
    state = res.state;
    for (const n of res.notify) show(n);
  };
}

/** Start the reminder loop; returns a stop function. (index.js runs its own loop that loads
 * this module only once a reminder is on, with reminderTicker.) */
export function startReminders(ctx) {
  const tick = reminderTicker(ctx);
  const timer = setInterval(tick, 30000);
  setTimeout(tick, 3000);
  return () => clearInterval(timer);
}

export function openReminders(ctx) {
  const s = settingsOf(ctx);
  const f = {
    longRunningOn: h('input', { type: 'checkbox', checked: s.longRunningOn }),
    longRunningHours: h('input', { type: 'number', min: '0.5', step: '0.5', value: s.longRunningHours, 'aria-label': 'Hours', class: 'iv-hours' }),
    idleOn: h('input', { type: 'checkbox', checked: s.idleOn }),
    idleMinutes: h('input', { type: 'number', min: '5', step: '5', value: s.idleMinutes, 'aria-label': 'Minutes', class: 'iv-hours' }),
    workStart: h('input', { type: 'time', value: s.workStart, 'aria-label': 'Work starts' }),
    workEnd: h('input', { type: 'time', value: s.workEnd, 'aria-label': 'Work ends' }),
  };
  const perm = permission();
  const permText = h('p', { class: 'muted' }, perm === 'granted' ? 'Notifications are allowed.' : perm === 'denied'
    ? 'Notifications are blocked for this site: reminders show inside the app only.' : perm === 'unsupported' ? 'This browser has no notifications: reminders show inside the app only.' : 'Saving asks the browser for permission to notify.');
  openDialog((close) => frame('Reminders', close,
    h('div', { class: 'iv-reminders' },
      h('label', { class: 'iv-check' }, f.longRunningOn, ' Remind me when a timer has run longer than ', f.longRunningHours, ' hours'),
      h('label', { class: 'iv-check' }, f.idleOn, ' Remind me when nothing was tracked for ', f.idleMinutes, ' minutes'),
      h('div', { class: 'iv-row' }, h('span', {}, 'Work hours'), f.workStart, h('span', {}, 'to'), f.workEnd, h('span', { class: 'muted' }, 'on workdays (Settings)')),
      permText),
    [h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Cancel'),
      h('button', { type: 'button', class: 'btn primary', onclick: async () => {
        const v = {
          longRunningOn: f.longRunningOn.checked, longRunningHours: Number(f.longRunningHours.value) || REMINDER_DEFAULTS.longRunningHours,
          idleOn: f.idleOn.checked, idleMinutes: Number(f.idleMinutes.value) || REMINDER_DEFAULTS.idleMinutes,
          workStart: Number.isFinite(parseClock(f.workStart.value)) ? f.workStart.value : REMINDER_DEFAULTS.workStart,
          workEnd: Number.isFinite(parseClock(f.workEnd.value)) ? f.workEnd.value : REMINDER_DEFAULTS.workEnd,
        };
        ctx.setLocal(LOCAL_KEY, v);
        if (v.longRunningOn || v.idleOn) await askPermission(); // else in-app only
        close();
      } }, 'Save')]), { label: 'Reminders' });
}
