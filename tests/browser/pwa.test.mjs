// Browser tests of the installable app: the manifest and icons, the service worker that keeps
// the shell for offline use, the notice when a new version is deployed, and no request to any
// other site. Runs on a copy of www/ so the test can "deploy" a change.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { skipReason, launch, startFixtureServer, newPage, loginWithPassword, waitForApp, waitSynced, tmpDir } from './browser-lib.mjs';
import { ROOT } from '../lib/harness.mjs';

const skip = skipReason();

describe('installable app', { skip: skip || false, timeout: 300000 }, () => {
  let server, browser, root;
  before(async () => {
    root = tmpDir('www-copy-');
    fs.cpSync(path.join(ROOT, 'www'), path.join(root, 'www'), { recursive: true });
    for (const f of ['nginx.conf.example']) if (fs.existsSync(path.join(ROOT, f))) fs.copyFileSync(path.join(ROOT, f), path.join(root, f));
    server = await startFixtureServer({ root });
    browser = await launch();
  });
  after(async () => { if (browser) await browser.close(); if (server) await server.stop(); });

  test('manifest and icons are served and valid', async () => {
    const { context, page } = await newPage(browser);
    const res = await page.goto(server.appUrl + 'manifest.json');
    const manifest = await res.json();
    assert.equal(manifest.display, 'standalone');
    assert.equal(manifest.start_url, './');
    for (const icon of manifest.icons) {
      const r = await page.goto(new URL(icon.src, server.appUrl).href);
      assert.equal(r.status(), 200, icon.src);
      if (icon.type === 'image/png') {
        const buf = await r.body();
        assert.equal(buf.readUInt32BE(16), Number(icon.sizes.split('x')[0]), `${icon.src} width`);
      }
    }
    await context.close();
  });

  test('no request leaves the site; a deployed change is announced', async () => {
    const { context, page } = await newPage(browser);
    const foreign = [];
    context.on('request', (req) => { if (!req.url().startsWith(server.baseUrl) && !req.url().startsWith('data:') && !req.url().startsWith('blob:')) foreign.push(req.url()); });
    await loginWithPassword(page, server);
    await waitSynced(page);
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 15000 }).catch(async () => {
      await page.reload();
      await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 15000 });
    });
    await waitForApp(page);
    // open every dialog once, so their modules load too
    for (const key of ['?', 'g', ',']) {
      await page.keyboard.press(key);
      await page.waitForSelector('dialog[open]');
      await page.keyboard.press('Escape');
      await page.waitForSelector('dialog[open]', { state: 'detached' });
    }
    // "deploy" a new version of one file
    fs.appendFileSync(path.join(root, 'www/app/app.css'), '\n/* new version */\n');
    await page.reload();
    await waitForApp(page);
    await page.waitForSelector('#banner:not([hidden]) button:text-is("Reload")', { timeout: 15000 });
    assert.match(await page.textContent('#banner'), /new version/);
    await page.click('#banner button:text-is("Reload")');
    await waitForApp(page);
    const css = await page.evaluate(async () => (await (await fetch('app.css')).text()).includes('/* new version */'));
    assert.ok(css, 'the new file is served after the reload');
    assert.deepEqual(foreign, []);
    await context.close();
  });
});
