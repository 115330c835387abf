// targets-ui.js: the Targets page (every target with its progress in the current period,
// workdays respected) and the target editor used by it and by the Overview. Targets are
// stored where TimeTagger stores them: `taginfo <tagz>` -> {targets: {week: 20}}.

import { h, toast } from '../common/ui.js';
import { openDialog, frame } from '../common/dialog.js';
import { parseTags } from '../common/tags.js';
import { listTargets, targetProgress, withTarget, taginfoKey, TARGET_PERIODS } from './targets.js';
import { formatDuration, formatDate } from '../common/format.js';

const PERIOD_NAMES = { day: 'Day', week: 'Week', month: 'Month', year: 'Year' };

/** Set, change or remove the target of a tag set. */
export function openTargetEditor(ctx, tags, onSaved) {
  const list = [...new Set(tags)].sort();
  const key = taginfoKey(list);
  const cur = ctx.store.settings.get(key, null);
  const curTargets = (cur && cur.targets) || {};
  const curPeriod = TARGET_PERIODS.find((p) => curTargets[p] > 0) || 'week';
  const hours = h('input', { type: 'number', min: '0', step: '0.25', inputmode: 'decimal', value: curTargets[curPeriod] || '', 'aria-label': 'Hours', autofocus: true, class: 'iv-hours' });
  const period = h('select', { 'aria-label': 'Per' }, ...TARGET_PERIODS.map((p) => h('option', { value: p, selected: p === curPeriod }, PERIOD_NAMES[p])));
  const save = async (close, remove = false) => {
    const v = remove ? 0 : Number(hours.value);
    if (!remove && !(v > 0)) { toast('Enter the hours, or remove the target.'); hours.focus(); return; }
    await ctx.store.settings.set(key, withTarget(ctx.store.settings.get(key, null), period.value, v));
    close();
    if (onSaved) onSaved();
  };
  openDialog((close) => h('form', { onsubmit: (e) => { e.preventDefault(); save(close); } },
    frame(`Target for ${list.join(' ')}`, close,
      h('div', { class: 'iv-row' }, hours, h('span', {}, 'hours per'), period),
      [h('button', { type: 'button', class: 'btn danger', onclick: () => save(close, true) }, 'Remove target'),
        h('span', { class: 'spacer' }),
        h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Cancel'),
        h('button', { type: 'submit', class: 'btn primary' }, 'Save')])), { label: 'Target' });
}

export function openTargets(ctx) {
  const body = h('div', { class: 'iv-targets' });
  const fmt = (s) => formatDuration(s, ctx.durationRepr());
  function render() {
    const now = ctx.now();
    const targets = listTargets(ctx.store.settings.all());
    const records = ctx.store.records.query(now - 367 * 86400, now + 1);
    const rows = targets.map((t) => {
      const p = targetProgress(t, records, now, { firstDay: ctx.firstDay(), workdays: ctx.workdays() });
      const pct = p.targetSeconds ? Math.round(100 * p.fraction) : 0;
      const meter = h('span', { class: 'iv-meter', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(Math.min(100, pct)), 'aria-label': `${t.tagz} ${t.period} target` }, h('span', { class: 'iv-meter-fill' }));
      meter.firstChild.style.width = Math.min(100, pct) + '%';
      if (p.expectedSeconds !== null && p.targetSeconds) {
        const mark = h('span', { class: 'iv-meter-pace', title: 'Where you would be at an even pace over the workdays' });
        mark.style.left = Math.min(100, (100 * p.expectedSeconds) / p.targetSeconds) + '%';
        meter.append(mark);
      }
      const behind = p.expectedSeconds !== null && p.doneSeconds < p.expectedSeconds;
      return h('li', { class: 'iv-target' + (p.overSeconds ? ' over' : '') + (behind ? ' behind' : ''), 'data-tagz': t.tagz },
        h('div', { class: 'iv-target-head' },
          h('strong', {}, t.tagz), h('span', { class: 'muted' }, ` ${fmt(p.targetSeconds)} per ${t.period}${t.legacy ? ' (old setting)' : ''}`),
          h('button', { type: 'button', class: 'btn subtle', onclick: () => openTargetEditor(ctx, t.tags, render) }, 'Edit')),
        meter,
        h('div', { class: 'iv-target-text' },
          p.freeDay ? 'A day off: no target today. ' : '',
          h('span', { class: 'iv-pct' }, `${pct}%`), ` · ${fmt(p.doneSeconds)} done`,
          p.overSeconds ? ` · over: ${fmt(p.overSeconds)}` : ` · left: ${fmt(p.leftSeconds)}`,
          p.expectedSeconds !== null ? ` · pace: ${fmt(p.expectedSeconds)} by now` : '',
          h('span', { class: 'muted' }, ` · ${formatDate(p.start, ctx.dateRepr())} – ${formatDate(p.end - 1, ctx.dateRepr())}`)));
    });
    const add = h('input', { type: 'text', placeholder: '#client #project', 'aria-label': 'Tags of a new target', spellcheck: false });
    body.replaceChildren(
      rows.length ? h('ul', { class: 'iv-target-list' }, ...rows) : h('p', { class: 'muted' }, 'No targets yet. Add one below, or select tags in the Overview and choose "Target…".'),
      h('form', { class: 'iv-row', onsubmit: (e) => {
        e.preventDefault();
        const tags = parseTags(add.value).filter((t) => t !== '#untagged');
        if (!tags.length) { toast('Type one or more #tags.'); return; }
        openTargetEditor(ctx, tags, render);
      } }, add, h('button', { type: 'submit', class: 'btn' }, 'Add target')),
      h('p', { class: 'muted' }, `Workdays: ${['Monday to Sunday', 'Monday to Saturday', 'Monday to Friday'][ctx.workdays()] || ''} (Settings). Week, month and year targets are spread over workdays.`));
  }
  const unsub = ctx.store.subscribe((ev) => { if (ev.type === 'settings' || ev.type === 'records') render(); });
  const { close } = openDialog((close) => frame('Targets', close, body), { label: 'Targets', className: 'iv-page', onClose: () => unsub() });
  render();
  return { close, render };
}
