// timeline.js: the timeline view (issue 3, item 5): owns the canvas, the visible range and its
// animation, every pointer/wheel/touch gesture (pan with inertia and calendar snapping, zoom,
// pinch, drag-edit, drag-create, click), the live once-a-second redraw, and the accessible
// list of what is shown. Painting is in timeline-draw.js, the maths in the other timeline-*.js.
//
//   const tl = createTimeline(container, { getRecords, getSettings, colorForTags, selectedTags,
//     onEditRecord, onChangeRecordTimes, onCreateRecord, onRangeChange, now });
//   tl.setRange(t1, t2); tl.getRange(); tl.redraw(); tl.zoom(+1|-1, anchorTime?); tl.step(+1|-1);
//   tl.goToday(); tl.goPeriod('day'|'week'|'month'|'quarter'|'year'); tl.destroy();

import {
  snapRange, zoomRange, stepRange, todayRange, todayToggle, periodRange, RECORDS_MAX_SPAN,
} from './timeline-calendar.js';
import { makeMapper, dragTimes, gridFor } from './timeline-geometry.js';
import { paint, computeLayout, PALETTES, THEME_VARS } from './timeline-draw.js';
import { describeRange, formatDuration, formatClock, periodLabel } from './timeline-format.js';
import { parseTags, parseTagsAndParts } from './tags.js';

const MIN_SPAN = 120; // 2 minutes
const MAX_SPAN = 100 * 365.25 * 86400;
const TAP_PX = { mouse: 4, pen: 6, touch: 10 };
const EDGE_PX = { mouse: 6, pen: 8, touch: 14 };
const SNAP_PX = { mouse: 10, pen: 12, touch: 18 };
const LONG_PRESS_MS = 350;

let cssInjected = false;
function ensureCss() {
  if (cssInjected || typeof document === 'undefined') return;
  cssInjected = true;
  const href = new URL('./timeline.css', import.meta.url).href;
  if ([...document.querySelectorAll('link[rel=stylesheet]')].some((l) => l.href === href)) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  document.head.appendChild(link);
}

const easeOut = (x) => 1 - Math.pow(1 - x, 3);

/** Create the timeline in `container` (which must have a height). See the header for opts. */
export function createTimeline(container, opts) {
  ensureCss();
  const o = {
    getRecords: () => [],
    getSettings: () => ({}),
    colorForTags: () => '#DEAA22',
    selectedTags: () => [],
    onEditRecord: () => {},
    onChangeRecordTimes: () => {},
    onCreateRecord: () => {},
    onRangeChange: () => {},
    now: () => Date.now() / 1000,
    ...opts,
  };

  container.classList.add('tl-container');
  const root = document.createElement('div');
  root.className = 'tl-root';
  const canvas = document.createElement('canvas');
  canvas.className = 'tl-canvas';
  canvas.setAttribute('role', 'img');
  const srBox = document.createElement('div');
  srBox.className = 'tl-sr';
  const srTitle = document.createElement('h2');
  srTitle.className = 'tl-sr-title';
  const srList = document.createElement('ul');
  srBox.append(srTitle, srList);
  root.append(canvas, srBox);
  container.appendChild(root);
  const ctx = canvas.getContext('2d');

  // ---- state
  const settings0 = o.getSettings() || {};
  let [r1, r2] = todayRange(o.now(), settings0);
  let target = null; // {from:[a,b], to:[a,b], start, dur} while animating
  let lay = computeLayout(1, 1);
  let dpr = 1;
  let hits = { mode: 'records', bars: [], cards: [], blocks: [], items: [] };
  let theme = PALETTES.light;
  let gesture = null; // current pointer gesture
  const pointers = new Map(); // pointerId -> {x, y, type}
  let pinch = null;
  let hoverKey = null;
  let hoverT = null;
  let selectedKey = null;
  let dragPreview = null; // {key, t1, t2, mode, running}
  let createPreview = null;
  const pending = new Map(); // key -> {t1, t2, until}: drag results not yet visible in getRecords
  let wheelSnapTimer = 0;
  let lastWheelZoom = -Infinity; // performance.now() of the last wheel zoom (not 0: that is page load, and a zoom in the first 0.6 s was lost)
  let wheelZoomAcc = 0;
  let tickTimer = 0;
  let rafId = 0;
  let destroyed = false;
  let srSignature = '';
  let ariaLabel = '';
  const tagCache = new Map();
  const partsCache = new Map();

  const tagsOf = (ds) => {
    let t = tagCache.get(ds);
    if (!t) {
      if (tagCache.size > 20000) tagCache.clear();
      t = parseTags(ds);
      tagCache.set(ds, t);
    }
    return t;
  };
  const partsOf = (ds) => {
    let p = partsCache.get(ds);
    if (!p) {
      if (partsCache.size > 2000) partsCache.clear();
      p = parseTagsAndParts(ds).parts;
      partsCache.set(ds, p);
    }
    return p;
  };
  const colorCache = new Map();
  const colorOf = (tags) => {
    const k = tags.join(' ');
    let c = colorCache.get(k);
    if (c === undefined) {
      c = o.colorForTags(tags) || theme.accent;
      colorCache.set(k, c);
    }
    return c;
  };

  function settings() {
    return o.getSettings() || {};
  }
  function fdow() {
    const v = Number(settings().first_day_of_week);
    return v === 0 || v === 6 ? v : 1;
  }
  function isDark(st) {
    const dm = st.darkmode;
    if (dm === 2 || dm === '2') return true;
    if (dm === 1 || dm === '1') return false;
    if (dm === 0 || dm === '0') return !!(window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches);
    const de = document.documentElement;
    return de.dataset.theme === 'dark' || document.body.classList.contains('darkmode');
  }
  function readTheme(st) {
    const base = isDark(st) ? PALETTES.dark : PALETTES.light;
    container.classList.toggle('tl-dark', base === PALETTES.dark);
    const cs = getComputedStyle(container);
    const t = {};
    for (const k of Object.keys(base)) {
      const v = cs.getPropertyValue(THEME_VARS[k]).trim();
      t[k] = v || base[k];
    }
    return t;
  }
  // Secondary tags (taginfo priority 2) get no bar in period blocks.
  function primaryTagsFn(st) {
    const memo = new Map();
    const isSecondary = (tag) => {
      let v = memo.get(tag);
      if (v === undefined) {
        const info = st['taginfo ' + tag];
        v = !!(info && Number(info.priority) === 2);
        if (!v && typeof o.isSecondaryTag === 'function') v = !!o.isSecondaryTag(tag);
        memo.set(tag, v);
      }
      return v;
    };
    const cache = new Map();
    return (ds) => {
      let r = cache.get(ds);
      if (!r) {
        const all = tagsOf(ds);
        r = all.filter((t) => !isSecondary(t));
        if (!r.length) r = all;
        cache.set(ds, r);
      }
      return r;
    };
  }

  function mapper() {
    return makeMapper(r1, r2, lay.y1, lay.y2);
  }

  // ---- sizing
  function resize() {
    const rect = canvas.getBoundingClientRect();
    const w = Math.max(0, Math.round(rect.width));
    const h = Math.max(0, Math.round(rect.height));
    dpr = window.devicePixelRatio || 1;
    const pw = Math.round(w * dpr);
    const ph = Math.round(h * dpr);
    if (canvas.width !== pw || canvas.height !== ph) {
      canvas.width = pw;
      canvas.height = ph;
    }
    lay = computeLayout(w, h);
  }
  const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => {
    resize();
    draw();
  }) : null;
  if (ro) ro.observe(canvas);
  else window.addEventListener('resize', onWindowResize);
  function onWindowResize() {
    resize();
    draw();
  }

  // ---- drawing
  function draw() {
    if (destroyed) return;
    // Moving the window to a screen with another pixel ratio resizes nothing: check here.
    if ((window.devicePixelRatio || 1) !== dpr) resize();
    if (lay.w < 2 || lay.h < 2) return;
    const st = settings();
    theme = readTheme(st);
    colorCache.clear();
    const now = o.now();
    const m = mapper();
    const qa = m.toT(0);
    const qb = m.toT(lay.h);
    let records;
    if (r2 - r1 > RECORDS_MAX_SPAN) {
      // Period blocks need whole periods: ask for a bit more than the canvas shows.
      const extra = (r2 - r1) * 0.25;
      records = o.getRecords(qa - extra, qb + extra) || [];
    } else {
      records = o.getRecords(qa, qb) || [];
    }
    // Drag results wait here until the store shows them, so a record does not jump back.
    if (pending.size) {
      const nowMs = Date.now();
      records = records.map((r) => {
        const p = pending.get(r.key);
        if (!p) return r;
        if ((r.t1 === p.t1 && r.t2 === p.t2) || nowMs > p.until) {
          pending.delete(r.key);
          return r;
        }
        return { ...r, t1: p.t1, t2: p.t2 };
      });
    }
    const sel = (o.selectedTags() || []).map((t) => String(t).toLowerCase());
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    hits = paint({
      ctx, lay, m, theme, settings: st, now,
      records,
      colorOf, tagsOf, partsOf,
      selected: sel,
      primaryTags: primaryTagsFn(st),
      drag: dragPreview,
      create: createPreview,
      selectedKey,
      hoverKey,
      hoverT,
      blink: Math.floor(now) % 2 === 0,
    });
    updateAccessible(st);
  }

  function scheduleFrame() {
    if (!rafId && !destroyed) rafId = requestAnimationFrame(frame);
  }
  function frame(ts) {
    rafId = 0;
    if (target) {
      const k = Math.min(1, (ts - target.start) / target.dur);
      const e = easeOut(Math.max(0, k));
      r1 = target.from[0] + (target.to[0] - target.from[0]) * e;
      r2 = target.from[1] + (target.to[1] - target.from[1]) * e;
      if (k >= 1) {
        [r1, r2] = target.to;
        target = null;
      } else {
        scheduleFrame();
      }
    }
    draw();
  }

  /** Animate to [a, b]; tell the app at once (it shows the destination). */
  function animateTo(a, b, { dur = 260, notify = true } = {}) {
    b = Math.max(b, a + MIN_SPAN);
    if (target && target.to[0] === a && target.to[1] === b) return;
    target = { from: [r1, r2], to: [a, b], start: performance.now(), dur };
    if (notify) o.onRangeChange(a, b);
    scheduleFrame();
  }
  function currentTarget() {
    return target ? target.to : [r1, r2];
  }
  function setNow(a, b) {
    target = null;
    r1 = a;
    r2 = b;
    scheduleFrame();
  }

  // ---- live redraw, aligned to the second, only while the page is visible
  function shouldTick() {
    if (document.visibilityState === 'hidden' || lay.h < 2) return false;
    const now = o.now();
    const m = mapper();
    if (now >= m.toT(-4) && now <= m.toT(lay.h + 4)) return true;
    // A running record whose start is in view while now is below it: its label still ticks.
    return hits.items.some((it) => it.running);
  }
  function tick() {
    tickTimer = 0;
    if (destroyed) return;
    if (shouldTick() && !gesture && !target) draw();
    scheduleTick();
  }
  function scheduleTick() {
    if (tickTimer || destroyed || document.visibilityState === 'hidden') return;
    const ms = 1000 - (Date.now() % 1000) + 8;
    tickTimer = setTimeout(tick, ms);
  }
  function onVisibility() {
    if (document.visibilityState === 'hidden') {
      clearTimeout(tickTimer);
      tickTimer = 0;
    } else {
      draw();
      scheduleTick();
    }
  }
  document.addEventListener('visibilitychange', onVisibility);

  // ---- hit testing
  function pointerPos(ev) {
    const rect = canvas.getBoundingClientRect();
    return { x: ev.clientX - rect.left, y: ev.clientY - rect.top };
  }
  function hitTest(x, y, type = 'mouse') {
    if (hits.mode === 'periods') {
      const b = hits.blocks.find((bl) => x >= bl.x && x <= bl.x + bl.w && y >= bl.y1 && y <= bl.y2);
      return b ? { kind: 'block', block: b } : { kind: 'empty' };
    }
    for (let i = hits.cards.length - 1; i >= 0; i--) {
      const c = hits.cards[i];
      if (x >= c.x && x <= c.x + c.w && y >= c.y && y <= c.y + c.h) return { kind: 'card', key: c.key };
    }
    const edge = EDGE_PX[type] || 6;
    if (x >= lay.stripX && x <= lay.stripX + lay.stripW) {
      // Prefer the bar whose edge or body is nearest; short bars get edge zones around them.
      let best = null;
      for (const b of hits.bars) {
        if (x < b.x - 2 || x > b.x + b.w + 2) continue;
        if (y < b.y1 - edge || y > b.y2 + edge) continue;
        const h = b.y2 - b.y1;
        let mode;
        const zone = Math.min(edge, h / 3);
        if (y <= b.y1 + zone) mode = 'start';
        else if (y >= b.y2 - zone) mode = 'end';
        else mode = 'move';
        if (b.running && mode !== 'start') mode = y < b.y1 + edge ? 'start' : 'body-running';
        const dist = y < b.y1 ? b.y1 - y : y > b.y2 ? y - b.y2 : 0;
        if (!best || dist < best.dist) best = { kind: 'bar', bar: b, mode, dist };
      }
      if (best) return best;
      return { kind: 'strip' };
    }
    return { kind: 'empty' };
  }

  function cursorFor(h) {
    if (h.kind === 'bar') return h.mode === 'start' || h.mode === 'end' ? 'ns-resize' : h.mode === 'move' ? 'move' : 'pointer';
    if (h.kind === 'card' || h.kind === 'block') return 'pointer';
    if (h.kind === 'strip') return 'crosshair';
    return 'grab';
  }

  // ---- gestures
  function snapCandidates(exceptKey) {
    const now = o.now();
    const c = [now];
    for (const b of hits.bars) {
      if (b.key === exceptKey) continue;
      c.push(b.t1, b.running ? now : b.t2);
    }
    return c.sort((a, b) => a - b);
  }

  function onPointerDown(ev) {
    if (destroyed) return;
    const pos = pointerPos(ev);
    const type = ev.pointerType || 'mouse';
    pointers.set(ev.pointerId, { ...pos, type });
    try {
      canvas.setPointerCapture(ev.pointerId);
    } catch { /* synthetic events may not be capturable */ }
    if (pointers.size === 2) {
      // Second finger: whatever the first one did becomes a pinch.
      cancelGesture();
      startPinch();
      ev.preventDefault();
      return;
    }
    if (pointers.size > 2) return;
    if (type === 'mouse' && ev.button === 2) {
      gesture = { kind: 'rzoom', id: ev.pointerId, y0: pos.y, range0: currentTarget(), anchorY: pos.y };
      ev.preventDefault();
      return;
    }
    if (type === 'mouse' && ev.button !== 0) return;
    target = null; // grabbing stops a running animation where it is
    const h = hitTest(pos.x, pos.y, type);
    gesture = {
      kind: 'pending', id: ev.pointerId, type, x0: pos.x, y0: pos.y, hit: h, t0: performance.now(),
      range0: [r1, r2], samples: [{ t: performance.now(), y: pos.y }], armed: type !== 'touch',
    };
    if (type === 'touch' && (h.kind === 'bar' || h.kind === 'strip')) {
      // On touch a one-finger drag pans; holding still first turns it into an edit or create.
      gesture.longPress = setTimeout(() => {
        if (gesture && gesture.kind === 'pending') {
          gesture.armed = true;
          if (h.kind === 'bar') selectedKey = h.bar.key;
          if (navigator.vibrate) try { navigator.vibrate(10); } catch { /* optional */ }
          draw();
        }
      }, LONG_PRESS_MS);
    }
    if (type !== 'mouse') ev.preventDefault();
  }

  // Escape during a drag puts everything back as it was.
  function onKeyDown(ev) {
    if (ev.key !== 'Escape' || !gesture) return;
    const g = gesture;
    cancelGesture();
    if (g.kind === 'pan' || g.kind === 'rzoom') setNow(g.range0[0], g.range0[1]);
    ev.preventDefault();
    ev.stopPropagation();
    draw();
  }
  document.addEventListener('keydown', onKeyDown, true);

  function beginDrag(g) {
    const h = g.hit;
    if (h.kind === 'bar' && g.armed && h.mode !== 'body-running') {
      const b = h.bar;
      g.kind = 'drag';
      g.mode = h.mode;
      g.orig = { t1: b.t1, t2: b.running ? b.t1 : b.t2, running: b.running };
      g.key = b.key;
      g.candidates = snapCandidates(b.key);
      selectedKey = b.key;
      dragPreview = { key: b.key, t1: g.orig.t1, t2: g.orig.t2, mode: g.mode, running: b.running };
      return;
    }
    if (h.kind === 'strip' && g.armed) {
      g.kind = 'create';
      const m = mapper();
      g.tStart = m.toT(g.y0);
      g.candidates = snapCandidates(null);
      return;
    }
    g.kind = 'pan';
    clearTimeout(g.longPress);
    if (g.type === 'mouse') canvas.style.cursor = 'grabbing';
  }

  function onPointerMove(ev) {
    const pos = pointerPos(ev);
    const p = pointers.get(ev.pointerId);
    if (p) {
      p.x = pos.x;
      p.y = pos.y;
    }
    if (pinch) {
      updatePinch();
      return;
    }
    const g = gesture;
    if (!g || g.id !== ev.pointerId) {
      if (!g && (ev.pointerType || 'mouse') === 'mouse') hover(pos);
      return;
    }
    if (g.kind === 'rzoom') {
      const [a, b] = g.range0;
      const f = Math.exp((pos.y - g.y0) / 150);
      zoomAround(a, b, f, g.anchorY);
      return;
    }
    if (g.kind === 'pending') {
      const moved = Math.hypot(pos.x - g.x0, pos.y - g.y0);
      if (moved < (TAP_PX[g.type] || 4)) return;
      clearTimeout(g.longPress);
      beginDrag(g);
    }
    const m = makeMapper(g.range0[0], g.range0[1], lay.y1, lay.y2);
    const dt = (pos.y - g.y0) * m.secPerPx;
    if (g.kind === 'pan') {
      r1 = g.range0[0] - dt;
      r2 = g.range0[1] - dt;
      target = null;
      g.samples.push({ t: performance.now(), y: pos.y });
      if (g.samples.length > 8) g.samples.shift();
      scheduleFrame();
    } else if (g.kind === 'drag') {
      const res = dragTimes(g.mode, g.orig, dt, {
        candidates: g.candidates, secPerPx: m.secPerPx, snapPx: SNAP_PX[g.type] || 10,
        grid: gridFor(m.secPerPx), now: o.now(),
      });
      if (res) dragPreview = { ...dragPreview, t1: res.t1, t2: res.t2 };
      scheduleFrame();
    } else if (g.kind === 'create') {
      const res = dragTimes('create', { t1: g.tStart }, dt, {
        candidates: g.candidates, secPerPx: m.secPerPx, snapPx: SNAP_PX[g.type] || 10, grid: gridFor(m.secPerPx),
      });
      createPreview = res;
      scheduleFrame();
    }
  }

  function hover(pos) {
    const h = hitTest(pos.x, pos.y, 'mouse');
    canvas.style.cursor = cursorFor(h);
    const k = h.kind === 'bar' ? h.bar.key : h.kind === 'card' ? h.key : null;
    const bt = h.kind === 'block' ? h.block.t1 : null;
    if (k !== hoverKey || bt !== hoverT) {
      hoverKey = k;
      hoverT = bt;
      scheduleFrame();
    }
  }

  function onPointerUp(ev) {
    pointers.delete(ev.pointerId);
    if (pinch) {
      if (pointers.size < 2) endPinch();
      return;
    }
    const g = gesture;
    if (!g || g.id !== ev.pointerId) return;
    gesture = null;
    clearTimeout(g.longPress);
    if (ev.type === 'pointercancel') {
      dragPreview = null;
      createPreview = null;
      settle();
      return;
    }
    if (g.kind === 'rzoom') {
      settle();
      return;
    }
    if (g.kind === 'pending') {
      click(g.hit);
      return;
    }
    if (g.kind === 'pan') {
      if (g.type === 'mouse') canvas.style.cursor = 'grab';
      // Inertia: carry on with the release speed for a moment, then snap to a calendar range.
      const s = g.samples;
      let v = 0; // px per ms
      if (s.length >= 2) {
        const a = s[0];
        const b = s[s.length - 1];
        const age = performance.now() - b.t;
        if (b.t > a.t && age < 80) v = (b.y - a.y) / (b.t - a.t);
      }
      const spp = (r2 - r1) / Math.max(1, lay.y2 - lay.y1);
      const carry = Math.abs(v) > 0.3 ? v * 250 * spp : 0;
      settle(-carry);
      return;
    }
    if (g.kind === 'drag') {
      const d = dragPreview;
      dragPreview = null;
      if (d && (d.t1 !== g.orig.t1 || d.t2 !== g.orig.t2)) {
        const t2 = d.running ? d.t1 : d.t2;
        pending.set(d.key, { t1: d.t1, t2, until: Date.now() + 3000 });
        o.onChangeRecordTimes(d.key, d.t1, t2);
      }
      draw();
      return;
    }
    if (g.kind === 'create') {
      const c = createPreview;
      createPreview = null;
      draw();
      if (c) o.onCreateRecord(c.t1, c.t2);
    }
  }

  function click(h) {
    if (h.kind === 'bar' || h.kind === 'card') {
      const key = h.kind === 'bar' ? h.bar.key : h.key;
      selectedKey = key;
      draw();
      o.onEditRecord(key);
    } else if (h.kind === 'block') {
      animateTo(h.block.t1, h.block.t2);
    } else if (selectedKey) {
      selectedKey = null;
      draw();
    }
  }

  function cancelGesture() {
    if (gesture) clearTimeout(gesture.longPress);
    gesture = null;
    dragPreview = null;
    createPreview = null;
  }

  /** After a free pan/zoom: snap (animated) to the calendar range nearest the current one. */
  function settle(shift = 0) {
    const [a, b] = snapRange(r1 + shift, r2 + shift, fdow());
    animateTo(a, b, { dur: shift ? 420 : 260 });
  }

  function zoomAround(a, b, factor, anchorY) {
    const m = makeMapper(a, b, lay.y1, lay.y2);
    const ta = m.toT(anchorY);
    let span = (b - a) * factor;
    span = Math.min(MAX_SPAN, Math.max(MIN_SPAN, span));
    const k = (anchorY - lay.y1) / Math.max(1, lay.y2 - lay.y1);
    setNow(ta - k * span, ta - k * span + span);
  }

  // ---- pinch
  function startPinch() {
    const [p, q] = [...pointers.values()];
    pinch = {
      d0: Math.max(20, Math.hypot(p.x - q.x, p.y - q.y)),
      my0: (p.y + q.y) / 2,
      range0: [r1, r2],
    };
    target = null;
  }
  function updatePinch() {
    if (pointers.size < 2) return;
    const [p, q] = [...pointers.values()];
    const d = Math.max(20, Math.hypot(p.x - q.x, p.y - q.y));
    const my = (p.y + q.y) / 2;
    const [a, b] = pinch.range0;
    const m0 = makeMapper(a, b, lay.y1, lay.y2);
    const ta = m0.toT(pinch.my0);
    let span = (b - a) * (pinch.d0 / d);
    span = Math.min(MAX_SPAN, Math.max(MIN_SPAN, span));
    const k = (my - lay.y1) / Math.max(1, lay.y2 - lay.y1);
    setNow(ta - k * span, ta - k * span + span);
  }
  function endPinch() {
    pinch = null;
    // The remaining finger does not start a pan; lifting it does nothing.
    gesture = null;
    settle();
  }

  // ---- wheel
  function onWheel(ev) {
    if (destroyed) return;
    const pos = pointerPos(ev);
    const unit = ev.deltaMode === 1 ? 16 : ev.deltaMode === 2 ? lay.h : 1;
    const dx = ev.deltaX * unit;
    const dy = ev.deltaY * unit;
    if (ev.ctrlKey) {
      // Trackpad pinch (and Ctrl+wheel): continuous zoom at the pointer, snapped when it stops.
      ev.preventDefault();
      zoomAround(r1, r2, Math.exp(dy * 0.01), pos.y);
      debounceSettle();
      return;
    }
    if (ev.shiftKey || Math.abs(dx) > Math.abs(dy)) {
      ev.preventDefault();
      const d = ev.shiftKey ? (dy || dx) : dx;
      wheelZoomAcc += d;
      const t = performance.now();
      if (Math.abs(wheelZoomAcc) >= 20 && t - lastWheelZoom > 600) {
        lastWheelZoom = t;
        const dir = wheelZoomAcc > 0 ? -1 : +1;
        wheelZoomAcc = 0;
        const anchor = mapper().toT(pos.y);
        const [cur1, cur2] = currentTarget();
        const [a, b] = zoomRange(cur1, cur2, dir, { anchor, fdow: fdow() });
        animateTo(a, b);
      }
      if (t - lastWheelZoom > 600) setTimeout(() => { wheelZoomAcc = 0; }, 300);
      return;
    }
    ev.preventDefault();
    // Vertical wheel pans 15% of the snapped span per 48 units, then snaps once it rests.
    const [s1, s2] = snapRange(r1, r2, fdow());
    const dt = (dy / 48) * 0.15 * (s2 - s1);
    if (target) {
      [r1, r2] = target.to;
      target = null;
    }
    setNow(r1 + dt, r2 + dt);
    debounceSettle();
  }
  function debounceSettle() {
    clearTimeout(wheelSnapTimer);
    wheelSnapTimer = setTimeout(() => { wheelSnapTimer = 0; settle(); }, 350);
  }

  function onContextMenu(ev) {
    if (!ev.ctrlKey) ev.preventDefault();
  }
  function onLeave() {
    if (hoverKey !== null || hoverT !== null) {
      hoverKey = null;
      hoverT = null;
      scheduleFrame();
    }
  }

  canvas.addEventListener('pointerdown', onPointerDown);
  canvas.addEventListener('pointermove', onPointerMove);
  canvas.addEventListener('pointerup', onPointerUp);
  canvas.addEventListener('pointercancel', onPointerUp);
  canvas.addEventListener('pointerleave', onLeave);
  canvas.addEventListener('wheel', onWheel, { passive: false });
  canvas.addEventListener('contextmenu', onContextMenu);

  // ---- accessibility: a label for the canvas and a list of what it shows
  function updateAccessible(st) {
    const f = fdow();
    const [ra, rb] = currentTarget();
    const desc = describeRange(ra, rb, f, st.time_repr || 'auto');
    // Only what lies in the range counts: the margins above and below are context.
    const inRange = (it) => it.t2 > ra && it.t1 < rb;
    const n = hits.items.filter(inRange).length;
    const what = hits.mode === 'records' ? `${n} record${n === 1 ? '' : 's'}` : `${n} ${hits.unit || 'period'}s`;
    const label = `Timeline: ${desc}, ${what}`;
    if (label !== ariaLabel) {
      ariaLabel = label;
      canvas.setAttribute('aria-label', label);
    }
    if (gesture || target) return; // rebuild the list when things rest
    const repr = st.duration_repr || 'hms';
    const trepr = st.time_repr || 'auto';
    const rows = [];
    if (hits.mode === 'records') {
      for (const b of hits.bars.filter(inRange).sort((x, y) => x.t1 - y.t1)) {
        const ds = b.rec.ds || '';
        const times = b.running
          ? `${formatClock(b.t1, trepr)} – running`
          : `${formatClock(b.t1, trepr)} – ${formatClock(b.t2, trepr)}, ${formatDuration(b.t2 - b.t1, repr)}`;
        rows.push({ key: 'r:' + b.key, text: `Edit ${times}: ${ds || '(no description)'}`, act: () => o.onEditRecord(b.key) });
      }
    } else {
      for (const bl of hits.blocks.filter(inRange)) {
        const name = periodLabel(bl.t1, bl.unit, f);
        const tot = bl.total ? formatDuration(bl.total, repr) : 'nothing';
        rows.push({ key: 'p:' + bl.t1, text: `${name}: ${tot} tracked. Zoom in`, act: () => animateTo(bl.t1, bl.t2) });
      }
    }
    const sig = desc + '|' + rows.map((r) => r.text).join('|');
    if (sig === srSignature) return;
    srSignature = sig;
    srTitle.textContent = `${desc}: ${rows.length ? '' : 'nothing to show'}`.replace(/: $/, '');
    const hadFocus = srList.contains(document.activeElement) ? document.activeElement.dataset.k : null;
    srList.replaceChildren(...rows.map((r) => {
      const li = document.createElement('li');
      const btn = document.createElement('button');
      btn.type = 'button';
      btn.textContent = r.text;
      btn.dataset.k = r.key;
      btn.addEventListener('click', r.act);
      li.appendChild(btn);
      return li;
    }));
    if (hadFocus) {
      const again = srList.querySelector(`button[data-k="${CSS.escape(hadFocus)}"]`);
      if (again) again.focus();
    }
  }

  // ---- public interface
  resize();
  draw();
  scheduleTick();

  const api = {
    /** Show [t1, t2] at once (no snapping, no onRangeChange: the app asked for it). */
    setRange(t1, t2) {
      if (!(t2 > t1)) return;
      target = null;
      r1 = t1;
      r2 = Math.max(t2, t1 + MIN_SPAN);
      draw();
    },
    /** The range shown, or being animated to. */
    getRange() {
      const [a, b] = currentTarget();
      return [a, b];
    },
    /** True when the view rests: no animation, no gesture, no snap waiting after the wheel
     * (getRange() is then what is drawn, and the list for keyboard users is up to date). */
    settled() {
      return !target && !gesture && !pinch && !wheelSnapTimer;
    },
    /** Paint again now (after data or settings changed). */
    redraw() {
      draw();
    },
    /** One scale in (+1) or out (-1), around anchorTime, or now when visible, or the centre. */
    zoom(dir, anchorTime) {
      const [a, b] = currentTarget();
      const r = zoomRange(a, b, dir, { anchor: anchorTime, now: o.now(), fdow: fdow() });
      animateTo(r[0], r[1]);
    },
    /** Step forward (+1) or back (-1) by the span or one calendar unit. */
    step(dir) {
      const [a, b] = currentTarget();
      const r = stepRange(a, b, dir);
      animateTo(r[0], r[1], { dur: 200 });
    },
    /** Today (with the today offsets); when already there, a plain 00:00-24:00 day. */
    goToday() {
      const [a, b] = currentTarget();
      const r = todayToggle(a, b, o.now(), settings());
      animateTo(r[0], r[1]);
    },
    /** The day/week/month/quarter/year containing now. */
    goPeriod(period) {
      const r = periodRange(o.now(), period, fdow());
      animateTo(r[0], r[1]);
    },
    destroy() {
      destroyed = true;
      clearTimeout(tickTimer);
      clearTimeout(wheelSnapTimer);
      if (rafId) cancelAnimationFrame(rafId);
      if (ro) ro.disconnect();
      else window.removeEventListener('resize', onWindowResize);
      document.removeEventListener('visibilitychange', onVisibility);
      document.removeEventListener('keydown', onKeyDown, true);
      root.remove();
      container.classList.remove('tl-container', 'tl-dark');
    },
  };
  return api;
}
