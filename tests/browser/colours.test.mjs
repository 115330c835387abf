// Browser test of the tags' own colours as a person sees them: on the timeline (pixels of the
// canvas), in the list, in the overview and in the week's blocks every tag has a colour of
// its own, the same everywhere and in dark mode; a colour the user picks wins and syncs.
process.env.TZ = 'Europe/Amsterdam';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, launch, startFixtureServer, newPage, localLogin, waitSynced, tokenOf, serverSettings, eventually, artifact } from './browser-lib.mjs';
import { defaultTagColor, UNTAGGED_COLOR } from '../../www/app/common/palette.js';

const skip = skipReason();
const base = new Date(2026, 0, 6).getTime() / 1000; // Tue 6 Jan 2026, 00:00 in Amsterdam
const RECORDS = [
  { key: 'colWork1', t1: base + 9 * 3600, t2: base + 10 * 3600, ds: 'Planning #work' },
  { key: 'colCli01', t1: base + 10 * 3600, t2: base + 11 * 3600, ds: 'Call #client1' },
  { key: 'colMeet1', t1: base + 11 * 3600, t2: base + 12 * 3600, ds: 'Standup #meeting' },
  { key: 'colNone1', t1: base + 13 * 3600, t2: base + 14 * 3600, ds: 'Lunch' },
];
const rgb = (hex) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

/** The colour of the timeline's canvas in the middle of the bar at [t1, t2] of the day shown. */
function barColour(page, t1, t2) {
  return page.evaluate(async ([b, a, z]) => {
    const { computeLayout } = await import(new URL('timeline/draw.js', location.href).href);
    const c = document.querySelector('.tl-canvas');
    const r = c.getBoundingClientRect();
    const lay = computeLayout(Math.round(r.width), Math.round(r.height));
    const spp = 86400 / (lay.y2 - lay.y1);
    const x = lay.stripX + lay.stripW / 2, y = lay.y1 + ((a + z) / 2 - b) / spp;
    const k = c.width / r.width;
    const [R, G, B] = c.getContext('2d').getImageData(Math.round(x * k), Math.round(y * k), 1, 1).data;
    return `rgb(${R}, ${G}, ${B})`;
  }, [base, t1, t2]);
}

async function openDay(page, server) {
  await localLogin(page, server);
  await page.evaluate((recs) => window.tagwatch.store.put('records', recs), RECORDS);
  await page.goto(server.appUrl + '#date=2026-01-06');
  await page.waitForFunction(() => /6 Jan 2026/.test(document.getElementById('range-label').textContent));
  await page.waitForFunction(() => window.tagwatch.app.tl.settled());
}

describe('every tag its own colour', { skip: skip || false, timeout: 300000 }, () => {
  let server, browser;
  before(async () => { server = await startFixtureServer(); browser = await launch(); });
  after(async () => { if (browser) await browser.close(); if (server) await server.stop(); });

  for (const dark of [false, true]) {
    test(`timeline, list, overview and week blocks (${dark ? 'dark' : 'light'})`, async () => {
      const { context, page } = await newPage(browser, { dark });
      await openDay(page, server);
      const want = { '#work': defaultTagColor('#work'), '#client1': defaultTagColor('#client1'), '#meeting': defaultTagColor('#meeting') };
      assert.equal(new Set(Object.values(want)).size, 3, 'three tags, three colours');
      // the timeline's bars
      for (const r of RECORDS) {
        const tag = r.ds.split(' ')[1] || '#untagged';
        assert.equal(await barColour(page, r.t1, r.t2), rgb(want[tag] || UNTAGGED_COLOR), `bar of ${r.ds}`);
      }
      await page.screenshot({ path: artifact(`tag-colours-day-${dark ? 'dark' : 'light'}.png`) });
      // the overview: one bar per tag, in the tag's colour; the list: the bar beside each
      // record and the "#" of its tag. Read in one go (the views redraw as sync goes on), once
      // they have caught up with the new records.
      const colours = () => page.evaluate(() => {
        const css = (sel, prop) => { const e = document.querySelector(sel); return e ? getComputedStyle(e)[prop] : ''; };
        const out = {};
        for (const tag of ['#work', '#client1', '#meeting']) out['overview ' + tag] = css(`.iv-combo[data-tagz="${tag}"] .iv-bar`, 'backgroundColor');
        for (const key of ['colWork1', 'colCli01', 'colMeet1']) {
          out['bar ' + key] = css(`#list .rec[data-key="${key}"] .bar`, 'backgroundColor');
          out['hash ' + key] = css(`#list .rec[data-key="${key}"] .tag .hash`, 'color');
        }
        return out;
      });
      await page.click('#show-list');
      const seen = await eventually(async () => { const c = await colours(); return Object.values(c).every(Boolean) && c; }, { what: 'the overview and the list' });
      for (const [key, tag] of [['colWork1', '#work'], ['colCli01', '#client1'], ['colMeet1', '#meeting']]) {
        assert.equal(seen['overview ' + tag], rgb(want[tag]), `overview ${tag}`);
        assert.equal(seen['bar ' + key], rgb(want[tag]), `list bar ${tag}`);
        assert.equal(seen['hash ' + key], rgb(want[tag]), `list # of ${tag}`);
      }
      await page.click('#show-timeline');
      // the week around that day (zoom out): the day's block has a bar per tag in its colour
      await page.keyboard.press('ArrowLeft');
      await page.waitForFunction(() => /^Week 2 /.test(document.getElementById('range-label').textContent) && window.tagwatch.app.tl.settled());
      const painted = await page.evaluate(() => {
        const c = document.querySelector('.tl-canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const seen = new Set();
        for (let i = 0; i < d.length; i += 4) seen.add(`rgb(${d[i]}, ${d[i + 1]}, ${d[i + 2]})`);
        return [...seen];
      });
      for (const [tag, c] of Object.entries(want)) assert.ok(painted.includes(rgb(c)), `the week shows ${tag}`);
      await page.screenshot({ path: artifact(`tag-colours-week-${dark ? 'dark' : 'light'}.png`) });
      assert.deepEqual(page.errors, []);
      await context.close();
    });
  }

  test('a colour the user picks wins everywhere and reaches the server', async () => {
    const { context, page } = await newPage(browser);
    await openDay(page, server);
    await page.keyboard.press('g');
    await page.fill('dialog[open] input[type="search"]', 'work');
    // read in one go: the list redraws (and replaces its swatches) as sync brings settings
    const swatch = () => page.evaluate(() => {
      const b = document.querySelector('dialog[open] button[aria-label="Colour of #work"]');
      return b ? getComputedStyle(b).backgroundColor : '';
    });
    const before = await eventually(swatch, { what: 'the swatch of #work' });
    assert.equal(before, rgb(defaultTagColor('#work')), 'the swatch shows the own colour before a pick');
    await page.click('dialog[open] button[aria-label="Colour of #work"]');
    const picked = await page.getAttribute('dialog[open] .palette button >> nth=12', 'aria-label');
    await page.click('dialog[open] .palette button >> nth=12');
    await page.waitForFunction(() => document.querySelectorAll('dialog[open]').length === 1); // the picker closed
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog[open]', { state: 'detached' });
    await eventually(async () => (await barColour(page, RECORDS[0].t1, RECORDS[0].t2)) === rgb(picked), { what: 'the picked colour on the timeline' });
    assert.equal(await barColour(page, RECORDS[1].t1, RECORDS[1].t2), rgb(defaultTagColor('#client1')), 'other tags keep theirs');
    await waitSynced(page);
    const settings = await serverSettings(server, await tokenOf(page));
    assert.equal(settings.get('taginfo #work').color, picked);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
