// Browser test of import and export: paste a Toggl export, see the analysis line by line,
// import it in batches and find the records on the server through the API; importing it
// again changes nothing; the JSON export downloads every record and reads back unchanged.
// Also search with a bulk tag change that reaches the server.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { appFixture, skipReason, openPage, waitSynced, localTime, putRecords, waitForRecords, artifact } from './insight-lib.mjs';

const skip = skipReason() || false;
let server, token, client, browser, page;
const fixture = (name) => fs.readFileSync(new URL('../web/insight/fixtures/' + name, import.meta.url), 'utf8');

appFixture(skip, (s) => ({ server, token, client, browser, page } = s));

async function serverRecords() {
  const res = await client.get('records?timerange=0-9999999999');
  assert.equal(res.status, 200);
  return res.json.records;
}

test('import a Toggl CSV: analysis, batched import, records on the server; again: nothing changes', { skip }, async () => {
  await openPage(page, 'insight-io');
  const dlg = page.locator('dialog.iv-page');
  await dlg.locator('textarea').fill(fixture('toggl.csv'));
  await dlg.getByRole('button', { name: 'Analyse' }).click();
  const summary = dlg.locator('.iv-import-summary');
  assert.match(await summary.innerText(), /Toggl Track CSV · 5 lines: 3 to create, 0 to update, 2 skipped/);
  const log = await dlg.locator('.iv-logtable tbody tr').allInnerTexts();
  assert.equal(log.length, 5);
  assert.match(log[3], /5\s+skip\s+cannot read the start/);
  assert.match(log[4], /6\s+skip\s+duplicate of line 3/);

  await dlg.getByRole('button', { name: 'Import 3 changes' }).click();
  await page.waitForFunction(() => /Synced with the server/.test(document.querySelector('dialog.iv-page .iv-box progress + span')?.textContent || ''), null, { timeout: 30000 });
  assert.equal(await dlg.locator('progress').evaluate((p) => p.value / p.max), 1);

  const recs = await serverRecords();
  const t1 = await localTime(page, 2024, 3, 4, 9);
  const t2 = await localTime(page, 2024, 3, 4, 10, 30);
  const first = recs.find((r) => r.ds === '#acme-corp #website-redesign #design #review Homepage mockups, v2');
  assert.ok(first, JSON.stringify(recs));
  assert.equal(first.t1, t1);
  assert.equal(first.t2, t2);
  assert.equal(recs.length, 3);

  // the same file again: everything skipped, nothing to import
  await dlg.locator('textarea').fill(fixture('toggl.csv'));
  await dlg.getByRole('button', { name: 'Analyse' }).click();
  assert.match(await summary.innerText(), /0 to create, 0 to update, 5 skipped/);
  assert.equal(await dlg.getByRole('button', { name: 'Nothing to import' }).isDisabled(), true);

  // JSON export, then its analysis: all unchanged
  const [download] = await Promise.all([page.waitForEvent('download'), dlg.getByRole('button', { name: 'Records as JSON (backup)' }).click()]);
  const json = fs.readFileSync(await download.path(), 'utf8');
  fs.writeFileSync(artifact('insight-export.json'), json);
  const parsed = JSON.parse(json);
  assert.equal(parsed.format, 'tagwatch-records');
  assert.deepEqual(parsed.records.map((r) => r.ds).sort(), recs.map((r) => r.ds).sort());
  await dlg.locator('textarea').fill(json);
  await dlg.getByRole('button', { name: 'Analyse' }).click();
  assert.match(await summary.innerText(), /tagwatch records JSON · 3 lines: 0 to create, 0 to update, 3 skipped/);
  assert.deepEqual(page.errors, []);
  await page.keyboard.press('Escape');
});

test('search with a bulk tag change that reaches the server', { skip }, async () => {
  const T = (h) => localTime(page, 2024, 5, 6, h);
  await putRecords(client, [
    { key: 'insSrc01', t1: await T(9), t2: await T(10), ds: '#searchme alpha report' },
    { key: 'insSrc02', t1: await T(11), t2: await T(12), ds: '#searchme beta report' },
    { key: 'insSrc03', t1: await T(13), t2: await T(14), ds: '#searchme #skip gamma report' },
  ]);
  await waitForRecords(page, ['insSrc01', 'insSrc02', 'insSrc03']);
  await openPage(page, 'insight-search');
  const dlg = page.locator('dialog.iv-page');
  await dlg.locator('input[type=search]').fill('#searchme !#skip report');
  await dlg.locator('input[type=search]').press('Enter');
  assert.equal(await dlg.locator('.iv-found').innerText(), 'Found 2 records');
  const keys = await dlg.locator('.iv-result').evaluateAll((els) => els.map((e) => e.dataset.key));
  assert.deepEqual(keys, ['insSrc02', 'insSrc01'], 'newest first');
  await dlg.getByLabel('Select all results').check();
  await dlg.locator('.iv-bulktag').fill('#billed');
  await dlg.getByRole('button', { name: 'Add tag' }).click();
  await page.locator('.toast', { hasText: 'Changed 2 records' }).waitFor();
  await waitSynced(page);
  const recs = await serverRecords();
  const byKey = Object.fromEntries(recs.map((r) => [r.key, r.ds]));
  assert.equal(byKey.insSrc01, '#searchme alpha report #billed');
  assert.equal(byKey.insSrc02, '#searchme beta report #billed');
  assert.equal(byKey.insSrc03, '#searchme #skip gamma report');

  // a description opens the record's edit dialog on top; the date jumps the timeline to that day
  await dlg.locator('.iv-result[data-key="insSrc01"] .iv-desc').click();
  await page.waitForFunction(() => document.querySelectorAll('dialog[open]').length === 2);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelectorAll('dialog[open]').length === 1);
  await dlg.locator('.iv-result[data-key="insSrc01"] .iv-date').click();
  await page.waitForFunction(() => !document.querySelector('dialog.iv-page'));
  const range = await page.evaluate(() => window.tagwatch.app.getRange());
  assert.deepEqual(range, [await localTime(page, 2024, 5, 6), await localTime(page, 2024, 5, 7)]);
  assert.deepEqual(page.errors, []);
});
