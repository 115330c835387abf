// timer-notify.js: the timer's notifications on this device (a device setting, as in
// TimeTagger): "tagwatch is tracking time" when a timer is started here, with a Stop button
// that stops it from the notification (also when the app is closed: the service worker opens
// it to stop), closed again once no timer runs; the Stop button of the long-running
// reminder (../insight/reminders-ui.js); and the settings rows for both.

import { h } from '../common/ui.js';
import { isHidden } from '../common/tags.js';
import { permission, askPermission, showNotification, closeNotifications, onNotificationAction } from '../common/notify.js';

export const RUNNING_TAG = 'tagwatch-running';
const REMINDERS_KEY = 'tagwatch_reminders'; // the reminders' own local setting (insight/reminders-ui.js)

const isRunning = (r) => r && r.t1 === r.t2 && !isHidden(r.ds);

/** Watch the timers of `app` (shell/app.js) and notify as the device settings say. */
export function startTimerNotifications(app) {
  const { store } = app;
  let running = new Set(store.records.running().map((r) => r.key));

  store.subscribe((e) => {
    if (e.type !== 'records' && e.type !== 'reset') return;
    const now = new Set(store.records.running().map((r) => r.key));
    if (e.origin === 'local' && store.local.get('notifications')) {
      for (const r of e.items || []) {
        if (isRunning(r) && !running.has(r.key)) {
          showNotification('tagwatch is tracking time', {
            body: r.ds || 'A timer without description', tag: RUNNING_TAG, requireInteraction: true,
            actions: [{ action: 'stop', title: 'Stop' }],
          });
        }
      }
    }
    // (a switch to another timer stops one and starts the next: its notification replaces)
    if (!now.size && running.size) setTimeout(() => { if (!store.records.running().length) closeNotifications(RUNNING_TAG); }, 1000);
    running = now;
  });
  onNotificationAction('stop', () => app.topbar.stop());
}

function reminders(store) {
  const v = store.local.get(REMINDERS_KEY, null);
  return v && typeof v === 'object' ? v : {};
}

/** The rows of the settings dialog (label, control, ...) for this device's notifications. */
export function notificationSettings(app) {
  const { store } = app;
  const note = h('p', { class: 'hint', id: 'set-notify-note', 'aria-live': 'polite' });
  const say = () => {
    const p = permission();
    note.textContent = p === 'denied' ? 'The browser blocks notifications for this site: allow them in its site settings.'
      : p === 'unsupported' ? 'This browser shows no notifications.' : p === 'default' ? 'Turning one on asks the browser for permission.' : '';
  };
  const onStart = h('input', { type: 'checkbox', id: 'set-notifications', checked: !!store.local.get('notifications') });
  onStart.addEventListener('change', async () => {
    store.local.set('notifications', onStart.checked);
    if (onStart.checked) await askPermission();
    say();
  });
  const r = reminders(store);
  const onLong = h('input', { type: 'checkbox', id: 'set-notify-long', checked: !!r.longRunningOn });
  const hours = h('input', { type: 'number', id: 'set-notify-hours', min: '0.5', max: '24', step: '0.5', value: r.longRunningHours || 4,
    class: 'num-input', 'aria-label': 'Hours a timer runs before the reminder' });
  const saveLong = async () => {
    const n = Number(hours.value);
    store.local.set(REMINDERS_KEY, { ...reminders(store), longRunningOn: onLong.checked, longRunningHours: n > 0 ? n : 4 });
    if (onLong.checked) await askPermission();
    say();
  };
  onLong.addEventListener('change', saveLong);
  hours.addEventListener('change', saveLong);
  say();
  return [
    h('span', { id: 'set-notify-label' }, 'Notifications'),
    h('div', { class: 'opts', role: 'group', 'aria-labelledby': 'set-notify-label' },
      h('label', { class: 'check' }, onStart, ' When a timer starts, with a Stop button'),
      h('label', { class: 'check' }, onLong, ' When a timer has run longer than ', hours, ' hours'),
      note),
  ];
}
