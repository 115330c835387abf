// Browser test of a change made offline that loses to a newer one from another device: the
// app says so in words (both versions shown), "Use mine" brings the lost one back on the
// server, "Keep theirs" lets it go, and the notice waits across a reload until the user
// chooses. The other device is the API, as a second client would write. Screenshots in
// build/artifacts/.
process.env.TZ = 'Europe/Amsterdam';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, launch, startFixtureServer, newPage, localLogin, waitForApp, waitSynced, tokenOf, serverRecords, eventually, api, artifact } from './browser-lib.mjs';

const skip = skipReason();
const base = new Date(2026, 1, 3).getTime() / 1000; // Tue 3 Feb 2026 00:00

/** Edit a record's description offline in the record dialog, then let another device write a
 * newer version of it, then come back online. */
async function loseAnEdit(page, context, server, key, mine, theirs) {
  await page.goto(server.appUrl + '#date=2026-02-03');
  await page.waitForFunction(() => /3 Feb 2026/.test(document.getElementById('range-label').textContent));
  await page.click((await page.isVisible('#show-list')) ? '#show-list' : '.tabs [data-tab="list"]');
  // the list (loaded when first shown) is on screen before the connection goes
  await page.waitForSelector(`#list .rec[data-key="${key}"]`);
  await context.setOffline(true);
  await page.click(`#list .rec[data-key="${key}"]`);
  await page.fill('#rd-ds', mine);
  await page.click('#rd-save');
  await page.waitForSelector('dialog[open]', { state: 'detached' });
  const r = await page.evaluate((k) => window.tagwatch.store.records.get(k), key);
  assert.equal(r.st, 0, 'not on the server yet');
  const res = await api(server, await tokenOf(page)).put('records', [{ key, t1: r.t1, t2: r.t2 + 1800, ds: theirs, mt: r.mt + 30, st: 0 }]);
  assert.equal(res.status, 200, res.text);
  await context.setOffline(false);
  await page.evaluate(() => window.tagwatch.app.sync.syncNow());
  await page.waitForSelector('#conflicts:not([hidden])');
}

describe('a change lost to a newer one from another device', { skip: skip || false, timeout: 300000 }, () => {
  let server, browser;
  before(async () => { server = await startFixtureServer(); browser = await launch(); });
  after(async () => { if (browser) await browser.close(); if (server) await server.stop(); });

  test('the app says so; Use mine brings it back everywhere', async () => {
    const { context, page } = await newPage(browser);
    await localLogin(page, server);
    const res = await api(server, await tokenOf(page)).put('records', [
      { key: 'cnfRec01', t1: base + 9 * 3600, t2: base + 10 * 3600, ds: 'Draft #cnf', mt: Math.floor(Date.now() / 1000) - 600, st: 0 }]);
    assert.equal(res.status, 200, res.text);
    await page.evaluate(() => window.tagwatch.app.sync.syncNow());
    await page.waitForFunction(() => !!window.tagwatch.store.records.get('cnfRec01'));
    await loseAnEdit(page, context, server, 'cnfRec01', '#cnf Mine, written offline', '#cnf Theirs, from the phone');
    const notice = await page.textContent('#conflicts');
    assert.match(notice, /^A newer change from another device replaced your change to a record\./);
    assert.match(notice, /Yours: #cnf Mine, written offline · Tue 3 Feb 2026, 09:00 – 10:00/);
    assert.match(notice, /Now: #cnf Theirs, from the phone · Tue 3 Feb 2026, 09:00 – 10:30/);
    // what the list shows is the newer version
    await page.waitForSelector('#list .rec[data-key="cnfRec01"]:has-text("Theirs, from the phone")');
    await page.screenshot({ path: artifact('notice-conflict-desktop-light.png') });
    await page.click('#conflicts button:text-is("Use mine")');
    await page.waitForSelector('#conflicts', { state: 'hidden' });
    await page.waitForSelector('#list .rec[data-key="cnfRec01"]:has-text("Mine, written offline")');
    await waitSynced(page);
    const rec = await eventually(async () => (await serverRecords(server, await tokenOf(page))).get('cnfRec01'), { what: 'the record' });
    assert.equal(rec.ds, '#cnf Mine, written offline');
    assert.equal(rec.t2 - rec.t1, 3600, 'my times too');
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('several losses at once are reviewed one by one', async () => {
    const { context, page } = await newPage(browser);
    await localLogin(page, server);
    const client = api(server, await tokenOf(page));
    const old = Math.floor(Date.now() / 1000) - 600;
    const keys = ['cnfRec03', 'cnfRec04'];
    assert.equal((await client.put('records', keys.map((key, i) => ({ key, t1: base + (16 + i) * 3600, t2: base + (16.5 + i) * 3600, ds: `Task ${i} #cnf`, mt: old, st: 0 })))).status, 200);
    await page.evaluate(() => window.tagwatch.app.sync.syncNow());
    await page.waitForFunction(() => !!window.tagwatch.store.records.get('cnfRec04'));
    await context.setOffline(true);
    for (const key of keys) {
      await page.evaluate((k) => { const r = window.tagwatch.store.records.get(k); return window.tagwatch.store.put('records', [{ ...r, ds: r.ds + ' mine' }]); }, key);
    }
    const mt = await page.evaluate(() => window.tagwatch.store.records.get('cnfRec04').mt);
    assert.equal((await client.put('records', keys.map((key, i) => ({ key, t1: base + (16 + i) * 3600, t2: base + (16.5 + i) * 3600, ds: `Task ${i} #cnf theirs`, mt: mt + 30, st: 0 })))).status, 200);
    await context.setOffline(false);
    await page.evaluate(() => window.tagwatch.app.sync.syncNow());
    await page.waitForSelector('#conflicts:not([hidden])');
    assert.equal(await page.textContent('#conflicts .conflict-what'), 'Newer changes from other devices replaced 2 of your changes.');
    await page.click('#conflicts button:text-is("Review…")');
    await page.waitForSelector('dialog[open] .conflict');
    assert.equal(await page.locator('dialog[open] .conflict').count(), 2);
    await page.screenshot({ path: artifact('dialog-conflicts-desktop-light.png') });
    await page.click('dialog[open] .conflict[data-key="cnfRec03"] button:text-is("Use mine")');
    await page.waitForFunction(() => document.querySelectorAll('dialog[open] .conflict').length === 1);
    await page.click('dialog[open] button:text-is("Keep all theirs")');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    await page.waitForSelector('#conflicts', { state: 'hidden' });
    await waitSynced(page);
    const recs = await serverRecords(server, await tokenOf(page));
    assert.equal(recs.get('cnfRec03').ds, 'Task 0 #cnf mine');
    assert.equal(recs.get('cnfRec04').ds, 'Task 1 #cnf theirs');
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('the notice waits across a reload; Keep theirs lets it go', async () => {
    const { context, page } = await newPage(browser, { width: 360, height: 740, isMobile: true, dark: true });
    await localLogin(page, server);
    const res = await api(server, await tokenOf(page)).put('records', [
      { key: 'cnfRec02', t1: base + 14 * 3600, t2: base + 15 * 3600, ds: 'Call #cnf', mt: Math.floor(Date.now() / 1000) - 600, st: 0 }]);
    assert.equal(res.status, 200, res.text);
    await page.evaluate(() => window.tagwatch.app.sync.syncNow());
    await page.waitForFunction(() => !!window.tagwatch.store.records.get('cnfRec02'));
    await loseAnEdit(page, context, server, 'cnfRec02', '#cnf Call with Ann', '#cnf Call with Bob');
    await page.screenshot({ path: artifact('notice-conflict-phone-dark.png') });
    await page.reload();
    await waitForApp(page);
    await page.waitForSelector('#conflicts:not([hidden])');
    assert.match(await page.textContent('#conflicts'), /Yours: #cnf Call with Ann/);
    await page.click('#conflicts button:text-is("Keep theirs")');
    await page.waitForSelector('#conflicts', { state: 'hidden' });
    await page.reload();
    await waitForApp(page);
    await waitSynced(page);
    assert.equal(await page.isHidden('#conflicts'), true, 'chosen is chosen');
    assert.equal((await serverRecords(server, await tokenOf(page))).get('cnfRec02').ds, '#cnf Call with Bob');
    assert.equal(await page.evaluate(() => window.tagwatch.store.records.get('cnfRec02').ds), '#cnf Call with Bob');
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
