// painter.js: what each frame of the timeline shows: reads the theme (palette plus the page's
// --tl-* properties), asks the app for the records around the range, keeps drag results until
// the store shows them, caches tags, parts and colours per description, and hands all of it to
// paint() (draw.js), keeping what it drew for hit testing. For spans of period blocks it
// groups records into periods once per change of data (opts.dataVersion()), not every frame:
// a period's totals are kept until the data, the settings or the selection change, except
// the period holding now (a running record grows). Owns no range and no gesture.

import { RECORDS_MAX_SPAN } from './calendar.js';
import { paint, PALETTES, THEME_VARS } from './draw.js';
import { aggregatePeriods } from './periods.js';
import { parseTags, parseTagsAndParts } from '../common/tags.js';

/** The painter of view `v` (see index.js); returns { draw() }. */
export function createPainter(v) {
  const { o, container, canvas } = v;
  const ctx = canvas.getContext('2d');
  const tagCache = new Map();
  const partsCache = new Map();
  const colorCache = new Map();

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
  const colorOf = (tags) => {
    const k = tags.join(' ');
    let c = colorCache.get(k);
    if (c === undefined) {
      c = o.colorForTags(tags) || v.theme.accent;
      colorCache.set(k, c);
    }
    return c;
  };

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
      const val = cs.getPropertyValue(THEME_VARS[k]).trim();
      t[k] = val || base[k];
    }
    return t;
  }
  // Secondary tags (taginfo priority 2) get no bar in period blocks.
  function primaryTagsFn(st) {
    const memo = new Map();
    const isSecondary = (tag) => {
      let s = memo.get(tag);
      if (s === undefined) {
        const info = st['taginfo ' + tag];
        s = !!(info && Number(info.priority) === 2);
        if (!s && typeof o.isSecondaryTag === 'function') s = !!o.isSecondaryTag(tag);
        memo.set(tag, s);
      }
      return s;
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

  // Period totals by period start, for one data version, unit, week start and selection.
  const blocks = { key: '', byStart: new Map() };
  let frames = 0;
  function aggregate(periods, { unit, fdow, selected, isSelected, primaryTags, now }) {
    const version = o.dataVersion ? o.dataVersion() : `frame ${frames++}`; // without one: every frame
    const key = `${version}|${unit}|${fdow}|${selected.join(' ')}`;
    if (key !== blocks.key) {
      blocks.key = key;
      blocks.byStart.clear();
    }
    const missing = periods.filter((p) => !blocks.byStart.has(p.t1) || (p.t1 <= now && now < p.t2));
    if (missing.length) {
      const records = o.getRecords(missing[0].t1, missing[missing.length - 1].t2) || [];
      for (const a of aggregatePeriods(records, missing, { now, primaryTags, isSelected })) blocks.byStart.set(a.t1, a);
    }
    return periods.map((p) => blocks.byStart.get(p.t1));
  }

  // While the browser is idle after the first frame, the tags of the last year's records are
  // read once (the parse is kept per description), so the first year view groups records
  // without parsing 10,000 descriptions in one frame.
  let warmed = false;
  function warmUp() {
    warmed = true;
    if (typeof requestIdleCallback !== 'function') return;
    const now = o.now();
    const recs = o.getRecords(now - 400 * 86400, now + 86400) || [];
    let i = 0;
    const step = (deadline) => {
      while (i < recs.length && deadline.timeRemaining() > 2) {
        const end = Math.min(recs.length, i + 500);
        for (; i < end; i++) tagsOf(recs[i].ds || '');
      }
      if (i < recs.length && !v.destroyed) requestIdleCallback(step, { timeout: 5000 });
    };
    requestIdleCallback(step, { timeout: 5000 });
  }

  /** Paint the current state; returns the settings it used. */
  function draw() {
    if (!warmed) setTimeout(warmUp, 0);
    const { lay } = v;
    const st = v.settings();
    v.theme = readTheme(st);
    colorCache.clear();
    const now = o.now();
    const m = v.mapper();
    const qa = m.toT(0);
    const qb = m.toT(lay.h);
    // period blocks ask for their periods' records themselves (aggregate), records one by one here
    let records = v.r2 - v.r1 > RECORDS_MAX_SPAN ? [] : o.getRecords(qa, qb) || [];
    // Drag results wait here until the store shows them, so a record does not jump back.
    if (v.pending.size) {
      const nowMs = Date.now();
      records = records.map((r) => {
        const p = v.pending.get(r.key);
        if (!p) return r;
        if ((r.t1 === p.t1 && r.t2 === p.t2) || nowMs > p.until) {
          v.pending.delete(r.key);
          return r;
        }
        return { ...r, t1: p.t1, t2: p.t2 };
      });
    }
    const sel = (o.selectedTags() || []).map((t) => String(t).toLowerCase());
    ctx.setTransform(v.dpr, 0, 0, v.dpr, 0, 0);
    v.hits = paint({
      ctx, lay, m, theme: v.theme, settings: st, now,
      records,
      colorOf, tagsOf, partsOf,
      selected: sel,
      primaryTags: primaryTagsFn(st),
      aggregate,
      drag: v.dragPreview,
      create: v.createPreview,
      selectedKey: v.selectedKey,
      hoverKey: v.hoverKey,
      hoverT: v.hoverT,
      blink: Math.floor(now) % 2 === 0,
    });
    return st;
  }

  return { draw };
}
