// tags.js: the central tag list (docs/timetagger-client.md §6/§8: TimeTagger has none): every tag with
// its usage, total time and last use; colour (palette, any CSS colour, its own from its name,
// random) and priority stored in the synced "taginfo <tag>" settings; rename and merge across
// all records.

import { h, toast } from '../common/ui.js';
import { openDialog, frame } from '../common/dialog.js';
import { tagUsage, tagInfo } from '../data/actions.js';
import { withTagInfo, renameTags, recordsWithTags } from '../data/edits.js';
import { defaultTagColor } from '../common/palette.js';
import { tagsFromLine, parseTags, isHidden } from '../common/tags.js';
import { formatDuration, formatDate } from '../common/format.js';

function hslToHex(hh, s, l) {
  s /= 100; l /= 100;
  const k = (n) => (n + hh / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n) => Math.round(255 * (l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1))))).toString(16).padStart(2, '0');
  return `#${f(0)}${f(8)}${f(4)}`;
}

/** 40 swatches: 10 hues × 4 lightness levels. */
export const PALETTE = [];
for (const l of [38, 50, 62, 74]) for (let i = 0; i < 10; i++) PALETTE.push(hslToHex(i * 36 + 10, 70, l));

/** Open the colour picker for a tag or combo; resolves the chosen colour via onPick. */
export function colorEditor(app, tagz, onDone) {
  const cur = tagInfo(app.store.settings.get.bind(app.store.settings), tagz).color;
  const text = h('input', { type: 'text', value: cur, placeholder: tagz.includes(' ') ? '' : defaultTagColor(tagz), 'aria-label': 'Colour (any CSS colour)' });
  const apply = async (color) => {
    await app.store.put('settings', [{ key: 'taginfo ' + tagz, value: withTagInfo(app.store.settings.get.bind(app.store.settings), tagz, { color }) }]);
    d.close();
    if (onDone) onDone();
  };
  const palette = h('div', { class: 'palette', role: 'group', 'aria-label': 'Palette' },
    PALETTE.map((c) => { const b = h('button', { type: 'button', 'aria-label': c, title: c, onclick: () => apply(c) }); b.style.setProperty('--swatch', c); return b; }));
  const d = openDialog((close) => frame(`Colour of ${tagz}`, close,
    h('div', { class: 'field' }, palette,
      h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); if (!text.value || CSS.supports('color', text.value)) apply(text.value.trim()); else text.setAttribute('aria-invalid', 'true'); } },
        text, h('button', { type: 'submit', class: 'btn' }, 'Apply'))),
    [h('button', { type: 'button', class: 'btn', onclick: () => apply(''), title: 'The colour it has from its name' }, 'Default'),
      h('button', { type: 'button', class: 'btn', onclick: () => apply(PALETTE[Math.floor(Math.random() * PALETTE.length)]) }, 'Random'),
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Cancel')]), { label: 'Tag colour' });
}

/** Rename / merge / remove one tag (or combo) across every record. */
export function renameDialog(app, oldTags, onDone) {
  const input = h('input', { type: 'text', value: oldTags.join(' '), 'aria-label': 'New tag name(s)', autocomplete: 'off' });
  const info = h('p', { class: 'hint', 'aria-live': 'polite' });
  const n = recordsWithTags(app.store.records.all({ hidden: true }), oldTags).length;
  info.textContent = `${n} record${n === 1 ? '' : 's'} have ${oldTags.join(' ')}. Rename to an existing tag to merge them; leave empty to remove the tag.`;
  let confirmStep = false;
  const go = h('button', { type: 'submit', class: 'btn primary', form: 'rename-form' }, 'Prepare renaming');
  const d = openDialog((close) => frame(`Rename ${oldTags.join(' ')}`, close,
    h('form', { id: 'rename-form', class: 'field', onsubmit: async (e) => {
      e.preventDefault();
      const newTags = tagsFromLine(input.value);
      if (!confirmStep) {
        confirmStep = true;
        go.textContent = newTags.length ? `Confirm replacing in ${n} records` : `Confirm removing from ${n} records`;
        input.readOnly = true;
        return;
      }
      const changed = await renameTags(app.store, oldTags, newTags);
      close();
      toast(`Changed ${changed} record${changed === 1 ? '' : 's'}.`);
      if (onDone) onDone();
    } }, h('label', {}, 'New name'), input, info),
    [h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Cancel'), go]), { label: 'Rename tag' });
  return d;
}

/** The tag list dialog. */
export function openTagsDialog(app) {
  const filter = h('input', { type: 'search', placeholder: 'Filter tags', 'aria-label': 'Filter tags' });
  const tbody = h('tbody');
  const get = app.store.settings.get.bind(app.store.settings);
  const durRepr = () => app.settings().duration_repr;

  function render() {
    const now = Math.floor(Date.now() / 1000);
    const q = filter.value.trim().toLowerCase().replace(/^#/, '');
    tbody.textContent = '';
    const usage = tagUsage(app.store.records.all({ hidden: true }), now).sort((a, b) => (a.tag < b.tag ? -1 : 1));
    const rows = usage.filter((u) => !q || u.tag.includes(q));
    if (!rows.length) tbody.append(h('tr', {}, h('td', { colspan: 5, class: 'muted' }, usage.length ? 'No tag matches.' : 'No tags yet: type #words in a description.')));
    for (const u of rows) {
      const info = tagInfo(get, u.tag);
      const sw = h('button', { type: 'button', class: 'swatch', 'aria-label': `Colour of ${u.tag}`, title: 'Change colour', onclick: () => colorEditor(app, u.tag, render) });
      sw.style.setProperty('--swatch', info.color || defaultTagColor(u.tag));
      const prio = h('select', { 'aria-label': `Priority of ${u.tag}` },
        h('option', { value: '0', selected: info.priority !== 2 }, 'Primary'),
        h('option', { value: '2', selected: info.priority === 2 }, 'Secondary'));
      prio.addEventListener('change', () => app.store.put('settings', [{ key: 'taginfo ' + u.tag, value: withTagInfo(get, u.tag, { priority: Number(prio.value) }) }]));
      tbody.append(h('tr', {},
        h('td', {}, sw),
        h('td', {}, h('strong', {}, u.tag), h('div', { class: 'hint' }, `${u.count} record${u.count === 1 ? '' : 's'} · last ${formatDate(u.last, app.settings().date_repr)}`)),
        h('td', { class: 'num' }, formatDuration(u.seconds, durRepr())),
        h('td', {}, prio),
        h('td', {}, h('button', { type: 'button', class: 'btn small-btn', onclick: () => renameDialog(app, [u.tag], render) }, 'Rename'))));
    }
  }
  // combinations of two or more tags: colour of their own (drawn for records with exactly them)
  const comboBody = h('tbody');
  function renderCombos() {
    const q = filter.value.trim().toLowerCase().replace(/^#/, '');
    comboBody.textContent = '';
    const combos = new Map();
    for (const r of app.store.records.all()) {
      const tags = parseTags(r.ds);
      if (tags.length < 2 || isHidden(r.ds)) continue;
      const key = tags.join(' ');
      const c = combos.get(key) || { key, count: 0 };
      c.count++;
      combos.set(key, c);
    }
    const rows = [...combos.values()].filter((c) => !q || c.key.includes(q)).sort((a, b) => b.count - a.count).slice(0, 50);
    comboSection.hidden = !rows.length;
    for (const c of rows) {
      const info = tagInfo(get, c.key);
      const sw = h('button', { type: 'button', class: 'swatch', 'aria-label': `Colour of ${c.key}`, title: 'Change colour', onclick: () => colorEditor(app, c.key, renderCombos) });
      sw.style.setProperty('--swatch', info.color || 'transparent');
      comboBody.append(h('tr', {}, h('td', {}, sw), h('td', {}, h('strong', {}, c.key), h('div', { class: 'hint' }, info.color ? 'own colour' : 'colour of its tags')),
        h('td', { class: 'num' }, `${c.count}×`),
        h('td', {}, h('button', { type: 'button', class: 'btn small-btn', onclick: () => renameDialog(app, c.key.split(' '), render) }, 'Rename'))));
    }
  }
  const comboSection = h('div', {}, h('h3', {}, 'Tag combinations'),
    h('table', { class: 'tag-table' }, h('thead', {}, h('tr', {}, h('th', {}, h('span', { class: 'sr' }, 'Colour')), h('th', {}, 'Tags'), h('th', { class: 'num' }, 'Records'), h('th', {}, h('span', { class: 'sr' }, 'Actions')))), comboBody));
  const renderAll = () => { render(); renderCombos(); };
  filter.addEventListener('input', renderAll);
  const unsub = app.store.subscribe((e) => { if (e.type === 'records' || e.type === 'settings' || e.type === 'reset') renderAll(); });
  openDialog((close) => frame('Tags', close,
    [filter, h('table', { class: 'tag-table' },
      h('thead', {}, h('tr', {}, h('th', {}, h('span', { class: 'sr' }, 'Colour')), h('th', {}, 'Tag'), h('th', { class: 'num' }, 'Total'), h('th', {}, 'Priority'), h('th', {}, h('span', { class: 'sr' }, 'Actions')))),
      tbody), comboSection],
    [h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Close')]), { label: 'Tags', onClose: unsub });
  renderAll();
}
