// Browser tests of the timeline view on its own (www/app/timeline/ in Debian's chromium via
// playwright-core): a page that mounts it over in-memory records, then real mouse, wheel and
// touch input. Checks what the view reports to the app (drag results, creates, edits, ranges),
// the accessible list and label, period blocks, and the live redraw. The app-level test with a
// real server is timeline.test.mjs.
process.env.TZ = 'Europe/Amsterdam'; // the same zone as the browser context below
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WWW = path.join(ROOT, 'www');
const ARTIFACTS = path.join(ROOT, 'build/artifacts');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// The page: the view over window.recs; every callback is recorded in window.calls. "now" starts
// at 15:30:17 on Fri 27 Nov 2026 (Europe/Amsterdam) and runs with the real clock.
const PAGE = `<!doctype html><html><head><meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body style="margin:0"><div id="tl" style="height:100vh"></div>
<script type="module">
import { createTimeline } from '/app/timeline/index.js';
const base = new Date(2026, 10, 27).getTime() / 1000;
const t0 = Date.now();
window.base = base;
window.nowT = () => base + 15.5 * 3600 + 17 + (Date.now() - t0) / 1000;
window.recs = [
  { key: 'plan', t1: base + 8.25 * 3600, t2: base + 9.5 * 3600, ds: 'Planning #work', mt: 1, st: 1 },
  { key: 'call', t1: base + 11 * 3600, t2: base + 12 * 3600, ds: 'Call #client1', mt: 1, st: 1 },
  { key: 'run', t1: base + 13.5 * 3600, t2: base + 13.5 * 3600, ds: 'Review #work', mt: 1, st: 1 },
  { key: 'yday', t1: base - 86400 + 10 * 3600, t2: base - 86400 + 12 * 3600, ds: 'Yesterday #work', mt: 1, st: 1 },
];
window.calls = [];
window.getRecordsCalls = 0;
// a long press says so with a short vibration: counted, so a test can wait for it
window.vibrations = 0;
navigator.vibrate = () => { window.vibrations++; return true; };
window.settings = { first_day_of_week: 1, workdays: 2, time_repr: '24h', duration_repr: 'hms', darkmode: 1 };
window.tl = createTimeline(document.getElementById('tl'), {
  getRecords(t1, t2) {
    window.getRecordsCalls++;
    const n = nowT();
    return recs.filter((r) => (r.t1 === r.t2 ? n : r.t2) >= t1 && r.t1 <= t2);
  },
  getSettings: () => window.settings,
  colorForTags: (tags) => ({ '#work': '#4c8bf5', '#client1': '#3fb07f' })[tags[0]] || '#DEAA22',
  selectedTags: () => [],
  onEditRecord: (k) => calls.push(['edit', k]),
  onChangeRecordTimes(k, a, b) {
    calls.push(['change', k, a, b]);
    const r = recs.find((x) => x.key === k); r.t1 = a; r.t2 = b; tl.redraw();
  },
  onCreateRecord: (a, b) => calls.push(['create', a, b]),
  onRangeChange: (a, b) => calls.push(['range', a, b]),
  now: () => nowT(),
});
// Where a time is on screen, from the view's own layout maths.
const { computeLayout } = await import('/app/timeline/draw.js');
window.geom = () => {
  const c = document.querySelector('.tl-canvas').getBoundingClientRect();
  const lay = computeLayout(Math.round(c.width), Math.round(c.height));
  const [a, b] = tl.getRange();
  return { ...lay, top: c.top, left: c.left, r1: a, r2: b, spp: (b - a) / (lay.y2 - lay.y1) };
};
window.yOf = (t) => { const g = geom(); return g.top + g.y1 + (t - g.r1) / g.spp; };
window.ready = true;
</script></body></html>`;

let browser;
async function openPage({ width = 900, height = 760, touch = false, dark = false, fakeClock = false } = {}) {
  const context = await browser.newContext({
    viewport: { width, height }, deviceScaleFactor: 2, hasTouch: touch, isMobile: touch,
    timezoneId: 'Europe/Amsterdam', colorScheme: dark ? 'dark' : 'light',
  });
  const page = await context.newPage();
  // the page's clock and timers under the test's control: time passes when the test says
  if (fakeClock) await page.clock.install({ time: Date.now() });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('http://timeline.test/**', async (route) => {
    const u = new URL(route.request().url());
    if (u.pathname === '/') return route.fulfill({ contentType: 'text/html', body: PAGE });
    const file = path.join(WWW, path.normalize(u.pathname));
    if (!file.startsWith(WWW)) return route.fulfill({ status: 403, body: '' });
    try {
      const body = await readFile(file);
      return route.fulfill({ body, contentType: file.endsWith('.css') ? 'text/css' : 'text/javascript' });
    } catch {
      return route.fulfill({ status: 404, body: '' });
    }
  });
  await page.goto('http://timeline.test/');
  await page.waitForFunction(() => window.ready === true);
  return { page, context, errors };
}

// Real touch input through the DevTools protocol: touch(type, [[x, y], ...]) with type
// touchStart / touchMove / touchEnd; each point keeps its index as its id.
async function touchInput(context, page) {
  const cdp = await context.newCDPSession(page);
  return (type, points) => cdp.send('Input.dispatchTouchEvent', {
    type, touchPoints: points.map(([x, y], id) => ({ x, y, id, radiusX: 4, radiusY: 4, force: 1 })),
  });
}

const calls = (page, kind) => page.evaluate((k) => calls.filter((c) => c[0] === k), kind);
const clearCalls = (page) => page.evaluate(() => { calls.length = 0; });
// Wait until the view rests (no animation, gesture or snap to come) with a range that `ok`
// accepts: ok([a, b]) runs in the page, where `base` is today 00:00. One frame first, so input
// sent just before has been handled. No fixed sleep: a busy machine only makes it slower.
const settle = async (page, ok = () => true) => {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  await page.waitForFunction((src) => tl.settled() && (0, eval)(`(${src})`)(tl.getRange()), ok.toString(), { timeout: 15000 });
};

before(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  await mkdir(ARTIFACTS, { recursive: true });
});
after(async () => {
  await browser?.close();
});

test('opens on today, labels the canvas, lists the records for keyboard users', async () => {
  const { page, context, errors } = await openPage();
  const [a, b, base] = await page.evaluate(() => [...tl.getRange(), base]);
  assert.deepEqual([a, b], [base, base + 86400]);
  const label = await page.getAttribute('.tl-canvas', 'aria-label');
  assert.match(label, /Fri 27 Nov 2026/);
  assert.match(label, /3 records/); // yesterday's record is above the canvas, outside the margin
  const buttons = await page.$$eval('.tl-sr button', (bs) => bs.map((b) => b.textContent));
  assert.equal(buttons.length, 3);
  assert.match(buttons[0], /^Edit 08:15 – 09:30, 1h15m: Planning #work$/);
  assert.match(buttons[2], /13:30 – running/);
  await page.focus('.tl-sr button');
  await page.keyboard.press('Enter');
  assert.deepEqual(await calls(page, 'edit'), [['edit', 'plan']]);
  await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-day-light.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('dragging a record\'s end edge and its body changes its times, snapped to the grid', async () => {
  const { page, context } = await openPage();
  const g = await page.evaluate(() => geom());
  const x = g.left + g.stripX + g.stripW / 2;
  const base = await page.evaluate(() => base);
  // End edge of "plan" (09:30) down by about 40 minutes.
  let y = await page.evaluate(() => yOf(base + 9.5 * 3600) - 2);
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x, y + 10, { steps: 2 });
  await page.mouse.move(x, y + 40 * 60 / g.spp, { steps: 4 });
  await page.mouse.up();
  let ch = await calls(page, 'change');
  assert.equal(ch.length, 1);
  assert.equal(ch[0][1], 'plan');
  assert.equal(ch[0][2], base + 8.25 * 3600, 'start unchanged');
  assert.equal((ch[0][3] - base) % 300, 0, 'end on the 5 minute grid');
  assert.ok(Math.abs(ch[0][3] - (base + 10 * 3600 + 10 * 60)) <= 300, `end near 10:10: ${(ch[0][3] - base) / 3600}`);
  // Body of "call" (11:00-12:00) up by about 50 minutes: both ends move by the same amount.
  await clearCalls(page);
  y = await page.evaluate(() => yOf(base + 11.5 * 3600));
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x, y - 50 * 60 / g.spp, { steps: 6 });
  await page.mouse.up();
  ch = await calls(page, 'change');
  assert.equal(ch.length, 1);
  assert.equal(ch[0][1], 'call');
  assert.equal(ch[0][3] - ch[0][2], 3600, 'duration kept');
  assert.ok(Math.abs(ch[0][2] - (base + 10 * 3600 + 10 * 60)) <= 600, `start near 10:10: ${(ch[0][2] - base) / 3600}`);
  // Near the moved "plan" end (about 10:10), the start snaps onto it exactly.
  const plan = await page.evaluate(() => recs.find((r) => r.key === 'plan'));
  if (Math.abs(ch[0][2] - plan.t2) < 600) assert.equal(ch[0][2], plan.t2);
  // A click without moving opens the editor instead.
  await clearCalls(page);
  y = await page.evaluate(() => yOf(base + 13.5 * 3600 + 3600));
  await page.mouse.click(x, y);
  assert.deepEqual(await calls(page, 'edit'), [['edit', 'run']]);
  assert.deepEqual(await calls(page, 'change'), []);
  await context.close();
});

test('Escape during a drag puts the record back and reports nothing', async () => {
  const { page, context } = await openPage();
  const g = await page.evaluate(() => geom());
  const x = g.left + g.stripX + g.stripW / 2;
  const base = await page.evaluate(() => base);
  const y = await page.evaluate(() => yOf(base + 11.5 * 3600));
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x, y + 100, { steps: 4 });
  await page.keyboard.press('Escape');
  await page.mouse.up();
  assert.deepEqual(await calls(page, 'change'), []);
  assert.deepEqual(await calls(page, 'edit'), []);
  await context.close();
});

test('dragging the start of a running record keeps it running', async () => {
  const { page, context } = await openPage();
  const g = await page.evaluate(() => geom());
  const x = g.left + g.stripX + g.stripW / 2;
  const base = await page.evaluate(() => base);
  const y = await page.evaluate(() => yOf(base + 13.5 * 3600) + 1);
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x, y - 30 * 60 / g.spp, { steps: 5 });
  await page.mouse.up();
  const ch = await calls(page, 'change');
  assert.equal(ch.length, 1);
  assert.equal(ch[0][1], 'run');
  assert.equal(ch[0][2], ch[0][3], 'still running (t1 == t2)');
  assert.ok(ch[0][2] < base + 13.5 * 3600 - 15 * 60);
  await context.close();
});

test('dragging the empty strip pans; Shift+drag, or press, hold and drag, creates; clicking a label card edits', async () => {
  const { page, context } = await openPage();
  const g = await page.evaluate(() => geom());
  const x = g.left + g.stripX + g.stripW / 2;
  const base = await page.evaluate(() => base);
  const y = await page.evaluate(() => yOf(base + 17 * 3600 + 2 * 60));
  // a plain drag moves through time (as TimeTagger) and makes nothing
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x, y - g.h / 2, { steps: 6 });
  await page.mouse.up();
  await settle(page, ([a]) => a !== base);
  assert.deepEqual(await calls(page, 'create'), []);
  // half a day dragged, then snapped to a day: the next one, or the one after when the
  // release flings on (how far depends on the gesture's speed, which a busy machine varies)
  const [a1, b1] = await page.evaluate(() => tl.getRange());
  assert.equal(b1 - a1, 86400, 'still a day');
  assert.ok(a1 === base + 86400 || a1 === base + 2 * 86400, `snapped to the next day: ${(a1 - base) / 86400} days on`);
  await page.evaluate(() => tl.setRange(base, base + 86400));
  // Shift+drag creates
  await page.keyboard.down('Shift');
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x, y + 90 * 60 / g.spp, { steps: 6 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  let cr = await calls(page, 'create');
  assert.equal(cr.length, 1);
  let [, t1, t2] = cr[0];
  assert.ok(Math.abs(t1 - (base + 17 * 3600)) <= 300, `starts near 17:00: ${(t1 - base) / 3600}`);
  assert.ok(Math.abs(t2 - t1 - 5400) <= 600, `about 90 minutes: ${(t2 - t1) / 60}`);
  assert.equal((t1 - base) % 300, 0);
  assert.equal((t2 - base) % 300, 0);
  // press and hold (the outline of the new record shows), then drag
  await clearCalls(page);
  const y2 = await page.evaluate(() => yOf(base + 19 * 3600 + 2 * 60));
  // the canvas pixel under the pointer, in page coordinates
  const pixel = (px, py) => page.evaluate(([px, py]) => {
    const c = document.querySelector('.tl-canvas');
    const r = c.getBoundingClientRect();
    const k = c.width / r.width;
    return [...c.getContext('2d').getImageData(Math.round((px - r.left) * k), Math.round((py - r.top) * k), 1, 1).data].join();
  }, [px, py]);
  const empty = await pixel(x, y2);
  await page.mouse.move(x, y2);
  await page.mouse.down();
  // holding still long enough paints the new record's outline under the pointer
  await page.waitForFunction(([px, py, was]) => {
    const c = document.querySelector('.tl-canvas');
    const r = c.getBoundingClientRect();
    const k = c.width / r.width;
    return [...c.getContext('2d').getImageData(Math.round((px - r.left) * k), Math.round((py - r.top) * k), 1, 1).data].join() !== was;
  }, [x, y2, empty], { timeout: 5000 });
  await page.mouse.move(x, y2 + 60 * 60 / g.spp, { steps: 6 });
  await page.mouse.up();
  cr = await calls(page, 'create');
  assert.equal(cr.length, 1, 'created after holding');
  [, t1, t2] = cr[0];
  assert.ok(Math.abs(t1 - (base + 19 * 3600)) <= 300, `starts near 19:00: ${(t1 - base) / 3600}`);
  assert.ok(Math.abs(t2 - t1 - 3600) <= 600, `about an hour: ${(t2 - t1) / 60}`);
  assert.deepEqual(await page.evaluate(() => tl.getRange()), [base, base + 86400], 'no pan');
  // A label card sits right of the strip, level with its record.
  const cy = await page.evaluate(() => yOf(base + 11.5 * 3600));
  await page.mouse.click(g.left + g.cardsX + 40, cy);
  assert.deepEqual(await calls(page, 'edit'), [['edit', 'call']]);
  await context.close();
});

test('wheel pans and snaps to a day; shift+wheel zooms out a scale; period blocks zoom in on click', async () => {
  const { page, context } = await openPage();
  const base = await page.evaluate(() => base);
  const g = await page.evaluate(() => geom());
  await page.mouse.move(g.left + g.w - 60, g.top + g.h / 2);
  for (let i = 0; i < 12; i++) await page.mouse.wheel(0, 100); // ~4 days of wheel
  await settle(page, ([a]) => a !== base);
  let [a, b] = await page.evaluate(() => tl.getRange());
  assert.equal(b - a, 86400);
  assert.ok(a > base, 'moved forward');
  assert.equal(new Date(a * 1000).getTime() % 1000, 0);
  assert.equal((a - base) % 86400, 0, 'snapped to a day boundary');
  const ranges = await calls(page, 'range');
  assert.deepEqual(ranges[ranges.length - 1].slice(1), [a, b]);
  // Shift+wheel down zooms out: the week (Monday start) around the pointer.
  await page.evaluate(() => tl.setRange(base, base + 86400));
  await page.keyboard.down('Shift');
  await page.mouse.wheel(0, 120);
  await page.keyboard.up('Shift');
  await settle(page, ([a, b]) => b - a !== 86400);
  [a, b] = await page.evaluate(() => tl.getRange());
  assert.equal(Math.round((b - a) / 86400), 7);
  assert.equal(new Date(a * 1000).getDay(), 1, 'weeks start on Monday');
  // Ctrl+wheel (a trackpad pinch) zooms continuously at the pointer, then snaps: from the week
  // to a day or a part of one.
  await page.keyboard.down('Control');
  for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -40);
  await page.keyboard.up('Control');
  await settle(page, ([a, b]) => b - a < 6 * 86400);
  [a, b] = await page.evaluate(() => tl.getRange());
  assert.ok(b - a <= 86400 + 3600, `zoomed in: ${(b - a) / 3600} h`);
  await page.evaluate(() => tl.goPeriod('week'));
  await settle(page);
  // A week shows day blocks; clicking Friday's zooms to that day.
  assert.match(await page.getAttribute('.tl-canvas', 'aria-label'), /7 days/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-week-light.png') });
  const fy = await page.evaluate(() => yOf(base + 12 * 3600));
  await page.mouse.click(g.left + g.w / 2, fy);
  await settle(page, ([a, b]) => b - a < 6 * 86400);
  assert.deepEqual(await page.evaluate(() => tl.getRange()), [base, base + 86400]);
  await context.close();
});

test('the app\'s zoom, step, today and period calls', async () => {
  const { page, context } = await openPage();
  const base = await page.evaluate(() => base);
  const r = async (js) => { await page.evaluate(js); return page.evaluate(() => tl.getRange()); };
  assert.deepEqual(await r(() => tl.step(1)), [base + 86400, base + 2 * 86400]);
  assert.deepEqual(await r(() => tl.step(-1)), [base, base + 86400]);
  const z = await r(() => tl.zoom(1));
  assert.equal(z[1] - z[0], 12 * 3600);
  assert.ok(z[0] <= base + 15.5 * 3600 && z[1] >= base + 15.5 * 3600, 'keeps now in view');
  const m = await r(() => tl.goPeriod('month'));
  assert.deepEqual(m, [new Date(2026, 10, 1).getTime() / 1000, new Date(2026, 11, 1).getTime() / 1000]);
  assert.deepEqual(await r(() => tl.goToday()), [base, base + 86400]);
  await page.evaluate(() => { settings.first_day_of_week = 0; });
  const w = await r(() => tl.goPeriod('week'));
  assert.equal(new Date(w[0] * 1000).getDay(), 0, 'Sunday weeks');
  await context.close();
});

test('touch: one finger pans, two fingers pinch-zoom, then it snaps', async () => {
  const { page, context } = await openPage({ width: 360, height: 720, touch: true });
  const base = await page.evaluate(() => base);
  const touch = await touchInput(context, page);
  const g = await page.evaluate(() => geom());
  const cx = g.left + g.cardsX + 60;
  // One finger up by 60% of the height: pans forward into the next day, snaps there.
  await touch('touchStart', [[cx, 600]]);
  for (let i = 1; i <= 8; i++) await touch('touchMove', [[cx, 600 - i * 50]]);
  // a slow release, no fling: the finger rests 100 ms (by the page's clock) before it lifts
  const lastMove = await page.evaluate(() => performance.now());
  await page.waitForFunction((t) => performance.now() - t > 100, lastMove);
  await touch('touchEnd', []);
  await settle(page, ([a]) => a !== base);
  let [a, b] = await page.evaluate(() => tl.getRange());
  assert.deepEqual([a, b], [base + 86400, base + 2 * 86400]);
  // Two fingers moving apart: zoom in around their middle.
  await touch('touchStart', [[cx, 300], [cx, 400]]);
  for (let i = 1; i <= 8; i++) await touch('touchMove', [[cx, 300 - i * 25], [cx, 400 + i * 25]]);
  const during = await page.evaluate(() => tl.getRange());
  assert.ok(during[1] - during[0] < 86400 / 2, `zoomed in while pinching: ${(during[1] - during[0]) / 3600} h`);
  await touch('touchEnd', []);
  await settle(page, ([a, b]) => b - a !== 86400);
  [a, b] = await page.evaluate(() => tl.getRange());
  assert.ok(b - a < 86400 && b - a >= 3 * 3600, `a smaller scale: ${(b - a) / 3600} h`);
  assert.equal((a - base) % 3600, 0, 'on the hour grid');
  // Fingers moving together: zoom out to several days, blocks appear.
  await touch('touchStart', [[cx, 100], [cx, 650]]);
  for (let i = 1; i <= 10; i++) await touch('touchMove', [[cx, 100 + i * 26], [cx, 650 - i * 26]]);
  await touch('touchEnd', []);
  await settle(page, ([a, b]) => b - a >= 86400);
  [a, b] = await page.evaluate(() => tl.getRange());
  assert.ok(b - a > 2 * 86400, `zoomed out: ${(b - a) / 86400} d`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-phone-pinched.png') });
  await context.close();
});

test('touch: a tap edits, a long press then drag moves a record edge', async () => {
  const { page, context } = await openPage({ width: 360, height: 720, touch: true });
  const base = await page.evaluate(() => base);
  const touch = await touchInput(context, page);
  const g = await page.evaluate(() => geom());
  const x = g.left + g.stripX + g.stripW / 2;
  const y = await page.evaluate(() => yOf(base + 11.5 * 3600));
  await touch('touchStart', [[x, y]]);
  await touch('touchEnd', []);
  assert.deepEqual(await calls(page, 'edit'), [['edit', 'call']]);
  const ye = await page.evaluate(() => yOf(base + 12 * 3600));
  await touch('touchStart', [[x, ye - 1]]);
  await page.waitForFunction(() => window.vibrations > 0); // held long enough: the edge is armed
  for (let i = 1; i <= 5; i++) await touch('touchMove', [[x, ye - 1 + i * 6]]);
  await touch('touchEnd', []);
  const ch = await calls(page, 'change');
  assert.equal(ch.length, 1);
  assert.equal(ch[0][1], 'call');
  assert.equal(ch[0][2], base + 11 * 3600);
  assert.ok(ch[0][3] > base + 12 * 3600, 'end moved later');
  assert.deepEqual((await page.evaluate(() => tl.getRange())), [base, base + 86400], 'no pan');
  await context.close();
});

test('redraws every second while now is in view, not when it is not', async () => {
  const { page, context } = await openPage({ fakeClock: true });
  const count = () => page.evaluate(() => getRecordsCalls);
  let c0 = await count();
  await page.clock.runFor(2300); // 2.3 s of the page's time, however busy the machine is
  assert.ok((await count()) - c0 >= 2, 'ticks with now in view');
  await page.evaluate(() => tl.setRange(base - 30 * 86400, base - 29 * 86400));
  await page.clock.runFor(200);
  c0 = await count();
  await page.clock.runFor(2300);
  assert.equal((await count()) - c0, 0, 'idle when now is out of view');
  await context.close();
});

test('dark mode, phone width and a year of 10,000 records render without errors', async () => {
  const { page, context, errors } = await openPage({ width: 360, height: 720, dark: true });
  await page.evaluate(() => {
    settings.darkmode = 0; // auto: follows the (dark) colour scheme
    const tags = ['#work', '#client1', '#admin', '#reading'];
    for (let i = 0; i < 10000; i++) {
      const t1 = base - 360 * 86400 + Math.floor(i * 360 * 86400 / 10000);
      recs.push({ key: 'k' + i, t1, t2: t1 + 1800, ds: `task ${tags[i % 4]}`, mt: 1, st: 1 });
    }
    tl.redraw();
  });
  assert.ok(await page.evaluate(() => document.querySelector('.tl-container').classList.contains('tl-dark')));
  // The background pixel is dark.
  const px = await page.evaluate(() => {
    const c = document.querySelector('.tl-canvas');
    const d = c.getContext('2d').getImageData(c.width - 4, c.height / 2, 1, 1).data;
    return [d[0], d[1], d[2]];
  });
  assert.ok(px[0] < 60 && px[1] < 60 && px[2] < 60, `dark background ${px}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-day-dark-phone.png') });
  await page.evaluate(() => tl.goPeriod('year'));
  await settle(page);
  assert.match(await page.getAttribute('.tl-canvas', 'aria-label'), /^Timeline: 2026, 12 months$/);
  const rows = await page.$$eval('.tl-sr button', (bs) => bs.map((b) => b.textContent));
  assert.equal(rows.length, 12);
  assert.match(rows[10], /^Nov: \d+h\d\dm tracked\. Zoom in$/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-year-dark-phone.png') });
  assert.deepEqual(errors, []);
  await context.close();
});
