// reminders.js: when to remind, as pure logic: a timer that has run longer than N hours, and
// nothing tracked for N minutes during work hours on a workday. The UI calls check() every
// minute or so with the current records and shows what it returns through the Notification
// API; `state` remembers what was already said so each reminder fires once. DOM-free.

import { isHidden } from '../common/tags.js';
import { isWorkday, atClock } from '../common/calendar.js';

/** Local settings with their defaults (kept in this browser only). */
export const REMINDER_DEFAULTS = {
  longRunningOn: false, longRunningHours: 4,
  idleOn: false, idleMinutes: 30, workStart: '09:00', workEnd: '17:00',
};

/** "HH:MM" -> seconds after local midnight, or NaN. */
export function parseClock(s) {
  const m = /^(\d{1,2}):(\d{2})$/.exec(String(s || '').trim());
  if (!m || +m[1] > 24 || +m[2] > 59) return NaN;
  return +m[1] * 3600 + +m[2] * 60;
}

/** Wall-clock time secondsOfDay on the local day of t (a time a DST change skips moves on). */
function onDayOf(t, secondsOfDay) {
  const d = new Date(t * 1000);
  return atClock(d.getFullYear(), d.getMonth(), d.getDate(), secondsOfDay);
}

/**
 * Decide which reminders are due.
 * records: [{key, t1, t2, ds}]; now: unix s; settings: REMINDER_DEFAULTS-shaped plus
 * `workdays` (the synced setting); state: the previous call's state (or undefined).
 * Returns {state, notify: [{kind: 'long'|'idle', tag, title, body, key?}]}.
 */
export function checkReminders(records, now, settings = {}, state = undefined) {
  const s = { ...REMINDER_DEFAULTS, workdays: 0, ...settings };
  const st = { long: {}, idleFor: null, ...(state || {}) };
  const notify = [];
  const running = [];
  let lastEnd = -Infinity;
  for (const r of records) {
    if (!r || isHidden(r.ds)) continue;
    if (r.t1 === r.t2) running.push(r);
    else if (r.t2 <= now && r.t2 > lastEnd) lastEnd = r.t2;
  }

  // Long-running timers: once per record key.
  const long = {};
  if (s.longRunningOn && s.longRunningHours > 0) {
    for (const r of running) {
      if (now - r.t1 >= s.longRunningHours * 3600) {
        long[r.key] = true;
        if (!st.long[r.key]) {
          const h = Math.floor((now - r.t1) / 3600), m = Math.floor(((now - r.t1) % 3600) / 60);
          notify.push({
            kind: 'long', key: r.key, tag: 'tagwatch-long-' + r.key,
            title: `Timer running for ${h}h${String(m).padStart(2, '0')}m`,
            body: (r.ds || '').trim() || 'Still tracking: stop it if you forgot.',
          });
        }
      }
    }
  }

  // Idle during work hours: once per idle stretch (identified by when it began).
  let idleFor = st.idleFor;
  if (s.idleOn && s.idleMinutes > 0 && !running.length) {
    const ws = parseClock(s.workStart), we = parseClock(s.workEnd);
    const start = onDayOf(now, ws), end = onDayOf(now, we);
    const inHours = Number.isFinite(ws) && Number.isFinite(we) && now >= start && now < end && isWorkday(now, s.workdays);
    if (inHours) {
      const since = Math.max(lastEnd, start);
      if (now - since >= s.idleMinutes * 60) {
        if (idleFor !== since) {
          idleFor = since;
          notify.push({
            kind: 'idle', tag: 'tagwatch-idle',
            title: `Nothing tracked for ${Math.floor((now - since) / 60)} minutes`,
            body: 'Start a timer, or add what you did.',
          });
        }
      }
    }
  } else if (running.length) {
    idleFor = null;
  }
  return { state: { long, idleFor }, notify };
}
