// share-ui.js: "Share…" on the Reports page: makes a read-only link to the report's tags and
// period (the dates shown, or a rolling this/last week/month/year), with a title, an
// optional expiry and amounts shown or not (POST api/v2/shares, docs/webapi.md). The link
// opens www/share.html with no account; the account page lists and revokes links.

import { h } from '../common/ui.js';
import { openDialog, frame } from '../common/dialog.js';
import { apiFetch, prefixFromPath } from '../data/api.js';
import { getAuth } from '../data/auth.js';
import { copyText } from './files.js';
import { formatDate } from '../common/format.js';

const ROLLING = [['thisweek', 'This week'], ['lastweek', 'Last week'], ['thismonth', 'This month'], ['lastmonth', 'Last month'], ['thisyear', 'This year'], ['lastyear', 'Last year']];
const EXPIRY = [['', 'Never (until revoked)'], ['1', 'In 1 day'], ['7', 'In 7 days'], ['30', 'In 30 days'], ['365', 'In a year']];

/** The address of a share link's page for its token. */
export function shareUrl(token) {
  return location.origin + prefixFromPath(location.pathname) + 'share#' + token;
}

/**
 * Open the dialog. report: {t1, t2 (the range shown, [t1, t2)), preset (the Reports page's
 * range name), tags, exclude, amounts}.
 */
export function openShare(ctx, report) {
  const fixedLabel = `These dates: ${formatDate(report.t1, ctx.dateRepr())} – ${formatDate(Math.max(report.t1, report.t2 - 1), ctx.dateRepr())}`;
  const periods = [['', fixedLabel], ...ROLLING];
  const startWith = ROLLING.some(([p]) => p === report.preset) ? report.preset : '';
  const label = (name, control) => h('label', { class: 'iv-field iv-wide' }, h('span', {}, name), control);
  const title = h('input', { type: 'text', name: 'title', maxlength: '255', required: true, 'aria-label': 'Title',
    value: `${report.tags.length ? report.tags.join(' ') : 'All records'}, ${(periods.find(([p]) => p === startWith) || periods[0])[1].replace(/^These dates: /, '')}` });
  const period = h('select', { name: 'period', 'aria-label': 'Period' }, ...periods.map(([v, t]) => h('option', { value: v, selected: v === startWith }, t)));
  const expires = h('select', { name: 'expires', 'aria-label': 'Expires' }, ...EXPIRY.map(([v, t]) => h('option', { value: v }, t)));
  const amounts = h('input', { type: 'checkbox', name: 'amounts', checked: !!report.amounts });
  const result = h('div', { class: 'share-result', 'aria-live': 'polite' });
  const notes = [];
  if (report.exclude && report.exclude.length) notes.push(`Excluded tags (${report.exclude.map((t) => '!' + t).join(' ')}) are not part of a link: it shares every record with its tags.`);
  const create = h('button', { type: 'button', class: 'btn primary' }, 'Create link');
  const body = h('div', { class: 'iv-report share-form' },
    h('p', { class: 'muted' }, `Anyone with the link sees this report, read-only and without an account: the records with ${report.tags.length ? 'the tags ' + report.tags.join(' ') : 'any tags'} in the period, never deleted ones. You can revoke it on your account page.`),
    ...notes.map((n) => h('p', { class: 'muted' }, n)),
    label('Title', title), label('Period', period), label('Link expires', expires),
    h('label', { class: 'iv-check' }, amounts, ' Show amounts (your rates for these tags)'),
    result);
  const { close } = openDialog((close) => frame('Share report', close, body,
    [h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Close'), create]), { label: 'Share report' });
  create.addEventListener('click', async () => {
    const auth = getAuth();
    const payload = {
      title: title.value.trim() || 'Shared report', tags: report.tags,
      expires: expires.value ? ctx.now() + Number(expires.value) * 86400 : null, amounts: amounts.checked,
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', week_start: ctx.firstDay(),
    };
    if (period.value) payload.period = period.value;
    else payload.timerange = `${report.t1}-${report.t2 - 1}`;
    create.disabled = true;
    try {
      const made = await apiFetch('shares', { method: 'POST', body: JSON.stringify(payload), token: auth && auth.token });
      const url = shareUrl(made.token);
      const field = h('input', { type: 'text', readonly: true, value: url, 'aria-label': 'Share link', class: 'share-url' });
      const copy = h('button', { type: 'button', class: 'btn' }, 'Copy link');
      copy.addEventListener('click', async () => { copy.textContent = (await copyText(url)) ? 'Copied' : 'Copy failed'; });
      result.replaceChildren(h('p', {}, 'The link is ready:'), field, h('div', { class: 'actions' }, copy,
        h('a', { class: 'btn', href: url, target: '_blank', rel: 'noopener noreferrer' }, 'Open')));
      create.textContent = 'Create another';
      field.select();
    } catch (err) {
      result.replaceChildren(h('p', { class: 'msg', role: 'alert' }, err && err.status === 0
        ? 'You are offline: a link can be made only while connected.' : 'The link could not be made: ' + (err.text || err.message)));
    } finally {
      create.disabled = false;
    }
  });
  return { close };
}
