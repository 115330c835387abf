// Tests for www/app/timeline/geometry.js: time<->pixel mapping, lanes, label layout, grid and
// drag snapping. Table-driven.
process.env.TZ = 'Asia/Kolkata'; // a half-hour offset checks that grids are in local time

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeMapper, assignLanes, layoutLabels, gridFor, roundToGrid, nearestCandidate, snapTime, dragTimes,
} from '../../www/app/timeline/geometry.js';

const L = (y, mo, d, h = 0, mi = 0, s = 0) => new Date(y, mo - 1, d, h, mi, s).getTime() / 1000;

test('makeMapper maps both ways', () => {
  const m = makeMapper(1000, 2000, 50, 550);
  const cases = [[1000, 50], [2000, 550], [1500, 300], [900, 0], [2100, 600]];
  for (const [t, y] of cases) {
    assert.equal(m.toY(t), y);
    assert.equal(m.toT(y), t);
  }
  assert.equal(m.secPerPx, 2);
});

test('assignLanes puts overlapping records side by side', () => {
  const cases = [
    [[], [], []],
    [[[0, 10]], [0], [1]],
    [[[0, 10], [10, 20]], [0, 0], [1, 1]], // touching is not overlapping
    [[[0, 10], [5, 15]], [0, 1], [2, 2]],
    [[[0, 10], [5, 15], [12, 20]], [0, 1, 0], [2, 2, 2]],
    [[[0, 10], [5, 15], [6, 8], [20, 30]], [0, 1, 2, 0], [3, 3, 3, 1]],
    [[[0, 100], [10, 20], [30, 40], [50, 60]], [0, 1, 1, 1], [2, 2, 2, 2]],
  ];
  for (const [spans, lane, lanes] of cases) {
    const r = assignLanes(spans.map(([t1, t2]) => ({ t1, t2 })));
    assert.deepEqual(r.lane, lane, JSON.stringify(spans));
    assert.deepEqual(r.lanes, lanes, JSON.stringify(spans));
  }
});

function assertNoOverlap(items, tops, top, bottom, gap) {
  const placed = items.map((it, i) => [tops[i], it.h]).filter(([y]) => y !== null).sort((a, b) => a[0] - b[0]);
  for (let i = 0; i < placed.length; i++) {
    assert.ok(placed[i][0] >= top - 1e-9, 'inside top');
    assert.ok(placed[i][0] + placed[i][1] <= bottom + 1e-9, 'inside bottom');
    if (i) assert.ok(placed[i - 1][0] + placed[i - 1][1] + gap <= placed[i][0] + 1e-9, 'no overlap');
  }
}

test('layoutLabels: no overlaps, clusters centred, low priority dropped when full', () => {
  const cases = [
    // items (y, h, priority), top, bottom, expected tops
    [[[100, 20]], 0, 500, [90]],
    [[[100, 20], [300, 20]], 0, 500, [90, 290]],
    [[[100, 20], [105, 20]], 0, 500, [80.5, 104.5]], // cluster centred on 102.5, gap 4
    [[[5, 20]], 0, 500, [0]], // clamped to the top
    [[[498, 20]], 0, 500, [480]], // clamped to the bottom
    [[[10, 20], [12, 20], [14, 20]], 0, 500, [0, 24, 48]],
  ];
  for (const [spec, top, bottom, want] of cases) {
    const items = spec.map(([y, h, p]) => ({ y, h, priority: p || 0 }));
    const tops = layoutLabels(items, top, bottom, 4);
    assert.deepEqual(tops, want, JSON.stringify(spec));
    assertNoOverlap(items, tops, top, bottom, 4);
  }
  // Too many: 10 cards of 30 in 100 px keep the 3 of highest priority.
  const many = Array.from({ length: 10 }, (_, i) => ({ y: 50, h: 30, priority: i }));
  const tops = layoutLabels(many, 0, 100, 4);
  assert.deepEqual(tops.map((t) => t !== null), [false, false, false, false, false, false, false, true, true, true]);
  assertNoOverlap(many, tops, 0, 100, 4);
  // Order is kept: a card wanted higher is placed higher.
  const rnd = Array.from({ length: 40 }, (_, i) => ({ y: (i * 7919) % 600, h: 12 }));
  const t2 = layoutLabels(rnd, 0, 600, 2);
  assertNoOverlap(rnd, t2, 0, 600, 2);
  const byWanted = rnd.map((it, i) => [it.y, t2[i]]).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < byWanted.length; i++) assert.ok(byWanted[i][1] >= byWanted[i - 1][1]);
  // A cascade: a cluster growing into the one above merges with it.
  const cascade = [{ y: 40, h: 20 }, { y: 70, h: 20 }, { y: 72, h: 20 }, { y: 74, h: 20 }];
  const t3 = layoutLabels(cascade, 0, 500, 4);
  assertNoOverlap(cascade, t3, 0, 500, 4);
});

test('gridFor fits the zoom; roundToGrid is in local time', () => {
  const cases = [
    [86400 / 700, 300], // a day on a desktop: 5 min
    [86400 / 500, 300], // a day on a phone
    [3600 / 700, 60], // an hour: 1 min
    [300 / 700, 1], // 5 minutes: seconds
    [7 * 86400 / 700, 3600],
  ];
  for (const [spp, want] of cases) assert.equal(gridFor(spp), want, `spp ${spp}`);
  // Kolkata is UTC+5:30: a 1 h grid lands on local whole hours.
  const t = L(2024, 2, 7, 9, 40);
  assert.equal(roundToGrid(t, 3600), L(2024, 2, 7, 10));
  assert.equal(roundToGrid(L(2024, 2, 7, 9, 2, 29), 300), L(2024, 2, 7, 9));
  assert.equal(roundToGrid(L(2024, 2, 7, 9, 2, 31), 300), L(2024, 2, 7, 9, 5));
});

test('nearestCandidate and snapTime', () => {
  const c = [100, 200, 300];
  const cases = [[190, 20, 200], [149, 60, 100], [151, 60, 200], [250, 10, null], [0, 100, 100], [1000, 700, 300], [250, 50, 200]]; // a tie goes to the earlier edge
  for (const [t, d, want] of cases) assert.equal(nearestCandidate(t, c, d), want, `${t} ${d}`);
  assert.equal(nearestCandidate(5, [], 100), null);
  const t0 = L(2024, 2, 7, 9, 0);
  const opts = { candidates: [t0 + 1234], secPerPx: 10, snapPx: 10, grid: 300 };
  assert.deepEqual(snapTime(t0 + 1200, opts), { t: t0 + 1234, how: 'edge' }); // 34 s < 100 s
  assert.deepEqual(snapTime(t0 + 1000, opts), { t: t0 + 900, how: 'grid' });
});

test('dragTimes: edges, body, create, running records', () => {
  const t0 = L(2024, 2, 7, 9, 0);
  const rec = { t1: t0, t2: t0 + 3600 };
  const base = { secPerPx: 120, snapPx: 10, grid: 300, candidates: [t0 - 7200, t0 + 5400 + 30], now: t0 + 86400 };
  const cases = [
    ['start', rec, 620, { t1: t0 + 600, t2: t0 + 3600 }], // to the 5 min grid
    ['start', rec, 5000, { t1: t0 + 3598, t2: t0 + 3600 }], // never past the end
    ['end', rec, 1780, { t1: t0, t2: t0 + 5400 + 30 }], // within 1200 s of a neighbour's edge
    ['end', rec, -9000, { t1: t0, t2: t0 + 2 }],
    ['end', rec, 400, { t1: t0, t2: t0 + 3900 }],
    ['move', rec, 1000, { t1: t0 + 1830, t2: t0 + 5430 }], // end snaps to the neighbour
    ['move', rec, -6000, { t1: t0 - 7200, t2: t0 - 3600 }], // start snaps to the neighbour
    ['move', rec, 20000, { t1: t0 + 20100, t2: t0 + 23700 }], // grid: 14:33:20 -> 14:35
    ['create', { t1: t0 + 14000 }, 3000, { t1: t0 + 14100, t2: t0 + 17100 }], // 12:53:20 -> 12:55
    ['create', { t1: t0 + 14000 }, -3000, { t1: t0 + 11100, t2: t0 + 14100 }],
    ['create', { t1: t0 + 14000 }, 10, { t1: t0 + 14100, t2: t0 + 14400 }], // at least one grid step
  ];
  for (const [mode, orig, dt, want] of cases) assert.deepEqual(dragTimes(mode, orig, dt, base), want, `${mode} ${dt}`);
  // Running: only the start moves, the record stays running (t1 == t2), and not past now.
  const run = { t1: t0, t2: t0, running: true };
  assert.deepEqual(dragTimes('start', run, -620, { ...base, now: t0 + 600 }), { t1: t0 - 600, t2: t0 - 600 });
  assert.deepEqual(dragTimes('start', run, 5000, { ...base, candidates: [], now: t0 + 600 }), { t1: t0 + 598, t2: t0 + 598 });
  assert.equal(dragTimes('end', run, 10, base), null);
  assert.equal(dragTimes('move', run, 10, base), null);
  assert.equal(dragTimes('nope', rec, 10, base), null);
});
