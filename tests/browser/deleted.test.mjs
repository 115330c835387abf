// Browser test of "Recently deleted" as a person uses it: the menu leads there, the list
// shows deleted records with the one deleted last on top (records deleted on another device
// earlier below it), Restore puts one back on the timeline and on the server, and the
// record dialog opened from the list can restore too. Screenshots in build/artifacts/.
process.env.TZ = 'Europe/Amsterdam';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, launch, startFixtureServer, newPage, localLogin, waitSynced, tokenOf, serverRecords, eventually, api, artifact } from './browser-lib.mjs';

const skip = skipReason();
const base = new Date(2026, 1, 3).getTime() / 1000; // Tue 3 Feb 2026 00:00
const rowTexts = (page) => page.$$eval('dialog[open] .deleted-row .ds', (els) => els.map((e) => e.textContent));

describe('recently deleted', { skip: skip || false, timeout: 300000 }, () => {
  let server, browser;
  before(async () => { server = await startFixtureServer(); browser = await launch(); });
  after(async () => { if (browser) await browser.close(); if (server) await server.stop(); });

  test('delete, find it in Recently deleted (newest first), restore it (synced)', async () => {
    const { context, page } = await newPage(browser);
    await localLogin(page, server);
    const now = Math.floor(Date.now() / 1000);
    // two records another device deleted two and three days ago, and one to delete here
    const res = await api(server, await tokenOf(page)).put('records', [
      { key: 'delOld01', t1: base + 8 * 3600, t2: base + 9 * 3600, ds: 'HIDDEN Old report #delx', mt: now - 3 * 86400, st: 0 },
      { key: 'delOld02', t1: base + 10 * 3600, t2: base + 11 * 3600, ds: 'HIDDEN Older notes #delx', mt: now - 2 * 86400, st: 0 },
      { key: 'delNew01', t1: base + 13 * 3600, t2: base + 14.5 * 3600, ds: 'Budget review #delx', mt: now - 60, st: 0 },
    ]);
    assert.equal(res.status, 200, res.text);
    await page.evaluate(() => window.tagwatch.app.sync.syncNow());
    await page.waitForFunction(() => !!window.tagwatch.store.records.get('delNew01'));
    await page.goto(server.appUrl + '#date=2026-02-03');
    await page.waitForFunction(() => /3 Feb 2026/.test(document.getElementById('range-label').textContent));
    await page.click('#show-list');
    await page.click('#list .rec[data-key="delNew01"]');
    await page.click('#rd-delete');
    await page.waitForSelector('#list .rec[data-key="delNew01"]', { state: 'detached' });

    await page.click('#menu-btn');
    await page.click('#menu button:text-is("Recently deleted")');
    await page.waitForSelector('dialog[open] .deleted-row');
    const rows = (await rowTexts(page)).filter((t) => t.includes('#delx'));
    assert.deepEqual(rows, ['Budget review #delx', 'Older notes #delx', 'Old report #delx'], 'the latest deletion first');
    assert.match(await page.textContent('dialog[open] .deleted-row[data-key="delNew01"] .hint'), /^Tue 3 Feb 2026, 13:00 – 14:30 \(1h30m\) · deleted today$/);
    assert.match(await page.textContent('#deleted-count'), /deleted records?, the most recently deleted first\.$/);
    await page.fill('#deleted-filter', 'older');
    await page.waitForFunction(() => document.querySelectorAll('dialog[open] .deleted-row').length === 1);
    assert.deepEqual(await rowTexts(page), ['Older notes #delx']);
    await page.fill('#deleted-filter', '#delx');
    await page.waitForFunction(() => document.querySelectorAll('dialog[open] .deleted-row').length === 3);
    await page.screenshot({ path: artifact('dialog-deleted-desktop-light.png') });

    // Restore: gone from the list, back in the day's records, and on the server without HIDDEN
    await page.click('dialog[open] .deleted-row[data-key="delNew01"] button:text-is("Restore")');
    await page.waitForSelector('dialog[open] .deleted-row[data-key="delNew01"]', { state: 'detached' });
    assert.match(await page.textContent('.toast:has-text("Restored:")'), /^Restored: Budget review #delx \(Tue 3 Feb 2026\)\.Show$/);
    // the record dialog opened from the list restores as well
    await page.click('dialog[open] .deleted-row[data-key="delOld02"] .ds');
    await page.waitForSelector('dialog[open] #rd-ds');
    assert.equal(await page.textContent('dialog[open] h2 >> nth=-1'), 'Deleted record');
    await page.click('dialog[open] button:text-is("Restore") >> nth=-1');
    await page.waitForSelector('dialog[open] .deleted-row[data-key="delOld02"]', { state: 'detached' });
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    await page.waitForSelector('#list .rec[data-key="delNew01"]');
    await page.waitForSelector('#list .rec[data-key="delOld02"]');
    await waitSynced(page);
    const recs = await eventually(async () => {
      const m = await serverRecords(server, await tokenOf(page));
      return m.get('delNew01').ds === 'Budget review #delx' && m.get('delOld02').ds === 'Older notes #delx' && m;
    }, { what: 'the restores on the server' });
    assert.equal(recs.get('delOld01').ds, 'HIDDEN Old report #delx', 'the other stays deleted');
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('phone, dark: the view fits the screen', async () => {
    const { context, page } = await newPage(browser, { width: 360, height: 740, isMobile: true, dark: true });
    await localLogin(page, server);
    await page.waitForFunction(() => window.tagwatch.store.records.get('delOld01'));
    await page.click('#menu-btn');
    await page.click('#menu button:text-is("Recently deleted")');
    await page.waitForSelector('dialog[open] .deleted-row[data-key="delOld01"]');
    assert.equal(await page.evaluate(() => document.querySelector('dialog[open]').scrollWidth <= 360), true);
    await page.screenshot({ path: artifact('dialog-deleted-phone-dark.png') });
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
