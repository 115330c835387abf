// Benchmark of a share link's page (docs/webapi.md, "Share links and teams"), for `make bench`: a link
// to a report of 10,000 records over a year, opened in a fresh browser context each time (no
// login, no cache): from the start of the navigation to the report's first paint (the
// records fetched with the link's token, the report computed, totals and first rows painted).
// Target < 500 ms. Prints one line per figure, no asserts. Usage: node tests/browser/bench-share.mjs [--json]

import { skipReason, launch, startLocal, putRecords } from './insight-lib.mjs';

const asJson = process.argv.includes('--json');
const results = [];
const out = (name, ms, target) => {
  results.push({ name, ms: Math.round(ms * 10) / 10, target });
  if (!asJson) console.log(`${name}: ${ms.toFixed(1)} ms${target ? ` (target < ${target} ms)` : ''}`);
};

const skip = skipReason();
if (skip) {
  console.log(`share benchmark skipped: ${skip}`);
} else {
  const { server, client } = await startLocal();
  const browser = await launch();
  try {
    const start = Date.UTC(2025, 0, 1) / 1000, end = Date.UTC(2026, 0, 1) / 1000;
    const step = Math.floor((end - start) / 10000);
    const recs = [];
    for (let i = 0; i < 10000; i++) {
      const t1 = start + i * step;
      recs.push({ key: 'shb' + String(i).padStart(5, '0'), t1, t2: t1 + Math.floor(step * 0.8), ds: `#client ${['#dev', '#meeting', '#review'][i % 3]} task ${i % 97}` });
    }
    for (let i = 0; i < recs.length; i += 2000) await putRecords(client, recs.slice(i, i + 2000));
    const made = await client.post('shares', { title: 'Bench', tags: ['#client'], timerange: `${start}-${end - 1}` });
    if (made.status !== 200) throw new Error(`POST shares: ${made.status} ${made.text}`);
    const url = server.baseUrl + server.prefix + 'share#' + made.json.token;
    const runs = [], cpus = [], waits = [];
    for (let i = 0; i < 5; i++) {
      const context = await browser.newContext({ serviceWorkers: 'block', timezoneId: 'UTC' });
      const page = await context.newPage();
      // the page's main-thread CPU time too: on a busy machine the wall time also holds the
      // time other programs had the CPU
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const threadTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime').value;
      const before = await threadTime();
      await page.goto(url);
      await page.waitForFunction(() => performance.getEntriesByName('tagwatch-share-painted').length > 0, null, { timeout: 30000 });
      cpus.push(((await threadTime()) - before) * 1000);
      // how long the records' answer took from the request to its last byte
      waits.push(await page.evaluate(() => {
        const e = performance.getEntriesByType('resource').find((r) => r.name.includes('/records?'));
        return e ? e.responseEnd - e.requestStart : 0;
      }));
      const [ms, count] = await page.evaluate(() => [performance.getEntriesByName('tagwatch-share-painted')[0].startTime,
        document.querySelector('.iv-summary').textContent]);
      if (!count.includes('10000 records')) throw new Error('the page shows ' + count);
      runs.push(ms);
      if (process.env.SHARE_BENCH_DETAIL) console.log(await page.evaluate(() => performance.getEntriesByType('resource').map((e) => `${e.name.replace(/^.*timetagger\//, '').slice(0, 40)} ${e.startTime.toFixed(0)}-${e.responseEnd.toFixed(0)}`).join('\n') + '\n' + performance.getEntriesByType('mark').map((m) => m.name + ' ' + m.startTime.toFixed(0)).join('\n') + '\nDCL ' + performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd.toFixed(0)));
      await context.close();
    }
    for (const list of [runs, cpus, waits]) list.sort((a, b) => a - b);
    out('shared report of 10,000 records: open the link to first paint, fresh browser (chromium, median of 5)', runs[2], 500);
    out('  of which the page\'s main-thread CPU time (median)', cpus[2]);
    out('  and the records\' answer, request to last byte (median)', waits[2]);
  } finally {
    await browser.close();
    await server.stop();
  }
}
if (asJson) console.log(JSON.stringify(results));
