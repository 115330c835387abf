// Benchmarks of insight (targets in README.md, The figures), for `make bench`: prints one line per figure, no asserts.
//  1. the report computation alone in node (10,000 records over a year, grouped by tags and week);
//  2. a report over a year of 10,000 records on screen in chromium (open the page, compute, render
//     the table with every record and the chart, two animation frames): target < 200 ms;
//  3. an import of 10,000 CSV rows through the page (analysis, batched store writes, sync to the
//     real server over loopback until it acknowledged everything): target < 10 s.
// Usage: node tests/browser/bench-insight.mjs [--json]

import { performance } from 'node:perf_hooks';
import { buildReport } from '../../www/app/insight/report.js';
import { skipReason, launch, startLocal, openApp, putRecords, waitForRecords } from './insight-lib.mjs';

const asJson = process.argv.includes('--json');
const results = [];
const out = (name, ms, target) => {
  results.push({ name, ms: Math.round(ms * 10) / 10, target });
  if (!asJson) console.log(`${name}: ${ms.toFixed(1)} ms${target ? ` (target < ${target} ms)` : ''}`);
};

const YEAR = 2025;
const TAGS = ['#acme', '#beta', '#gamma', '#internal', '#admin'];
const SUB = ['#dev', '#meeting', '#review', '#support'];
function makeRecords(n, start, span) {
  const recs = [];
  const step = Math.floor(span / n);
  for (let i = 0; i < n; i++) {
    const t1 = start + i * step;
    recs.push({ key: 'bench' + String(i).padStart(5, '0'), t1, t2: t1 + Math.floor(step * 0.8), ds: `${TAGS[i % 5]} ${SUB[(i >> 2) % 4]} task ${i % 97}` });
  }
  return recs;
}

// 1. pure computation
{
  const start = new Date(YEAR, 0, 1).getTime() / 1000, end = new Date(YEAR + 1, 0, 1).getTime() / 1000;
  const recs = makeRecords(10000, start, end - start);
  const runs = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    buildReport(recs, { t1: start, t2: end, now: end, grouping: 'tagz', groupPeriod: 'week', format: 'hm', rates: { '#acme': 80 } });
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  out('report computation, 10,000 records over a year (node, median of 7)', runs[3]);
}

const skip = skipReason();
if (skip) {
  console.log(`browser benchmarks skipped: ${skip}`);
} else {
  const { server, token, client } = await startLocal();
  const browser = await launch();
  try {
    const { page } = await openApp(browser, server, token);
    const start = await page.evaluate((y) => new Date(y, 0, 1).getTime() / 1000, YEAR);
    const end = await page.evaluate((y) => new Date(y + 1, 0, 1).getTime() / 1000, YEAR);
    const recs = makeRecords(10000, start, end - start);
    for (let i = 0; i < recs.length; i += 2000) await putRecords(client, recs.slice(i, i + 2000));
    await waitForRecords(page, [recs[0].key, recs[recs.length - 1].key], 60000);

    // 2. report on screen: the visible range set to the year, then the Reports page opened
    await page.evaluate(([a, b]) => window.tagwatch.app.setRange(a, b), [start, end]);
    const runs = [];
    const full = [];
    for (let i = 0; i < 5; i++) {
      const [ms, all] = await page.evaluate(async () => {
        const frames = () => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
        const t0 = performance.now();
        const r = await window.tagwatch.app.insight.openReports(); // its module loads on first use
        await frames();
        const ms = performance.now() - t0;
        while (document.querySelector('dialog.iv-page .iv-loading')) await new Promise((res) => setTimeout(res, 5));
        await frames();
        const all = performance.now() - t0;
        const rows = document.querySelectorAll('dialog.iv-page .iv-table tr.iv-rec').length;
        r.close();
        if (rows !== 10000) throw new Error(`only ${rows} rows: ${document.querySelector('dialog.iv-page .iv-summary')?.textContent} range ${window.tagwatch.app.getRange()}`);
        return [ms, all];
      });
      runs.push(ms);
      full.push(all);
      await page.waitForTimeout(300); // let the closed dialog's history entry settle
    }
    runs.sort((a, b) => a - b);
    full.sort((a, b) => a - b);
    out('report of 10,000 records over a year on screen: totals, chart and first rows painted (chromium, median of 5)', runs[2], 200);
    out('the same report with all 10,000 rows in the table (the rest added in chunks after the first paint)', full[2]);

    // 3. import 10,000 rows
    const lines = ['start,stop,tags,description'];
    const istart = start - 366 * 86400;
    for (let i = 0; i < 10000; i++) {
      const t1 = istart + i * 3000;
      lines.push(`${t1},${t1 + 2400},imported ${TAGS[i % 5].slice(1)},"row ${i}, imported"`);
    }
    const csv = lines.join('\n');
    const ms = await page.evaluate(async (text) => {
      const io = await window.tagwatch.app.insight.openImportExport();
      const dlg = document.querySelector('dialog.iv-page');
      dlg.querySelector('textarea').value = text;
      const t0 = performance.now();
      const a = io.analyse();
      if (a.counts.create !== 10000) throw new Error('analysis: ' + JSON.stringify(a.counts));
      await io.runImport();
      const ms = performance.now() - t0;
      io.close();
      return ms;
    }, csv);
    const check = await client.get('records?timerange=0-9999999999');
    const n = check.json.records.filter((r) => r.ds.includes('imported')).length;
    out(`import of 10,000 CSV rows to the server over loopback (${n} on the server)`, ms, 10000);
  } finally {
    await browser.close();
    await server.stop();
  }
}
if (asJson) console.log(JSON.stringify(results));
