// search-ui.js: the Search page: TimeTagger's query language, results newest first with a
// jump to the day and edit, and bulk actions on the checked results (add or remove a tag,
// delete with undo). The matching and the bulk edits are in search.js.

import { h, toast, describe } from '../common/ui.js';
import { openDialog, frame } from '../common/dialog.js';
import { formatDuration } from '../common/format.js';
import { parseQuery, describeQuery, search, isEmptyQuery, bulkAddTag, bulkRemoveTag, bulkDelete } from './search.js';
import { formatDate, formatHM } from '../common/format.js';
import { periodRange } from '../common/calendar.js';

const PAGE = 200;

export function openSearch(ctx, initial = '') {
  const input = h('input', { type: 'search', name: 'q', value: initial, placeholder: '#tag !#other word !word', 'aria-label': 'Search query', autofocus: true, spellcheck: false });
  const rules = h('ul', { class: 'iv-rules muted' });
  const found = h('p', { class: 'iv-found', role: 'status' });
  const list = h('ul', { class: 'iv-results', 'aria-label': 'Results' });
  const more = h('button', { type: 'button', class: 'btn subtle', hidden: true }, 'Show more');
  const all = h('input', { type: 'checkbox', 'aria-label': 'Select all results' });
  const tagField = h('input', { type: 'text', placeholder: '#tag', 'aria-label': 'Tag for bulk add or remove', spellcheck: false, class: 'iv-bulktag' });
  const checked = new Set();
  let results = [];
  let shown = 0;
  let confirmDelete = false;
  const bulkInfo = h('span', { class: 'muted' });
  const delBtn = h('button', { type: 'button', class: 'btn danger' }, 'Delete');
  const bulk = h('div', { class: 'iv-bulk', role: 'group', 'aria-label': 'Bulk actions on checked results' },
    h('label', { class: 'iv-check' }, all, ' All'), bulkInfo, tagField,
    h('button', { type: 'button', class: 'btn', onclick: () => apply('add') }, 'Add tag'),
    h('button', { type: 'button', class: 'btn', onclick: () => apply('remove') }, 'Remove tag'),
    delBtn);

  const fmtDur = (r) => formatDuration((r.t1 === r.t2 ? ctx.now() : r.t2) - r.t1, ctx.durationRepr());
  function row(r) {
    const cb = h('input', { type: 'checkbox', 'aria-label': 'Select this record', checked: checked.has(r.key), onchange: (e) => { if (e.target.checked) checked.add(r.key); else checked.delete(r.key); syncBulk(); } });
    return h('li', { class: 'iv-result', 'data-key': r.key },
      cb,
      h('button', { type: 'button', class: 'iv-link iv-date', title: 'Show this day in the timeline', onclick: () => {
        const [a, b] = periodRange(r.t1, 'day');
        ctx.showRange(a, b);
        close();
      } }, `${formatDate(r.t1, ctx.dateRepr())} ${formatHM(r.t1)}`),
      h('span', { class: 'iv-dur' }, fmtDur(r)),
      h('button', { type: 'button', class: 'iv-link iv-desc', title: 'Edit', onclick: () => ctx.openRecord(r.key) }, describe(r.ds, ctx.colorOf)));
  }
  function showMore() {
    const next = results.slice(shown, shown + PAGE);
    list.append(...next.map(row));
    shown += next.length;
    more.hidden = shown >= results.length;
    more.textContent = `Show more (${results.length - shown} left)`;
  }
  function syncBulk() {
    bulkInfo.textContent = checked.size ? `${checked.size} checked` : '';
    all.checked = results.length > 0 && checked.size === results.length;
    bulk.classList.toggle('disabled', !checked.size);
    confirmDelete = false;
    delBtn.textContent = 'Delete';
  }
  function run() {
    const q = parseQuery(input.value);
    rules.replaceChildren(...describeQuery(q).map((t) => h('li', {}, t)));
    results = isEmptyQuery(q) ? [] : search(ctx.store.records.all(), q);
    for (const k of [...checked]) if (!results.some((r) => r.key === k)) checked.delete(k);
    found.textContent = isEmptyQuery(q) ? 'Type a query: #tag, !#tag, word, !word.' : `Found ${results.length} record${results.length === 1 ? '' : 's'}`;
    list.replaceChildren();
    shown = 0;
    showMore();
    syncBulk();
  }
  async function apply(what) {
    const chosen = results.filter((r) => checked.has(r.key)).map((r) => ctx.store.records.get(r.key) || r);
    if (!chosen.length) { toast('Check some results first.'); return; }
    let changed;
    if (what === 'delete') changed = bulkDelete(chosen);
    else {
      if (!tagField.value.trim()) { toast('Type the tag to add or remove.'); tagField.focus(); return; }
      changed = what === 'add' ? bulkAddTag(chosen, tagField.value.trim()) : bulkRemoveTag(chosen, tagField.value.trim());
    }
    if (!changed.length) { toast('Nothing to change.'); return; }
    const before = chosen.filter((r) => changed.some((c) => c.key === r.key)).map((r) => ({ key: r.key, t1: r.t1, t2: r.t2, ds: r.ds || '' }));
    await ctx.store.put('records', changed.map(({ key, t1, t2, ds }) => ({ key, t1, t2, ds })));
    toast(`${what === 'delete' ? 'Deleted' : 'Changed'} ${changed.length} record${changed.length === 1 ? '' : 's'}`, {
      action: { label: 'Undo', run: () => ctx.store.put('records', before) },
    });
    if (what === 'delete') checked.clear();
    run();
  }
  delBtn.addEventListener('click', () => {
    if (!checked.size) { toast('Check some results first.'); return; }
    if (!confirmDelete) { confirmDelete = true; delBtn.textContent = `Confirm deleting ${checked.size}`; return; }
    apply('delete');
  });
  all.addEventListener('change', () => {
    if (all.checked) for (const r of results) checked.add(r.key); else checked.clear();
    for (const cb of list.querySelectorAll('li input[type=checkbox]')) cb.checked = all.checked;
    syncBulk();
  });
  more.addEventListener('click', showMore);
  const form = h('form', { class: 'iv-search', role: 'search', onsubmit: (e) => { e.preventDefault(); run(); } },
    input, h('button', { type: 'submit', class: 'btn primary' }, 'Search'));
  const { close } = openDialog((close) => frame('Search', close, h('div', { class: 'iv-searchpage' }, form, rules, found, bulk, list, more)), { label: 'Search', className: 'iv-page' });
  // Escape closes the page at once (a search field would first only clear itself)
  input.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !e.isComposing) { e.preventDefault(); close(); } });
  if (initial) run(); else syncBulk();
  return { close, run };
}
