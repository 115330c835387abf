// Browser tests of the app's controls: keyboard shortcuts and the help listing them, names for
// screen readers, the record dialog's overlap warning, split and duplicate, the tag list's
// rename, settings applied at once, and the narrow (360 px) layout.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, launch, startFixtureServer, newPage, localLogin, waitSynced, tokenOf, serverRecords } from './browser-lib.mjs';

const skip = skipReason();

/** Controls without an accessible name (roughly the accname rules that matter here). */
function unnamedControls(page) {
  return page.evaluate(() => {
    const bad = [];
    for (const el of document.querySelectorAll('button, input, select, textarea, a[href]')) {
      if (el.closest('[hidden]') || el.type === 'hidden') continue;
      const name = (el.getAttribute('aria-label') || '').trim() || (el.labels && [...el.labels].map((l) => l.textContent).join('').trim()) ||
        (el.tagName !== 'INPUT' && el.tagName !== 'SELECT' && el.textContent.trim()) || (el.getAttribute('title') || '').trim() ||
        (el.getAttribute('aria-labelledby') && document.getElementById(el.getAttribute('aria-labelledby'))?.textContent.trim());
      if (!name) bad.push(el.outerHTML.slice(0, 120));
    }
    return bad;
  });
}

describe('app controls in chromium', { skip: skip || false, timeout: 300000 }, () => {
  let server, browser;
  before(async () => { server = await startFixtureServer(); browser = await launch(); });
  after(async () => { if (browser) await browser.close(); if (server) await server.stop(); });

  test('keyboard: start, stop, periods, steps, help', async () => {
    const { context, page } = await newPage(browser);
    await localLogin(page, server);
    await page.keyboard.press('s');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'start-input');
    await page.keyboard.type('#kbd typing');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#running:not([hidden])');
    await page.keyboard.press('x');
    await page.waitForSelector('#start-form:not([hidden])');
    for (const [key, re] of [['w', /^Week \d+/], ['m', /^[A-Z][a-z]+ \d{4}$/], ['q', /^Q\d \d{4}$/], ['y', /^\d{4}$/], ['d', /^[A-Z][a-z]{2} \d+ [A-Z][a-z]{2} \d{4}$/]]) {
      await page.keyboard.press(key);
      await page.waitForFunction((src) => new RegExp(src).test(document.getElementById('range-label').textContent), re.source);
    }
    const day = await page.textContent('#range-label');
    await page.keyboard.press('ArrowUp');
    await page.waitForFunction((d) => document.getElementById('range-label').textContent !== d, day);
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction((d) => document.getElementById('range-label').textContent === d, day);
    await page.keyboard.press('?');
    await page.waitForSelector('dialog[open] table.keys');
    const help = await page.textContent('dialog[open]');
    for (const words of ['Start', 'Stop the running timer', 'Today', 'Zoom in']) assert.ok(help.includes(words), words);
    // Escape closes the dialog and focus returns to the page
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    assert.deepEqual(await unnamedControls(page), []);
    // the browser's Back closes a dialog instead of leaving the app
    await page.keyboard.press('?');
    await page.waitForSelector('dialog[open] table.keys');
    await page.goBack();
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    assert.match(page.url(), /\/app\/$/);
    await context.close();
  });

  test('record dialog: overlap warning, split, duplicate', async () => {
    const { context, page } = await newPage(browser);
    await localLogin(page, server);
    const base = 1767690000; // 2026-01-06 ~10:00 in Amsterdam
    await page.evaluate((b) => window.tagwatch.store.put('records', [
      { key: 'ovA00001', t1: b, t2: b + 3600, ds: '#first block' },
      { key: 'ovB00001', t1: b + 1800, t2: b + 5400, ds: '#second block' },
    ]), base);
    await page.goto(server.appUrl + '#date=2026-01-06');
    await page.waitForFunction(() => /6 Jan 2026/.test(document.getElementById('range-label').textContent));
    await page.click('#show-list');
    await page.click('#list .rec[data-key="ovB00001"]');
    await page.waitForSelector('dialog[open] .warnings .warn');
    assert.match(await page.textContent('dialog[open] .warnings'), /Overlaps/);
    await page.click('dialog[open] .warnings button'); // "Start after it"
    await page.waitForFunction(() => !document.querySelector('dialog[open] .warnings .warn'));
    assert.deepEqual(await unnamedControls(page), []);
    await page.click('#rd-save');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    const b = await page.evaluate(() => window.tagwatch.store.records.get('ovB00001'));
    assert.equal(b.t1, base + 3600);
    // split the first one in the middle
    await page.click('#list .rec[data-key="ovA00001"]');
    await page.click('#rd-split');
    await page.fill('[aria-label="Split at time"]', await page.evaluate((t) => {
      const d = new Date(t * 1000); return `${d.getHours()}:${String(d.getMinutes()).padStart(2, '0')}`;
    }, base + 1200));
    await page.click('#rd-split-do');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    const firsts = await page.evaluate(() => window.tagwatch.store.records.all().filter((r) => r.ds === '#first block').map((r) => [r.t1, r.t2]).sort());
    assert.deepEqual(firsts, [[base, base + 1200], [base + 1200, base + 3600]]);
    // duplicate opens the copy, placed right after
    await page.click('#list .rec[data-key="ovB00001"]');
    await page.click('#rd-duplicate');
    await page.waitForSelector('dialog[open] #rd-ds');
    await page.click('#rd-save');
    const copies = await page.evaluate(() => window.tagwatch.store.records.all().filter((r) => r.ds === '#second block').length);
    assert.equal(copies, 2);
    await waitSynced(page);
    await context.close();
  });

  test('tags: rename across records, colour in the synced taginfo', async () => {
    const { context, page } = await newPage(browser);
    await localLogin(page, server);
    await page.evaluate(() => window.tagwatch.store.put('records', [
      { key: 'tagRen01', t1: 1767800000, t2: 1767801000, ds: '#oldname one' },
      { key: 'tagRen02', t1: 1767802000, t2: 1767803000, ds: 'two #oldname #keep' },
    ]));
    await page.keyboard.press('g');
    await page.waitForSelector('dialog[open] .tag-table');
    await page.fill('dialog[open] input[type="search"]', 'oldname');
    await page.click('dialog[open] button[aria-label="Colour of #oldname"]');
    await page.click('dialog[open] .palette button >> nth=3');
    await page.waitForFunction(() => !!window.tagwatch.store.settings.get('taginfo #oldname', null));
    await page.click('dialog[open] button:text-is("Rename")');
    await page.fill('dialog[open] input[aria-label="New tag name(s)"]', 'newname');
    await page.click('dialog[open] button:text-is("Prepare renaming")');
    await page.click('dialog[open] button:has-text("Confirm replacing in 2 records")');
    await page.waitForSelector('.toast');
    const ds = await page.evaluate(() => ['tagRen01', 'tagRen02'].map((k) => window.tagwatch.store.records.get(k).ds));
    assert.deepEqual(ds, ['#newname one', 'two #newname #keep']);
    const info = await page.evaluate(() => window.tagwatch.store.settings.get('taginfo #newname'));
    assert.match(info.color, /^#[0-9a-f]{6}$/);
    await waitSynced(page);
    const recs = await serverRecords(server, await tokenOf(page));
    assert.equal(recs.get('tagRen02').ds, 'two #newname #keep');
    await context.close();
  });

  test('settings apply at once: dark mode and week start', async () => {
    const { context, page } = await newPage(browser);
    await localLogin(page, server);
    await page.keyboard.press(',');
    await page.waitForSelector('dialog[open] #set-darkmode');
    await page.selectOption('#set-darkmode', '2');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(22, 24, 28)');
    await page.selectOption('#set-first_day_of_week', '0');
    // stored in IndexedDB first, then in use
    await page.waitForFunction(() => window.tagwatch.store.settings.get('first_day_of_week') === 0);
    await page.keyboard.press('Escape');
    await page.keyboard.press('w');
    await page.waitForFunction(() => /^Week/.test(document.getElementById('range-label').textContent));
    const startsSunday = await page.evaluate(() => new Date(window.tagwatch.app.getRange()[0] * 1000).getDay());
    assert.equal(startsSunday, 0);
    await waitSynced(page);
    await context.close();
  });

  test('phone layout: one panel at a time, nothing wider than 360 px', async () => {
    const { context, page } = await newPage(browser, { width: 360, height: 740, isMobile: true });
    await localLogin(page, server);
    assert.equal(await page.isVisible('.tabs'), true);
    assert.equal(await page.isVisible('#overview-pane'), false);
    await page.click('.tabs [data-tab="overview"]');
    assert.equal(await page.isVisible('#overview-pane'), true);
    assert.equal(await page.isVisible('#records-pane'), false);
    await page.click('.tabs [data-tab="list"]');
    assert.equal(await page.isVisible('#list-host'), true);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 360), true);
    await context.close();
  });
});
