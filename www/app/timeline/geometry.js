// geometry.js: the timeline's pixel maths, DOM-free: time<->pixel mapping, lanes for
// overlapping records, the placement of label cards so they never overlap, and the snapping of
// dragged times (to neighbours' edges, to now, to a grid that fits the zoom).

/** A linear map of [t1, t2] onto pixel rows [y1, y2]. */
export function makeMapper(t1, t2, y1, y2) {
  const k = (y2 - y1) / Math.max(t2 - t1, 1e-9);
  return {
    t1, t2, y1, y2,
    secPerPx: 1 / k,
    toY: (t) => y1 + (t - t1) * k,
    toT: (y) => t1 + (y - y1) / k,
  };
}

/**
 * Lanes for records drawn side by side where they overlap. `items` are {t1, t2} sorted by t1
 * (t2 already resolved for running records). Returns {lane, lanes} arrays: lane index of each
 * item and the lane count of the cluster of mutually overlapping records it belongs to.
 */
export function assignLanes(items) {
  const lane = new Array(items.length);
  const lanes = new Array(items.length);
  let ends = []; // end time per lane of the current cluster
  let clusterStart = 0;
  let clusterEnd = -Infinity;
  const close = (upto) => {
    for (let j = clusterStart; j < upto; j++) lanes[j] = ends.length;
  };
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (it.t1 >= clusterEnd) {
      close(i);
      clusterStart = i;
      ends = [];
    }
    let l = ends.findIndex((e) => e <= it.t1);
    if (l < 0) {
      l = ends.length;
      ends.push(it.t2);
    } else {
      ends[l] = it.t2;
    }
    lane[i] = l;
    clusterEnd = Math.max(clusterEnd, it.t2);
  }
  close(items.length);
  return { lane, lanes };
}

/**
 * Place label cards in a column without overlaps. `items` are {y, h, priority} with y the wanted
 * centre; cards stay within [top, bottom] with `gap` between them. When not all fit, the ones
 * with the lowest priority are left out. Neighbouring cards that collide form a cluster centred
 * on the mean of their wanted centres (TimeTagger's behaviour, without its overlap).
 * Returns an array of top positions (null for a card left out), in input order.
 */
export function layoutLabels(items, top, bottom, gap = 4) {
  const out = new Array(items.length).fill(null);
  const avail = bottom - top;
  // Keep the highest-priority cards that fit in the column at all.
  const order = items.map((_, i) => i).sort((a, b) => (items[b].priority || 0) - (items[a].priority || 0) || a - b);
  let used = 0;
  const keep = [];
  for (const i of order) {
    const need = items[i].h + (keep.length ? gap : 0);
    if (used + need > avail + 1e-6) continue;
    used += need;
    keep.push(i);
  }
  keep.sort((a, b) => items[a].y - items[b].y || a - b);
  // Clusters: [{idx: [...], sumY, h}] where h includes the gaps; merge until none collide.
  let clusters = keep.map((i) => ({ idx: [i], sumY: items[i].y, h: items[i].h, top: 0 }));
  const place = (c) => {
    const mean = c.sumY / c.idx.length;
    c.top = Math.min(Math.max(mean - c.h / 2, top), bottom - c.h);
  };
  clusters.forEach(place);
  let merged = true;
  while (merged) {
    merged = false;
    const next = [];
    for (const c of clusters) {
      const prev = next[next.length - 1];
      if (prev && prev.top + prev.h + gap > c.top) {
        prev.idx.push(...c.idx);
        prev.sumY += c.sumY;
        prev.h += gap + c.h;
        place(prev);
        merged = true;
        // A grown cluster may now collide with the one before it: fold backwards too.
        while (next.length > 1) {
          const a = next[next.length - 2];
          const b = next[next.length - 1];
          if (a.top + a.h + gap <= b.top) break;
          a.idx.push(...b.idx);
          a.sumY += b.sumY;
          a.h += gap + b.h;
          place(a);
          next.pop();
        }
      } else {
        next.push(c);
      }
    }
    clusters = next;
  }
  for (const c of clusters) {
    let y = c.top;
    for (const i of c.idx) {
      out[i] = y;
      y += items[i].h + gap;
    }
  }
  return out;
}

/** The drag grid that fits the zoom: the finest of 1 s, 1 min, 5 min, 15 min, 1 h that is at
 * least `minPx` pixels (5 min at a day view on a phone or desktop, 1 min at an hour view). */
export function gridFor(secPerPx, minPx = 1.5) {
  for (const g of [1, 60, 300, 900, 3600]) if (g / secPerPx >= minPx) return g;
  return 3600;
}

/** Round t to the grid in local time (so 5 min means :00, :05 also in half-hour time zones). */
export function roundToGrid(t, grid) {
  const off = -new Date(t * 1000).getTimezoneOffset() * 60;
  return Math.round((t + off) / grid) * grid - off;
}

/** The candidate nearest to t within `maxDist` seconds, or null. `candidates` sorted ascending. */
export function nearestCandidate(t, candidates, maxDist) {
  let lo = 0;
  let hi = candidates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (candidates[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  let best = null;
  let bestD = maxDist;
  for (const j of [lo - 1, lo]) {
    if (j < 0 || j >= candidates.length) continue;
    const dist = Math.abs(candidates[j] - t);
    if (dist < bestD || (best === null && dist <= bestD)) {
      best = candidates[j];
      bestD = dist;
    }
  }
  return best;
}

/** Snap one time: to a candidate edge within snapPx pixels, else to the grid. */
export function snapTime(t, { candidates = [], secPerPx, snapPx = 10, grid }) {
  const c = nearestCandidate(t, candidates, snapPx * secPerPx);
  if (c !== null) return { t: c, how: 'edge' };
  return { t: roundToGrid(t, grid ?? gridFor(secPerPx)), how: 'grid' };
}

export const MIN_DURATION = 2;

/**
 * The times a drag produces. mode: 'start' | 'end' | 'move' | 'create'. `orig` is the record
 * {t1, t2, running}; `dt` the pointer's movement in seconds (for 'create': `orig.t1` is the
 * pressed time and dt the movement from there). `opts` as for snapTime plus `now`.
 * Running records keep running: only their start moves (t2 = t1 is returned) and never past now.
 * Returns {t1, t2} or null when the mode is not allowed.
 */
export function dragTimes(mode, orig, dt, opts) {
  const o = { ...opts, grid: opts.grid ?? gridFor(opts.secPerPx) };
  const now = opts.now ?? Infinity;
  if (orig.running) {
    if (mode !== 'start') return null;
    let t1 = snapTime(orig.t1 + dt, o).t;
    t1 = Math.min(t1, now - MIN_DURATION);
    return { t1, t2: t1 };
  }
  if (mode === 'start') {
    const t1 = Math.min(snapTime(orig.t1 + dt, o).t, orig.t2 - MIN_DURATION);
    return { t1, t2: orig.t2 };
  }
  if (mode === 'end') {
    const t2 = Math.max(snapTime(orig.t2 + dt, o).t, orig.t1 + MIN_DURATION);
    return { t1: orig.t1, t2 };
  }
  if (mode === 'move') {
    const n1 = orig.t1 + dt;
    const n2 = orig.t2 + dt;
    const maxD = (o.snapPx ?? 10) * o.secPerPx;
    const c1 = nearestCandidate(n1, o.candidates || [], maxD);
    const c2 = nearestCandidate(n2, o.candidates || [], maxD);
    let shift;
    if (c1 !== null && (c2 === null || Math.abs(c1 - n1) <= Math.abs(c2 - n2))) shift = c1 - n1;
    else if (c2 !== null) shift = c2 - n2;
    else shift = roundToGrid(n1, o.grid) - n1;
    return { t1: n1 + shift, t2: n2 + shift };
  }
  if (mode === 'create') {
    const a = snapTime(orig.t1, o).t;
    const b = snapTime(orig.t1 + dt, o).t;
    let t1 = Math.min(a, b);
    let t2 = Math.max(a, b);
    if (t2 - t1 < o.grid) t2 = t1 + Math.max(o.grid, MIN_DURATION);
    return { t1, t2 };
  }
  return null;
}
