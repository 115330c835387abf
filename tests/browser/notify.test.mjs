// Browser test of the timer's notifications and the Pomodoro, device settings as in
// TimeTagger: turned on in Settings, a started timer shows "tagwatch is tracking time" with a
// Stop button, and pressing it (the service worker relays the press) stops the timer; a
// long-running timer's reminder has the Stop button too; the Pomodoro works with the timer,
// ends a phase with a notification whose button starts the break, and shows in the tab
// title. Notifications are read from the service worker's registration; a press is the
// notificationclick event dispatched in the real service worker (headless Chromium has no
// notification to click). Screenshots in build/artifacts/.
process.env.TZ = 'Europe/Amsterdam';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, launch, startFixtureServer, newPage, localLogin, waitForApp, waitSynced, eventually, artifact } from './browser-lib.mjs';

const skip = skipReason();

/** The notifications shown now: [{title, body, tag, actions: ['stop:Stop', ...]}]. */
function shown(page, tag) {
  return page.evaluate(async (t) => {
    const reg = await navigator.serviceWorker.ready;
    return (await reg.getNotifications(t ? { tag: t } : {})).map((n) => ({ title: n.title, body: n.body, tag: n.tag, actions: (n.actions || []).map((a) => `${a.action}:${a.title}`) }));
  }, tag);
}

/** Press a notification's button, as the browser would tell the service worker. */
async function press(context, tag, action) {
  const sw = context.serviceWorkers()[0] || await context.waitForEvent('serviceworker');
  await sw.evaluate(async ([t, a]) => {
    const [n] = await self.registration.getNotifications({ tag: t });
    if (!n) throw new Error('no notification ' + t);
    self.dispatchEvent(new NotificationEvent('notificationclick', { notification: n, action: a }));
  }, [tag, action]);
}

async function openWithNotifications(browser, server, opts) {
  const { context, page } = await newPage(browser, opts);
  await context.grantPermissions(['notifications']);
  await localLogin(page, server);
  await page.evaluate(() => navigator.serviceWorker.ready);
  return { context, page };
}

async function openSettings(page) {
  await page.keyboard.press(',');
  await page.waitForSelector('dialog[open] #set-notifications');
}
const closeDialog = async (page) => { await page.keyboard.press('Escape'); await page.waitForSelector('dialog[open]', { state: 'detached' }); };

describe('notifications and Pomodoro', { skip: skip || false, timeout: 300000 }, () => {
  let server, browser;
  before(async () => { server = await startFixtureServer(); browser = await launch(); });
  after(async () => { if (browser) await browser.close(); if (server) await server.stop(); });

  test('a started timer notifies; its Stop button stops it', async () => {
    const { context, page } = await openWithNotifications(browser, server);
    await openSettings(page);
    assert.equal(await page.isChecked('#set-notifications'), false, 'off by default (as TimeTagger)');
    await page.check('#set-notifications');
    assert.equal(await page.textContent('#set-notify-note'), '', 'allowed: nothing to say');
    await page.screenshot({ path: artifact('dialog-settings-device-desktop-light.png') });
    await closeDialog(page);
    await page.fill('#start-input', 'Writing the chapter');
    await page.press('#start-input', 'Enter');
    await page.waitForSelector('#running:not([hidden])');
    const [n] = await eventually(async () => { const l = await shown(page, 'tagwatch-running'); return l.length && l; }, { what: 'the notification' });
    assert.deepEqual(n, { title: 'tagwatch is tracking time', body: 'Writing the chapter', tag: 'tagwatch-running', actions: ['stop:Stop'] });
    await press(context, 'tagwatch-running', 'stop');
    await page.waitForSelector('#start-form:not([hidden])');
    assert.equal(await page.evaluate(() => window.tagwatch.store.records.running().length), 0);
    await eventually(async () => (await shown(page, 'tagwatch-running')).length === 0, { what: 'the notification closed' });
    // a Stop pressed while no tab was open: the service worker opens the app with
    // #notification=stop, and that stops the timer
    await page.fill('#start-input', 'Second one');
    await page.press('#start-input', 'Enter');
    await page.waitForSelector('#running:not([hidden])');
    const opened = await context.newPage();
    opened.errors = [];
    opened.on('pageerror', (e) => opened.errors.push(e.message));
    await opened.goto(server.appUrl + '#notification=stop');
    await waitForApp(opened);
    await opened.waitForSelector('#start-form:not([hidden])');
    assert.equal(new URL(opened.url()).hash, '', 'the address is clean again');
    await page.waitForSelector('#start-form:not([hidden])'); // and the first tab hears it
    assert.deepEqual(opened.errors, []);
    await waitSynced(page);
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('a timer running too long: a reminder with a Stop button', async () => {
    const { context, page } = await openWithNotifications(browser, server);
    await openSettings(page);
    await page.check('#set-notify-long');
    await page.fill('#set-notify-hours', '1');
    await page.press('#set-notify-hours', 'Tab');
    await closeDialog(page);
    const t1 = Math.floor(Date.now() / 1000) - 2 * 3600 - 300;
    await page.evaluate((t) => window.tagwatch.store.put('records', [{ key: 'longRun1', t1: t, t2: t, ds: 'Forgot this one' }]), t1);
    const [n] = await eventually(async () => { const l = await shown(page, 'tagwatch-long-longRun1'); return l.length && l; }, { timeout: 60000, what: 'the reminder' });
    assert.equal(n.title, 'Timer running for 2h05m');
    assert.equal(n.body, 'Forgot this one');
    assert.deepEqual(n.actions, ['stop:Stop']);
    await press(context, 'tagwatch-long-longRun1', 'stop');
    await page.waitForFunction(() => window.tagwatch.store.records.running().length === 0);
    await waitSynced(page);
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('Pomodoro: starts with a timer, ends with a notification that starts the break', async () => {
    const { context, page } = await openWithNotifications(browser, server, { width: 360, height: 740, isMobile: true });
    // a device whose sound fails (every tone throws): nothing a person sees may change by it
    await page.evaluate(() => {
      if (window.AudioContext) AudioContext.prototype.createOscillator = () => { throw new Error('no audio output'); };
    });
    assert.equal(await page.isHidden('#pomodoro-btn'), true, 'off by default');
    await openSettings(page);
    await page.check('#set-pomodoro');
    await page.fill('#set-pomodoro-work', '50');
    await page.press('#set-pomodoro-work', 'Tab');
    await page.screenshot({ path: artifact('dialog-settings-device-phone-light.png') });
    await closeDialog(page);
    assert.equal(await page.getAttribute('#pomodoro-btn', 'aria-label'), 'Pomodoro: Starts with your next timer');
    await page.fill('#start-input', 'Deep work');
    await page.press('#start-input', 'Enter');
    await page.waitForFunction(() => /^Pomodoro: Working, (50:00|49:5\d) left$/.test(document.getElementById('pomodoro-btn').getAttribute('aria-label')));
    await page.waitForFunction(() => document.title.startsWith('Working | '));
    await page.click('#pomodoro-btn');
    await page.waitForSelector('dialog[open] #pomodoro-status');
    assert.equal(await page.textContent('#pomodoro-status'), 'Working');
    await page.screenshot({ path: artifact('dialog-pomodoro-phone-light.png') });
    await closeDialog(page);
    // the work phase is nearly over (as if 50 minutes had passed)
    await page.evaluate(() => {
      const now = Date.now() / 1000;
      window.tagwatch.store.local.set('pomodoro_state', { phase: 'work', t1: now - 50 * 60 + 2, t2: now + 2 });
    });
    const [n] = await eventually(async () => { const l = await shown(page, 'tagwatch-pomodoro'); return l.length && l; }, { what: 'the end of work' });
    assert.equal(n.title, 'Work done: time for a break');
    assert.deepEqual(n.actions, ['break:Start 5m break', 'close:Close']);
    await page.waitForSelector('dialog[open] #pomodoro-status');
    assert.equal(await page.textContent('#pomodoro-status'), 'Work done: time for a 5-minute break');
    await page.waitForFunction(() => document.title.startsWith('Break time | '));
    await press(context, 'tagwatch-pomodoro', 'break');
    await page.waitForFunction(() => document.getElementById('pomodoro-status').textContent === 'Break');
    await page.waitForFunction(() => /^Pomodoro: Break, (5:00|4:5\d) left$/.test(document.getElementById('pomodoro-btn').getAttribute('aria-label')));
    await page.screenshot({ path: artifact('dialog-pomodoro-break-phone-light.png') });
    await closeDialog(page);
    // stopping the timer rests the Pomodoro
    await page.click('#stop-btn');
    await page.waitForFunction(() => document.getElementById('pomodoro-btn').getAttribute('aria-label') === 'Pomodoro: Starts with your next timer');
    await page.waitForFunction(() => document.title === 'tagwatch');
    await waitSynced(page);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
