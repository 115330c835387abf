// overview.js: the Overview panel beside the timeline: time per tag combination in the
// visible range (running time ticking live), drill-down by selecting tags (the timeline fades
// other records), excluding tags, totals for the selection and the range, and the selection's
// target. Numbers come from stats.js; this file only draws and handles clicks.

import { h, lazy } from '../common/ui.js';
import { formatDuration } from '../common/format.js';
import { overviewStats } from './stats.js';
// targets matter once tags are selected: loaded then, not with the app (a failed load is
// tried again at the next selection)
const targetModule = lazy(() => import('./targets.js'));

export function mountOverview(ctx, root, { onSelectionChange, openTargetEditor, openReports }) {
  const state = { selected: [], excluded: [] };
  let lastSig = '';
  let lastRange = '';
  let dirty = true;
  let lastRunning = true;

  root.classList.add('iv-overview');
  root.setAttribute('aria-live', 'off');
  const head = h('div', { class: 'iv-ov-head' });
  const targetLine = h('div', { class: 'iv-ov-target', 'aria-live': 'polite' });
  const list = h('ul', { class: 'iv-ov-list', 'aria-label': 'Time per tag combination' });
  root.replaceChildren(head, targetLine, list);

  const fmt = (s, running) => formatDuration(s, ctx.durationRepr(), { seconds: !!running });

  function changed() {
    dirty = true;
    if (onSelectionChange) onSelectionChange();
    render();
  }
  function select(tags) {
    for (const t of tags) if (!state.selected.includes(t)) state.selected.push(t);
    state.excluded = state.excluded.filter((t) => !tags.includes(t));
    changed();
  }
  function exclude(tag) {
    if (!state.excluded.includes(tag)) state.excluded.push(tag);
    state.selected = state.selected.filter((t) => t !== tag);
    changed();
  }
  function unselect(tag) {
    state.selected = state.selected.filter((t) => t !== tag);
    state.excluded = state.excluded.filter((t) => t !== tag);
    changed();
  }
  function clear() {
    if (!state.selected.length && !state.excluded.length) return;
    state.selected = [];
    state.excluded = [];
    changed();
  }

  function chip(tag, kind) {
    const b = h('button', { type: 'button', class: 'iv-chip ' + kind, title: kind === 'excluded' ? `Stop excluding ${tag}` : `Remove ${tag} from the selection`,
      'aria-label': kind === 'excluded' ? `Stop excluding ${tag}` : `Unselect ${tag}`, onclick: () => unselect(tag) },
    h('span', { class: 'hash' }, kind === 'excluded' ? '!#' : '#'), tag.slice(1), h('span', { class: 'x', 'aria-hidden': 'true' }, '×'));
    b.style.setProperty('--tagcolor', ctx.colorOf(tag));
    return b;
  }

  function render(force = false) {
    const [t1, t2] = ctx.getRange();
    const now = ctx.now();
    const rangeKey = t1 + '|' + t2;
    if (rangeKey !== lastRange) { lastRange = rangeKey; dirty = true; }
    // nothing changed and nothing runs: the numbers are the same as a second ago
    if (!force && !dirty && !lastRunning) return;
    const records = ctx.store.records.query(t1, t2);
    const s = overviewStats(records, { t1, t2, now, selected: state.selected, excluded: state.excluded, tagInfo: ctx.tagInfo });
    lastRunning = s.running || s.combos.some((c) => c.running) || records.some((r) => r.t1 === r.t2);
    const sig = JSON.stringify([state, s.combos.map((c) => [c.tagz, c.running ? -1 : c.seconds]), s.running ? -1 : s.rangeSeconds, ctx.durationRepr()]);
    if (!force && !dirty && sig === lastSig) {
      // only running time moved: update the ticking numbers in place (keeps focus and scroll)
      for (const el of root.querySelectorAll('[data-live]')) {
        const c = el.dataset.live === '*' ? null : s.combos.find((x) => x.tagz === el.dataset.live);
        el.textContent = el.dataset.live === '*sel' ? fmt(s.selectionSeconds, s.running)
          : el.dataset.live === '*' ? fmt(s.rangeSeconds, s.running) : c ? fmt(c.seconds, c.running) : el.textContent;
      }
      renderTarget(s, t1, t2);
      return;
    }
    lastSig = sig;
    dirty = false;

    const filtered = state.selected.length || state.excluded.length;
    head.replaceChildren();
    if (filtered) {
      head.append(
        h('button', { type: 'button', class: 'icon-btn iv-back', 'aria-label': 'Clear the selection (Backspace)', title: 'Clear the selection (Backspace)', onclick: clear }, '←'),
        h('div', { class: 'iv-chips' }, ...state.selected.map((t) => chip(t, 'selected')), ...state.excluded.map((t) => chip(t, 'excluded'))),
        state.selected.length ? h('button', { type: 'button', class: 'btn subtle iv-cfg', title: 'Set a target for this selection', onclick: () => openTargetEditor(state.selected) }, 'Target…') : null,
      );
    }
    head.append(h('div', { class: 'iv-ov-total' },
      h('span', {}, filtered ? 'Selected' : 'Total'),
      h('strong', { 'data-live': filtered ? '*sel' : '*', class: s.running ? 'running' : '' }, fmt(filtered ? s.selectionSeconds : s.rangeSeconds, s.running)),
      filtered ? h('span', { class: 'muted' }, ' of ', h('span', { 'data-live': '*' }, fmt(s.rangeSeconds, s.running))) : null,
      h('button', { type: 'button', class: 'btn subtle iv-rep', title: 'Report on this range and selection (r)', onclick: () => openReports() }, 'Report')));

    const max = s.combos.reduce((m, c) => Math.max(m, c.seconds), 0) || 1;
    const items = s.combos.map((c) => {
      const rest = c.rest.length ? c.rest : [];
      const tagButtons = rest.length ? rest.flatMap((t) => {
        const b = h('button', { type: 'button', class: 'iv-tag', title: `Select ${t} (${fmt(s.tagSeconds[t] || 0)} in this range)`, onclick: (e) => { e.stopPropagation(); if (e.shiftKey || e.altKey) exclude(t); else select([t]); } },
          h('span', { class: 'hash' }, '#'), t.slice(1));
        b.style.setProperty('--tagcolor', ctx.colorOf(t));
        const x = t === '#untagged' ? null : h('button', { type: 'button', class: 'iv-ex', 'aria-label': `Exclude ${t}`, title: `Exclude ${t}`, onclick: (e) => { e.stopPropagation(); exclude(t); } }, '⊘');
        return x ? [b, x] : [b];
      }) : [h('span', { class: 'muted' }, 'General')];
      const bands = h('span', { class: 'iv-bands', 'aria-hidden': 'true' }, ...c.tags.filter((t) => t !== '#untagged' || c.tags.length === 1).map((t) => {
        const band = h('span', { class: 'iv-band' });
        band.style.background = ctx.colorOf(t);
        return band;
      }));
      const bar = h('span', { class: 'iv-bar', 'aria-hidden': 'true' });
      bar.style.width = Math.max(2, Math.round((100 * c.seconds) / max)) + '%';
      bar.style.background = ctx.colorForTags(c.tags);
      const li = h('li', { class: 'iv-combo' + (c.running ? ' running' : ''), 'data-tagz': c.tagz },
        bands,
        h('span', { class: 'iv-tags' }, ...tagButtons),
        h('span', { class: 'iv-dur', 'data-live': c.tagz }, fmt(c.seconds, c.running)),
        bar);
      li.addEventListener('click', () => { if (rest.length) select(rest.filter((t) => t !== '#untagged' || rest.length === 1)); });
      return li;
    });
    list.replaceChildren(...items);
    if (!items.length) list.append(h('li', { class: 'iv-empty muted' }, filtered ? 'Nothing matches the selection in this range.' : 'Nothing tracked in this range.'));
    renderTarget(s, t1, t2);
  }

  let targetsReady = null;
  function renderTarget(s, t1, t2) {
    if (!state.selected.length) { targetLine.replaceChildren(); return; }
    if (!targetsReady) {
      targetModule().then((m) => { targetsReady = m; dirty = true; render(); }).catch((err) => console.warn('targets', err));
      return;
    }
    const { listTargets, targetForRange } = targetsReady;
    const tagz = [...state.selected].sort().join(' ');
    const t = targetForRange(listTargets(ctx.store.settings.all()), tagz, t1, t2, { firstDay: ctx.firstDay(), workdays: ctx.workdays() });
    if (!t || !t.targetSeconds) { targetLine.replaceChildren(h('span', { class: 'muted' }, 'No target')); return; }
    const pct = Math.round((100 * s.selectionSeconds) / t.targetSeconds);
    const left = t.targetSeconds - s.selectionSeconds;
    const meter = h('span', { class: 'iv-meter', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(Math.min(100, pct)), 'aria-label': `${t.period} target progress` },
      h('span', { class: 'iv-meter-fill' }));
    meter.firstChild.style.width = Math.min(100, pct) + '%';
    targetLine.replaceChildren(
      h('span', {}, `${t.approx ? '~' : ''}${t.period} target at ${pct}%`), meter,
      h('span', { class: 'muted' }, left >= 0 ? `left: ${fmt(left)}` : `over: ${fmt(-left)}`));
  }

    // an edit shows in the next frame, not at the next tick of the clock
  let soon = 0;
  const unsub = ctx.store.subscribe((ev) => {
    if (ev.type !== 'records' && ev.type !== 'settings' && ev.type !== 'reset') return;
    dirty = true;
    if (!soon) soon = requestAnimationFrame(() => { soon = 0; if (!document.hidden) render(); });
  });
  const timer = setInterval(() => { if (!document.hidden) render(); }, 1000);
  render(true);

  return {
    selected: () => state.selected.slice(),
    excluded: () => state.excluded.slice(),
    clear,
    select,
    refresh: () => { dirty = true; render(); },
    destroy: () => { clearInterval(timer); cancelAnimationFrame(soon); unsub(); root.replaceChildren(); },
  };
}
