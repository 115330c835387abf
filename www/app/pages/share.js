// share.js: the page of a share link (P share#TOKEN), opened with no account and no login.
// The token (in the URL's fragment, which the browser never sends to a server) is the
// authtoken of two requests: GET records (the link's records and its description) and GET
// settings (the colours and, with amounts, the rates of its tags). The report is the app's
// own renderer (insight/fixed-report.js). While the page is open it asks again every few
// seconds (`?check=MS` before the # sets how often), so a revoked or expired link stops at
// once and says so.

import './theme.js';
import { apiFetch } from '../data/api.js';
import { formatDate } from '../common/format.js';

const $ = (id) => document.getElementById(id);
const CHECK_MS = Math.max(250, Number(new URLSearchParams(location.search).get('check')) || 5000);
const PERIODS = { thisweek: 'this week', lastweek: 'last week', thismonth: 'this month', lastmonth: 'last month', thisyear: 'this year', lastyear: 'last year' };

const token = decodeURIComponent(location.hash.replace(/^#/, ''));
// The records are asked for first, while the report's modules load.
const first = token ? load() : null;
if (first) first.catch(() => {});
const viewer = import('../insight/fixed-report.js');
let view = null;
let stopped = false;

function settingsMap(list) {
  const m = new Map();
  for (const s of list || []) m.set(s.key, s.value);
  return m;
}

// A refusal ends the page: the report goes, the reason stays.
function stop(err) {
  stopped = true;
  if (view) { view.destroy(); view = null; }
  $('share-report').replaceChildren();
  $('share-about').textContent = '';
  const text = String(err && err.text || err && err.message || err);
  let say = 'This link cannot be opened: ' + text;
  if (err && err.status === 401 && /expired/i.test(text)) say = 'This link has expired. Ask its owner for a new one.';
  else if (err && err.status === 401 && /revoked/i.test(text)) say = 'This link was revoked by its owner and no longer works.';
  else if (err && err.status === 401) say = 'This link is not valid: it may be incomplete or damaged, or the server was reset.';
  else if (err && err.status === 0) say = 'The server cannot be reached. Try again when connected.';
  $('share-state').textContent = say;
  $('share-state').className = 'msg share-refused';
}

async function load() {
  const [rec, set] = await Promise.all([
    apiFetch('records?timerange=0-9999999999', { token }),
    apiFetch('settings', { token }),
  ]);
  return { records: rec.records || [], share: rec.share || {}, settings: settingsMap(set.settings) };
}

function describe(share) {
  const range = `${formatDate(share.t1)} – ${formatDate(share.t2)}`;
  const period = share.period ? `${PERIODS[share.period] || share.period} (${range})` : range;
  const tags = share.tags && share.tags.length ? share.tags.join(' ') : 'all tags';
  return [['Shared by', share.owner || ''], ['Period', period], ['Tags', tags],
    ...(share.expires ? [['Link valid until', new Date(share.expires * 1000).toLocaleString()]] : [])];
}

async function start() {
  if (!token) { stop(new Error('the link is incomplete (it has no token after #)')); return; }
  let data, mountFixedReport;
  try { data = await first; } catch (err) { stop(err); return; }
  performance.mark('tagwatch-share-data');
  try { ({ mountFixedReport } = await viewer); } catch (err) { stop(new Error('the page could not load its modules (' + err.message + ')')); return; }
  performance.mark('tagwatch-share-modules');
  const { share, settings } = data;
  $('share-title').textContent = share.title || 'Shared report';
  document.title = (share.title || 'Shared report') + ' · tagwatch';
  const lines = describe(share);
  $('share-about').textContent = lines.map(([k, v]) => `${k}: ${v}`).join(' · ');
  $('share-state').textContent = '';
  view = mountFixedReport($('share-report'), {
    title: share.title || 'Shared report', lines, records: data.records, t1: share.t1, t2: share.t2 + 1,
    groupings: ['tagz', 'none', 'ds'], amounts: !!share.amounts, rates: settings.get('tagwatch_rates'),
    currency: settings.get('tagwatch_currency') || '', firstDay: share.week_start ?? 1, user: share.owner || '',
    tagInfo: (tagz) => settings.get('taginfo ' + tagz) || null,
  });
  document.body.dataset.ready = '1';
  // make bench reads this: from opening the link to the report's first paint
  requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('tagwatch-share-painted')));
  // Still valid? A cheap question (the records of one second long ago: none, through the
  // index) every few seconds; the records again every minute, so a rolling period moves on
  // and new records come in.
  let checks = 0;
  const check = async () => {
    if (stopped) return;
    try {
      if (++checks % 12) await apiFetch('records?timerange=0-0', { token });
      else {
        const again = await load();
        if (!stopped) view.update(again.records, [again.share.t1, again.share.t2 + 1]);
      }
    } catch (err) {
      if (err.status === 401 || err.status === 403) { stop(err); return; }
    }
    setTimeout(check, CHECK_MS);
  };
  setTimeout(check, CHECK_MS);
}

start();
