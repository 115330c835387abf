// topbar.js: the top bar: the timer (start form with suggestions, the running record with its
// stopwatch, New and Stop), the tab title and favicon while a timer runs, the one-tap row
// (Resume and tag presets), and the sync indicator (its explanation: ../dialogs/sync.js).

import { parseTags, normalizeDescription } from '../common/tags.js';
import { formatDuration } from '../common/format.js';
import { colorForTags, startRecord, stopAll, resumeDescription } from '../data/actions.js';
import { h, describe, toast } from '../common/ui.js';
import { hideBanner } from './banner.js';

const $ = (id) => document.getElementById(id);
const nowSec = () => Date.now() / 1000;

const SYNC_ICONS = {
  synced: 'M5 12l4 4 10-10',
  pending: 'M12 7v5l3 3M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0',
  syncing: 'M20 12a8 8 0 0 1-14 5.7M4 12a8 8 0 0 1 14-5.7M18 3v4h-4M6 21v-4h4',
  offline: 'M2 2l20 20M8.5 16.5a5 5 0 0 1 7 0M5 12.5a10 10 0 0 1 4-2.3M19 12.5a10 10 0 0 0-2-1.4M12 20h.01',
  error: 'M12 8v5M12 16h.01M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0',
  auth: 'M6 11h12v9H6zM8 11V8a4 4 0 0 1 8 0v3',
};
const SYNC_TEXT = {
  synced: 'All changes are saved on the server.',
  pending: 'Changes are waiting to be sent.',
  syncing: 'Syncing…',
  offline: 'Offline: changes are kept on this device and sent when the connection is back.',
  error: 'Sync error.',
  auth: 'Log in again to sync. Your changes are kept on this device.',
};

/** Wire the top bar of `app` (shell/app.js); returns its operations. */
export function createTopbar(app) {
  const { store } = app;
  const input = $('start-input');
  // the suggestion list loads when the field is first used, not with the app; a failed load
  // (offline before the service worker had it) means no suggestions, never a timer that
  // does not start, and the next focus tries again
  let startAc = null;
  input.addEventListener('focus', () => {
    if (!startAc) {
      startAc = import('../common/autocomplete.js').then((m) => m.attachAutocomplete(input, app.acContext))
        .catch(() => { startAc = null; return null; });
    }
  });
  let fav = null, presetKey = '', authShown = '';

  $('start-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const ac = startAc && (await startAc);
    if (ac && ac.isOpen()) return;
    const ds = normalizeDescription(input.value);
    input.value = '';
    input.blur();
    await startRecord(store, ds, Math.floor(nowSec()));
    app.goToday();
  });
  $('stop-btn').addEventListener('click', () => stop());
  $('switch-btn').addEventListener('click', () => app.openRecord({ t1: Math.floor(nowSec()), t2: Math.floor(nowSec()), ds: '' }));
  $('running-desc').addEventListener('click', () => {
    const r = store.records.running();
    if (r.length) app.openRecord({ key: r[r.length - 1].key });
  });
  $('sync-btn').addEventListener('click', () => app.openSyncInfo());

  async function stop() {
    const stopped = await stopAll(store, Math.floor(nowSec()));
    if (stopped.length) toast(`Stopped: ${formatDuration(stopped[0].t2 - stopped[0].t1, app.settings().duration_repr)}`);
  }

  async function resume() {
    const ds = resumeDescription(store, nowSec());
    await startRecord(store, ds, Math.floor(nowSec()));
    toast(ds ? `Resumed: ${ds}` : 'Timer started');
    app.goToday();
  }

  function setFavicon(running) {
    if (fav === running) return;
    fav = running;
    const link = document.querySelector('link[rel="icon"][type="image/svg+xml"]');
    if (link) link.href = running ? 'icons/icon-running.svg' : 'icons/icon.svg';
  }

  /** The timer, title and favicon as they are now (every second, and after changes). */
  function updateTimer() {
    const running = store.records.running();
    const runEl = $('running'), form = $('start-form');
    const dur = app.settings().duration_repr;
    if (running.length) {
      const r = running[running.length - 1];
      const el = nowSec() - r.t1;
      runEl.hidden = false;
      form.hidden = true;
      const desc = $('running-desc');
      desc.textContent = '';
      desc.append(running.length > 1 ? `${running.length} timers running` : describe(r.ds, app.colorOf));
      const showWatch = store.settings.get('show_stopwatch') !== false;
      $('elapsed').textContent = showWatch ? formatDuration(el, dur, { seconds: true }) : '';
      document.title = `${app.titlePrefix()}${showWatch ? formatDuration(el, dur) + ' · ' : '● '}${r.ds || 'Timer running'} — tagwatch`;
      setFavicon(true);
    } else {
      runEl.hidden = true;
      form.hidden = false;
      document.title = app.titlePrefix() + 'tagwatch';
      setFavicon(false);
    }
    return running.length > 0;
  }

  function renderPresets() {
    const bar = $('presets');
    const presets = (store.settings.get('tag_presets', []) || []).filter(Boolean);
    const last = store.records.running().length ? '' : resumeDescription(store, nowSec());
    const key = JSON.stringify(presets) + '|' + last + '|' + app.colorCache.size;
    if (key === presetKey) return;
    presetKey = key;
    bar.textContent = '';
    if (last) {
      bar.append(h('button', { type: 'button', class: 'chip', title: 'Resume (Shift+S)', onclick: () => resume() },
        h('span', { 'aria-hidden': 'true' }, '↻'), h('span', {}, 'Resume: '), describe(last.length > 40 ? last.slice(0, 40) + '…' : last, app.colorOf)));
    }
    for (const p of presets.slice(0, 20)) {
      const dot = h('span', { class: 'dot', 'aria-hidden': 'true' });
      dot.style.background = colorForTags(app.getSetting, parseTags(p));
      bar.append(h('button', { type: 'button', class: 'chip', title: `Start ${p}`, 'aria-label': `Start a timer: ${p}`,
        onclick: async () => { await startRecord(store, p + ' ', Math.floor(nowSec())); app.goToday(); } }, dot, p));
    }
  }

  function renderSync() {
    const { state, message, detail, pending } = store.status;
    const btn = $('sync-btn');
    const shown = state === 'synced' && pending ? 'pending' : state;
    btn.dataset.state = shown;
    $('sync-icon').setAttribute('d', SYNC_ICONS[shown] || SYNC_ICONS.pending);
    $('sync-count').textContent = pending ? String(pending) : '';
    const text = shown === 'pending' ? `${pending} change${pending === 1 ? '' : 's'} waiting to be sent.` : SYNC_TEXT[shown] || '';
    btn.setAttribute('aria-label', `Sync status: ${text}${message ? ' ' + message : ''}`);
    btn.title = text;
    // the login banner once per message (re-rendering it would close its open details)
    if (state === 'auth' && authShown !== message) app.showAuthProblem(message, detail);
    else if (state !== 'auth' && authShown) hideBanner();
    authShown = state === 'auth' ? message : '';
  }

  /** The sync state in words, as the indicator says it (the sync dialog, ../dialogs/sync.js, opens with it). */
  function syncText() {
    const { state, pending } = store.status;
    return SYNC_TEXT[state === 'synced' && pending ? 'pending' : state] || state;
  }

  return { stop, resume, updateTimer, renderPresets, renderSync, syncText };
}
