// Browser tests of share links and teams against the real server: "Share…" on the Reports
// page makes a link; a fresh browser without any login opens it and sees the report (CSV and
// print view too); the account page lists it and revokes it, and the open page says so at
// once. A manager's team report matches each member's own report to the second.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { api, credentials, loginPassword, startServer } from '../lib/harness.mjs';
import { skipReason, launch, openApp, putRecords, putSettings, waitForRecords, openPage, localTime, artifact } from './insight-lib.mjs';

const skip = skipReason() || false;
const users = { sam: 'pw-sam', mia: 'pw-mia', ben: 'pw-ben', cleo: 'pw-cleo' };
const ADMIN = new URL('../../build/tagwatch-admin', import.meta.url).pathname;
let server, browser;
const tokens = {};

before(async () => {
  if (skip) return;
  server = await startServer({ workers: 2, env: { TAGWATCH_CREDENTIALS: credentials(users) } });
  for (const u of Object.keys(users)) tokens[u] = await loginPassword(server, u, users[u]);
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function reportFor(page, from, to, { tags = '', format = 'hms' } = {}) {
  await openPage(page, 'insight-reports');
  const dlg = page.locator('dialog.iv-page');
  await dlg.waitFor();
  await dlg.locator('select[name=preset]').selectOption('custom');
  await dlg.locator('input[name=from]').fill(from);
  await dlg.locator('input[name=to]').fill(to);
  await dlg.locator('input[name=to]').dispatchEvent('change');
  await dlg.locator('select[name=format]').selectOption(format);
  if (tags) await dlg.locator('input[name=tags]').fill(tags);
  return dlg;
}

test('share a report, open it without an account, revoke it: the open page stops and says so', { skip }, async () => {
  const { context, page } = await openApp(browser, server, tokens.sam);
  const T = (d, h, mi = 0) => localTime(page, 2024, 3, d, h, mi);
  await putRecords(api(server, tokens.sam), [
    { key: 'shr1', t1: await T(4, 9), t2: await T(4, 10, 30), ds: '#shareclient design' },
    { key: 'shr2', t1: await T(5, 14), t2: await T(5, 15, 15), ds: '#shareclient #call weekly' },
    { key: 'shr3', t1: await T(5, 16), t2: await T(5, 17), ds: '#private gym' },
    { key: 'shr4', t1: await T(6, 9), t2: await T(6, 10), ds: 'HIDDEN #shareclient deleted' },
  ]);
  await putSettings(api(server, tokens.sam), [{ key: 'taginfo #shareclient', value: { color: '#aa0000' } }]);
  await waitForRecords(page, ['shr1', 'shr2', 'shr3']);
  const dlg = await reportFor(page, '2024-03-01', '2024-03-31', { tags: '#shareclient' });
  await page.waitForFunction(() => document.querySelector('.iv-total-text')?.textContent === '2:45:00');

  await dlg.getByRole('button', { name: 'Share…' }).click();
  const share = page.locator('dialog[aria-label="Share report"]');
  await share.waitFor();
  await share.locator('input[name=title]').fill('Shareclient, March');
  await share.getByRole('button', { name: 'Create link' }).click();
  const url = await share.locator('input.share-url').inputValue();
  assert.match(url, /\/timetagger\/share#ey/);

  // A fresh browser context: no login, no local data.
  const visitor = await browser.newContext({ acceptDownloads: true, serviceWorkers: 'block', timezoneId: 'Europe/Amsterdam', locale: 'en-GB' });
  const view = await visitor.newPage();
  const errors = [];
  view.on('pageerror', (e) => errors.push(e.message));
  await view.goto(url.replace('/share#', '/share?check=300#'));
  await view.waitForSelector('body[data-ready="1"]');
  assert.equal(await view.locator('#share-title').innerText(), 'Shareclient, March');
  assert.match(await view.locator('#share-about').innerText(), /Shared by: sam/);
  await view.locator('select[name=format]').selectOption('hms');
  await view.waitForFunction(() => document.querySelector('.iv-total-text')?.textContent === '2:45:00');
  const text = await view.locator('#share-report').innerText();
  assert.match(text, /design/);
  assert.match(text, /weekly/);
  assert.doesNotMatch(text, /gym|deleted/);
  assert.equal(await view.evaluate(() => localStorage.length), 0, 'the page keeps nothing');

  // CSV and the print view
  const [download] = await Promise.all([view.waitForEvent('download'), view.getByRole('button', { name: 'Download CSV' }).click()]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^subtotals,tag_groups,duration,date,start,stop,description,user,tags/);
  assert.match(csv, /"#shareclient design",sam,#shareclient/);
  await view.evaluate(() => { window.print = () => { window.printCalls = (window.printCalls || 0) + 1; }; });
  await view.getByRole('button', { name: 'Print / PDF' }).click();
  await view.waitForFunction(() => window.printCalls === 1);
  await view.emulateMedia({ media: 'print' });
  const printed = await view.locator('#insight-print').innerText();
  assert.match(printed, /Shareclient, March/);
  assert.match(printed, /Total:\s+2:45:00/);
  const pdfPath = artifact('share-report.pdf');
  await view.pdf({ path: pdfPath, format: 'A4' });
  try {
    assert.match(execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' }), /2:45:00/);
  } catch (err) { if (err.code !== 'ENOENT') throw err; }
  await view.emulateMedia({ media: 'screen' });

  // The owner's account page lists the link; revoking it stops the open page at once.
  const account = await context.newPage();
  await account.goto(server.baseUrl + server.prefix + 'account');
  const item = account.locator('.share-item', { hasText: 'Shareclient, March' });
  await item.waitFor();
  assert.match(await item.innerText(), /#shareclient/);
  account.on('dialog', (d) => d.accept());
  await item.getByRole('button', { name: 'Revoke' }).click();
  await account.waitForSelector('text=Revoked "Shareclient, March"');
  await view.waitForSelector('text=This link was revoked by its owner', { timeout: 15000 });
  assert.equal(await view.locator('.iv-table').count(), 0, 'the report is gone from the open page');
  // opened again: refused, and says so
  const again = await visitor.newPage();
  await again.goto(url);
  await again.waitForSelector('text=This link was revoked by its owner');
  assert.deepEqual(errors, []);
  await visitor.close();
  await context.close();
});

test("a manager's team report matches each member's own report to the second", { skip }, async () => {
  const r = execFileSync(ADMIN, ['--datadir', server.datadir, 'teams', 'add', 'crew', '--manager', 'mia', '--member', 'ben', '--member', 'cleo', '--tag', 'crewwork'], { encoding: 'utf8' });
  assert.match(r, /crew/);
  const totals = {};
  for (const [user, n] of [['ben', 3], ['cleo', 4]]) {
    const { context, page } = await openApp(browser, server, tokens[user]);
    const T = (d, h, mi = 0, s = 0) => localTime(page, 2024, 4, d, h, mi).then((t) => t + s);
    const recs = [];
    for (let i = 0; i < n; i++) recs.push({ key: `${user}${i}`, t1: await T(8 + i, 9, i * 7, i * 13), t2: await T(8 + i, 11, i * 3, 41 - i), ds: `#crewwork task ${i}` });
    recs.push({ key: `${user}p`, t1: await T(9, 18), t2: await T(9, 19, 1, 1), ds: '#private not for the team' });
    await putRecords(api(server, tokens[user]), recs);
    await waitForRecords(page, recs.map((x) => x.key));
    await reportFor(page, '2024-04-01', '2024-04-30', { tags: '#crewwork' });
    await page.waitForFunction(() => /^\d+:\d\d:\d\d$/.test(document.querySelector('.iv-total-text')?.textContent || '') && document.querySelector('.iv-summary').textContent.includes('records'));
    await page.waitForFunction((n) => document.querySelector('.iv-summary').textContent.includes(` in ${n} records`), n);
    totals[user] = await page.locator('.iv-total-text').innerText();
    await context.close();
  }

  const { context, page } = await openApp(browser, server, tokens.mia);
  await page.click('#menu-btn');
  await page.locator('#insight-team').waitFor();
  await page.click('#insight-team');
  const dlg = page.locator('dialog[aria-label="Team report"]');
  await dlg.waitFor();
  await dlg.locator('select[name=preset]').selectOption('custom');
  await dlg.locator('input[name=from]').fill('2024-04-01');
  await dlg.locator('input[name=to]').fill('2024-04-30');
  await dlg.locator('input[name=to]').dispatchEvent('change');
  await dlg.locator('select[name=format]').selectOption('hms');
  await page.waitForFunction(() => document.querySelector('dialog[aria-label="Team report"] .iv-summary')?.textContent.includes(' in 7 records'));
  const groups = await dlg.locator('tr.iv-grouprow').allInnerTexts();
  const byMember = Object.fromEntries(groups.map((g) => g.split('\t').map((s) => s.trim())).map(([dur, name]) => [name, dur]));
  assert.deepEqual(byMember, { ben: totals.ben, cleo: totals.cleo });
  const secs = (t) => t.split(':').reduce((a, x) => a * 60 + Number(x), 0);
  const total = await dlg.locator('.iv-total-text').innerText();
  assert.equal(secs(total), secs(totals.ben) + secs(totals.cleo));
  assert.doesNotMatch(await dlg.locator('.iv-table').innerText(), /not for the team/);
  // CSV: each record with its member in the user column; the print view with the totals
  const [download] = await Promise.all([page.waitForEvent('download'), dlg.getByRole('button', { name: 'Download CSV' }).click()]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  assert.match(csv, /"#crewwork task 0",ben,#crewwork/);
  assert.match(csv, /"#crewwork task 3",cleo,#crewwork/);
  assert.match(csv, new RegExp(`^${totals.ben},ben,`, 'm'), 'the group row of a member with its total');
  await page.evaluate(() => { window.print = () => { window.printCalls = (window.printCalls || 0) + 1; }; });
  await dlg.getByRole('button', { name: 'Print / PDF' }).click();
  await page.waitForFunction(() => window.printCalls === 1);
  await page.emulateMedia({ media: 'print' });
  const printed = await page.locator('#insight-print').innerText();
  assert.match(printed, /Team crew/);
  assert.match(printed, new RegExp(`Total:\\s+${total}`));
  await page.emulateMedia({ media: 'screen' });
  // by member, then tags
  await dlg.locator('select[name=grouping]').selectOption('usertagz');
  await page.waitForFunction(() => [...document.querySelectorAll('dialog[aria-label="Team report"] tr.iv-grouprow')].some((r) => r.textContent.includes('ben / #crewwork')));

  // a member's account page says who can see which time; a member has no team report
  const ben = await openApp(browser, server, tokens.ben);
  const account = await ben.context.newPage();
  await account.goto(server.baseUrl + server.prefix + 'account');
  await account.waitForSelector('text=Team crew: mia (manager) can see your records with #crewwork.');
  await ben.page.click('#menu-btn');
  await ben.page.locator('#insight-reports').waitFor();
  assert.equal(await ben.page.locator('#insight-team').count(), 0);
  await ben.context.close();
  await context.close();
});

test('an open link that expires stops and says so; opened again it says so at once', { skip }, async () => {
  const client = api(server, tokens.sam);
  const made = await client.post('shares', { title: 'Short-lived', tags: [], period: 'thisweek', timezone: 'Europe/Amsterdam', expires: Math.ceil(Date.now() / 1000) + 3 });
  assert.equal(made.status, 200, made.text);
  const visitor = await browser.newContext({ serviceWorkers: 'block' });
  const view = await visitor.newPage();
  await view.goto(server.baseUrl + server.prefix + 'share?check=300#' + made.json.token);
  await view.waitForSelector('body[data-ready="1"]');
  assert.match(await view.locator('#share-about').innerText(), /Link valid until/);
  await view.waitForSelector('text=This link has expired', { timeout: 20000 });
  assert.equal(await view.locator('.iv-table').count(), 0);
  const again = await visitor.newPage();
  await again.goto(server.baseUrl + server.prefix + 'share#' + made.json.token);
  await again.waitForSelector('text=This link has expired');
  // a link with a broken token: refused, and said
  await again.goto(server.baseUrl + server.prefix + 'share#not-a-token');
  await again.reload();
  await again.waitForSelector('text=This link is not valid');
  await visitor.close();
});
