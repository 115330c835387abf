// Benchmark of the timeline view (for `make bench`): 10,000 records cached in memory, Debian's
// chromium through playwright-core. Measures the first paint (createTimeline with a synchronous
// first draw, day view), switching to the year view (the first redraw groups the year's records
// into month blocks; the next ones reuse them until the data changes), and frame times while
// panning in both (target: every frame under 16 ms). Prints one JSON line and a summary.
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
let version = 1;
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
  dataVersion: () => version, // changed below as an edit would
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
const { periodRange } = await import('/app/common/calendar.js');
const [y1, y2] = periodRange(now, 'year');
// the steps, driven from outside so each can be timed in main-thread CPU as well
window.bench = {
  dayPan: () => frames(d1, d2, 60),
  yearPan: () => frames(y1, y2, 60),
  showYear: () => { const s = performance.now(); tl.setRange(y1, y2); return performance.now() - s; },
  showDay: () => tl.setRange(d1, d2),
  edit: () => { version++; }, // as after an edit: the months are grouped again
  idle: async () => { for (let i = 0; i < 40; i++) await new Promise((r) => requestIdleCallback(r, { timeout: 200 })); },
  recordsInYear: () => getRecords(y1, y2).length,
};
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
    // main-thread CPU time (the machine may be busy with other work: wall times then grow)
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const threadTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime').value;
    const timed = async (fn) => {
      const a = await threadTime();
      const wall = await page.evaluate(fn);
      return { wall, cpu: ((await threadTime()) - a) * 1000 };
    };
    const r = await page.evaluate(() => window.result);
    r.dayPan = await page.evaluate(() => window.bench.dayPan());
    r.yearCold = await timed(() => window.bench.showYear()); // at once after the start
    await page.evaluate(() => window.bench.showDay());
    await page.evaluate(() => window.bench.idle()); // as a person gets there: the app idled a moment
    await page.evaluate(() => window.bench.edit());
    r.yearFirst = await timed(() => window.bench.showYear());
    r.yearAgain = await timed(() => window.bench.showYear());
    const pan = await timed(() => window.bench.yearPan());
    r.yearPan = { ...pan.wall, cpuPerFrame: pan.cpu / 60 };
    r.recordsInYear = await page.evaluate(() => window.bench.recordsInYear());
    results.push(r);
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
  year_cold_redraw_ms_median: +med(results.map((r) => r.yearCold.wall)).toFixed(1),
  year_cold_redraw_cpu_ms_median: +med(results.map((r) => r.yearCold.cpu)).toFixed(1),
  year_first_redraw_ms_median: +med(results.map((r) => r.yearFirst.wall)).toFixed(1),
  year_first_redraw_ms_max: +Math.max(...results.map((r) => r.yearFirst.wall)).toFixed(1),
  year_first_redraw_cpu_ms_median: +med(results.map((r) => r.yearFirst.cpu)).toFixed(1),
  year_paint_ms_median: +med(results.map((r) => r.yearAgain.wall)).toFixed(1),
  year_pan_frame_ms_median: +med(results.map((r) => r.yearPan.median)).toFixed(2),
  year_pan_frame_ms_max: +Math.max(...results.map((r) => r.yearPan.max)).toFixed(2),
  year_pan_frame_cpu_ms_mean: +med(results.map((r) => r.yearPan.cpuPerFrame)).toFixed(2),
  records_in_year_view: results[0].recordsInYear,
};
console.log(JSON.stringify(summary));
console.log(`timeline: first paint with 10,000 records ${summary.first_paint_ms_median} ms median ` +
  `(max ${summary.first_paint_ms_max} ms, on screen after ${summary.first_frame_ms_median} ms; target < 300 ms)`);
console.log(`timeline: year view, first redraw ${summary.year_first_redraw_ms_median} ms median (max ${summary.year_first_redraw_ms_max} ms; ` +
  `${summary.year_first_redraw_cpu_ms_median} ms main-thread CPU), then ${summary.year_paint_ms_median} ms; TimeTagger's client: 14 ms (target < 16 ms)`);
console.log(`timeline: year view at once after the start, before the idle browser read the tags: ${summary.year_cold_redraw_ms_median} ms ` +
  `(${summary.year_cold_redraw_cpu_ms_median} ms CPU)`);
console.log(`timeline: pan frames ${summary.day_pan_frame_ms_median} ms (day) / ${summary.year_pan_frame_ms_median} ms (year) median, ` +
  `longest ${summary.day_pan_frame_ms_max} / ${summary.year_pan_frame_ms_max} ms, year ${summary.year_pan_frame_cpu_ms_mean} ms CPU a frame; ` +
  `TimeTagger's client: 7.6 ms longest in the year (target < 16 ms)`);
await mkdir(path.join(ROOT, 'build/artifacts'), { recursive: true });
await writeFile(path.join(ROOT, 'build/artifacts/bench-timeline.json'), JSON.stringify(summary, null, 2) + '\n');
