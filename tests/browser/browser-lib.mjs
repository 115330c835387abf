// Shared setup of the web client's browser tests: Debian's chromium through playwright-core,
// the real program behind a private nginx (tests/lib/harness.mjs) on a copy of the TimeTagger
// fixture data folder, and helpers to log in, read the server's view and wait for sync.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, copyFixture, fixturePath, api, loginPassword, ROOT, tmpDir } from '../lib/harness.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'build/artifacts');
export const FIXTURE_USERS = JSON.parse(fs.readFileSync(fixturePath('tokens.json'), 'utf8'));
export const ALICE = { username: 'alice', password: FIXTURE_USERS.alice.password };

/** Can the browser tests run here? (a reason string when not) */
export function skipReason() {
  if (!fs.existsSync(CHROMIUM)) return `no chromium at ${CHROMIUM}`;
  if (!fs.existsSync(path.join(ROOT, 'cgi-bin/tagwatch.fcgi'))) return 'cgi-bin/tagwatch.fcgi is not built';
  return null;
}

/** Launch chromium headless with a fresh profile (playwright makes a new temp one per launch). */
export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
}

/** The server on a copy of the fixture, with the fixture's users (bcrypt) and localhost login. */
export async function startFixtureServer(extra = {}) {
  const creds = fs.readFileSync(fixturePath('credentials.txt'), 'utf8').trim();
  const server = await startServer({ datadir: copyFixture(), env: { TAGWATCH_CREDENTIALS: creds }, ...extra });
  server.appUrl = server.baseUrl + server.prefix + 'app/';
  server.pageUrl = (p) => server.baseUrl + server.prefix + p;
  return server;
}

/** A new browser context + page; console errors are collected in page.errors. serviceWorkers:
 * 'block' runs the app without its service worker. */
export async function newPage(browser, { width = 1280, height = 800, dark = false, offline = false, timezoneId = 'Europe/Amsterdam', isMobile = false, serviceWorkers = 'allow' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: dark ? 'dark' : 'light', serviceWorkers,
    timezoneId, locale: 'en-GB', isMobile, hasTouch: isMobile });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  if (offline) await context.setOffline(true);
  return { context, page };
}

/** Log in through the login page's form and wait for the app. */
export async function loginWithPassword(page, server, { username, password } = ALICE) {
  await page.goto(server.pageUrl('login'));
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#login-btn');
  await page.waitForURL(/\/app\/$/);
  await waitForApp(page);
}

/** Log in as the local user (the login page's button on localhost) and wait for the app. */
export async function localLogin(page, server) {
  await page.goto(server.pageUrl('login'));
  await page.click('#local-btn');
  await page.waitForURL(/\/app\/$/);
  await waitForApp(page);
}

/** Close the open dialog with Escape and wait until it is gone, history entry and all (the
 * app steps back over the entry that lets Back close dialogs; a reload before that step ends
 * is aborted by it). */
export async function closeDialog(page) {
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog[open]', { state: 'detached' });
  await page.waitForFunction(() => !(history.state && history.state.tagwatchDialogs));
}

/** Wait until what is on screen holds still (for a screenshot): the timeline rests, the fonts
 * are in, no transition or finite animation runs (a blinking dot may go on); then two frames. */
export async function steady(page) {
  await page.waitForFunction(() => {
    const tl = window.tagwatch && window.tagwatch.app && window.tagwatch.app.tl;
    const moving = document.getAnimations().some((a) => a.playState === 'running' && a.effect && a.effect.getComputedTiming().iterations !== Infinity);
    return (!tl || tl.settled()) && document.fonts.status === 'loaded' && !moving;
  });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Wait until the app has opened its store and drawn. */
export async function waitForApp(page) {
  await page.waitForFunction(() => window.tagwatch && window.tagwatch.app && document.getElementById('range-label').textContent.length > 0);
}

/** Wait until the app's store has no unsynced changes and its state is "synced". */
export async function waitSynced(page, timeout = 20000) {
  await page.waitForFunction(() => {
    const s = window.tagwatch.store;
    return s.pendingCount() === 0 && s.status.state === 'synced';
  }, null, { timeout });
}

/** The page's current web token. */
export async function tokenOf(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem('timetagger_auth_info')).token);
}

/** All records on the server for a token, by key. */
export async function serverRecords(server, token) {
  const res = await api(server, token).get('records?timerange=0-9999999999');
  if (res.status !== 200) throw new Error(`GET records: ${res.status} ${res.text}`);
  return new Map(res.json.records.map((r) => [r.key, r]));
}

export async function serverSettings(server, token) {
  const res = await api(server, token).get('settings');
  return new Map(res.json.settings.map((s) => [s.key, s.value]));
}

/** Poll fn until it returns a truthy value (or throw after timeout ms). */
export async function eventually(fn, { timeout = 15000, interval = 200, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try { const v = await fn(); if (v) return v; } catch (err) { last = err; }
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out waiting for ${what}${last ? ': ' + last.message : ''}`);
}

export async function apiTokenOfAlice(server) {
  return loginPassword(server, ALICE.username, ALICE.password);
}

export function artifact(name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

export { api, tmpDir };
