// deleted.js: the "Recently deleted" view (menu): every deleted (hidden) record, the most
// recently deleted first, fifty at a time, with a filter; Restore puts one back (a change
// like any other: stored, then synced), and a click on a description opens it in the record
// dialog, which can restore it too. The list follows the store while it is open.

import { h, describe, toast } from '../common/ui.js';
import { openDialog, frame } from '../common/dialog.js';
import { unhideDescription } from '../common/tags.js';
import { formatDuration, formatTime, dateLong, agoLabel } from '../common/format.js';
import { dateKey } from '../common/calendar.js';
import { deletedRecords, restoreRecord } from '../data/edits.js';

const PAGE = 50;
const nowSec = () => Math.floor(Date.now() / 1000);

/**
 * Open the view. `app` gives { store, colorOf(tag), settings(), openRecord({key}),
 * showDay(t) } (showDay moves the main view to the day of t).
 */
export function openDeletedDialog(app) {
  const { store } = app;
  const filter = h('input', { type: 'search', id: 'deleted-filter', placeholder: 'Filter', 'aria-label': 'Filter deleted records' });
  const count = h('p', { class: 'hint', id: 'deleted-count', 'aria-live': 'polite' });
  const list = h('ul', { class: 'deleted-list', 'aria-label': 'Deleted records' });
  const more = h('button', { type: 'button', class: 'btn', hidden: true, onclick: () => { shown += PAGE; render(); } }, 'Show more');
  let shown = PAGE;

  async function restore(r) {
    await restoreRecord(store, r);
    const ds = unhideDescription(r.ds || '');
    toast(`Restored: ${ds || 'a record without description'} (${dateLong(r.t1)}).`, { action: { label: 'Show', run: () => { d.close(); app.showDay(r.t1); } } });
  }

  function row(r) {
    const s = app.settings();
    const ds = unhideDescription(r.ds || '');
    const len = r.t2 - r.t1;
    return h('li', { class: 'deleted-row', dataset: { key: r.key } },
      h('div', { class: 'body' },
        h('button', { type: 'button', class: 'link ds', title: 'Open', onclick: () => app.openRecord({ key: r.key }) }, describe(ds, app.colorOf)),
        h('div', { class: 'hint' },
          `${dateLong(r.t1)}, ${formatTime(r.t1, s.time_repr)} – ${formatTime(r.t2, s.time_repr)} (${formatDuration(len, s.duration_repr)})`,
          ` · deleted ${agoLabel(r.mt, nowSec())}`)),
      h('button', { type: 'button', class: 'btn', 'aria-label': `Restore ${ds || 'the record'} of ${dateKey(r.t1)}`, onclick: () => restore(r) }, 'Restore'));
  }

  function render() {
    const q = filter.value.trim().toLowerCase();
    const all = deletedRecords(store.records.all({ hidden: true }));
    const hits = q ? all.filter((r) => unhideDescription(r.ds || '').toLowerCase().includes(q)) : all;
    list.textContent = '';
    if (!hits.length) list.append(h('li', { class: 'muted empty' }, all.length ? 'No deleted record matches.' : 'Nothing deleted: records you delete wait here to be restored.'));
    for (const r of hits.slice(0, shown)) list.append(row(r));
    count.textContent = all.length ? `${hits.length} deleted record${hits.length === 1 ? '' : 's'}${q ? ' match' + (hits.length === 1 ? 'es' : '') : ''}, the most recently deleted first.` : '';
    more.hidden = hits.length <= shown;
  }

  filter.addEventListener('input', () => { shown = PAGE; render(); });
  let soon = 0;
  const unsub = store.subscribe((e) => {
    if (e.type !== 'records' && e.type !== 'reset') return;
    clearTimeout(soon);
    soon = setTimeout(render, 50);
  });
  const d = openDialog((close) => frame('Recently deleted', close, [filter, count, list, more],
    [h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Close')]),
  { label: 'Recently deleted', className: 'deleted-dialog', onClose: () => { unsub(); clearTimeout(soon); } });
  render();
  return d;
}
