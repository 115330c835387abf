// Browser test of targets: set a weekly target on the Targets page, see it stored in
// `taginfo <tags>` on the server exactly as TimeTagger stores it, its progress for the current
// week on the page, and the same target in the Overview when the tag is selected.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appFixture, skipReason, putRecords, waitForRecords, openPage, waitSynced, artifact } from './insight-lib.mjs';

const skip = skipReason() || false;
let server, token, client, browser, page;

appFixture(skip, (s) => ({ server, token, client, browser, page } = s));

test('set a target, see its progress on the Targets page and in the Overview', { skip }, async (t) => {
  // 2 h of #instarget this week: the week containing "now" (the records end an hour ago,
  // and start today or at the week's first instant, whichever is later)
  const weekStart = await page.evaluate(() => {
    const d = new Date(); d.setHours(0, 0, 0, 0);
    d.setDate(d.getDate() - ((d.getDay() - 1 + 7) % 7)); // Monday: the default first day of week
    return d.getTime() / 1000;
  });
  const now = Math.floor(Date.now() / 1000);
  if (now - weekStart < 3 * 3600) { t.skip('within the first 3 hours of the week: no room for 2 h of records'); return; }
  const end = now - 3600;
  await putRecords(client, [
    { key: 'insTgt01', t1: end - 7200, t2: end - 3600, ds: '#instarget first hour' },
    { key: 'insTgt02', t1: end - 3600, t2: end, ds: '#instarget #extra second hour' },
    { key: 'insTgt03', t1: weekStart - 7200, t2: weekStart - 3600, ds: '#instarget last week' },
  ]);
  await waitForRecords(page, ['insTgt01', 'insTgt02', 'insTgt03']);

  await openPage(page, 'insight-targets');
  const dlg = page.locator('dialog.iv-page');
  await dlg.locator('form.iv-row input').fill('#instarget');
  await dlg.getByRole('button', { name: 'Add target' }).click();
  const editor = page.locator('dialog[aria-label="Target"]');
  await editor.locator('input.iv-hours').fill('10');
  await editor.locator('select').selectOption('week');
  await editor.getByRole('button', { name: 'Save' }).click();

  const row = dlg.locator('li.iv-target[data-tagz="#instarget"]');
  await row.waitFor();
  assert.match(await row.innerText(), /20%/);
  assert.match(await row.innerText(), /2h00m done · left: 8h00m/);
  assert.equal(await row.locator('[role=progressbar]').getAttribute('aria-valuenow'), '20');
  await page.screenshot({ path: artifact('insight-targets.png') });

  await waitSynced(page);
  const res = await client.get('settings');
  const info = res.json.settings.find((s) => s.key === 'taginfo #instarget');
  assert.deepEqual(info.value.targets, { week: 10 });

  // the Overview, this week, with #instarget selected, shows the same progress
  await page.keyboard.press('Escape');
  await page.keyboard.press('w');
  const tag = page.locator('#insight-root .iv-combo .iv-tag', { hasText: 'instarget' }).first();
  await tag.click();
  await page.waitForFunction(() => /week target at 20%/.test(document.querySelector('#insight-root .iv-ov-target')?.textContent || ''));
  assert.match(await page.locator('#insight-root .iv-ov-target').innerText(), /left: 8h00m/);
  const selected = await page.evaluate(() => window.tagwatch.app.insight.selectedTags());
  assert.deepEqual(selected, ['#instarget']);
  assert.deepEqual(page.errors, []);
});
