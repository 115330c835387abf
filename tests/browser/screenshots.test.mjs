// Screenshots of the app and its pages at phone (360x740) and desktop (1280x800) sizes, light
// and dark, kept in build/artifacts/ for people to look at. The test also checks what a
// screenshot cannot: nothing overflows the phone's width, and no script error happened.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, launch, startFixtureServer, newPage, loginWithPassword, waitSynced, artifact, steady, closeDialog } from './browser-lib.mjs';

const skip = skipReason();
const SIZES = [['phone', 360, 740, true], ['desktop', 1280, 800, false]];

describe('screenshots', { skip: skip || false, timeout: 300000 }, () => {
  let server, browser;
  before(async () => { server = await startFixtureServer(); browser = await launch(); });
  after(async () => { if (browser) await browser.close(); if (server) await server.stop(); });

  for (const [size, width, height, isMobile] of SIZES) {
    for (const theme of ['light', 'dark']) {
      test(`${size} ${theme}`, async () => {
        const { context, page } = await newPage(browser, { width, height, dark: theme === 'dark', isMobile });
        const shot = async (name) => page.screenshot({ path: artifact(`${name}-${size}-${theme}.png`) });
        await page.goto(server.pageUrl('login'));
        await shot('login');
        await loginWithPassword(page, server);
        await waitSynced(page);
        // a day with records, and a running timer
        await page.goto(server.appUrl + '#date=2026-03-10');
        await page.waitForFunction(() => /10 Mar 2026/.test(document.getElementById('range-label').textContent));
        await steady(page);
        await shot('app-day');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
        assert.equal(overflow, false, 'nothing wider than the screen');
        await page.keyboard.press('w');
        await steady(page);
        await shot('app-week');
        if (isMobile) {
          await page.click('.tabs [data-tab="list"]');
        } else {
          await page.click('#show-list');
        }
        await page.keyboard.press('d');
        await steady(page);
        await page.goto(server.appUrl + '#date=2026-03-10');
        await page.waitForFunction(() => /10 Mar 2026/.test(document.getElementById('range-label').textContent));
        await page.waitForSelector('#list .rec');
        await steady(page);
        await shot('app-list');
        await page.click('#list .rec >> nth=1');
        await page.waitForSelector('dialog[open] #rd-ds');
        await steady(page);
        await shot('dialog-record');
        await page.keyboard.press('Escape');
        await page.click('#menu-btn');
        await page.waitForSelector('#menu[open]');
        await steady(page);
        await shot('menu');
        await page.click('#menu [data-action="tags"]');
        await page.waitForSelector('dialog[open] .tag-table');
        await steady(page);
        await shot('dialog-tags');
        await page.keyboard.press('Escape');
        await page.click('#menu-btn');
        await page.click('#menu [data-action="settings"]');
        await page.waitForSelector('dialog[open] #set-presets');
        await steady(page);
        await shot('dialog-settings');
        await closeDialog(page);
        // the sync status, with what happened and the server's words under Details
        await page.click('#sync-btn');
        await page.waitForSelector('dialog[open] #sync-message, dialog[open] .dlg-body p');
        await steady(page);
        await shot('dialog-sync');
        await closeDialog(page);
        await waitSynced(page);
        await page.goto(server.pageUrl('account'));
        await page.waitForSelector('#signed-in:not([hidden])');
        await shot('account');
        assert.deepEqual(page.errors, []);
        const tabs = await page.evaluate(() => history.length);
        assert.ok(tabs < 20, 'dialogs do not pile up history entries');
        await context.close();
      });
    }
  }
});
