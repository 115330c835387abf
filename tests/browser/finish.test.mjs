// The finish, as a person meets it: the app sends a visitor who is not logged in to the login
// page and back; the login page tries only the logins the server has enabled; errors say what
// happened and what to do, with the server's words under "Details"; list day headers,
// the report's footer and the overview read right; Escape closes the search at once; the tag
// presets are measured as the server measures them; the timeline's labels fit.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  skipReason, launch, startFixtureServer, newPage, waitForApp, localLogin, waitSynced, ALICE, artifact,
} from './browser-lib.mjs';

const skip = skipReason();

/** Requests to the API made by a page, as "METHOD path" (path after api/v2/). */
function recordApiCalls(page) {
  const calls = [];
  page.on('request', (r) => {
    const m = /\/api\/v2\/([^?]*)/.exec(r.url());
    if (m) calls.push(`${r.method()} ${m[1]}`);
  });
  return calls;
}

/** Console errors of a page (a failed request shows there too). */
function consoleErrors(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url || ''}`); });
  return errors;
}

describe('the finish, in chromium', { skip: skip || false, timeout: 300000 }, () => {
  let server, browser, methods;
  before(async () => {
    server = await startFixtureServer();
    browser = await launch();
    const res = await fetch(server.baseUrl + server.prefix + 'api/v2/login_methods');
    methods = res.status === 404 || res.status === 401 ? null : (await res.json()).methods; // 401: asked for a token before it said the path is unknown
  });
  after(async () => { if (browser) await browser.close(); if (server) await server.stop(); });

  test('a visitor who is not logged in goes to the login page and comes back to where they were', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(server.appUrl + '#date=2026-01-13');
    await page.waitForURL(/\/login#page=/);
    assert.equal(await page.textContent('h1'), 'Log in');
    await page.fill('#username', ALICE.username);
    await page.fill('#password', ALICE.password);
    await page.click('#login-btn');
    await page.waitForURL(/\/app\//);
    await waitForApp(page);
    await page.waitForFunction(() => document.getElementById('range-label').textContent === 'Tue 13 Jan 2026');
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('the login page tries only the logins the server has enabled', async () => {
    const { context, page } = await newPage(browser);
    const calls = recordApiCalls(page);
    const errors = consoleErrors(page);
    const listed = page.waitForResponse((r) => r.url().includes('/api/v2/login_methods'));
    await page.goto(server.pageUrl('login'));
    await listed;
    await page.waitForSelector('#login-form:not([hidden]) #username');
    if (methods === null) {
      // a server that cannot say: the form (and on this machine the local login), nothing tried
      assert.deepEqual(calls, ['GET login_methods']);
      assert.equal(await page.isVisible('#local-btn'), true);
      assert.deepEqual(errors.filter((e) => !/login_methods/.test(e)), []);
    } else {
      const silent = calls.filter((c) => c === 'POST bootstrap_authentication').length;
      assert.equal(silent, methods.filter((m) => m === 'webserver' || m === 'proxy').length);
      assert.equal(await page.isVisible('#local-btn'), methods.includes('localhost'));
      assert.deepEqual(errors, []);
    }
    // a wrong password is said plainly; the server's words are under Details
    await page.fill('#username', ALICE.username);
    await page.fill('#password', 'not the password');
    await page.click('#login-btn');
    await page.waitForSelector('#msg.error');
    assert.match(await page.innerText('#msg'), /^The user name or password is not right\./);
    assert.equal(await page.isVisible('#msg details code'), false);
    await page.click('#msg details summary');
    assert.equal(await page.innerText('#msg details code'), '403: Invalid credentials');
    await page.screenshot({ path: artifact('login-error-desktop-light.png') });
    await context.close();
  });

  test('with proxy login enabled, the login page logs in without a form', async (t) => {
    const proxied = await startFixtureServer({ args: ['--proxy_auth_enabled=true'] });
    try {
      const res = await fetch(proxied.baseUrl + proxied.prefix + 'api/v2/login_methods');
      if (res.status === 404 || res.status === 401) return t.skip(`this server does not list its login methods yet (GET login_methods answers ${res.status})`);
      assert.ok((await res.json()).methods.includes('proxy'));
      const { context, page } = await newPage(browser);
      await context.setExtraHTTPHeaders({ 'X-Remote-User': 'bob' });
      await page.goto(proxied.pageUrl('login'));
      await page.waitForURL(/\/app\//);
      await waitForApp(page);
      assert.equal(await page.textContent('#menu-user'), 'Logged in as bob');
      await context.close();
    } finally {
      await proxied.stop();
    }
  });

  test('the list\'s day headers, the report\'s footer, the overview after an edit, Escape in search', async () => {
    const { context, page } = await newPage(browser);
    await localLogin(page, server);
    const t1 = await page.evaluate(() => new Date(2026, 0, 20, 9, 0).getTime() / 1000);
    await page.evaluate((t) => window.tagwatch.store.put('records', [{ key: 'finList1', t1: t, t2: t + 6060, ds: '#finish list day' }]), t1);
    await page.goto(server.appUrl + '#date=2026-01-20');
    await page.waitForFunction(() => /20 Jan 2026/.test(document.getElementById('range-label').textContent));
    await page.click('#show-list');
    const day = await page.locator('#list .day').first().innerText();
    assert.equal(day.replace(/\s+/g, ' '), 'Tue 20 Jan 2026 1h41m');
    // the overview shows an edit in the next frame (it waited for the next second before)
    const shown = await page.evaluate(async (t) => {
      await window.tagwatch.store.put('records', [{ key: 'finList2', t1: t + 7200, t2: t + 7200 + 1140, ds: '#freshtag in the overview' }]);
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return document.getElementById('insight-root').innerText;
    }, t1);
    assert.match(shown, /#freshtag/);
    // the report's footer says what it holds
    await page.click('#menu-btn');
    await page.click('#insight-reports');
    const status = page.locator('dialog[open] .iv-status');
    await status.waitFor();
    assert.match(await status.innerText(), /^\d+ records? in this report$/);
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    // one Escape closes the search, even with a query typed
    await page.click('#menu-btn');
    await page.click('#insight-search');
    const q = page.locator('dialog[open] input[type=search]');
    await q.fill('#finish');
    await q.press('Escape');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    await waitSynced(page);
    await context.close();
  });

  test('tag presets are measured as the server measures them, and what it would refuse is not sent', async () => {
    const { context, page } = await newPage(browser);
    await localLogin(page, server);
    await page.keyboard.press(',');
    await page.waitForSelector('dialog[open] #set-presets');
    // 300 presets with accented letters: 3,400 characters to JavaScript, over 9,000 to the server
    const lines = Array.from({ length: 300 }, (_, i) => `#éééé${i}`).join('\n');
    await page.fill('#set-presets', lines);
    await page.click('dialog[open] button:text-is("Check & save")');
    const msg = page.locator('dialog[open] .field:has(#set-presets) .hint[aria-live]');
    await msg.filter({ hasText: 'Too many presets' }).waitFor();
    assert.match(await msg.innerText(), /^Too many presets: the list is 9\d{3} characters as the server counts them \(letters like é count 6\), at most 8191\. Not saved\.$/);
    assert.deepEqual(await page.evaluate(() => window.tagwatch.store.settings.get('tag_presets', [])), []);
    // a shorter list is saved and reaches the server
    await page.fill('#set-presets', lines.split('\n').slice(0, 100).join('\n'));
    await page.click('dialog[open] button:text-is("Check & save")');
    await msg.filter({ hasText: 'Saved 100 presets' }).waitFor();
    await waitSynced(page);
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('the timeline\'s tick column holds its longest labels whole', async () => {
    const { context, page } = await newPage(browser);
    await localLogin(page, server);
    const cut = await page.evaluate(async () => {
      const { computeLayout, PALETTES } = await import(new URL('timeline/draw.js', location.href).href);
      const font = PALETTES.light.font;
      const ctx = document.createElement('canvas').getContext('2d');
      const out = [];
      for (const w of [360, 1280]) {
        for (const ampm of [false, true]) {
          const lay = computeLayout(w, 600, ampm);
          // day edges are bold, clock times regular (draw.js)
          const times = ampm ? ['12:30 pm', '10:45 am'] : ['23:45'];
          for (const [weight, labels] of [[600, ['Wed 27', 'Sun 30', 'Mon 28']], [400, times]]) {
            ctx.font = `${weight} ${lay.narrow ? 11 : 12}px ${font}`;
            for (const label of labels) if (ctx.measureText(label).width > lay.tickW - 8) out.push(`${label} at ${w} px`);
          }
        }
      }
      return out;
    });
    assert.deepEqual(cut, []);
    await context.close();
  });
});
