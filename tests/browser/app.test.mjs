// Browser tests of the web client against the real program behind nginx: logging in both ways,
// the timer, the record dialog, delete and undo, offline edits, two browsers converging,
// a revoked token, records from the API, several tabs, and the offline app shell.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  skipReason, launch, startFixtureServer, newPage, loginWithPassword, waitForApp, waitSynced, tokenOf,
  serverRecords, serverSettings, eventually, api, ALICE, FIXTURE_USERS,
} from './browser-lib.mjs';
import { loginPassword } from '../lib/harness.mjs';

const skip = skipReason();

async function stopIfRunning(page) {
  if (await page.isVisible('#stop-btn')) {
    await page.click('#stop-btn');
    await page.waitForSelector('#start-form:not([hidden])');
  }
}

describe('web client in chromium', { skip: skip || false, timeout: 300000 }, () => {
  let server, browser;
  before(async () => {
    server = await startFixtureServer();
    browser = await launch();
  });
  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
  });

  test('log in with user name and password; the fixture\'s records show', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(server.pageUrl('login'));
    // a wrong password shows the server's message
    await page.fill('#username', 'alice');
    await page.fill('#password', 'wrong');
    await page.click('#login-btn');
    await page.waitForFunction(() => document.getElementById('msg').textContent.includes('Invalid credentials'));
    await loginWithPassword(page, server);
    await waitSynced(page);
    const n = await page.evaluate(() => window.tagwatch.store.records.all({ hidden: true }).length);
    assert.equal(n, FIXTURE_USERS.alice.records);
    // a deep link shows that day in the list
    await page.goto(server.appUrl + '#date=2026-01-13');
    await waitForApp(page);
    await page.waitForFunction(() => /13 Jan 2026/.test(document.getElementById('range-label').textContent));
    await page.click('#show-list');
    await page.waitForSelector('#list .rec');
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('log in as the local user on localhost', async () => {
    const { context, page } = await newPage(browser);
    // the page is served from 127.0.0.1, so the button shows
    await page.goto(server.pageUrl('login'));
    await page.click('#local-btn');
    await page.waitForURL(/\/app\/$/);
    await waitForApp(page);
    assert.equal(await page.evaluate(() => window.tagwatch.store.username), 'defaultuser');
    await context.close();
  });

  test('start and stop a timer; the server has it', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(server.pageUrl('login'));
    await page.click('#local-btn');
    await waitForApp(page);
    await page.fill('#start-input', '#Focus writing tests');
    await page.press('#start-input', 'Enter');
    await page.waitForSelector('#running:not([hidden])');
    assert.match(await page.textContent('#running-desc'), /#focus writing tests/);
    await waitSynced(page);
    const token = await tokenOf(page);
    let recs = [...(await serverRecords(server, token)).values()].filter((r) => r.ds === '#focus writing tests');
    assert.equal(recs.length, 1);
    assert.equal(recs[0].t1, recs[0].t2, 'running on the server');
    await page.waitForFunction(() => /#focus writing tests/.test(document.title)); // the tab says what runs
    await page.click('#stop-btn');
    await page.waitForSelector('#start-form:not([hidden])');
    await waitSynced(page);
    recs = [...(await serverRecords(server, token)).values()].filter((r) => r.ds === '#focus writing tests');
    assert.ok(recs[0].t2 >= recs[0].t1 + 2, 'stopped on the server');
    await context.close();
  });

  test('edit by dialog, delete and undo', async () => {
    const { context, page } = await newPage(browser);
    await loginWithPassword(page, server);
    await waitSynced(page);
    const token = await tokenOf(page);
    // add a record that is already done, with time shorthands
    await page.keyboard.press('a');
    await page.waitForSelector('dialog[open] #rd-ds');
    await page.fill('#rd-ds', 'Dialog #Edit#Test');
    await page.fill('[aria-label="Start date"]', '2026-01-20');
    await page.fill('[aria-label="Start time"]', '0900');
    await page.fill('[aria-label="End date"]', '2026-01-20');
    await page.fill('[aria-label="End time"]', '10:30');
    await page.locator('[aria-label="End time"]').blur();
    assert.equal(await page.inputValue('[aria-label="Duration"]'), '1h30m');
    await page.click('#rd-save');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    await waitSynced(page);
    let rec = [...(await serverRecords(server, token)).values()].find((r) => r.ds === 'Dialog #edit #test');
    assert.ok(rec, 'created with a normalised description');
    assert.equal(rec.t2 - rec.t1, 5400);
    // edit it through the list
    await page.goto(server.appUrl + '#date=2026-01-20');
    await page.waitForFunction(() => /20 Jan 2026/.test(document.getElementById('range-label').textContent));
    await page.click('#show-list');
    await page.click(`#list .rec[data-key="${rec.key}"]`);
    await page.waitForSelector('dialog[open] #rd-ds');
    await page.fill('[aria-label="Duration"]', '2h');
    await page.fill('#rd-ds', 'Dialog #edit #test changed');
    await page.click('#rd-save');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    await waitSynced(page);
    rec = (await serverRecords(server, token)).get(rec.key);
    assert.equal(rec.ds, 'Dialog #edit #test changed');
    assert.equal(rec.t2 - rec.t1, 7200);
    // delete, then undo from the toast
    await page.click(`#list .rec[data-key="${rec.key}"]`);
    await page.click('#rd-delete');
    await page.waitForSelector('.toast button');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    assert.equal(await page.locator(`#list .rec[data-key="${rec.key}"]`).count(), 0);
    await waitSynced(page);
    assert.match((await serverRecords(server, token)).get(rec.key).ds, /^HIDDEN /);
    await page.click('.toast button');
    await page.waitForSelector(`#list .rec[data-key="${rec.key}"]`);
    await page.waitForFunction(() => window.tagwatch.store.pendingCount() > 0 || window.tagwatch.store.status.state === 'synced');
    await waitSynced(page);
    assert.equal((await serverRecords(server, token)).get(rec.key).ds, 'Dialog #edit #test changed');
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('offline: edit, come back, the server has it', async () => {
    const { context, page } = await newPage(browser);
    await loginWithPassword(page, server);
    await waitSynced(page);
    const token = await tokenOf(page);
    await stopIfRunning(page);
    await context.setOffline(true);
    await page.fill('#start-input', 'offline work #plane');
    await page.press('#start-input', 'Enter');
    await page.waitForSelector('#running:not([hidden])');
    await page.click('#stop-btn');
    await page.waitForFunction(() => ['offline', 'pending'].includes(document.getElementById('sync-btn').dataset.state));
    await page.waitForFunction(() => document.getElementById('sync-btn').dataset.state === 'offline', null, { timeout: 10000 });
    assert.ok(Number(await page.textContent('#sync-count')) >= 1, 'the indicator counts waiting changes');
    // the data survives a reload while offline (IndexedDB + service worker shell)
    assert.equal([...(await serverRecords(server, token)).values()].filter((r) => r.ds === 'offline work #plane').length, 0);
    await context.setOffline(false);
    await waitSynced(page, 30000);
    const recs = [...(await serverRecords(server, token)).values()].filter((r) => r.ds === 'offline work #plane');
    assert.equal(recs.length, 1);
    assert.ok(recs[0].t2 > recs[0].t1);
    await context.close();
  });

  test('two browsers converge on the same records and settings', async () => {
    const a = await newPage(browser);
    const b = await newPage(browser);
    await loginWithPassword(a.page, server);
    await loginWithPassword(b.page, server);
    await waitSynced(a.page);
    await waitSynced(b.page);
    const key = await a.page.evaluate(async () => {
      const s = window.tagwatch.store;
      const [r] = await s.put('records', [{ key: s.newKey(), t1: 1767261600, t2: 1767265200, ds: '#sync from A' }]);
      await s.settings.set('first_day_of_week', 0);
      return r.key;
    });
    await b.page.evaluate(async (k) => {
      const s = window.tagwatch.store;
      await s.put('records', [{ key: s.newKey(), t1: 1767268800, t2: 1767272400, ds: '#sync from B' }]);
    }, key);
    // B polls every 10 s; both converge without reloading
    for (const p of [a.page, b.page]) {
      await p.waitForFunction(() => {
        const s = window.tagwatch.store;
        const all = s.records.all().map((r) => r.ds);
        return all.includes('#sync from A') && all.includes('#sync from B') && s.settings.get('first_day_of_week') === 0;
      }, null, { timeout: 30000 });
    }
    const token = await tokenOf(a.page);
    assert.equal((await serverSettings(server, token)).get('first_day_of_week'), 0);
    await a.page.evaluate(() => window.tagwatch.store.settings.set('first_day_of_week', 1));
    await a.context.close();
    await b.context.close();
  });

  test('several tabs: one syncs, the others pass their edits through it', async () => {
    const { context, page } = await newPage(browser);
    await loginWithPassword(page, server);
    await stopIfRunning(page);
    const page2 = await context.newPage();
    await page2.goto(server.appUrl);
    await waitForApp(page2);
    await eventually(async () => {
      const l = await Promise.all([page, page2].map((p) => p.evaluate(() => window.tagwatch.store.isLeader)));
      return l.filter(Boolean).length === 1;
    }, { what: 'exactly one syncing tab' });
    const follower = (await page.evaluate(() => window.tagwatch.store.isLeader)) ? page2 : page;
    const leader = follower === page ? page2 : page;
    await follower.fill('#start-input', '#tabs from the follower');
    await follower.press('#start-input', 'Enter');
    // the leader shows it at once (BroadcastChannel) and pushes it
    await leader.waitForFunction(() => window.tagwatch.store.records.running().some((r) => r.ds === '#tabs from the follower'));
    const token = await tokenOf(page);
    await eventually(async () => [...(await serverRecords(server, token)).values()].some((r) => r.ds === '#tabs from the follower'),
      { what: 'the follower\'s edit on the server' });
    await follower.waitForFunction(() => window.tagwatch.store.pendingCount() === 0);
    // closing the leader hands the sync over
    await leader.close();
    await follower.waitForFunction(() => window.tagwatch.store.isLeader, null, { timeout: 10000 });
    await follower.click('#stop-btn');
    await waitSynced(follower);
    await context.close();
  });

  test('records written through the API appear in the app', async () => {
    const { context, page } = await newPage(browser);
    await loginWithPassword(page, server);
    await waitSynced(page);
    const apitoken = FIXTURE_USERS.alice.apitoken;
    const now = Math.floor(Date.now() / 1000);
    const rec = { key: 'cliRecA1', t1: now - 600, t2: now - 60, mt: now, st: 0, ds: '#cli from the command line' };
    const res = await api(server, apitoken).put('records', [rec]);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.accepted, ['cliRecA1']);
    await page.waitForFunction(() => !!window.tagwatch.store.records.get('cliRecA1'), null, { timeout: 20000 });
    await page.click('#show-list');
    await page.click('#today-btn');
    await page.waitForSelector('#list .rec[data-key="cliRecA1"]');
    await context.close();
  });

  test('a revoked token asks to log in again and keeps unsynced changes', async () => {
    const { context, page } = await newPage(browser);
    await loginWithPassword(page, server);
    await waitSynced(page);
    // "log out all other devices" from elsewhere revokes this browser's token
    const other = await loginPassword(server, ALICE.username, ALICE.password);
    const reset = await api(server, other).get('webtoken?reset=1');
    assert.equal(reset.status, 200);
    await page.evaluate(() => window.tagwatch.store.put('records', [{ key: 'revokedA', t1: 1767350000, t2: 1767353600, ds: '#kept while revoked' }]));
    await page.waitForSelector('#banner:not([hidden]) a[href*="login"]', { timeout: 20000 });
    assert.match(await page.innerText('#banner .msg'), /^The login of this device was revoked on the server \(for example with “Log out all other devices”\)\. Your changes are kept on this device/);
    assert.match(await page.innerText('#banner'), /Log in again/);
    await page.click('#banner details summary');
    assert.match(await page.innerText('#banner details code'), /^401: unauthorized: The webtoken is revoked/);
    assert.equal(await page.evaluate(() => document.getElementById('sync-btn').dataset.state), 'auth');
    assert.equal(await page.evaluate(() => window.tagwatch.store.pendingCount()), 1);
    // log in again: the change is pushed
    await page.click('#banner a[href*="login"]');
    await page.waitForURL(/login/);
    await page.fill('#username', ALICE.username);
    await page.fill('#password', ALICE.password);
    await page.click('#login-btn');
    await page.waitForURL(/\/app\/$/);
    await waitForApp(page);
    await waitSynced(page);
    const token = await tokenOf(page);
    assert.equal((await serverRecords(server, token)).get('revokedA').ds, '#kept while revoked');
    await context.close();
  });

  test('the app shell opens offline after the first visit', async () => {
    const { context, page } = await newPage(browser);
    await loginWithPassword(page, server);
    await waitSynced(page);
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 15000 });
    // the worker also keeps what the first visit loaded before it took control
    await eventually(() => page.evaluate(async () => {
      const urls = performance.getEntriesByType('resource').map((e) => e.name)
        .filter((u) => u.startsWith(location.href.split('#')[0]) && !u.includes('/api/'));
      for (const u of urls) if (!(await caches.match(u))) return false;
      return urls.some((u) => u.endsWith('timeline/draw.js'));
    }), { what: 'every loaded file in the cache' });
    await context.setOffline(true);
    await page.reload();
    await waitForApp(page);
    const n = await page.evaluate(() => window.tagwatch.store.records.all().length);
    assert.ok(n > 100, 'records come from IndexedDB');
    await page.waitForSelector('.tl-canvas', { timeout: 10000 }); // the timeline works offline
    await context.setOffline(false);
    await context.close();
  });

  test('logout warns about unsynced changes, then removes the local data', async () => {
    const { context, page } = await newPage(browser);
    await loginWithPassword(page, server);
    await waitSynced(page);
    await context.setOffline(true);
    await page.evaluate(() => window.tagwatch.store.put('records', [{ key: 'unsentAA', t1: 1767440000, t2: 1767443600, ds: 'unsent' }]));
    await page.goto(server.pageUrl('logout')).catch(() => {});
    await context.setOffline(false);
    await page.goto(server.pageUrl('logout'));
    await page.waitForSelector('#confirm:not([hidden])');
    assert.match(await page.textContent('#msg'), /1 change has not reached the server/);
    await page.click('#logout-anyway');
    await page.waitForSelector('#done:not([hidden])');
    assert.equal(await page.evaluate(() => localStorage.getItem('timetagger_auth_info')), '');
    const dbs = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    assert.ok(!dbs.includes('tagwatch:alice'));
    await context.close();
  });
});
