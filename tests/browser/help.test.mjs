// Browser test of the help as a person reads it: `?` lists every key by name (never
// "[object HTMLElement]"), says how the timeline is moved and how a record is made by drag;
// `i` opens the guide; both come from the menu too. Screenshots in build/artifacts/.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, launch, startFixtureServer, newPage, localLogin, artifact } from './browser-lib.mjs';

const skip = skipReason();

/** The rows of a table in the open dialog as [first cell, second cell] texts. */
const rowsOf = (page, label) => page.$$eval(`dialog[open] table[aria-label="${label}"] tr`,
  (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));

describe('help and guide', { skip: skip || false, timeout: 300000 }, () => {
  let server, browser;
  before(async () => { server = await startFixtureServer(); browser = await launch(); });
  after(async () => { if (browser) await browser.close(); if (server) await server.stop(); });

  test('? lists each key by its name, and the gestures', async () => {
    const { context, page } = await newPage(browser);
    await localLogin(page, server);
    await page.keyboard.press('?');
    await page.waitForSelector('dialog[open] table.keys');
    const text = await page.textContent('dialog[open]');
    assert.ok(!text.includes('[object'), 'no object printed in place of a key');
    const keys = new Map((await rowsOf(page, 'Keys')).map(([k, label]) => [k, label]));
    assert.equal(keys.get('w m q y'), 'This week, month, quarter, year');
    assert.equal(keys.get('s'), 'Start: type the description of a new timer');
    assert.equal(keys.get('Shift+S'), 'Resume the running or last record');
    assert.equal(keys.get('↑ PageUp'), 'Earlier');
    assert.equal(keys.get('t'), 'Jump to a date or range');
    assert.equal(keys.get('i'), 'Guide');
    assert.equal(keys.get('r'), 'Report', 'the overview\'s keys are listed too');
    for (const k of keys.keys()) assert.match(k, /^\S+( \S+)*$/, `a key cell reads "${k}"`);
    const gestures = new Map(await rowsOf(page, 'Gestures'));
    assert.match(gestures.get('Drag the timeline'), /^Move through time/);
    assert.equal(gestures.get('Shift+drag, or press and hold then drag'), 'Create a record on the empty timeline');
    await page.screenshot({ path: artifact('dialog-help-desktop-light.png') });
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('i opens the guide; the menu has the guide and the shortcuts', async () => {
    const { context, page } = await newPage(browser, { width: 360, height: 740, isMobile: true, dark: true });
    await localLogin(page, server);
    await page.keyboard.press('i');
    await page.waitForSelector('dialog[open] .guide');
    const heads = await page.$$eval('dialog[open] .guide h3', (hs) => hs.map((x) => x.textContent));
    assert.deepEqual(heads, ['Track time', 'Look back', 'Change and undo', 'Everywhere, also offline']);
    assert.match(await page.textContent('dialog[open]'), /press t\) to jump to a date/);
    await page.screenshot({ path: artifact('dialog-guide-phone-dark.png') });
    // from the guide to the shortcuts
    await page.click('dialog[open] button:text-is("Keyboard shortcuts")');
    await page.waitForSelector('dialog[open] table[aria-label="Keys"]');
    assert.equal(await page.locator('dialog[open]').count(), 1, 'the guide closed');
    await page.screenshot({ path: artifact('dialog-help-phone-dark.png') });
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    await page.click('#menu-btn');
    await page.click('#menu [data-action="guide"]');
    await page.waitForSelector('dialog[open] .guide');
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 360), true);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
