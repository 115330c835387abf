// draw.js: paints one frame of the timeline on a 2D canvas context and returns what
// was hit-testable (bars, cards, period blocks). Two views: individual records (spans up to ~2
// days) and period blocks with per-tag bars (longer spans). No state and no event handling here:
// index.js and gestures.js own those; painter.js calls paint() for every frame.

import { chooseTickSteps, tickTimes, RECORDS_MAX_SPAN } from './calendar.js';
import { assignLanes, layoutLabels } from './geometry.js';
import { blockUnit, periodsIn, aggregatePeriods } from './periods.js';
import { formatClock, tickLabel, blockLabel } from './format.js';
import { floorTime, isWorkday } from '../common/calendar.js';
import { formatDuration, MONTHS } from '../common/format.js';

/** Palettes used when the page sets no --tl-* custom property. */
export const PALETTES = {
  light: {
    bg: '#fbfbfc', fg: '#1f2430', muted: '#6b7280', grid: 'rgba(31,36,48,0.07)', gridStrong: 'rgba(31,36,48,0.2)',
    shade: 'rgba(31,36,48,0.045)', now: '#e5484d', accent: '#d99e0b', card: '#ffffff', cardBorder: 'rgba(31,36,48,0.1)',
    strip: '#eef0f4', weekend: 'rgba(31,36,48,0.055)', block: '#ffffff', blockBorder: 'rgba(31,36,48,0.09)',
    select: '#2f6feb', shadow: 'rgba(15,20,30,0.10)', font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  },
  dark: {
    bg: '#14161b', fg: '#e6e8ee', muted: '#9299a6', grid: 'rgba(230,232,238,0.06)', gridStrong: 'rgba(230,232,238,0.2)',
    shade: 'rgba(0,0,0,0.28)', now: '#ff6b6b', accent: '#f0b429', card: '#1d2027', cardBorder: 'rgba(255,255,255,0.07)',
    strip: '#1b1e25', weekend: 'rgba(0,0,0,0.32)', block: '#1b1e24', blockBorder: 'rgba(255,255,255,0.06)',
    select: '#6ea8fe', shadow: 'rgba(0,0,0,0.35)', font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  },
};

/** The CSS custom properties a page may set on the container, per palette key. */
export const THEME_VARS = {
  bg: '--tl-bg', fg: '--tl-fg', muted: '--tl-muted', grid: '--tl-grid', gridStrong: '--tl-grid-strong',
  shade: '--tl-shade', now: '--tl-now', accent: '--tl-accent', card: '--tl-card', cardBorder: '--tl-card-border',
  strip: '--tl-strip', weekend: '--tl-weekend', block: '--tl-block', blockBorder: '--tl-block-border',
  select: '--tl-select', shadow: '--tl-shadow', font: '--tl-font',
};

/** Column geometry for a canvas of w x h CSS pixels; `ampm` when clock times have am/pm. */
export function computeLayout(w, h, ampm = false) {
  const narrow = w < 480;
  // wide enough for "Wed 27" in bold, and for "10:45 am" when times have am/pm
  const tickW = narrow ? (ampm ? 62 : 56) : (ampm ? 72 : 64);
  const stripX = tickW + 6;
  const stripW = Math.round(Math.min(120, Math.max(44, w * 0.16)));
  const cardsX = stripX + stripW + (narrow ? 12 : 20);
  const cardsW = Math.max(60, Math.min(w - cardsX - 8, 560));
  const padY = Math.round(Math.min(28, Math.max(12, h * 0.035)));
  return { w, h, narrow, ampm, tickW, stripX, stripW, cardsX, cardsW, padY, y1: padY, y2: h - padY };
}

function roundRect(ctx, x, y, w, h, r) {
  r = Math.max(0, Math.min(r, w / 2, h / 2));
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}

/** Text cut with an ellipsis to fit maxW (binary search on measureText). */
function fitText(ctx, text, maxW) {
  if (maxW <= 0) return '';
  if (ctx.measureText(text).width <= maxW) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(text.slice(0, mid) + '…').width <= maxW) lo = mid;
    else hi = mid - 1;
  }
  return lo ? text.slice(0, lo) + '…' : '';
}

function font(theme, size, weight = 400) {
  return `${weight} ${size}px ${theme.font}`;
}

/** Ticks and grid lines across the canvas, labels in the left column; returns the rows
 * (y) of the labels. */
function paintTicks(ctx, m, lay, theme, settings, majorPx) {
  const fdow = Number(settings.first_day_of_week ?? 1);
  const repr = settings.time_repr || 'auto';
  const tA = m.toT(0);
  const tB = m.toT(lay.h);
  const { major, minor } = chooseTickSteps(m.secPerPx, majorPx);
  const labelYs = [];
  ctx.lineWidth = 1;
  if (minor) {
    ctx.strokeStyle = theme.grid;
    ctx.beginPath();
    for (const t of tickTimes(tA, tB, minor, fdow)) {
      const y = Math.round(m.toY(t)) + 0.5;
      ctx.moveTo(lay.stripX, y);
      ctx.lineTo(lay.w, y);
    }
    ctx.stroke();
  }
  ctx.font = font(theme, lay.narrow ? 11 : 12);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of tickTimes(tA, tB, major, fdow)) {
    const y = Math.round(m.toY(t)) + 0.5;
    const x = new Date(t * 1000);
    const dayEdge = x.getHours() === 0 && x.getMinutes() === 0 && x.getSeconds() === 0;
    const strong = dayEdge && (major.unit === 'minute' || major.unit === 'hour' || major.unit === 'second');
    ctx.strokeStyle = strong ? theme.gridStrong : theme.grid;
    ctx.lineWidth = strong ? 1.5 : 1;
    ctx.beginPath();
    ctx.moveTo(lay.tickW - 2, y);
    ctx.lineTo(lay.w, y);
    ctx.stroke();
    const label = tickLabel(t, major, repr, fdow);
    ctx.fillStyle = strong ? theme.fg : theme.muted;
    ctx.font = font(theme, lay.narrow ? 11 : 12, strong ? 600 : 400);
    ctx.fillText(fitText(ctx, label, lay.tickW - 8), lay.tickW - 6, y);
    labelYs.push(y);
  }
  return labelYs;
}

function paintShade(ctx, lay, theme) {
  ctx.fillStyle = theme.shade;
  ctx.fillRect(0, 0, lay.w, lay.y1);
  ctx.fillRect(0, lay.y2, lay.w, lay.h - lay.y2);
}

function paintNow(ctx, m, lay, theme, now, settings, pill = true, labelYs = []) {
  const y = Math.round(m.toY(now)) + 0.5;
  if (y < -2 || y > lay.h + 2) return;
  ctx.save();
  ctx.strokeStyle = theme.now;
  ctx.lineWidth = 1.5;
  ctx.setLineDash([6, 4]);
  ctx.lineDashOffset = -Math.floor(now) % 10;
  ctx.beginPath();
  ctx.moveTo(lay.tickW - 2, y);
  ctx.lineTo(lay.w, y);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = theme.now;
  ctx.beginPath();
  ctx.arc(lay.stripX, y, 3.5, 0, Math.PI * 2);
  ctx.fill();
  if (!pill) {
    ctx.restore();
    return;
  }
  // Time of now in the tick column, on a pill so it reads over tick labels.
  const label = formatClock(now, settings.time_repr || 'auto');
  ctx.font = font(theme, lay.narrow ? 10 : 11, 600);
  const tw = ctx.measureText(label).width;
  // Right-aligned on the tick labels; a long am/pm label may reach into the strip.
  const px = Math.max(2, lay.tickW - tw - 10);
  // Beside a tick label rather than over it: moved up or down until it clears the label.
  let py = y;
  const near = labelYs.find((ly) => Math.abs(ly - y) < 16);
  if (near !== undefined) py = y <= near ? near - 16 : near + 16;
  roundRect(ctx, px, py - 8, tw + 8, 16, 8);
  ctx.fill();
  ctx.fillStyle = '#fff';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(label, px + 4, py + 0.5);
  ctx.restore();
}

/**
 * Paint a frame. `f` holds: ctx, lay (computeLayout), m (makeMapper over lay.y1..lay.y2), now,
 * settings, theme, records (visible, resolved), colorOf(tags), tagsOf(ds), partsOf(ds),
 * selected (tags), primaryTags(ds), aggregate(periods, opts) (optional: period totals kept
 * between frames), drag (preview {key,t1,t2,mode}|null),
 * create ({t1,t2}|null), selectedKey, hoverKey, blink (bool).
 * Returns {mode, bars, cards, blocks, items} for hit-testing and the accessible list.
 */
export function paint(f) {
  const { ctx, lay, m, theme } = f;
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, lay.w, lay.h);
  const span = m.t2 - m.t1;
  const out = span <= RECORDS_MAX_SPAN ? paintRecords(f) : paintPeriods(f);
  paintShade(ctx, lay, theme);
  return out;
}

function isFaded(f, tags) {
  if (!f.selected || !f.selected.length) return false;
  return !f.selected.every((t) => tags.includes(t));
}

function paintRecords(f) {
  const { ctx, lay, m, theme, settings, now } = f;
  const workdays = Number(settings.workdays ?? 0);
  // Strip background, with free days darker.
  ctx.fillStyle = theme.strip;
  roundRect(ctx, lay.stripX, 0, lay.stripW, lay.h, 0);
  ctx.fill();
  if (workdays) {
    const days = periodsIn(m.toT(0), m.toT(lay.h), 'day');
    ctx.fillStyle = theme.weekend;
    for (const dd of days) {
      if (isWorkday(dd.t1, workdays)) continue;
      const a = Math.max(0, m.toY(dd.t1));
      const b = Math.min(lay.h, m.toY(dd.t2));
      ctx.fillRect(lay.stripX, a, lay.w - lay.stripX, b - a);
    }
  }
  const labelYs = paintTicks(ctx, m, lay, theme, settings, 40);

  // Resolve times (running end = now, drag preview), keep what is on the canvas.
  const tTop = m.toT(0);
  const tBottom = m.toT(lay.h);
  const recs = [];
  for (const r of f.records) {
    const running = r.t1 === r.t2;
    let t1 = r.t1;
    let t2 = running ? Math.max(now, r.t1) : r.t2;
    if (f.drag && f.drag.key === r.key) {
      t1 = f.drag.t1;
      t2 = f.drag.running ? Math.max(now, f.drag.t1) : f.drag.t2;
    }
    if (t2 < tTop || t1 > tBottom) continue;
    recs.push({ r, t1, t2, running });
  }
  recs.sort((a, b) => a.t1 - b.t1 || b.t2 - a.t2);
  const { lane, lanes } = assignLanes(recs);
  const bars = [];
  const innerW = lay.stripW - 8;
  for (let i = 0; i < recs.length; i++) {
    const it = recs[i];
    const laneW = innerW / lanes[i];
    const x = lay.stripX + 4 + lane[i] * laneW;
    const y1 = m.toY(it.t1);
    const y2 = Math.max(m.toY(it.t2), y1 + 2);
    const tags = f.tagsOf(it.r.ds || '');
    const faded = isFaded(f, tags);
    const w = Math.max(3, laneW - (lanes[i] > 1 ? 2 : 0));
    it.bar = { key: it.r.key, x, y1, y2, w, rec: it.r, t1: it.t1, t2: it.t2, running: it.running };
    bars.push(it.bar);
    ctx.globalAlpha = faded ? 0.28 : 1;
    const color = f.colorOf(tags);
    const dragging = f.drag && f.drag.key === it.r.key;
    if (dragging || f.hoverKey === it.r.key) {
      ctx.save();
      ctx.shadowColor = theme.shadow;
      ctx.shadowBlur = 8;
      ctx.shadowOffsetY = 2;
    }
    ctx.fillStyle = color;
    roundRect(ctx, x, y1, w, y2 - y1, Math.min(5, w / 3));
    ctx.fill();
    if (dragging || f.hoverKey === it.r.key) ctx.restore();
    if (it.running) {
      // Running: lighter stripes so it reads as "still growing", and a dot blinking at 1 Hz.
      ctx.save();
      roundRect(ctx, x, y1, w, y2 - y1, Math.min(5, w / 3));
      ctx.clip();
      ctx.strokeStyle = 'rgba(255,255,255,0.35)';
      ctx.lineWidth = 4;
      ctx.beginPath();
      const off = (Math.floor(now) % 2) * 6;
      for (let yy = y1 - w - 12 + off; yy < y2 + w; yy += 12) {
        ctx.moveTo(x, yy + w);
        ctx.lineTo(x + w, yy);
      }
      ctx.stroke();
      ctx.restore();
      if (f.blink) {
        ctx.fillStyle = theme.now;
        ctx.beginPath();
        ctx.arc(x + w / 2, y2, 3.5, 0, Math.PI * 2);
        ctx.fill();
      }
    }
    if (it.r.st === 0 && w >= 10 && y2 - y1 >= 10) {
      // Not yet acknowledged by the server: a small "+" as TimeTagger shows.
      ctx.fillStyle = 'rgba(255,255,255,0.9)';
      ctx.font = font(theme, 10, 700);
      ctx.textAlign = 'right';
      ctx.textBaseline = 'top';
      ctx.fillText('+', x + w - 2, y1 + 1);
    }
    if (f.selectedKey === it.r.key || dragging) {
      ctx.strokeStyle = theme.select;
      ctx.lineWidth = 2;
      roundRect(ctx, x - 1, y1 - 1, w + 2, y2 - y1 + 2, Math.min(6, w / 3));
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
  }

  // The now line runs under the label cards, so their text stays readable.
  paintNow(ctx, m, lay, theme, now, settings, true, labelYs);

  // Label cards: two lines when there is room for all, else one line; lowest durations dropped.
  const visible = recs;
  const cards = [];
  const wantY = (it) => {
    const a = Math.max(it.bar.y1, 2);
    const b = Math.min(it.bar.y2, lay.h - 2);
    return a <= b ? (a + b) / 2 : it.bar.y1 < 0 ? 2 : lay.h - 2;
  };
  let cardH = 38;
  let tops = null;
  for (const h of [38, 22]) {
    cardH = h;
    const items = visible.map((it) => ({ y: wantY(it), h, priority: it.t2 - it.t1 }));
    tops = layoutLabels(items, 2, lay.h - 2, h > 30 ? 5 : 3);
    if (h < 30 || tops.every((t) => t !== null)) break;
  }
  const repr = settings.duration_repr || 'hms';
  const trepr = settings.time_repr || 'auto';
  for (let i = 0; i < visible.length; i++) {
    const it = visible[i];
    const top = tops[i];
    if (top === null) continue;
    const tags = f.tagsOf(it.r.ds || '');
    const faded = isFaded(f, tags);
    const color = f.colorOf(tags);
    const x = lay.cardsX;
    const w = lay.cardsW;
    const card = { key: it.r.key, x, y: top, w, h: cardH };
    cards.push(card);
    ctx.globalAlpha = faded ? 0.45 : 1;
    // Connector from the bar to its card.
    const by = wantY(it);
    ctx.strokeStyle = theme.gridStrong;
    ctx.lineWidth = 1;
    ctx.beginPath();
    const bx = it.bar.x + it.bar.w + 1;
    ctx.moveTo(bx, by);
    const midX = (bx + x) / 2;
    ctx.bezierCurveTo(midX, by, midX, top + cardH / 2, x, top + cardH / 2);
    ctx.stroke();
    const hover = f.hoverKey === it.r.key;
    ctx.save();
    ctx.shadowColor = theme.shadow;
    ctx.shadowBlur = hover ? 10 : 4;
    ctx.shadowOffsetY = 1;
    ctx.fillStyle = theme.card;
    roundRect(ctx, x, top, w, cardH, 7);
    ctx.fill();
    ctx.restore();
    ctx.strokeStyle = hover || f.selectedKey === it.r.key ? theme.select : theme.cardBorder;
    ctx.lineWidth = 1;
    roundRect(ctx, x + 0.5, top + 0.5, w - 1, cardH - 1, 7);
    ctx.stroke();
    ctx.fillStyle = color;
    roundRect(ctx, x + 4, top + 4, 3, cardH - 8, 1.5);
    ctx.fill();
    const dur = formatDuration(it.t2 - it.t1, repr, { seconds: it.running });
    const pad = 13;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    const line1Y = cardH > 30 ? top + 13 : top + cardH / 2 + 0.5;
    ctx.font = font(theme, 13, 650);
    ctx.fillStyle = it.running ? theme.now : theme.fg;
    ctx.fillText(dur, x + pad, line1Y);
    const durW = ctx.measureText(dur).width + 8;
    paintDescription(ctx, f, it.r.ds || '', x + pad + durW, line1Y, w - pad - durW - 8, theme);
    if (cardH > 30) {
      ctx.font = font(theme, 11.5);
      ctx.fillStyle = theme.muted;
      const when = `${formatClock(it.t1, trepr)} – ${it.running ? 'now' : formatClock(it.t2, trepr)}`;
      ctx.fillText(fitText(ctx, when, w - pad - 8), x + pad, top + 28);
    }
    ctx.globalAlpha = 1;
  }

  // Drag flaps: the times being set, next to the moving edges.
  if (f.drag) paintFlaps(ctx, f, f.drag, bars.find((b) => b.key === f.drag.key));
  if (f.create) {
    const y1 = m.toY(f.create.t1);
    const y2 = m.toY(f.create.t2);
    ctx.fillStyle = theme.accent;
    ctx.globalAlpha = 0.85;
    roundRect(ctx, lay.stripX + 4, y1, lay.stripW - 8, Math.max(2, y2 - y1), 5);
    ctx.fill();
    ctx.globalAlpha = 1;
    paintFlaps(ctx, f, { ...f.create, mode: 'create' }, { x: lay.stripX + 4, w: lay.stripW - 8, y1, y2 });
  }
  return { mode: 'records', bars, cards, blocks: [], items: recs.map((it) => it.bar) };
}

function paintDescription(ctx, f, ds, x, y, maxW, theme) {
  if (maxW < 12) return;
  ctx.font = font(theme, 13);
  const parts = f.partsOf(ds);
  let cx = x;
  const end = x + maxW;
  for (const p of parts) {
    let text = p.text;
    const w = ctx.measureText(text).width;
    if (cx + w > end) text = fitText(ctx, text, end - cx);
    if (!text) break;
    if (p.tag) {
      // As TimeTagger: the tag's '#' in its colour, the name in the text colour.
      ctx.fillStyle = f.colorOf([p.text]);
      ctx.fillText('#', cx, y);
      const hw = ctx.measureText('#').width;
      ctx.fillStyle = theme.fg;
      ctx.fillText(text.slice(1), cx + hw, y);
    } else {
      ctx.fillStyle = theme.fg;
      ctx.fillText(text, cx, y);
    }
    cx += ctx.measureText(text).width;
    if (text !== p.text) break;
  }
}

function paintFlaps(ctx, f, d, bar) {
  if (!bar) return;
  const { theme, settings } = f;
  const fmt = (t) => formatClock(t, settings.time_repr === 'ampm' ? 'ampm' : '24h');
  ctx.font = font(theme, 11, 600);
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  const flap = (t, y) => {
    const label = fmt(t);
    const tw = ctx.measureText(label).width;
    const x = bar.x + bar.w + 6;
    ctx.fillStyle = theme.select;
    roundRect(ctx, x, y - 9, tw + 10, 18, 5);
    ctx.fill();
    ctx.fillStyle = '#fff';
    ctx.fillText(label, x + 5, y + 0.5);
  };
  const showStart = d.mode !== 'end';
  const showEnd = d.mode !== 'start' && !d.running;
  if (showStart) flap(d.t1, bar.y1);
  if (showEnd) flap(d.t2, Math.max(bar.y2, bar.y1 + (showStart ? 20 : 0)));
}

// In period views the left column names the larger unit around the blocks: months around day
// and week blocks, years around month and quarter blocks, decades around years.
const CONTEXT = { day: ['month', 1], week: ['month', 1], month: ['year', 1], quarter: ['year', 1], year: ['year', 10] };

function paintContext(ctx, m, lay, theme, unit, fdow) {
  const [u, n] = CONTEXT[unit];
  const tA = m.toT(0);
  const tB = m.toT(lay.h);
  const label = (t) => {
    const x = new Date(t * 1000);
    if (u === 'month') return [MONTHS[x.getMonth()], String(x.getFullYear())];
    if (n === 10) return [`${x.getFullYear()}s`, ''];
    return [String(x.getFullYear()), ''];
  };
  const marks = tickTimes(tA, tB, { unit: u, n, secs: 0 }, fdow);
  const first = floorTime(tA, u, n, fdow);
  if (!marks.length || m.toY(marks[0]) > 40) marks.unshift(first);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'top';
  for (let i = 0; i < marks.length; i++) {
    const t = marks[i];
    const y = Math.round(m.toY(t)) + 0.5;
    if (y >= 0) {
      ctx.strokeStyle = theme.gridStrong;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(8, y);
      ctx.lineTo(lay.stripX - 4, y);
      ctx.stroke();
    }
    // Sticky: the label of a unit that began above the canvas stays at the top until the next.
    const next = i + 1 < marks.length ? m.toY(marks[i + 1]) : Infinity;
    const ly = Math.min(Math.max(y + 5, 6), next - 34);
    const [a, b] = label(t);
    ctx.fillStyle = theme.fg;
    ctx.font = font(theme, lay.narrow ? 12 : 13, 650);
    ctx.fillText(a, lay.tickW - 4, ly);
    if (b) {
      ctx.fillStyle = theme.muted;
      ctx.font = font(theme, lay.narrow ? 10.5 : 11.5);
      ctx.fillText(b, lay.tickW - 4, ly + 16);
    }
  }
}

function paintPeriods(f) {
  const { ctx, lay, m, theme, settings, now } = f;
  const fdow = Number(settings.first_day_of_week ?? 1);
  const workdays = Number(settings.workdays ?? 0);
  const unit = blockUnit(m.t2 - m.t1);
  paintContext(ctx, m, lay, theme, unit, fdow);
  const periods = periodsIn(m.toT(0), m.toT(lay.h), unit, fdow);
  const selecting = f.selected && f.selected.length > 0;
  const grouping = {
    now,
    primaryTags: f.primaryTags,
    isSelected: selecting ? (ds) => !isFaded(f, f.tagsOf(ds)) : null,
  };
  // the painter keeps the totals between frames; without it, group the records given
  const agg = f.aggregate
    ? f.aggregate(periods, { ...grouping, unit, fdow, selected: f.selected || [] })
    : aggregatePeriods(f.records, periods, grouping);
  let maxTag = 1;
  let maxSum = 1;
  for (const p of agg) {
    let sum = 0;
    for (const [, s] of p.tags) {
      maxTag = Math.max(maxTag, s);
      sum += s;
    }
    maxSum = Math.max(maxSum, sum);
  }
  const repr = settings.duration_repr || 'hms';
  const x = lay.stripX;
  const w = Math.min(lay.w - x - 8, 760);
  const blocks = [];
  for (const p of agg) {
    const y1 = m.toY(p.t1) + 2;
    const y2 = m.toY(p.t2) - 2;
    const h = y2 - y1;
    if (h < 3) continue;
    const containsNow = now >= p.t1 && now < p.t2;
    blocks.push({ t1: p.t1, t2: p.t2, x, y1, y2, w, unit, total: p.total, selected: p.selected, tags: p.tags });
    ctx.fillStyle = theme.block;
    roundRect(ctx, x, y1, w, h, Math.min(8, h / 3));
    ctx.fill();
    if (unit === 'day' && !isWorkday(p.t1, workdays)) {
      ctx.fillStyle = theme.weekend;
      ctx.fill();
    }
    ctx.strokeStyle = containsNow ? theme.accent : f.hoverT === p.t1 ? theme.select : theme.blockBorder;
    ctx.lineWidth = containsNow ? 1.5 : 1;
    roundRect(ctx, x + 0.5, y1 + 0.5, w - 1, h - 1, Math.min(8, h / 3));
    ctx.stroke();

    const footH = h >= 34 ? 18 : 0;
    const inner = { x: x + 10, y: y1 + 6, w: w - 20, h: h - 12 - footH };
    const label = blockLabel(p.t1, unit, fdow);
    const total = selecting ? `${formatDuration(p.selected, repr)} / ${formatDuration(p.total, repr)}` : formatDuration(p.total, repr);
    ctx.textBaseline = 'middle';
    if (footH) {
      const fy = y2 - 11;
      ctx.font = font(theme, 12, 600);
      ctx.textAlign = 'left';
      ctx.fillStyle = p.total ? theme.fg : theme.muted;
      ctx.fillText(p.total ? total : '–', x + 10, fy);
      ctx.textAlign = 'right';
      ctx.font = font(theme, 12, containsNow ? 700 : 500);
      ctx.fillStyle = containsNow ? theme.accent : theme.muted;
      ctx.fillText(label, x + w - 10, fy);
    } else {
      // A thin block: label right, total left, bars in between.
      ctx.font = font(theme, 11, containsNow ? 700 : 500);
      ctx.textAlign = 'right';
      ctx.fillStyle = containsNow ? theme.accent : theme.muted;
      ctx.fillText(label, x + w - 8, (y1 + y2) / 2);
      const lw = ctx.measureText(label).width;
      ctx.textAlign = 'left';
      ctx.fillStyle = theme.fg;
      ctx.font = font(theme, 11, 600);
      const tt = p.total ? total : '';
      ctx.fillText(tt, x + 8, (y1 + y2) / 2);
      const tw = ctx.measureText(tt).width;
      inner.x = x + 16 + tw;
      inner.w = w - (inner.x - x) - lw - 20;
      inner.y = y1 + Math.max(2, h / 2 - 4);
      inner.h = Math.min(8, h - 4);
    }
    paintTagBars(ctx, f, p.tags, maxTag, maxSum, inner, repr);
  }
  paintNow(ctx, m, lay, theme, now, settings, false);
  return { mode: 'periods', bars: [], cards: [], blocks, items: blocks, unit };
}

function paintTagBars(ctx, f, tags, maxTag, maxSum, box, repr) {
  const { theme } = f;
  if (!tags.length || box.h < 3 || box.w < 20) return;
  const rowGap = 3;
  const rowH = Math.min(18, (box.h - rowGap * (tags.length - 1)) / tags.length);
  if (rowH >= 5) {
    // One row per tag: a bar as long as its time against the largest tag total in view.
    let y = box.y;
    for (const [tag, secs] of tags) {
      const bw = Math.max(2, (secs / maxTag) * box.w * (rowH >= 13 ? 0.62 : 1));
      ctx.fillStyle = f.colorOf([tag]);
      roundRect(ctx, box.x, y, bw, rowH, Math.min(4, rowH / 2));
      ctx.fill();
      if (rowH >= 13) {
        ctx.font = font(theme, 11.5);
        ctx.textAlign = 'left';
        ctx.textBaseline = 'middle';
        ctx.fillStyle = theme.muted;
        const text = `${tag} ${formatDuration(secs, repr)}`;
        ctx.fillText(fitText(ctx, text, box.w - bw - 8), box.x + bw + 6, y + rowH / 2 + 0.5);
      }
      y += rowH + rowGap;
    }
    return;
  }
  // Too many tags for rows: one stacked bar, as long as this period's tagged time against the
  // largest in view, so periods stay comparable.
  const sum = tags.reduce((a, [, s]) => a + s, 0);
  let x = box.x;
  const full = (sum / maxSum) * box.w;
  const h = Math.min(box.h, 12);
  for (const [tag, secs] of tags) {
    const sw = (secs / sum) * full;
    ctx.fillStyle = f.colorOf([tag]);
    ctx.fillRect(x, box.y, Math.max(1, sw - 1), h);
    x += sw;
  }
}
