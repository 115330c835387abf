// Browser test of "Jump to" (t, or a click on the range title): the named ranges, one day,
// and days of one's own, read from the range title a person sees. The expected titles are
// worked out here from the calendar (Europe/Amsterdam, as the browser context).
process.env.TZ = 'Europe/Amsterdam';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, launch, startFixtureServer, newPage, localLogin, artifact } from './browser-lib.mjs';

const skip = skipReason();
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const title = (page) => page.textContent('#range-label');
const waitTitle = (page, want) => page.waitForFunction((w) => document.getElementById('range-label').textContent === w, want, { timeout: 5000 })
  .catch(async () => assert.equal(await title(page), want));
const epoch = (y, m, d) => new Date(y, m, d).getTime() / 1000;

async function openJump(page, how) {
  if (how === 'click') await page.click('#range-label');
  else await page.keyboard.press('t');
  await page.waitForSelector('dialog[open].jump-dialog');
}

describe('jump to a date or range', { skip: skip || false, timeout: 300000 }, () => {
  let server, browser;
  before(async () => { server = await startFixtureServer(); browser = await launch(); });
  after(async () => { if (browser) await browser.close(); if (server) await server.stop(); });

  test('the named ranges: last month, yesterday, this week by key', async () => {
    const { context, page } = await newPage(browser);
    await localLogin(page, server);
    await openJump(page, 'key');
    const names = await page.$$eval('dialog[open] [data-preset] span', (s) => s.map((x) => x.textContent));
    assert.deepEqual(names, ['Today', 'Yesterday', 'This week', 'Last week', 'This month', 'Last month',
      'This quarter', 'Last quarter', 'This year', 'Last year']);
    await page.screenshot({ path: artifact('dialog-jump-desktop-light.png') });
    await page.click('dialog[open] [data-preset="lastmonth"]');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    const now = new Date();
    const last = new Date(now.getFullYear(), now.getMonth() - 1, 15);
    await waitTitle(page, `${MONTHS[last.getMonth()]} ${last.getFullYear()}`);
    assert.deepEqual(await page.evaluate(() => window.tagwatch.app.getRange()),
      [epoch(last.getFullYear(), last.getMonth(), 1), epoch(now.getFullYear(), now.getMonth(), 1)]);

    await openJump(page, 'click');
    await page.click('dialog[open] [data-preset="yesterday"]');
    const y = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1, 12);
    const wd = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][y.getDay()];
    await waitTitle(page, `${wd} ${y.getDate()} ${MONTHS[y.getMonth()].slice(0, 3)} ${y.getFullYear()}`);

    // the period keys work inside the dialog as on the main screen
    await openJump(page, 'key');
    await page.keyboard.press('q');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    await waitTitle(page, `Q${Math.floor(now.getMonth() / 3) + 1} ${now.getFullYear()}`);
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('one day, and days of one\'s own with both ends included', async () => {
    const { context, page } = await newPage(browser, { width: 360, height: 740, isMobile: true });
    await localLogin(page, server);
    await openJump(page, 'click');
    await page.fill('#jump-date', '2024-02-29');
    await page.click('#jump-date-go');
    await waitTitle(page, 'Thu 29 Feb 2024');
    assert.deepEqual(await page.evaluate(() => window.tagwatch.app.getRange()), [epoch(2024, 1, 29), epoch(2024, 2, 1)]);

    // across the spring DST change (31 March 2024): 27 Feb .. 2 Apr, given backwards
    await openJump(page, 'click');
    assert.equal(await page.inputValue('#jump-from'), '2024-02-29', 'starts from the range shown');
    await page.fill('#jump-from', '2024-04-02');
    await page.fill('#jump-to', '2024-02-27');
    await page.screenshot({ path: artifact('dialog-jump-phone-light.png') });
    await page.click('#jump-range-go');
    await waitTitle(page, '27 Feb – 2 Apr 2024');
    assert.deepEqual(await page.evaluate(() => window.tagwatch.app.getRange()), [epoch(2024, 1, 27), epoch(2024, 3, 3)]);

    // a missing date is said, and nothing moves
    await openJump(page, 'click');
    await page.fill('#jump-from', '');
    await page.click('#jump-range-go');
    assert.equal(await page.textContent('#jump-range-msg'), 'Give both dates.');
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    assert.equal(await title(page), '27 Feb – 2 Apr 2024');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 360), true);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
