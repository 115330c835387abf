// Browser test of the Overview panel: time per tag combination in the visible range, the
// running record counted live, drill-down by selecting a tag (the timeline gets the selection
// to fade other records), excluding a tag, and Backspace to clear.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appFixture, skipReason, putRecords, waitForRecords, artifact } from './insight-lib.mjs';

const skip = skipReason() || false;
let server, token, client, browser, page;

appFixture(skip, (s) => ({ server, token, client, browser, page } = s));

const combos = () => page.locator('#insight-root .iv-combo').evaluateAll((els) => els.map((e) => [e.querySelector('.iv-tags').innerText.replace(/[⊘\s]+/g, ' ').trim(), e.querySelector('.iv-dur').innerText]));

test('overview: combos, live running time, select, exclude, clear', { skip }, async () => {
  const day = await page.evaluate(() => { const d = new Date(); d.setHours(0, 0, 0, 0); return d.getTime() / 1000; });
  const now = Math.floor(Date.now() / 1000);
  // three finished records yesterday and a timer running for 10 minutes
  await putRecords(client, [
    { key: 'insOvw01', t1: day - 86400 + 9 * 3600, t2: day - 86400 + 11 * 3600, ds: '#ovclient #dev build' },
    { key: 'insOvw02', t1: day - 86400 + 11 * 3600, t2: day - 86400 + 12 * 3600, ds: '#ovclient #meeting sync' },
    { key: 'insOvw03', t1: day - 86400 + 13 * 3600, t2: day - 86400 + 13.5 * 3600, ds: '#ovother admin' },
    { key: 'insOvw04', t1: now - 600, t2: now - 600, ds: '#ovclient #dev live' },
  ]);
  await waitForRecords(page, ['insOvw01', 'insOvw04']);
  // yesterday and today: a range of two days that holds everything
  await page.evaluate((a) => window.tagwatch.app.setRange(a, a + 2 * 86400), day - 86400);
  await page.waitForFunction(() => document.querySelectorAll('#insight-root .iv-combo').length === 3);
  const rows = await combos();
  assert.deepEqual(rows.map((r) => r[0]), ['#ovclient #dev', '#ovclient #meeting', '#ovother']);
  assert.match(rows[0][1], /^2h1\dm\d\ds$/, 'the running record adds its ticking seconds');
  assert.equal(rows[1][1], '1h00m');
  const total1 = await page.locator('#insight-root .iv-ov-total strong').innerText();
  await page.waitForFunction((t) => document.querySelector('#insight-root .iv-ov-total strong').innerText !== t, total1, { timeout: 5000 });

  // select #ovclient: its combos lose the tag, the total is the selection's
  await page.locator('#insight-root .iv-tag', { hasText: 'ovclient' }).first().click();
  await page.waitForFunction(() => document.querySelectorAll('#insight-root .iv-chip.selected').length === 1);
  assert.deepEqual((await combos()).map((r) => r[0]), ['#dev', '#meeting']);
  assert.deepEqual(await page.evaluate(() => window.tagwatch.app.insight.selectedTags()), ['#ovclient']);
  assert.match(await page.locator('#insight-root .iv-ov-total').innerText(), /Selected\s+3h1\dm\d\ds\s+of\s+3h4\dm\d\ds/);
  await page.screenshot({ path: artifact('insight-overview-drill.png') });

  // exclude #meeting
  await page.locator('#insight-root .iv-ex[aria-label="Exclude #meeting"]').click();
  await page.waitForFunction(() => document.querySelectorAll('#insight-root .iv-chip.excluded').length === 1);
  assert.deepEqual((await combos()).map((r) => r[0]), ['#dev']);
  assert.deepEqual(await page.evaluate(() => window.tagwatch.app.insight.excludedTags()), ['#meeting']);

  // Backspace clears the selection (TimeTagger's key)
  await page.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur());
  await page.keyboard.press('Backspace');
  await page.waitForFunction(() => document.querySelectorAll('#insight-root .iv-combo').length === 3);
  assert.deepEqual(await page.evaluate(() => window.tagwatch.app.insight.selectedTags()), []);
  assert.deepEqual(page.errors, []);
});

test('reminders: a timer running longer than the set hours is announced after a reload', { skip }, async () => {
  await page.context().grantPermissions(['notifications']);
  const now = Math.floor(Date.now() / 1000);
  await putRecords(client, [{ key: 'insRem01', t1: now - 3700, t2: now - 3700, ds: '#remind forgotten timer' }]);
  await waitForRecords(page, ['insRem01']);
  await page.click('#menu-btn');
  await page.click('#insight-reminders');
  const dlg = page.locator('dialog[aria-label="Reminders"]');
  await dlg.locator('input[type=checkbox]').first().check();
  await dlg.locator('input.iv-hours').first().fill('1');
  await dlg.getByRole('button', { name: 'Save' }).click();
  const saved = await page.evaluate(() => window.tagwatch.store.local.get('tagwatch_reminders', null));
  assert.equal(saved.longRunningOn, true);
  assert.equal(saved.longRunningHours, 1);
  // a second tab of the same browser profile (a reload could be held up by the app's
  // "changes waiting" question): the loop checks a few seconds after the app starts
  const second = await page.context().newPage();
  const errors = [];
  second.on('pageerror', (e) => errors.push(e.message));
  await second.goto(page.url());
  await second.waitForFunction(() => window.tagwatch && window.tagwatch.app && window.tagwatch.app.insight, null, { timeout: 20000 });
  const toast = second.locator('.toast', { hasText: /Timer running for 1h0\dm/ });
  await toast.waitFor({ timeout: 15000 });
  assert.match(await toast.innerText(), /#remind forgotten timer/);
  await second.close();
  assert.deepEqual(errors, []);
  assert.deepEqual(page.errors, []);
});
