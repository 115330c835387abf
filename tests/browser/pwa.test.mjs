// Browser tests of the installable app: the manifest and icons, the service worker that keeps
// the shell for offline use, the notice when a new version is deployed, and no request to any
// other site. Runs on a copy of www/ so the test can "deploy" a change.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { skipReason, launch, startFixtureServer, newPage, loginWithPassword, waitForApp, waitSynced, closeDialog, tmpDir, apiTokenOfAlice } from './browser-lib.mjs';
import { ROOT, request } from '../lib/harness.mjs';

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

  test('the web server compresses the client and the API JSON, and has browsers revalidate the client', async () => {
    const gz = { 'accept-encoding': 'gzip' };
    for (const f of ['app/', 'app/main.js', 'app/app.css', 'app/manifest.json', 'app/icons/icon.svg', 'app/sw.js', 'login']) {
      const a = await request(server.pageUrl(f), { headers: gz });
      assert.equal(a.status, 200, f);
      const file = f === 'app/' ? 'app/index.html' : f === 'login' ? 'login.html' : f;
      const want = fs.readFileSync(path.join(root, 'www', file), 'utf8');
      // gzip_min_length 1000: a smaller file (the manifest) is not worth compressing
      const big = Buffer.byteLength(want) >= 1000;
      assert.equal(a.headers['content-encoding'], big ? 'gzip' : undefined, `${f} compressed when over 1000 bytes`);
      if (big) assert.match(a.headers.vary || '', /accept-encoding/i, `${f} Vary`);
      assert.equal(a.headers['cache-control'], 'no-cache', `${f} revalidated at each load`);
      assert.match(a.headers['content-security-policy'] || '', /default-src 'self'/, `${f} keeps the security headers`);
      assert.equal(a.headers['x-content-type-options'], 'nosniff', f);
      assert.equal(big ? zlib.gunzipSync(a.body).toString('utf8') : a.text, want, f);
      // unchanged since: the revalidation is a cheap 304
      const b = await request(server.pageUrl(f), { headers: { ...gz, 'if-none-match': a.headers.etag || '' } });
      if (a.headers.etag) assert.equal(b.status, 304, `${f} revalidates to 304`);
    }
    // without Accept-Encoding: the plain file
    const plain = await request(server.pageUrl('app/main.js'));
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.text, fs.readFileSync(path.join(root, 'www/app/main.js'), 'utf8'));
    // the API's JSON (the fixture's records are well over gzip_min_length)
    const token = await apiTokenOfAlice(server);
    const u = `${server.baseUrl}${server.prefix}api/v2/records?timerange=0-9999999999`;
    const r = await request(u, { headers: { ...gz, authtoken: token } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-encoding'], 'gzip', 'API JSON compressed');
    const body = JSON.parse(zlib.gunzipSync(r.body).toString('utf8'));
    assert.ok(body.records.length > 0);
    assert.notEqual(r.headers['cache-control'], 'no-cache', 'the API keeps its own caching headers');
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
      await closeDialog(page);
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

  test('on a first visit the list and the record dialog open offline soon after the start, before any service worker', async () => {
    const { context, page } = await newPage(browser, { serviceWorkers: 'block' });
    await loginWithPassword(page, server);
    await waitSynced(page);
    // they load after the first sync by themselves (no click or key on the page)
    await page.waitForFunction(() => window.tagwatch.app.prefetched === true, null, { timeout: 20000 });
    assert.equal(await page.evaluate(() => !!navigator.serviceWorker.controller), false, 'no service worker serves them');
    await context.setOffline(true);
    await page.click('#show-list');
    await page.waitForSelector('#list li');
    assert.doesNotMatch(await page.textContent('#list'), /could not be loaded/);
    await page.click('#add-btn');
    await page.waitForSelector('dialog[open] #rd-ds');
    assert.match(await page.textContent('dialog[open] h2'), /record/i);
    await closeDialog(page);
    await context.setOffline(false);
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('a timer starts offline though the suggestion list never loaded (no service worker)', async () => {
    const { context, page } = await newPage(browser, { serviceWorkers: 'block' });
    await loginWithPassword(page, server);
    await waitSynced(page);
    // The data folder's user has a timer running: stopped first (through the store: a click
    // would fetch what loads soon, the suggestion list among it), so the field shows. Then
    // offline at once, before the page fetches anything more by itself.
    await page.evaluate(() => {
      const { store } = window.tagwatch;
      return store.put('records', store.records.running().map((r) => ({ ...r, t2: r.t1 + 60 })));
    });
    await page.waitForSelector('#start-input', { state: 'visible' });
    await context.setOffline(true);
    await page.fill('#start-input', 'on the train #offline');
    await page.press('#start-input', 'Enter');
    await page.waitForSelector('#running:not([hidden])');
    assert.match(await page.textContent('#running'), /on the train/);
    await page.click('#stop-btn');
    await page.waitForSelector('#running', { state: 'hidden' });
    await context.setOffline(false);
    await waitSynced(page);
    await context.close();
  });

  test('after install the insight pages open offline, though never opened online', async () => {
    const { context, page } = await newPage(browser);
    await loginWithPassword(page, server);
    await waitSynced(page);
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 15000 }).catch(async () => {
      await page.reload();
      await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 15000 });
    });
    // the pages load with import() on first use: not part of what the app page fetched
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((u) => u.includes('/insight/')));
    assert.ok(loaded.some((u) => u.endsWith('/insight/overview.js')), 'the Overview is loaded at start');
    assert.ok(!loaded.some((u) => /reports-ui|io-ui|search-ui|targets-ui|reminders-ui/.test(u)), `no page module at start: ${loaded}`);
    // offline, and the page modules gone from the server too: they can come only from the cache
    const pages = ['reports-ui.js', 'io-ui.js', 'import/index.js', 'csv.js', 'chart.js'];
    const dir = path.join(root, 'www/app/insight');
    for (const f of pages) fs.renameSync(path.join(dir, f), path.join(dir, f + '.away'));
    try {
      await context.setOffline(true);
      await page.reload();
      await waitForApp(page);
      await page.click('#menu-btn');
      await page.click('#insight-reports');
      await page.waitForSelector('dialog.iv-page[open] .iv-summary', { timeout: 15000 });
      await page.keyboard.press('Escape');
      await page.waitForSelector('dialog.iv-page', { state: 'detached' });
      await page.click('#menu-btn');
      await page.click('#insight-io');
      await page.waitForSelector('dialog.iv-page[open] textarea', { timeout: 15000 });
      assert.deepEqual(page.errors, []);
    } finally {
      for (const f of pages) fs.renameSync(path.join(dir, f + '.away'), path.join(dir, f));
      await context.close();
    }
  });
});
