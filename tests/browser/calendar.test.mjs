// What a person sees of the calendar in zones where it is easy to get wrong: in Santiago
// (America/Santiago), where 11 Sep 2022 has no midnight, the month view is titled "September
// 2022", lists a record from the first hour of 1 September, and the year view counts it in
// September; in Amsterdam with the day starting at 09:00, on 28 Mar 2021 (clocks went forward
// at 02:00) "today" at 09:00 is that Sunday. The page runs in the zone (Playwright's
// timezoneId) and, for the second, at that moment (a fixed clock).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, launch, startFixtureServer, newPage, waitForApp, localLogin, waitSynced } from './browser-lib.mjs';

const skip = skipReason();

const rangeTitle = (page) => page.textContent('#range-label');
const waitTitle = (page, want) => page.waitForFunction((w) => document.getElementById('range-label').textContent === w, want);

describe('the calendar in time zones, in chromium', { skip: skip || false, timeout: 300000 }, () => {
  let server, browser;
  before(async () => { server = await startFixtureServer(); browser = await launch(); });
  after(async () => { if (browser) await browser.close(); if (server) await server.stop(); });

  test('America/Santiago, September 2022: the month starts at midnight of the 1st in the title, the list and the year view', async () => {
    const { context, page } = await newPage(browser, { timezoneId: 'America/Santiago' });
    await localLogin(page, server);
    // 1 Sep 2022 00:10-00:50 (UTC-4) and 11 Sep 2022 10:00-11:00 (UTC-3, the day without a midnight)
    const early = Date.UTC(2022, 8, 1, 4, 10) / 1000;
    const dstDay = Date.UTC(2022, 8, 11, 13) / 1000;
    await page.evaluate(([a, b]) => window.tagwatch.store.put('records', [
      { key: 'santEarl', t1: a, t2: a + 2400, ds: '#early first hour of September' },
      { key: 'santDst1', t1: b, t2: b + 3600, ds: '#dst day without a midnight' },
    ]), [early, dstDay]);
    await page.goto(server.appUrl + '#date=2022-09-11');
    await waitTitle(page, 'Sun 11 Sep 2022');
    // out to the week, then to the month
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => /^Week \d+/.test(document.getElementById('range-label').textContent));
    await page.keyboard.press('ArrowLeft');
    await waitTitle(page, 'September 2022');
    assert.equal(await rangeTitle(page), 'September 2022');
    await page.waitForFunction(() => window.tagwatch.app.tl.settled());
    assert.match(await page.getAttribute('.tl-canvas', 'aria-label'), /^Timeline: September 2022, /);
    // the list of the month begins with the first hour of 1 September
    await page.click('#show-list');
    await page.waitForSelector('#list .rec');
    const list = await page.textContent('#list');
    assert.match(list, /Thu 1 Sep 2022/);
    assert.match(list, /#early first hour of September/);
    assert.match(list, /Sun 11 Sep 2022/);
    assert.equal(await page.textContent('#range-total'), '2 records · 1h40m');
    // the year: September holds both records, August none
    await page.click('#show-timeline');
    const seen = [];
    for (let i = 0; i < 5 && (await rangeTitle(page)) !== '2022'; i++) { // 7 weeks, a quarter, the year
      const before = await rangeTitle(page);
      await page.keyboard.press('ArrowLeft');
      await page.waitForFunction((b) => document.getElementById('range-label').textContent !== b, before);
      seen.push(await rangeTitle(page));
    }
    assert.equal(seen.at(-1), '2022', seen.join(' > '));
    await page.waitForFunction(() => window.tagwatch.app.tl.settled() && /Sep: /.test(document.querySelector('.tl-sr').textContent));
    const blocks = await page.$$eval('.tl-sr button', (bs) => bs.map((b) => b.textContent));
    assert.ok(blocks.includes('Sep: 1h40m tracked. Zoom in'), blocks.join(' | '));
    assert.ok(blocks.includes('Aug: nothing tracked. Zoom in'), blocks.join(' | '));
    assert.deepEqual(page.errors, []);
    await waitSynced(page);
    await context.close();
  });

  test('Europe/Amsterdam, Sunday 28 Mar 2021 09:00 with the day starting at 09:00: today is that Sunday', async () => {
    const { context, page } = await newPage(browser, { timezoneId: 'Europe/Amsterdam' });
    await localLogin(page, server);
    const sunday = Date.UTC(2021, 2, 28, 7, 30) / 1000; // 09:30 CEST
    const saturday = Date.UTC(2021, 2, 27, 10) / 1000; // 11:00 CET, the day before
    await page.evaluate(async ([a, b]) => {
      await window.tagwatch.store.settings.set('today_snap_offset', '9h');
      await window.tagwatch.store.put('records', [
        { key: 'amsSun01', t1: a, t2: a + 1800, ds: '#sunday after the clocks moved' },
        { key: 'amsSat01', t1: b, t2: b + 1800, ds: '#saturday before' },
      ]);
    }, [sunday, saturday]);
    await waitSynced(page);
    // the same app, opened at 09:00 that Sunday
    await page.clock.setFixedTime(new Date(Date.UTC(2021, 2, 28, 7, 0)));
    await page.reload();
    await waitForApp(page);
    await waitTitle(page, 'Sun 28 Mar 09:00 – Mon 29 Mar 09:00 2021');
    await page.click('#show-list');
    await page.waitForSelector('#list .rec');
    const list = await page.textContent('#list');
    assert.match(list, /#sunday after the clocks moved/);
    assert.doesNotMatch(list, /#saturday before/);
    // one minute earlier it is still Saturday's day
    await page.clock.setFixedTime(new Date(Date.UTC(2021, 2, 28, 6, 59)));
    await page.reload();
    await waitForApp(page);
    await waitTitle(page, 'Sat 27 Mar 09:00 – Sun 28 Mar 09:00 2021');
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
