// index.js: the timeline view: owns the canvas, the visible range and its animation, sizing,
// the live once-a-second redraw and the public interface below. The view's state is one
// object `v` shared with the parts: gestures.js (every hand movement), painter.js and draw.js
// (what a frame shows and painting it), accessible.js (label and list for screen readers);
// the calendar, text and geometry maths are in calendar.js, format.js, periods.js, geometry.js.
//
//   const tl = createTimeline(container, { getRecords, getSettings, colorForTags, selectedTags,
//     onEditRecord, onChangeRecordTimes, onCreateRecord, onRangeChange, now, dataVersion });
//   dataVersion() (optional) changes whenever records or settings change; with it, period
//   blocks are grouped once per change instead of every frame.
//   tl.setRange(t1, t2); tl.getRange(); tl.redraw(); tl.zoom(+1|-1, anchorTime?); tl.step(+1|-1);
//   tl.goToday(); tl.goPeriod('day'|'week'|'month'|'quarter'|'year'); tl.settled(); tl.destroy();

import { snapRange, zoomRange, stepRange, todayToggle } from './calendar.js';
import { todayRange, periodRange } from '../common/calendar.js';
import { makeMapper } from './geometry.js';
import { computeLayout, PALETTES } from './draw.js';
import { usesAmPm } from '../common/format.js';
import { createPainter } from './painter.js';
import { createAccessible } from './accessible.js';
import { attachGestures } from './gestures.js';

const MIN_SPAN = 120; // 2 minutes
const MAX_SPAN = 100 * 365.25 * 86400;

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
  root.append(canvas);
  container.appendChild(root);

  // ---- the view's state, shared with the parts
  const [a0, b0] = todayRange(o.now(), o.getSettings() || {});
  const v = {
    o, container, root, canvas,
    r1: a0, r2: b0,
    target: null, // {from:[a,b], to:[a,b], start, dur} while animating
    lay: computeLayout(1, 1),
    dpr: 1,
    hits: { mode: 'records', bars: [], cards: [], blocks: [], items: [] },
    theme: PALETTES.light,
    gesture: null, // the pointer gesture in progress
    pinch: null,
    hoverKey: null,
    hoverT: null,
    selectedKey: null,
    dragPreview: null, // {key, t1, t2, mode, running}
    createPreview: null,
    pending: new Map(), // key -> {t1, t2, until}: drag results not yet visible in getRecords
    wheelSnapTimer: 0,
    destroyed: false,
    settings: () => o.getSettings() || {},
    fdow() {
      const n = Number(v.settings().first_day_of_week);
      return n === 0 || n === 6 ? n : 1;
    },
    mapper: () => makeMapper(v.r1, v.r2, v.lay.y1, v.lay.y2),
    draw,
    scheduleFrame,
    animateTo,
    currentTarget,
    setNow,
    settle,
    zoomAround,
    clampSpan: (span) => Math.min(MAX_SPAN, Math.max(MIN_SPAN, span)),
  };
  const painter = createPainter(v);
  const accessible = createAccessible(v);
  let tickTimer = 0;
  let rafId = 0;

  // ---- sizing
  const ampm = () => usesAmPm(v.settings().time_repr || 'auto');
  function resize() {
    const rect = canvas.getBoundingClientRect();
    const w = Math.max(0, Math.round(rect.width));
    const h = Math.max(0, Math.round(rect.height));
    v.dpr = window.devicePixelRatio || 1;
    const pw = Math.round(w * v.dpr);
    const ph = Math.round(h * v.dpr);
    if (canvas.width !== pw || canvas.height !== ph) {
      canvas.width = pw;
      canvas.height = ph;
    }
    v.lay = computeLayout(w, h, ampm());
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

  // ---- frames
  function draw() {
    if (v.destroyed) return;
    // Moving the window to a screen with another pixel ratio resizes nothing: check here.
    if ((window.devicePixelRatio || 1) !== v.dpr || ampm() !== v.lay.ampm) resize();
    if (v.lay.w < 2 || v.lay.h < 2) return;
    const st = painter.draw();
    accessible.update(st);
  }

  function scheduleFrame() {
    if (!rafId && !v.destroyed) rafId = requestAnimationFrame(frame);
  }
  function frame(ts) {
    rafId = 0;
    const t = v.target;
    if (t) {
      const k = Math.min(1, (ts - t.start) / t.dur);
      const e = easeOut(Math.max(0, k));
      v.r1 = t.from[0] + (t.to[0] - t.from[0]) * e;
      v.r2 = t.from[1] + (t.to[1] - t.from[1]) * e;
      if (k >= 1) {
        [v.r1, v.r2] = t.to;
        v.target = null;
      } else {
        scheduleFrame();
      }
    }
    draw();
  }

  // ---- the range
  /** Animate to [a, b]; tell the app at once (it shows the destination). */
  function animateTo(a, b, { dur = 260, notify = true } = {}) {
    b = Math.max(b, a + MIN_SPAN);
    if (v.target && v.target.to[0] === a && v.target.to[1] === b) return;
    v.target = { from: [v.r1, v.r2], to: [a, b], start: performance.now(), dur };
    if (notify) o.onRangeChange(a, b);
    scheduleFrame();
  }
  function currentTarget() {
    return v.target ? v.target.to : [v.r1, v.r2];
  }
  function setNow(a, b) {
    v.target = null;
    v.r1 = a;
    v.r2 = b;
    scheduleFrame();
  }
  /** After a free pan/zoom: snap (animated) to the calendar range nearest the current one. */
  function settle(shift = 0) {
    const [a, b] = snapRange(v.r1 + shift, v.r2 + shift, v.fdow());
    animateTo(a, b, { dur: shift ? 420 : 260 });
  }
  function zoomAround(a, b, factor, anchorY) {
    const { lay } = v;
    const ta = makeMapper(a, b, lay.y1, lay.y2).toT(anchorY);
    const span = v.clampSpan((b - a) * factor);
    const k = (anchorY - lay.y1) / Math.max(1, lay.y2 - lay.y1);
    setNow(ta - k * span, ta - k * span + span);
  }

  // ---- live redraw, aligned to the second, only while the page is visible
  function shouldTick() {
    if (document.visibilityState === 'hidden' || v.lay.h < 2) return false;
    const now = o.now();
    const m = v.mapper();
    if (now >= m.toT(-4) && now <= m.toT(v.lay.h + 4)) return true;
    // A running record whose start is in view while now is below it: its label still ticks.
    return v.hits.items.some((it) => it.running);
  }
  function tick() {
    tickTimer = 0;
    if (v.destroyed) return;
    if (shouldTick() && !v.gesture && !v.target) draw();
    scheduleTick();
  }
  function scheduleTick() {
    if (tickTimer || v.destroyed || document.visibilityState === 'hidden') return;
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

  const detachGestures = attachGestures(v);

  // ---- public interface
  resize();
  draw();
  scheduleTick();

  return {
    /** Show [t1, t2] at once (no snapping, no onRangeChange: the app asked for it). */
    setRange(t1, t2) {
      if (!(t2 > t1)) return;
      v.target = null;
      v.r1 = t1;
      v.r2 = Math.max(t2, t1 + MIN_SPAN);
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
      return !v.target && !v.gesture && !v.pinch && !v.wheelSnapTimer;
    },
    /** Paint again now (after data or settings changed). */
    redraw() {
      draw();
    },
    /** One scale in (+1) or out (-1), around anchorTime, or now when visible, or the centre. */
    zoom(dir, anchorTime) {
      const [a, b] = currentTarget();
      const r = zoomRange(a, b, dir, { anchor: anchorTime, now: o.now(), fdow: v.fdow() });
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
      const r = todayToggle(a, b, o.now(), v.settings());
      animateTo(r[0], r[1]);
    },
    /** The day/week/month/quarter/year containing now. */
    goPeriod(period) {
      const r = periodRange(o.now(), period, v.fdow());
      animateTo(r[0], r[1]);
    },
    destroy() {
      v.destroyed = true;
      clearTimeout(tickTimer);
      detachGestures();
      if (rafId) cancelAnimationFrame(rafId);
      if (ro) ro.disconnect();
      else window.removeEventListener('resize', onWindowResize);
      document.removeEventListener('visibilitychange', onVisibility);
      root.remove();
      container.classList.remove('tl-container', 'tl-dark');
    },
  };
}
