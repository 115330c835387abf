// Browser tests of the sync's harder cases: a server force-reset, pushes split into batches
// under 100 KiB, the server going away and coming back (error state, backoff, recovery).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  skipReason, launch, startFixtureServer, newPage, loginWithPassword, waitSynced, tokenOf, serverRecords, eventually, api,
} from './browser-lib.mjs';

const skip = skipReason();

describe('sync in chromium', { skip: skip || false, timeout: 300000 }, () => {
  let server, browser;
  before(async () => { server = await startFixtureServer(); browser = await launch(); });
  after(async () => { if (browser) await browser.close(); if (server) await server.stop(); });

  test('a server reset replaces the local copy and later edits still sync', async () => {
    const { context, page } = await newPage(browser);
    await loginWithPassword(page, server);
    await waitSynced(page);
    const token = await tokenOf(page);
    const before = await page.evaluate(() => window.tagwatch.store.records.all({ hidden: true }).length);
    // a record that only this browser has (never pushed: the page is offline)
    await context.setOffline(true);
    await page.evaluate(() => window.tagwatch.store.put('records', [{ key: 'preReset', t1: 1767500000, t2: 1767503600, ds: 'made before the reset' }]));
    // the reset time must be later than this edit's mt (whole seconds): wait for the next second
    const mt = await page.evaluate(() => window.tagwatch.store.records.get('preReset').mt);
    await page.waitForFunction((m) => Date.now() / 1000 >= m + 1.05, mt);
    const res = await api(server, token).put('forcereset', '');
    assert.equal(res.status, 200);
    await context.setOffline(false);
    await page.evaluate(() => window.tagwatch.app.sync.syncNow());
    // the push of the pre-reset edit fails (mt < reset time) and the pull says reset
    await eventually(() => page.evaluate(() => !window.tagwatch.store.records.get('preReset')), { what: 'the stale edit dropped' });
    await waitSynced(page);
    assert.equal(await page.evaluate(() => window.tagwatch.store.records.all({ hidden: true }).length), before);
    // an edit after the reset goes through
    await page.evaluate(() => window.tagwatch.store.put('records', [{ key: 'postRset', t1: 1767600000, t2: 1767603600, ds: 'made after the reset' }]));
    await waitSynced(page);
    assert.equal((await serverRecords(server, token)).get('postRset').ds, 'made after the reset');
    assert.equal((await serverRecords(server, token)).has('preReset'), false);
    await context.close();
  });

  test('pushes go in batches under 100 KiB', async () => {
    const { context, page } = await newPage(browser);
    await loginWithPassword(page, server);
    await waitSynced(page);
    const sizes = [];
    page.on('request', (req) => { if (req.method() === 'PUT' && req.url().endsWith('/api/v2/records')) sizes.push(Buffer.byteLength(req.postData() || '')); });
    const n = 3000;
    await page.evaluate(async (count) => {
      const s = window.tagwatch.store;
      const items = [];
      for (let i = 0; i < count; i++) items.push({ key: 'bat' + String(i).padStart(5, '0'), t1: 1760000000 + i * 3600, t2: 1760000000 + i * 3600 + 1800, ds: `#batch item ${i} with a longer description to make it weigh – é ü 😀` });
      await s.put('records', items);
    }, n);
    await waitSynced(page, 60000);
    assert.ok(sizes.length >= 3, `${sizes.length} PUTs`);
    for (const sz of sizes) assert.ok(sz < 100 * 1024, `a PUT of ${sz} bytes`);
    const recs = await serverRecords(server, await tokenOf(page));
    assert.equal([...recs.keys()].filter((k) => k.startsWith('bat')).length, n);
    await context.close();
  });

  test('the server going away: error state, retries, recovery', async () => {
    const { context, page } = await newPage(browser);
    await loginWithPassword(page, server);
    await waitSynced(page);
    const token = await tokenOf(page);
    await server.stopProgram();
    try {
      await page.evaluate(() => window.tagwatch.store.put('records', [{ key: 'downTime', t1: 1767700000, t2: 1767703600, ds: 'while the server was down' }]));
      await page.waitForFunction(() => window.tagwatch.store.status.state === 'error', null, { timeout: 15000 });
      // the indicator explains on click
      await page.click('#sync-btn');
      await page.waitForSelector('#sync-message');
      // what happened and what to do; the proxy's error page only under Details, as text
      assert.match(await page.innerText('#sync-message'), /^The server had a problem \(error 502\)\. tagwatch tries again by itself/);
      await page.click('dialog[open] details summary');
      const detail = await page.innerText('dialog[open] details code');
      assert.match(detail, /^502: .*Bad Gateway/i);
      assert.doesNotMatch(detail, /</);
      await page.keyboard.press('Escape');
    } finally {
      await server.restartProgram();
    }
    await waitSynced(page, 30000); // backoff: 2 s, 4 s, 8 s ... so it is back within seconds
    assert.equal((await serverRecords(server, token)).get('downTime').ds, 'while the server was down');
    await context.close();
  });
});
