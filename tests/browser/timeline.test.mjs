// Browser test of the timeline inside the real app: the real program behind nginx
// (tests/lib/harness.mjs), records written through the API as the command-line client does,
// then mouse and touch on the timeline in Debian's chromium; every change is checked on the
// server through the API. Screenshots (desktop and phone, light and dark) go to build/artifacts/.
process.env.TZ = 'Europe/Amsterdam'; // the same zone as the browser contexts below
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, loginLocal, api, decodeJwt, ROOT } from '../lib/harness.mjs';

const ARTIFACTS = path.join(ROOT, 'build/artifacts');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let server;
let browser;
let token;
let client;
const day = new Date();
day.setHours(0, 0, 0, 0);
const base = day.getTime() / 1000; // today 00:00 local
const key = (s) => (s + 'xxxxxxxx').slice(0, 8);

before(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  server = await startServer();
  token = await loginLocal(server);
  client = api(server, token);
  const mt = Math.floor(Date.now() / 1000);
  const recs = [
    { key: key('tlEdge'), t1: base + 8 * 3600, t2: base + 9.5 * 3600, ds: 'Planning #work', mt, st: 0 },
    { key: key('tlBody'), t1: base + 11 * 3600, t2: base + 12 * 3600, ds: 'Call #client', mt, st: 0 },
  ];
  const res = await client.put('records', recs);
  assert.equal(res.status, 200, res.text);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function openApp({ width = 1100, height = 860, touch = false, dark = false } = {}) {
  const context = await browser.newContext({
    viewport: { width, height }, deviceScaleFactor: 2, hasTouch: touch, isMobile: touch,
    timezoneId: 'Europe/Amsterdam', colorScheme: dark ? 'dark' : 'light', locale: 'en-GB',
  });
  const info = JSON.stringify({ ...decodeJwt(token), token });
  await context.addInitScript((v) => { localStorage.setItem('timetagger_auth_info', v); }, info);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.baseUrl + server.prefix + 'app/');
  await page.waitForSelector('.tl-canvas');
  await page.waitForFunction(() => /[1-9]\d* records?/.test(document.querySelector('.tl-canvas').getAttribute('aria-label') || ''));
  // Where times are on the canvas: the view's own layout over today's range.
  await page.evaluate(async (b) => {
    const { computeLayout } = await import(new URL('timeline/draw.js', location.href).href);
    window.__tl = (t) => {
      const c = document.querySelector('.tl-canvas').getBoundingClientRect();
      const lay = computeLayout(Math.round(c.width), Math.round(c.height));
      const spp = 86400 / (lay.y2 - lay.y1);
      return { x: c.left + lay.stripX + lay.stripW / 2, y: c.top + lay.y1 + (t - b) / spp, spp, cardsX: c.left + lay.cardsX, top: c.top, h: lay.h };
    };
  }, base);
  return { page, context, errors };
}

const at = (page, t) => page.evaluate((x) => window.__tl(x), t);
const label = (page) => page.getAttribute('.tl-canvas', 'aria-label');

async function serverRecord(k, until) {
  const deadline = Date.now() + 15000;
  for (;;) {
    const res = await client.get(`records?timerange=${base - 86400}-${base + 2 * 86400}`);
    const r = res.json.records.find((x) => x.key === k);
    if (r && (!until || until(r))) return r;
    if (Date.now() > deadline) return r;
    await new Promise((ok) => setTimeout(ok, 250));
  }
}

test('dragging a record edge and its body changes t1/t2 on the server', async () => {
  const { page, context, errors } = await openApp();
  assert.match(await label(page), /2 records/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'app-timeline-desktop-light.png') });
  // End edge of "Planning" (09:30) down by about 45 minutes.
  let p = await at(page, base + 9.5 * 3600);
  await page.mouse.move(p.x, p.y - 2);
  await page.mouse.down();
  await page.mouse.move(p.x, p.y + 8, { steps: 2 });
  await page.mouse.move(p.x, p.y - 2 + 45 * 60 / p.spp, { steps: 5 });
  await page.mouse.up();
  let r = await serverRecord(key('tlEdge'), (x) => x.t2 !== base + 9.5 * 3600);
  assert.equal(r.t1, base + 8 * 3600, 'start kept');
  assert.equal((r.t2 - base) % 300, 0, 'end on the 5 minute grid');
  assert.ok(Math.abs(r.t2 - (base + 10.25 * 3600)) <= 600, `end near 10:15: ${(r.t2 - base) / 3600}`);
  // Body of "Call" (11:00-12:00) down by about 2 hours: same length, later.
  p = await at(page, base + 11.5 * 3600);
  await page.mouse.move(p.x, p.y);
  await page.mouse.down();
  await page.mouse.move(p.x, p.y + 2 * 3600 / p.spp, { steps: 8 });
  await page.mouse.up();
  r = await serverRecord(key('tlBody'), (x) => x.t1 !== base + 11 * 3600);
  assert.equal(r.t2 - r.t1, 3600, 'duration kept');
  assert.ok(Math.abs(r.t1 - (base + 13 * 3600)) <= 600, `starts near 13:00: ${(r.t1 - base) / 3600}`);
  assert.equal((r.t1 - base) % 300, 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Shift+drag on empty space creates a record (through the record dialog)', async () => {
  const { page, context } = await openApp();
  const p = await at(page, base + 15 * 3600);
  await page.mouse.move(p.x, p.y + 1);
  await page.keyboard.down('Shift');
  await page.mouse.down();
  await page.mouse.move(p.x, p.y + 1 + 40 * 60 / p.spp, { steps: 6 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await page.waitForSelector('#rd-ds');
  await page.fill('#rd-ds', 'Made by dragging #timeline');
  await page.click('#rd-save');
  const deadline = Date.now() + 15000;
  let made;
  while (!made && Date.now() < deadline) {
    const res = await client.get(`records?timerange=${base}-${base + 86400}`);
    made = res.json.records.find((x) => x.ds === 'Made by dragging #timeline');
    if (!made) await new Promise((ok) => setTimeout(ok, 250));
  }
  assert.ok(made, 'the new record reached the server');
  assert.ok(Math.abs(made.t1 - (base + 15 * 3600)) <= 300, `starts near 15:00: ${(made.t1 - base) / 3600}`);
  assert.ok(Math.abs(made.t2 - made.t1 - 2400) <= 600, `about 40 minutes: ${(made.t2 - made.t1) / 60}`);
  await context.close();
});

test('shift+wheel zooms out to the week and a click on a day block zooms back in', async () => {
  const { page, context } = await openApp({ dark: true });
  const p = await at(page, base + 12 * 3600);
  await page.mouse.move(p.cardsX + 40, p.y);
  await page.keyboard.down('Shift');
  await page.mouse.wheel(0, 120);
  await page.keyboard.up('Shift');
  // the label names the destination at once; the click below needs the week drawn, so wait
  // until the view rests there (no fixed sleep: slow when the machine is busy, not flaky)
  await page.waitForFunction(() => /Timeline: Week \d+/.test(document.querySelector('.tl-canvas').getAttribute('aria-label'))
    && window.tagwatch.app.tl.settled(), null, { timeout: 15000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'app-timeline-week-dark.png') });
  // Today's block sits where today's noon is in the week view.
  const y = await page.evaluate((b) => {
    const c = document.querySelector('.tl-canvas').getBoundingClientRect();
    const monday = new Date(b * 1000);
    monday.setDate(monday.getDate() - ((monday.getDay() + 6) % 7));
    const m0 = monday.getTime() / 1000;
    const pad = Math.round(Math.min(28, Math.max(12, c.height * 0.035)));
    const spp = (7 * 86400) / (c.height - 2 * pad);
    return c.top + pad + (b + 43200 - m0) / spp;
  }, base);
  await page.mouse.click(p.cardsX + 40, y);
  await page.waitForFunction(() => /Timeline: \w{3} \d+ \w{3} \d{4}, /.test(document.querySelector('.tl-canvas').getAttribute('aria-label')));
  assert.match(await label(page), new RegExp(`Timeline: \\w{3} ${day.getDate()} `));
  await context.close();
});

test('phone: pinch zooms in and the timeline snaps to a smaller range', async () => {
  const { page, context } = await openApp({ width: 360, height: 740, touch: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'app-timeline-phone-light.png') });
  const cdp = await context.newCDPSession(page);
  const touch = (type, pts) => cdp.send('Input.dispatchTouchEvent', {
    type, touchPoints: pts.map(([x, y], id) => ({ x, y, id, radiusX: 4, radiusY: 4, force: 1 })),
  });
  const p = await at(page, base + 12 * 3600);
  const cx = p.cardsX + 30;
  const before = await label(page);
  await touch('touchStart', [[cx, p.y - 40], [cx, p.y + 40]]);
  for (let i = 1; i <= 8; i++) await touch('touchMove', [[cx, p.y - 40 - i * 20], [cx, p.y + 40 + i * 20]]);
  await touch('touchEnd', []);
  await page.waitForFunction((b) => document.querySelector('.tl-canvas').getAttribute('aria-label') !== b
    && window.tagwatch.app.tl.settled(), before, { timeout: 15000 });
  const after = await label(page);
  assert.match(after, /\d\d:\d\d – \d\d:\d\d/, `a part of the day: ${after}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'app-timeline-phone-zoomed.png') });
  await context.close();
});
