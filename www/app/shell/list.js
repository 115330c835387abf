// list.js: the list view of the records in the visible range, grouped by day with each day's
// total; the screen-reader view of the timeline and the only view when there is no timeline.
// A record opens the record dialog; running durations tick every second.

import { parseTags } from '../common/tags.js';
import { formatDuration, formatTime, dateLong } from '../common/format.js';
import { dateKey } from '../common/calendar.js';
import { colorForTags } from '../data/actions.js';
import { h, describe } from '../common/ui.js';

const nowSec = () => Date.now() / 1000;
const MAX = 500;

/** The list of `app` (shell/app.js), drawn into #list. */
export function createList(app) {
  const list = document.getElementById('list');

  function render() {
    if (!list) return;
    const [a, b] = app.getRange();
    const recs = app.store.records.query(a, b);
    const s = app.settings();
    const now = nowSec();
    list.textContent = '';
    if (!recs.length) { list.append(h('li', { class: 'empty' }, 'No records in this range. Start a timer or add a record.')); return; }
    let day = '';
    const shown = recs.length > MAX ? recs.slice(-MAX) : recs;
    if (recs.length > MAX) list.append(h('li', { class: 'empty' }, `Showing the last ${MAX} of ${recs.length} records. Zoom in to see the others.`));
    const dayTotals = new Map();
    for (const r of shown) {
      const k = dateKey(r.t1);
      const end = r.t1 === r.t2 ? Math.max(now, r.t1) : r.t2;
      dayTotals.set(k, (dayTotals.get(k) || 0) + end - r.t1);
    }
    for (const r of shown) {
      const k = dateKey(r.t1);
      if (k !== day) {
        day = k;
        list.append(h('li', { class: 'day' }, h('span', {}, dateLong(r.t1)),
          h('span', {}, formatDuration(dayTotals.get(k), s.duration_repr))));
      }
      const running = r.t1 === r.t2;
      const end = running ? Math.max(now, r.t1) : r.t2;
      const bar = h('span', { class: 'bar', 'aria-hidden': 'true' });
      bar.style.background = colorForTags(app.getSetting, parseTags(r.ds));
      const btn = h('button', { type: 'button', class: 'rec' + (running ? ' running' : ''), dataset: { key: r.key },
        'aria-label': `${r.ds || 'No description'}, ${formatTime(r.t1, s.time_repr)} to ${running ? 'now' : formatTime(r.t2, s.time_repr)}${r.st ? '' : ', not yet synced'}` },
        bar,
        h('span', { class: 'body' }, h('div', { class: 'ds' }, describe(r.ds, app.colorOf)),
          h('div', { class: 'times' }, `${formatTime(r.t1, s.time_repr)} – ${running ? 'running' : formatTime(r.t2, s.time_repr)}`,
            r.st ? null : h('span', { class: 'unsynced', title: 'Not yet on the server' }, '· not synced'))),
        h('span', { class: 'dur', dataset: { t1: r.t1 } }, formatDuration(end - r.t1, s.duration_repr, { seconds: running })));
      btn.addEventListener('click', () => app.openRecord({ key: r.key }));
      list.append(h('li', {}, btn));
    }
  }

  /** Running durations tick without a rebuild. */
  function tickRunning() {
    const dur = app.settings().duration_repr;
    for (const el of list.querySelectorAll('.rec.running .dur')) el.textContent = formatDuration(nowSec() - Number(el.dataset.t1), dur, { seconds: true });
  }

  return { render, tickRunning };
}
