// Shared setup of the insight browser tests: the real program behind a private nginx
// (tests/lib/harness.mjs) with an empty data folder, Debian's chromium through playwright-core,
// a logged-in app page (localhost login, token stored the way the app stores it), and helpers
// to write records through the API and to wait for the app's store.

import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, loginLocal, api, decodeJwt, ROOT } from '../lib/harness.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'build/artifacts');

/** Why the browser tests cannot run here, or null. */
export function skipReason() {
  if (!fs.existsSync(CHROMIUM)) return `no chromium at ${CHROMIUM}`;
  if (!fs.existsSync(path.join(ROOT, 'cgi-bin/tagwatch.fcgi'))) return 'cgi-bin/tagwatch.fcgi is not built';
  if (!fs.existsSync(path.join(ROOT, 'www/app/main.js'))) return 'the web app is not there';
  return null;
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Start a server and log in its local user; returns {server, token, api}. */
export async function startLocal() {
  const server = await startServer({ workers: 2 });
  const token = await loginLocal(server);
  return { server, token, client: api(server, token) };
}

/**
 * The hooks every insight test file starts with: a server with the local user logged in,
 * chromium, and the app open. `assign` receives {server, token, client, browser, page}
 * once they are up; everything is stopped after the file's tests. Nothing runs when `skip`.
 */
export function appFixture(skip, assign) {
  const ctx = {};
  before(async () => {
    if (skip) return;
    Object.assign(ctx, await startLocal());
    ctx.browser = await launch();
    ({ page: ctx.page } = await openApp(ctx.browser, ctx.server, ctx.token));
    assign(ctx);
  });
  after(async () => {
    if (ctx.browser) await ctx.browser.close();
    if (ctx.server) await ctx.server.stop();
  });
}

/** A page with the app open and logged in as the local user. page.errors collects page errors. */
export async function openApp(browser, server, token, { width = 1280, height = 900, acceptDownloads = true } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads, serviceWorkers: 'block' });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  const base = server.baseUrl + server.prefix;
  await page.goto(base + 'login');
  await page.evaluate(([t, info]) => localStorage.setItem('timetagger_auth_info', JSON.stringify({ ...info, token: t })), [token, decodeJwt(token)]);
  await page.goto(base + 'app/');
  await page.waitForFunction(() => window.tagwatch && window.tagwatch.app && window.tagwatch.app.insight, null, { timeout: 20000 });
  return { context, page };
}

/** Wait until the app's store has no change waiting for the server. */
export async function waitSynced(page, timeout = 20000) {
  await page.waitForFunction(() => window.tagwatch.store.pendingCount() === 0, null, { timeout });
}

/** Local unix seconds in the browser's time zone (the app's), for dates in tests. */
export async function localTime(page, y, m, d, h = 0, mi = 0) {
  return page.evaluate(([a, b, c, e, f]) => new Date(a, b - 1, c, e, f).getTime() / 1000, [y, m, d, h, mi]);
}

/** PUT records through the API, the way the command-line client writes them. */
export async function putRecords(client, records) {
  const now = Date.now() / 1000;
  const res = await client.put('records', records.map((r) => ({ mt: now, st: 0, ...r })));
  if (res.status !== 200 || (res.json.failed || []).length) throw new Error(`PUT records: ${res.status} ${res.text}`);
}

export async function putSettings(client, settings) {
  const now = Date.now() / 1000;
  const res = await client.put('settings', settings.map((s) => ({ mt: now, st: 0, ...s })));
  if (res.status !== 200 || (res.json.failed || []).length) throw new Error(`PUT settings: ${res.status} ${res.text}`);
}

/** Ask the app to sync now and wait until the records with these keys are in its store. */
export async function waitForRecords(page, keys, timeout = 20000) {
  await page.evaluate(() => window.tagwatch.store.requestSync());
  await page.waitForFunction((ks) => ks.every((k) => window.tagwatch.store.records.get(k)), keys, { timeout });
}

export async function waitForSetting(page, key, timeout = 20000) {
  await page.evaluate(() => window.tagwatch.store.requestSync());
  await page.waitForFunction((k) => window.tagwatch.store.settings.get(k, null) !== null, key, { timeout });
}

/** Open one of insight's pages through the app's menu. */
export async function openPage(page, id) {
  await page.click('#menu-btn');
  await page.click(`#${id}`);
}

export function artifact(name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}
