// Reminders: long-running timers and idle time during work hours, each said once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkReminders, parseClock } from '../../../www/app/insight/reminders.js';

const L = (y, m, d, h = 0, mi = 0, s = 0) => new Date(y, m - 1, d, h, mi, s).getTime() / 1000;
const mon = L(2024, 3, 4);

test('parseClock', () => {
  assert.equal(parseClock('09:30'), 34200);
  assert.ok(Number.isNaN(parseClock('9.30')));
  assert.ok(Number.isNaN(parseClock('25:00')));
});

test('a timer running longer than N hours is reported once', () => {
  const recs = [{ key: 'run', t1: mon + 8 * 3600, t2: mon + 8 * 3600, ds: '#acme coding' }];
  const s = { longRunningOn: true, longRunningHours: 4 };
  let r = checkReminders(recs, mon + 11 * 3600, s);
  assert.equal(r.notify.length, 0);
  r = checkReminders(recs, mon + 12 * 3600 + 90, s, r.state);
  assert.deepEqual(r.notify.map((n) => [n.kind, n.title, n.body]), [['long', 'Timer running for 4h01m', '#acme coding']]);
  r = checkReminders(recs, mon + 13 * 3600, s, r.state);
  assert.equal(r.notify.length, 0, 'not twice');
  assert.equal(checkReminders(recs, mon + 13 * 3600, { longRunningOn: false }).notify.length, 0, 'off by default');
});

test('idle during work hours on a workday, once per idle stretch', () => {
  const s = { idleOn: true, idleMinutes: 30, workStart: '09:00', workEnd: '17:00', workdays: 2 };
  const recs = [{ key: 'a', t1: mon + 8 * 3600, t2: mon + 10 * 3600, ds: 'x' }];
  let r = checkReminders(recs, mon + 10 * 3600 + 29 * 60, s);
  assert.equal(r.notify.length, 0);
  r = checkReminders(recs, mon + 10 * 3600 + 31 * 60, s, r.state);
  assert.deepEqual(r.notify.map((n) => [n.kind, n.title]), [['idle', 'Nothing tracked for 31 minutes']]);
  r = checkReminders(recs, mon + 11 * 3600, s, r.state);
  assert.equal(r.notify.length, 0, 'same stretch: said already');
  const more = [...recs, { key: 'b', t1: mon + 11 * 3600, t2: mon + 12 * 3600, ds: 'y' }];
  r = checkReminders(more, mon + 12 * 3600 + 45 * 60, s, r.state);
  assert.equal(r.notify.length, 1, 'a new stretch after new work');
  // before work starts, after it ends, on Saturday, or while a timer runs: quiet
  assert.equal(checkReminders([], mon + 8 * 3600, s).notify.length, 0);
  assert.equal(checkReminders([], mon + 9 * 3600 + 31 * 60, s).notify.length, 1, 'idle since work started');
  assert.equal(checkReminders(recs, mon + 18 * 3600, s).notify.length, 0);
  assert.equal(checkReminders([], L(2024, 3, 9, 12), s).notify.length, 0);
  assert.equal(checkReminders([{ key: 'r', t1: mon + 9 * 3600, t2: mon + 9 * 3600, ds: '' }], mon + 12 * 3600, s).notify.length, 0);
});
