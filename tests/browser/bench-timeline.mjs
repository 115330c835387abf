// Benchmark of the timeline view (for `make bench`): 10,000 records cached in memory, Debian's
// chromium through playwright-core. Measures the first paint (createTimeline with a synchronous
// first draw, day view), a year view (10,000 records aggregated into month blocks), and frame
// times while panning in both. Prints one JSON line and a readable summary; asserts nothing.
//   node tests/browser/bench-timeline.mjs [--runs N]
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WWW = path.join(ROOT, 'www');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Records like a heavy user's: 10,000 over the last ~14 months, 1-4 tags each, sorted by t1;
// getRecords answers with a binary search on t1 plus a scan bounded by the longest record,
// as an indexed store would.
const PAGE = `<!doctype html><html><body style="margin:0"><div id="tl" style="height:100vh"></div>
<script type="module">
const now = Date.now() / 1000;
const tags = ['#work', '#meeting', '#client1', '#client2', '#admin', '#reading', '#sport', '#billable'];
const recs = [];
for (let i = 0; i < 10000; i++) {
  const t1 = Math.floor(now - 420 * 86400 + i * (420 * 86400 / 10000));
  const n = 1 + (i % 4);
  const ts = Array.from({ length: n }, (_, j) => tags[(i * 7 + j * 3) % tags.length]);
  recs.push({ key: 'k' + i, t1, t2: t1 + 900 + (i % 9) * 300, ds: 'task ' + i + ' ' + ts.join(' '), mt: now, st: now });
}
const starts = recs.map((r) => r.t1);
const MAXLEN = 4 * 3600;
function getRecords(t1, t2) {
  let lo = 0, hi = starts.length;
  const from = t1 - MAXLEN;
  while (lo < hi) { const m = (lo + hi) >> 1; if (starts[m] < from) lo = m + 1; else hi = m; }
  const out = [];
  for (let i = lo; i < recs.length && recs[i].t1 <= t2; i++) if (recs[i].t2 >= t1) out.push(recs[i]);
  return out;
}
const colors = ['#4c8bf5', '#e07a5f', '#3fb07f', '#a78bfa', '#f2b134', '#ef476f', '#06b6d4', '#9aa1ad'];
const opts = {
  getRecords, getSettings: () => ({ first_day_of_week: 1, workdays: 2, time_repr: '24h', duration_repr: 'hms', darkmode: 1 }),
  colorForTags: (t) => colors[tags.indexOf(t[0]) & 7] || '#DEAA22', selectedTags: () => [],
  onEditRecord() {}, onChangeRecordTimes() {}, onCreateRecord() {}, onRangeChange() {}, now: () => Date.now() / 1000,
};
const t0 = performance.now();
const { createTimeline } = await import('/app/timeline/index.js');
const t1 = performance.now();
const tl = createTimeline(document.getElementById('tl'), opts);
const t2 = performance.now();
// The frame after: the browser has taken the canvas to the screen.
await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
const t3 = performance.now();
window.tl = tl;
window.result = { importMs: t1 - t0, firstPaintMs: t2 - t1, firstFrameMs: t3 - t1 };
// Frame cost while panning: time of redraws at moving ranges.
function frames(a, b, n) {
  const span = b - a;
  const times = [];
  for (let i = 0; i < n; i++) {
    const d = (i / n) * span * 0.5;
    const s = performance.now();
    tl.setRange(a + d, b + d);
    times.push(performance.now() - s);
  }
  times.sort((x, y) => x - y);
  return { median: times[n >> 1], max: times[n - 1] };
}
const [d1, d2] = tl.getRange();
window.result.dayPan = frames(d1, d2, 60);
tl.goPeriod('year');
await new Promise((r) => setTimeout(r, 400));
const [y1, y2] = tl.getRange();
const s = performance.now();
tl.redraw();
window.result.yearPaintMs = performance.now() - s;
window.result.yearPan = frames(y1, y2, 60);
window.result.recordsInYear = getRecords(y1, y2).length;
window.done = true;
</script></body></html>`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
const results = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await page.route('http://bench.test/**', async (route) => {
      const u = new URL(route.request().url());
      if (u.pathname === '/') return route.fulfill({ contentType: 'text/html', body: PAGE });
      const file = path.join(WWW, path.normalize(u.pathname));
      try {
        return route.fulfill({ body: await readFile(file), contentType: file.endsWith('.css') ? 'text/css' : 'text/javascript' });
      } catch {
        return route.fulfill({ status: 404, body: '' });
      }
    });
    await page.goto('http://bench.test/');
    await page.waitForFunction(() => window.done === true, null, { timeout: 60000 });
    results.push(await page.evaluate(() => window.result));
    await context.close();
  }
} finally {
  await browser.close();
}

const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const summary = {
  runs: RUNS,
  records: 10000,
  first_paint_ms_median: +med(results.map((r) => r.firstPaintMs)).toFixed(1),
  first_paint_ms_max: +Math.max(...results.map((r) => r.firstPaintMs)).toFixed(1),
  first_frame_ms_median: +med(results.map((r) => r.firstFrameMs)).toFixed(1),
  module_import_ms_median: +med(results.map((r) => r.importMs)).toFixed(1),
  day_pan_frame_ms_median: +med(results.map((r) => r.dayPan.median)).toFixed(2),
  day_pan_frame_ms_max: +Math.max(...results.map((r) => r.dayPan.max)).toFixed(2),
  year_paint_ms_median: +med(results.map((r) => r.yearPaintMs)).toFixed(1),
  year_pan_frame_ms_median: +med(results.map((r) => r.yearPan.median)).toFixed(2),
  year_pan_frame_ms_max: +Math.max(...results.map((r) => r.yearPan.max)).toFixed(2),
  records_in_year_view: results[0].recordsInYear,
};
console.log(JSON.stringify(summary));
console.log(`timeline: first paint with 10,000 records ${summary.first_paint_ms_median} ms median ` +
  `(max ${summary.first_paint_ms_max} ms, on screen after ${summary.first_frame_ms_median} ms; target < 300 ms); year view ${summary.year_paint_ms_median} ms; ` +
  `pan frames ${summary.day_pan_frame_ms_median} ms (day) / ${summary.year_pan_frame_ms_median} ms (year) median`);
await mkdir(path.join(ROOT, 'build/artifacts'), { recursive: true });
await writeFile(path.join(ROOT, 'build/artifacts/bench-timeline.json'), JSON.stringify(summary, null, 2) + '\n');
