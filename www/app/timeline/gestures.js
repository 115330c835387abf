// gestures.js: every way a hand moves the timeline or its records: pointer drags (pan with
// inertia and calendar snapping, as TimeTagger; drag-edit of a bar's start, end or whole; a
// record created on the strip only by a deliberate gesture, Shift+drag or press, hold, drag;
// long-press on touch before a bar moves), the right-button zoom drag, two-finger pinch, the
// wheel (pan, Shift or horizontal for scale steps, Ctrl or trackpad pinch for free zoom),
// clicks, hover, and Escape to undo a drag. It changes the view `v` (see index.js) and calls the app.

import { snapRange, zoomRange } from './calendar.js';
import { makeMapper, dragTimes, gridFor } from './geometry.js';

const TAP_PX = { mouse: 4, pen: 6, touch: 10 };
const EDGE_PX = { mouse: 6, pen: 8, touch: 14 };
const SNAP_PX = { mouse: 10, pen: 12, touch: 18 };
const LONG_PRESS_MS = 350;

/** Listen for gestures on v.canvas; returns detach(). */
export function attachGestures(v) {
  const { o, canvas } = v;
  const pointers = new Map(); // pointerId -> {x, y, type}
  let lastWheelZoom = -Infinity; // performance.now() of the last wheel zoom (not 0: that is page load, and a zoom in the first 0.6 s was lost)
  let wheelZoomAcc = 0;

  // ---- hit testing
  function pointerPos(ev) {
    const rect = canvas.getBoundingClientRect();
    return { x: ev.clientX - rect.left, y: ev.clientY - rect.top };
  }
  function hitTest(x, y, type = 'mouse') {
    const { hits, lay } = v;
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

  function cursorFor(h, shift) {
    if (h.kind === 'bar') return h.mode === 'start' || h.mode === 'end' ? 'ns-resize' : h.mode === 'move' ? 'move' : 'pointer';
    if (h.kind === 'card' || h.kind === 'block') return 'pointer';
    if (h.kind === 'strip' && shift) return 'crosshair';
    return 'grab';
  }

  function snapCandidates(exceptKey) {
    const now = o.now();
    const c = [now];
    for (const b of v.hits.bars) {
      if (b.key === exceptKey) continue;
      c.push(b.t1, b.running ? now : b.t2);
    }
    return c.sort((a, b) => a - b);
  }

  // ---- pointers
  function onPointerDown(ev) {
    if (v.destroyed) return;
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
      v.gesture = { kind: 'rzoom', id: ev.pointerId, y0: pos.y, range0: v.currentTarget(), anchorY: pos.y };
      ev.preventDefault();
      return;
    }
    if (type === 'mouse' && ev.button !== 0) return;
    v.target = null; // grabbing stops a running animation where it is
    const h = hitTest(pos.x, pos.y, type);
    // A drag on the empty strip pans (as everywhere else); it creates a record only with Shift
    // held or after holding still. A mouse drags a bar at once; touch holds still first.
    const armed = h.kind === 'strip' ? ev.shiftKey : type !== 'touch';
    const g = {
      kind: 'pending', id: ev.pointerId, type, x0: pos.x, y0: pos.y, hit: h, t0: performance.now(),
      range0: [v.r1, v.r2], samples: [{ t: performance.now(), y: pos.y }], armed,
    };
    v.gesture = g;
    if (!armed && (h.kind === 'bar' || h.kind === 'strip')) {
      g.longPress = setTimeout(() => {
        if (v.gesture === g && g.kind === 'pending') {
          g.armed = true;
          if (h.kind === 'bar') v.selectedKey = h.bar.key;
          else beginCreate(g); // the new record's outline shows at once
          if (navigator.vibrate) try { navigator.vibrate(10); } catch { /* optional */ }
          v.draw();
        }
      }, LONG_PRESS_MS);
    }
    if (type !== 'mouse') ev.preventDefault();
  }

  // Escape during a drag puts everything back as it was.
  function onKeyDown(ev) {
    if (ev.key !== 'Escape' || !v.gesture) return;
    const g = v.gesture;
    cancelGesture();
    if (g.kind === 'pan' || g.kind === 'rzoom') v.setNow(g.range0[0], g.range0[1]);
    ev.preventDefault();
    ev.stopPropagation();
    v.draw();
  }

  function beginDrag(g) {
    const h = g.hit;
    if (h.kind === 'bar' && g.armed && h.mode !== 'body-running') {
      const b = h.bar;
      g.kind = 'drag';
      g.mode = h.mode;
      g.orig = { t1: b.t1, t2: b.running ? b.t1 : b.t2, running: b.running };
      g.key = b.key;
      g.candidates = snapCandidates(b.key);
      v.selectedKey = b.key;
      v.dragPreview = { key: b.key, t1: g.orig.t1, t2: g.orig.t2, mode: g.mode, running: b.running };
      return;
    }
    if (h.kind === 'strip' && g.armed) {
      beginCreate(g);
      return;
    }
    g.kind = 'pan';
    clearTimeout(g.longPress);
    if (g.type === 'mouse') canvas.style.cursor = 'grabbing';
  }

  function beginCreate(g) {
    g.kind = 'create';
    g.tStart = v.mapper().toT(g.y0);
    g.candidates = snapCandidates(null);
    v.createPreview = createTimes(g, 0);
  }
  function createTimes(g, dt) {
    const m = makeMapper(g.range0[0], g.range0[1], v.lay.y1, v.lay.y2);
    return dragTimes('create', { t1: g.tStart }, dt, {
      candidates: g.candidates, secPerPx: m.secPerPx, snapPx: SNAP_PX[g.type] || 10, grid: gridFor(m.secPerPx),
    });
  }

  function onPointerMove(ev) {
    const pos = pointerPos(ev);
    const p = pointers.get(ev.pointerId);
    if (p) {
      p.x = pos.x;
      p.y = pos.y;
    }
    if (v.pinch) {
      updatePinch();
      return;
    }
    const g = v.gesture;
    if (!g || g.id !== ev.pointerId) {
      if (!g && (ev.pointerType || 'mouse') === 'mouse') hover(pos, ev.shiftKey);
      return;
    }
    if (g.kind === 'rzoom') {
      const [a, b] = g.range0;
      const f = Math.exp((pos.y - g.y0) / 150);
      v.zoomAround(a, b, f, g.anchorY);
      return;
    }
    if (g.kind === 'pending') {
      const moved = Math.hypot(pos.x - g.x0, pos.y - g.y0);
      if (moved < (TAP_PX[g.type] || 4)) return;
      clearTimeout(g.longPress);
      beginDrag(g);
    }
    const m = makeMapper(g.range0[0], g.range0[1], v.lay.y1, v.lay.y2);
    const dt = (pos.y - g.y0) * m.secPerPx;
    if (g.kind === 'pan') {
      v.r1 = g.range0[0] - dt;
      v.r2 = g.range0[1] - dt;
      v.target = null;
      g.samples.push({ t: performance.now(), y: pos.y });
      if (g.samples.length > 8) g.samples.shift();
      v.scheduleFrame();
    } else if (g.kind === 'drag') {
      const res = dragTimes(g.mode, g.orig, dt, {
        candidates: g.candidates, secPerPx: m.secPerPx, snapPx: SNAP_PX[g.type] || 10,
        grid: gridFor(m.secPerPx), now: o.now(),
      });
      if (res) v.dragPreview = { ...v.dragPreview, t1: res.t1, t2: res.t2 };
      v.scheduleFrame();
    } else if (g.kind === 'create') {
      v.createPreview = createTimes(g, dt);
      v.scheduleFrame();
    }
  }

  function hover(pos, shift) {
    const h = hitTest(pos.x, pos.y, 'mouse');
    canvas.style.cursor = cursorFor(h, shift);
    const k = h.kind === 'bar' ? h.bar.key : h.kind === 'card' ? h.key : null;
    const bt = h.kind === 'block' ? h.block.t1 : null;
    if (k !== v.hoverKey || bt !== v.hoverT) {
      v.hoverKey = k;
      v.hoverT = bt;
      v.scheduleFrame();
    }
  }

  function onPointerUp(ev) {
    pointers.delete(ev.pointerId);
    if (v.pinch) {
      if (pointers.size < 2) endPinch();
      return;
    }
    const g = v.gesture;
    if (!g || g.id !== ev.pointerId) return;
    v.gesture = null;
    clearTimeout(g.longPress);
    if (ev.type === 'pointercancel') {
      v.dragPreview = null;
      v.createPreview = null;
      v.settle();
      return;
    }
    if (g.kind === 'rzoom') {
      v.settle();
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
      let vel = 0; // px per ms
      if (s.length >= 2) {
        const a = s[0];
        const b = s[s.length - 1];
        const age = performance.now() - b.t;
        if (b.t > a.t && age < 80) vel = (b.y - a.y) / (b.t - a.t);
      }
      const spp = (v.r2 - v.r1) / Math.max(1, v.lay.y2 - v.lay.y1);
      const carry = Math.abs(vel) > 0.3 ? vel * 250 * spp : 0;
      v.settle(-carry);
      return;
    }
    if (g.kind === 'drag') {
      const d = v.dragPreview;
      v.dragPreview = null;
      if (d && (d.t1 !== g.orig.t1 || d.t2 !== g.orig.t2)) {
        const t2 = d.running ? d.t1 : d.t2;
        v.pending.set(d.key, { t1: d.t1, t2, until: Date.now() + 3000 });
        o.onChangeRecordTimes(d.key, d.t1, t2);
      }
      v.draw();
      return;
    }
    if (g.kind === 'create') {
      const c = v.createPreview;
      v.createPreview = null;
      v.draw();
      if (c) o.onCreateRecord(c.t1, c.t2);
    }
  }

  function click(h) {
    if (h.kind === 'bar' || h.kind === 'card') {
      const key = h.kind === 'bar' ? h.bar.key : h.key;
      v.selectedKey = key;
      v.draw();
      o.onEditRecord(key);
    } else if (h.kind === 'block') {
      v.animateTo(h.block.t1, h.block.t2);
    } else if (v.selectedKey) {
      v.selectedKey = null;
      v.draw();
    }
  }

  function cancelGesture() {
    if (v.gesture) clearTimeout(v.gesture.longPress);
    v.gesture = null;
    v.dragPreview = null;
    v.createPreview = null;
  }

  // ---- pinch
  function startPinch() {
    const [p, q] = [...pointers.values()];
    v.pinch = {
      d0: Math.max(20, Math.hypot(p.x - q.x, p.y - q.y)),
      my0: (p.y + q.y) / 2,
      range0: [v.r1, v.r2],
    };
    v.target = null;
  }
  function updatePinch() {
    if (pointers.size < 2) return;
    const [p, q] = [...pointers.values()];
    const d = Math.max(20, Math.hypot(p.x - q.x, p.y - q.y));
    const my = (p.y + q.y) / 2;
    const { pinch, lay } = v;
    const [a, b] = pinch.range0;
    const m0 = makeMapper(a, b, lay.y1, lay.y2);
    const ta = m0.toT(pinch.my0);
    const span = v.clampSpan((b - a) * (pinch.d0 / d));
    const k = (my - lay.y1) / Math.max(1, lay.y2 - lay.y1);
    v.setNow(ta - k * span, ta - k * span + span);
  }
  function endPinch() {
    v.pinch = null;
    // The remaining finger does not start a pan; lifting it does nothing.
    v.gesture = null;
    v.settle();
  }

  // ---- wheel
  function onWheel(ev) {
    if (v.destroyed) return;
    const pos = pointerPos(ev);
    const unit = ev.deltaMode === 1 ? 16 : ev.deltaMode === 2 ? v.lay.h : 1;
    const dx = ev.deltaX * unit;
    const dy = ev.deltaY * unit;
    if (ev.ctrlKey) {
      // Trackpad pinch (and Ctrl+wheel): continuous zoom at the pointer, snapped when it stops.
      ev.preventDefault();
      v.zoomAround(v.r1, v.r2, Math.exp(dy * 0.01), pos.y);
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
        const anchor = v.mapper().toT(pos.y);
        const [cur1, cur2] = v.currentTarget();
        const [a, b] = zoomRange(cur1, cur2, dir, { anchor, fdow: v.fdow() });
        v.animateTo(a, b);
      }
      if (t - lastWheelZoom > 600) setTimeout(() => { wheelZoomAcc = 0; }, 300);
      return;
    }
    ev.preventDefault();
    // Vertical wheel pans 15% of the snapped span per 48 units, then snaps once it rests.
    const [s1, s2] = snapRange(v.r1, v.r2, v.fdow());
    const dt = (dy / 48) * 0.15 * (s2 - s1);
    if (v.target) {
      [v.r1, v.r2] = v.target.to;
      v.target = null;
    }
    v.setNow(v.r1 + dt, v.r2 + dt);
    debounceSettle();
  }
  function debounceSettle() {
    clearTimeout(v.wheelSnapTimer);
    v.wheelSnapTimer = setTimeout(() => { v.wheelSnapTimer = 0; v.settle(); }, 350);
  }

  function onContextMenu(ev) {
    if (!ev.ctrlKey) ev.preventDefault();
  }
  function onLeave() {
    if (v.hoverKey !== null || v.hoverT !== null) {
      v.hoverKey = null;
      v.hoverT = null;
      v.scheduleFrame();
    }
  }

  canvas.addEventListener('pointerdown', onPointerDown);
  canvas.addEventListener('pointermove', onPointerMove);
  canvas.addEventListener('pointerup', onPointerUp);
  canvas.addEventListener('pointercancel', onPointerUp);
  canvas.addEventListener('pointerleave', onLeave);
  canvas.addEventListener('wheel', onWheel, { passive: false });
  canvas.addEventListener('contextmenu', onContextMenu);
  document.addEventListener('keydown', onKeyDown, true);

  return function detach() {
    clearTimeout(v.wheelSnapTimer);
    document.removeEventListener('keydown', onKeyDown, true);
  };
}
