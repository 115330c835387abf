// team-ui.js: the team report of a manager (teams are made by the administrator with
// tagwatch-admin teams): pick a team and a period; the members' records (GET
// api/v2/teams/records, docs/webapi.md) grouped by member and by tag, with totals, CSV and
// PDF, through the Reports page's renderer (fixed-report.js). Needs a connection: the
// members' records are not in this device's store.

import { h } from '../common/ui.js';
import { openDialog, frame } from '../common/dialog.js';
import { apiFetch } from '../data/api.js';
import { getAuth } from '../data/auth.js';
import { mountFixedReport } from './fixed-report.js';
import { managedTeams } from './teams.js';
import { presetRange, dateKey, fromDateKey, addTime } from '../common/calendar.js';

const PRESETS = [['thisweek', 'This week'], ['lastweek', 'Last week'], ['thismonth', 'This month'], ['lastmonth', 'Last month'],
  ['thisyear', 'This year'], ['lastyear', 'Last year'], ['custom', 'Custom dates']];

export function openTeamReport(ctx) {
  const team = h('select', { name: 'team', 'aria-label': 'Team' });
  const preset = h('select', { name: 'preset', 'aria-label': 'Range' }, ...PRESETS.map(([v, t]) => h('option', { value: v, selected: v === 'thisweek' }, t)));
  const from = h('input', { type: 'date', name: 'from', 'aria-label': 'From (included)' });
  const until = h('input', { type: 'date', name: 'to', 'aria-label': 'Until (included)' });
  const field = (name, control) => h('label', { class: 'iv-field' }, h('span', {}, name), control);
  const state = h('p', { class: 'muted', role: 'status' }, 'Loading your teams…');
  const host = h('div', { class: 'team-report-host' });
  const about = h('p', { class: 'muted team-about' });
  const body = h('div', { class: 'iv-report' }, h('form', { class: 'iv-form', onsubmit: (e) => e.preventDefault() },
    field('Team', team), field('Range', preset), field('From', from), field('Until', until)), about, state, host);
  let teams = [];
  let view = null;
  let gen = 0;
  const { close } = openDialog((close) => frame('Team report', close, body), { label: 'Team report', className: 'iv-page',
    onClose: () => { gen++; if (view) view.destroy(); } });

  function range(source) {
    let t1, t2;
    if (source === 'dates' || preset.value === 'custom') {
      const a = fromDateKey(from.value), b = fromDateKey(until.value);
      if (a === null || b === null || b < a) return null;
      [t1, t2] = [a, addTime(b, 'day', 1)];
      preset.value = 'custom';
    } else {
      [t1, t2] = presetRange(preset.value, ctx.now(), ctx.firstDay());
    }
    from.value = dateKey(t1);
    until.value = dateKey(Math.max(t1, t2 - 1));
    return [t1, t2];
  }

  async function update(source) {
    const t = teams.find((x) => x.name === team.value);
    const r = range(source);
    if (!t || !r) return;
    const mine = ++gen;
    about.textContent = `Members: ${t.members.join(', ')} · ${t.tags.length ? 'records with ' + t.tags.join(' or ') : 'all their records'}`;
    state.textContent = 'Loading…';
    try {
      const auth = getAuth();
      const res = await apiFetch(`teams/records?team=${encodeURIComponent(t.name)}&timerange=${r[0]}-${r[1] - 1}`, { token: auth && auth.token });
      if (mine !== gen) return;
      state.textContent = '';
      if (view) view.update(res.records, r);
      else {
        view = mountFixedReport(host, {
          title: `Team ${t.name}`, lines: [['Team', t.name], ['Members', t.members.join(', ')]], records: res.records,
          t1: r[0], t2: r[1], groupings: ['user', 'usertagz', 'tagz', 'none'], firstDay: ctx.firstDay(), dateRepr: ctx.dateRepr(),
          tagInfo: ctx.tagInfo, now: ctx.now,
        });
      }
    } catch (err) {
      if (mine !== gen) return;
      state.textContent = err && err.status === 0 ? 'You are offline: the team report needs a connection.'
        : 'The team report could not be loaded: ' + (err.text || err.message);
    }
  }

  managedTeams().then((list) => {
    teams = list;
    if (!teams.length) { state.textContent = 'You manage no team. Teams are made by the administrator (tagwatch-admin teams).'; return; }
    team.replaceChildren(...teams.map((t) => h('option', { value: t.name }, t.name)));
    update();
  }, (err) => { state.textContent = 'Your teams could not be loaded: ' + (err.text || err.message); });
  team.addEventListener('change', () => update());
  preset.addEventListener('change', () => update());
  from.addEventListener('change', () => update('dates'));
  until.addEventListener('change', () => update('dates'));
  return { close, update };
}
