// Browser test of the Reports page against the real server: records written through the API
// appear in a report with the chosen range, tag filter, grouping, format and rates; the CSV
// download has TimeTagger's columns and our amounts; print to PDF contains the totals.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import {
  skipReason, launch, startLocal, openApp, putRecords, putSettings, waitForRecords, waitForSetting, openPage, localTime, artifact,
} from './insight-lib.mjs';

const skip = skipReason() || false;
let server, token, client, browser, page, context;

before(async () => {
  if (skip) return;
  ({ server, token, client } = await startLocal());
  browser = await launch();
  ({ context, page } = await openApp(browser, server, token));
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

const hasPdftotext = () => { try { execFileSync('pdftotext', ['-v'], { stdio: 'ignore' }); return true; } catch { return false; } };

test('report: table, CSV download with amounts, and print to PDF with the totals', { skip }, async () => {
  const T = (d, h, mi = 0) => localTime(page, 2024, 3, d, h, mi);
  await putRecords(client, [
    { key: 'insRep01', t1: await T(4, 9), t2: await T(4, 10, 30), ds: '#insclient #dev build the "export", part 1' },
    { key: 'insRep02', t1: await T(4, 13), t2: await T(4, 14), ds: '#insclient #meeting kickoff' },
    { key: 'insRep03', t1: await T(5, 9), t2: await T(5, 11, 15), ds: '#insclient #dev part 2' },
    { key: 'insRep04', t1: await T(5, 12), t2: await T(5, 13), ds: '#other lunch talk' },
    { key: 'insRep05', t1: await T(6, 9), t2: await T(6, 10), ds: 'HIDDEN #insclient #dev deleted' },
  ]);
  await putSettings(client, [{ key: 'tagwatch_rates', value: { '#insclient': 80, '#insclient #meeting': 60 } }, { key: 'tagwatch_currency', value: 'EUR' }]);
  await waitForRecords(page, ['insRep01', 'insRep02', 'insRep03', 'insRep04']);
  await waitForSetting(page, 'tagwatch_rates');

  await openPage(page, 'insight-reports');
  const dlg = page.locator('dialog.iv-page');
  await dlg.waitFor();
  await dlg.locator('select[name=preset]').selectOption('custom');
  await dlg.locator('input[name=from]').fill('2024-03-04');
  await dlg.locator('input[name=to]').fill('2024-03-10');
  await dlg.locator('input[name=to]').dispatchEvent('change');
  await dlg.locator('input[name=tags]').fill('#insclient');
  await dlg.locator('select[name=grouping]').selectOption('tagz');
  await dlg.locator('select[name=format]').selectOption('h2');
  const amounts = dlg.locator('input[name=amounts]');
  if (!(await amounts.isChecked())) await amounts.check();

  // 1:30 + 2:15 dev = 3.75 h x 80 = 300.00; 1:00 meeting x 60 = 60.00
  await page.waitForFunction(() => document.querySelector('.iv-total-text')?.textContent === '4.75');
  const rows = await dlg.locator('.iv-table tbody tr').allInnerTexts();
  assert.equal(rows.length, 1 + 2 + 3, rows.join('\n'));
  assert.match(rows[0], /4\.75\s+Total\s+€360\.00/);
  assert.match(rows[1], /3\.75\s+#dev\s+€300\.00/);
  assert.match(rows[4], /1\.00\s+#meeting\s+€60\.00/);

  const [download] = await Promise.all([page.waitForEvent('download'), dlg.getByRole('button', { name: 'Download CSV' }).click()]);
  assert.equal(download.suggestedFilename(), 'tagwatch-20240304-20240310.csv');
  const csv = fs.readFileSync(await download.path(), 'utf8');
  fs.copyFileSync(await download.path(), artifact('insight-report.csv'));
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'subtotals,tag_groups,duration,date,start,stop,description,user,tags,amount');
  assert.equal(lines[1], '');
  assert.equal(lines[2], '4.75,Total,,,,,,,,360.00');
  assert.equal(lines[4], '3.75,#dev,,,,,,,,300.00');
  assert.equal(lines[5], ',,1.50,04-03-2024,09:00,10:30,"#insclient #dev build the ""export"", part 1",defaultuser,#dev #insclient,120.00');
  assert.equal(lines[6], ',,2.25,05-03-2024,09:00,11:15,"#insclient #dev part 2",defaultuser,#dev #insclient,180.00');
  assert.equal(lines[8], '1.00,#meeting,,,,,,,,60.00');
  assert.equal(lines.length, 11, 'ends with CRLF');
  assert.doesNotMatch(csv, /deleted|lunch/);

  // copy for spreadsheets: tab-separated rows on the clipboard
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await dlg.getByRole('button', { name: 'Copy table' }).click();
  await dlg.getByRole('button', { name: 'Copied' }).waitFor();
  const tsv = (await page.evaluate(() => navigator.clipboard.readText())).split('\r\n');
  assert.equal(tsv[0], 'duration\ttitle\tdate\tstart\tstop\tdescription\tamount');
  assert.equal(tsv[1], '4.75\tTotal\t\t\t\t\t360.00');
  assert.equal(tsv[2], '3.75\t#dev\t\t\t\t\t300.00');
  assert.equal(tsv[3], '1.50\t\t04-03-2024\t09:00\t10:30\t#insclient #dev build the "export", part 1\t120.00');

  // the browser's own print dialog would block page.pdf(): count the call instead, and print
  // the page to PDF the way the dialog's "Save as PDF" does
  await page.evaluate(() => { window.print = () => { window.printCalls = (window.printCalls || 0) + 1; }; });
  await dlg.getByRole('button', { name: 'Print / PDF' }).click();
  await page.waitForSelector('#insight-print .iv-table', { state: 'attached' });
  await page.waitForFunction(() => window.printCalls === 1);
  const pdfPath = artifact('insight-report.pdf');
  await page.pdf({ path: pdfPath, format: 'A4' });
  const pdf = fs.readFileSync(pdfPath);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  if (hasPdftotext()) {
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    assert.match(text, /Time record report/);
    assert.match(text, /Total:\s+4\.75 · €360\.00/);
    assert.match(text, /3\.75\s+#dev\s+€300\.00/);
    assert.match(text, /1\.00\s+#meeting\s+€60\.00/);
    assert.doesNotMatch(text, /Download CSV/, 'only the report is printed, not the app');
  } else {
    await page.emulateMedia({ media: 'print' });
    const printed = await page.locator('#insight-print').innerText();
    await page.emulateMedia({ media: 'screen' });
    assert.match(printed, /Total:\s+4\.75 · €360\.00/);
  }
  assert.deepEqual(page.errors, []);
});

test('a long report paginates, numbers its pages and never splits a group across pages', { skip: skip || (!hasPdftotext() && 'pdftotext (poppler-utils) is not installed') }, async () => {
  const start = await localTime(page, 2023, 3, 1);
  const recs = [];
  const names = ['#pgacme #dev a long description that needs more than one line in the printed table, really', '#pgacme #meeting standup', '#pgbeta review', '#pggamma #x', '#pgdelta'];
  for (let i = 0; i < 75; i++) recs.push({ key: 'insPag' + String(i).padStart(3, '0'), t1: start + i * 5 * 3600, t2: start + i * 5 * 3600 + 3600 + (i % 7) * 600, ds: `${names[i % 5]} ${i}` });
  await putRecords(client, recs);
  await waitForRecords(page, ['insPag000', 'insPag074']);
  await page.keyboard.press('Escape');
  await openPage(page, 'insight-reports');
  const dlg = page.locator('dialog.iv-page');
  await dlg.locator('select[name=preset]').selectOption('custom');
  await dlg.locator('input[name=from]').fill('2023-03-01');
  await dlg.locator('input[name=to]').fill('2023-03-31');
  await dlg.locator('input[name=to]').dispatchEvent('change');
  await dlg.locator('input[name=tags]').fill('');
  await dlg.locator('input[name=tags]').dispatchEvent('input');
  await dlg.locator('select[name=grouping]').selectOption('tagz');
  await dlg.locator('select[name=format]').selectOption('hm');
  await page.evaluate(() => { window.print = () => {}; });
  await dlg.getByRole('button', { name: 'Print / PDF' }).click();
  await page.waitForSelector('#insight-print .iv-table', { state: 'attached' });
  const pdfPath = artifact('insight-report-long.pdf');
  await page.pdf({ path: pdfPath, format: 'A4' });
  const info = execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
  assert.ok(pages >= 3, `${pages} pages`);
  let groupsSeen = 0;
  for (let p = 1; p <= pages; p++) {
    const text = execFileSync('pdftotext', ['-layout', '-f', String(p), '-l', String(p), pdfPath, '-'], { encoding: 'utf8' });
    assert.match(text, new RegExp(`\\b${p}/${pages}\\b`), `page number on page ${p}`);
    const data = text.split('\n').filter((l) => /^\s*\d+:\d\d\s+(#|\d\d-\d\d-\d{4}|Total)/.test(l));
    if (p > 1 && data.length) assert.match(data[0], /^\s*\d+:\d\d\s+#/, `page ${p} starts with a group, not in the middle of one:\n${data[0]}`);
    groupsSeen += data.filter((l) => /^\s*\d+:\d\d\s+#/.test(l)).length;
  }
  assert.equal(groupsSeen, 5);
  assert.deepEqual(page.errors, []);
});
