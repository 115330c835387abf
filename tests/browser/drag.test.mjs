// Browser test of dragging the empty timeline in the app, read from what a person sees:
// a plain drag moves through time (the range title goes to a later day, as in TimeTagger)
// and opens nothing; Shift+drag opens a new record for the dragged hours.
process.env.TZ = 'Europe/Amsterdam';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { skipReason, launch, startFixtureServer, newPage, localLogin } from './browser-lib.mjs';

const skip = skipReason();

/** Where the middle of the strip and a time of the shown day are on screen. */
function at(page, hours) {
  return page.evaluate(async (hh) => {
    const { computeLayout } = await import(new URL('timeline/draw.js', location.href).href);
    const r = document.querySelector('.tl-canvas').getBoundingClientRect();
    const lay = computeLayout(Math.round(r.width), Math.round(r.height));
    return { x: r.left + lay.stripX + lay.stripW / 2, y: r.top + lay.y1 + (hh / 24) * (lay.y2 - lay.y1), h: lay.y2 - lay.y1 };
  }, hours);
}

describe('dragging the timeline', { skip: skip || false, timeout: 300000 }, () => {
  let server, browser;
  before(async () => { server = await startFixtureServer(); browser = await launch(); });
  after(async () => { if (browser) await browser.close(); if (server) await server.stop(); });

  test('a drag pans to the next day; Shift+drag makes a record', async () => {
    const { context, page } = await newPage(browser);
    await localLogin(page, server);
    await page.goto(server.appUrl + '#date=2026-01-06');
    await page.waitForFunction(() => document.getElementById('range-label').textContent === 'Tue 6 Jan 2026');
    const p = await at(page, 15);
    await page.mouse.move(p.x, p.y);
    await page.mouse.down();
    await page.mouse.move(p.x, p.y - p.h * 0.6, { steps: 8 });
    await page.mouse.up();
    // a later day (the next one, or further when a busy machine makes the drag a flick)
    await page.waitForFunction(() => /^\w{3} ([7-9]|1\d) Jan 2026$/.test(document.getElementById('range-label').textContent) && window.tagwatch.app.tl.settled());
    assert.equal(await page.locator('dialog[open]').count(), 0, 'nothing to fill in');
    const day = await page.evaluate(() => { const d = new Date(window.tagwatch.app.getRange()[0] * 1000); return `2026-01-${String(d.getDate()).padStart(2, '0')}`; });

    await page.keyboard.down('Shift');
    const q = await at(page, 14);
    await page.mouse.move(q.x, q.y + 1);
    await page.mouse.down();
    await page.mouse.move(q.x, q.y + 1 + p.h / 12, { steps: 8 }); // two hours down
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await page.waitForSelector('dialog[open] #rd-ds');
    assert.equal(await page.textContent('dialog[open] h2'), 'New record');
    assert.equal(await page.inputValue('dialog[open] [aria-label="Start time"]'), '14:00');
    assert.equal(await page.inputValue('dialog[open] [aria-label="End time"]'), '16:00');
    assert.equal(await page.inputValue('dialog[open] [aria-label="Start date"]'), day);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
