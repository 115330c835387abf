// main.js: the app shell: checks the login, opens the user's store, starts the sync, and wires
// the top bar (timer, sync indicator, menu), the range bar, the timeline (timeline.js, written
// separately), the list view, the overview panel (insight/index.js, optional), dialogs,
// keyboard shortcuts, themes, the service worker and the install prompt.
//
// The insight panel is mounted, when insight/index.js exists, with
//   mountInsight({ root, store, timeline, openRecordDialog, getRange, setRange, onRangeChange,
//                  addMenuItem, registerShortcut, settings, colorOf })
// and may return { selectedTags() } so the timeline fades records without the selected tags.

import { getAuth } from './auth.js';
import { openStore } from './store.js';
import { startSync } from './sync.js';
import { parseTags, normalizeDescription, isHidden } from './tags.js';
import { formatDuration, formatTime, rangeLabel, periodRange, todayRange, exactPeriod, addPeriod, dateKey, fromDateKey, WEEKDAYS, MONTHS, PERIODS } from './format.js';
import { colorForTags, tagColor, tagInfo, tagUsage, recentDescriptions, startRecord, stopAll, resumeDescription } from './actions.js';
import { h, describe, toast, dialogOpen, openDialog, frame } from './ui.js';
import { attachAutocomplete } from './autocomplete.js';

// Dialogs load on first use: they are not needed for the first paint (the service worker
// caches them for offline use all the same).
const lazy = (path) => { let p = null; return () => (p = p || import(path)); };
const recordDialogModule = lazy('./record-dialog.js');
const tagsDialogModule = lazy('./tags-dialog.js');
const settingsDialogModule = lazy('./settings-dialog.js');
const openTagsDialog = (app) => tagsDialogModule().then((m) => m.openTagsDialog(app));
const openSettingsDialog = (app) => settingsDialogModule().then((m) => m.openSettingsDialog(app));
const openHelpDialog = (list) => settingsDialogModule().then((m) => m.openHelpDialog(list));

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

function supported() {
  return !!(window.indexedDB && window.crypto && crypto.getRandomValues && window.localStorage && window.TextEncoder && window.HTMLDialogElement);
}

function loginUrl() {
  return '../login#page=' + encodeURIComponent(location.pathname + location.search);
}

function showBanner(text, { kind = 'error', actions = [] } = {}) {
  const b = $('banner');
  b.textContent = '';
  b.className = 'banner' + (kind === 'info' ? ' info' : '');
  b.append(h('span', { class: 'msg' }, text), ...actions);
  b.hidden = false;
}
function hideBanner() { $('banner').hidden = true; }

// ---- theme and width (per device) ----
const darkQuery = matchMedia('(prefers-color-scheme: dark)');
function localSettings() {
  try { return JSON.parse(localStorage.getItem('timetagger_local_settings') || '{}') || {}; } catch { return {}; }
}
function applyDeviceSettings() {
  const ls = localSettings();
  const dm = ls.darkmode ?? 0;
  const root = document.documentElement;
  if (dm === 1) root.dataset.theme = 'light';
  else if (dm === 2) root.dataset.theme = 'dark';
  else delete root.dataset.theme;
  const width = ls.width_mode || 'auto';
  document.body.classList.remove('width-auto', 'width-1000', 'width-1500', 'width-full');
  document.body.classList.add('width-' + width);
}
const isDark = () => { const dm = localSettings().darkmode ?? 0; return dm === 2 || (dm === 0 && darkQuery.matches); };

function showUpdateNotice() {
  showBanner('A new version of tagwatch is available.', { kind: 'info', actions: [
    h('button', { type: 'button', class: 'btn primary', onclick: () => location.reload() }, 'Reload'),
    h('button', { type: 'button', class: 'btn', onclick: hideBanner }, 'Later')] });
}

// Listen from the start: the service worker reports changed files while the app starts.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.addEventListener('message', (e) => {
    if (e.data && e.data.type === 'update-available') showUpdateNotice();
  });
  navigator.serviceWorker.startMessages();
  navigator.serviceWorker.ready.then((reg) => { if (reg.active) reg.active.postMessage({ type: 'hello' }); }).catch(() => {});
}

async function main() {
  applyDeviceSettings();
  if (!supported()) {
    showBanner('This browser lacks what tagwatch needs (IndexedDB, <dialog>, Web Crypto). Please use a current browser.');
    return;
  }
  const auth = getAuth();
  if (!auth) {
    showBanner('You are not logged in.', { actions: [h('a', { class: 'btn primary', href: loginUrl() }, 'Log in')] });
    document.querySelector('.panes').hidden = true;
    return;
  }
  const store = await openStore(auth.username);
  window.tagwatch = { store }; // for the browser tests and the console
  const app = new App(store);
  window.tagwatch.app = app;
  await app.start();
}

class App {
  constructor(store) {
    this.store = store;
    this.tl = null;
    this.insight = null;
    this.range = todayRange(nowSec());
    this.view = 'timeline';
    this.rangeListeners = new Set();
    this.shortcuts = [];
    this.colorCache = new Map();
    this.colorOf = (tag) => {
      if (!this.colorCache.has(tag)) this.colorCache.set(tag, tagColor(this.getSetting, tag));
      return this.colorCache.get(tag);
    };
    this.getSetting = (k, d) => store.settings.get(k, d);
    this.acContext = () => {
      const now = nowSec();
      if (!this._acCache || now - this._acCache.at > 5 || this._acCache.version !== this._version) {
        const all = store.records.all({ hidden: true });
        this._acCache = { at: now, version: this._version, tags: tagUsage(all, now), descriptions: recentDescriptions(all, now) };
      }
      return { tags: this._acCache.tags, descriptions: this._acCache.descriptions, presets: store.settings.get('tag_presets', []) || [], now };
    };
    this._version = 0;
  }

  settings() {
    const s = this.store.settings;
    const keys = ['first_day_of_week', 'workdays', 'date_repr', 'time_repr', 'duration_repr', 'today_snap_offset', 'today_end_offset', 'show_stopwatch'];
    const out = {};
    for (const k of keys) out[k] = s.get(k);
    out.darkmode = this.store.local.get('darkmode');
    out.dark = isDark();
    out.width_mode = this.store.local.get('width_mode');
    return out;
  }

  async start() {
    const { store } = this;
    this.sync = startSync(store, {
      onAuthError: (err) => this.showAuthProblem(err.text),
      onMessage: (msg) => showBanner(msg, { kind: 'info', actions: [h('button', { class: 'btn', onclick: hideBanner }, 'OK')] }),
    });
    store.subscribe((e) => this.onStoreEvent(e));
    darkQuery.addEventListener('change', () => { applyDeviceSettings(); this.redraw(); });
    this.wireTopbar();
    this.wireRangebar();
    this.wireViews();
    this.wireKeyboard();
    this.wireMenu();
    await this.mountTimeline();
    if (this.tl) this.tl.redraw();
    requestAnimationFrame(() => performance.mark('tagwatch-first-paint'));
    await this.mountInsight();
    this.handleHash();
    addEventListener('hashchange', () => this.handleHash());
    this.updateTimer();
    this.renderPresets();
    this.renderSync();
    this.onRange();
    setInterval(() => this.updateTimer(), 1000);
    addEventListener('beforeunload', (e) => {
      if (store.pendingCount() > 0) { e.preventDefault(); e.returnValue = ''; }
    });
    this.registerServiceWorker();
  }

  // ---- store events ----
  onStoreEvent(e) {
    if (e.type === 'status') { this.renderSync(); return; }
    if (e.type === 'local') { applyDeviceSettings(); this.redraw(); return; }
    this._version++;
    if (e.type === 'settings' || e.type === 'reset') this.colorCache.clear();
    if (e.type === 'settings' && this.store.status.state === 'auth') return this.renderSync();
    clearTimeout(this._renderSoon);
    this._renderSoon = setTimeout(() => {
      this.updateTimer();
      this.renderPresets();
      this.redraw();
      this.renderSync();
    }, 16);
  }

  redraw() {
    if (this.tl) this.tl.redraw();
    if (this.view === 'list' || !this.tl) this.renderList();
    this.renderRangeTotal();
  }

  showAuthProblem(text) {
    showBanner(`${text || 'You are logged out.'} Your changes are kept on this device and sent after you log in.`, {
      actions: [h('a', { class: 'btn primary', href: loginUrl() }, 'Log in again')],
    });
  }

  // ---- top bar: timer, sync, menu ----
  wireTopbar() {
    const { store } = this;
    const input = $('start-input');
    this.startAc = attachAutocomplete(input, this.acContext);
    $('start-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      if (this.startAc.isOpen()) return;
      const ds = normalizeDescription(input.value);
      input.value = '';
      input.blur();
      await startRecord(store, ds, Math.floor(nowSec()));
      this.goToday();
    });
    $('stop-btn').addEventListener('click', () => this.stop());
    $('switch-btn').addEventListener('click', () => this.openRecord({ t1: Math.floor(nowSec()), t2: Math.floor(nowSec()), ds: '' }));
    $('running-desc').addEventListener('click', () => {
      const r = store.records.running();
      if (r.length) this.openRecord({ key: r[r.length - 1].key });
    });
    $('sync-btn').addEventListener('click', () => this.openSyncInfo());
  }

  async stop() {
    const stopped = await stopAll(this.store, Math.floor(nowSec()));
    if (stopped.length) toast(`Stopped: ${formatDuration(stopped[0].t2 - stopped[0].t1, this.settings().duration_repr)}`);
  }

  async resume() {
    const ds = resumeDescription(this.store, nowSec());
    await startRecord(this.store, ds, Math.floor(nowSec()));
    toast(ds ? `Resumed: ${ds}` : 'Timer started');
    this.goToday();
  }

  updateTimer() {
    const running = this.store.records.running();
    const runEl = $('running'), form = $('start-form');
    const dur = this.settings().duration_repr;
    if (running.length) {
      const r = running[running.length - 1];
      const el = nowSec() - r.t1;
      runEl.hidden = false;
      form.hidden = true;
      const desc = $('running-desc');
      desc.textContent = '';
      desc.append(running.length > 1 ? `${running.length} timers running` : describe(r.ds, this.colorOf));
      const showWatch = this.store.settings.get('show_stopwatch') !== false;
      $('elapsed').textContent = showWatch ? formatDuration(el, dur, { seconds: true }) : '';
      document.title = `${showWatch ? formatDuration(el, dur) + ' · ' : '● '}${r.ds || 'Timer running'} — tagwatch`;
      this.setFavicon(true);
    } else {
      runEl.hidden = true;
      form.hidden = false;
      document.title = 'tagwatch';
      this.setFavicon(false);
    }
    if (running.length && (this.view === 'list' || !this.tl)) {
      // running durations in the list tick too
      for (const li of document.querySelectorAll('.rec.running .dur')) li.textContent = formatDuration(nowSec() - Number(li.dataset.t1), dur, { seconds: true });
    }
    if (running.length) this.renderRangeTotal();
  }

  setFavicon(running) {
    if (this._fav === running) return;
    this._fav = running;
    const link = document.querySelector('link[rel="icon"][type="image/svg+xml"]');
    if (link) link.href = running ? 'icons/icon-running.svg' : 'icons/icon.svg';
  }

  renderPresets() {
    const bar = $('presets');
    const presets = (this.store.settings.get('tag_presets', []) || []).filter(Boolean);
    const last = this.store.records.running().length ? '' : resumeDescription(this.store, nowSec());
    const key = JSON.stringify(presets) + '|' + last + '|' + this.colorCache.size;
    if (key === this._presetKey) return;
    this._presetKey = key;
    bar.textContent = '';
    if (last) {
      bar.append(h('button', { type: 'button', class: 'chip', title: 'Resume (Shift+S)', onclick: () => this.resume() },
        h('span', { 'aria-hidden': 'true' }, '↻'), h('span', {}, 'Resume: '), describe(last.length > 40 ? last.slice(0, 40) + '…' : last, this.colorOf)));
    }
    for (const p of presets.slice(0, 20)) {
      const dot = h('span', { class: 'dot', 'aria-hidden': 'true' });
      dot.style.background = colorForTags(this.getSetting, parseTags(p));
      bar.append(h('button', { type: 'button', class: 'chip', title: `Start ${p}`, 'aria-label': `Start a timer: ${p}`,
        onclick: async () => { await startRecord(this.store, p + ' ', Math.floor(nowSec())); this.goToday(); } }, dot, p));
    }
  }

  renderSync() {
    const { state, message, pending } = this.store.status;
    const btn = $('sync-btn');
    const shown = state === 'synced' && pending ? 'pending' : state;
    btn.dataset.state = shown;
    $('sync-icon').setAttribute('d', SYNC_ICONS[shown] || SYNC_ICONS.pending);
    $('sync-count').textContent = pending ? String(pending) : '';
    const text = shown === 'pending' ? `${pending} change${pending === 1 ? '' : 's'} waiting to be sent.` : SYNC_TEXT[shown] || '';
    btn.setAttribute('aria-label', `Sync status: ${text}${message ? ' ' + message : ''}`);
    btn.title = text;
    if (state === 'auth') this.showAuthProblem(message);
    else if (this._authShown) hideBanner();
    this._authShown = state === 'auth';
  }

  openSyncInfo() {
    const { state, message, pending } = this.store.status;
    const shown = state === 'synced' && pending ? 'pending' : state;
    const lines = [h('p', {}, SYNC_TEXT[shown] || state)];
    if (pending) lines.push(h('p', {}, `${pending} local change${pending === 1 ? '' : 's'} not yet confirmed by the server.`));
    if (message) lines.push(h('p', { class: state === 'error' || state === 'auth' ? 'error' : 'hint', id: 'sync-message' }, message));
    lines.push(h('p', { class: 'hint' }, `Logged in as ${this.store.username}. ${this.store.isLeader ? 'This tab syncs for all open tabs.' : 'Another open tab syncs for this one.'}`));
    const foot = [];
    if (state === 'auth') foot.push(h('a', { class: 'btn primary', href: loginUrl() }, 'Log in again'));
    foot.push(h('button', { type: 'button', class: 'btn', onclick: () => { this.sync.syncNow(); d.close(); } }, 'Sync now'));
    foot.push(h('button', { type: 'button', class: 'btn', onclick: () => d.close() }, 'Close'));
    const d = openDialog((close) => frame('Sync', close, lines, foot), { label: 'Sync status' });
  }

  // ---- range ----
  wireRangebar() {
    $('prev-btn').addEventListener('click', () => this.step(-1));
    $('next-btn').addEventListener('click', () => this.step(1));
    $('today-btn').addEventListener('click', () => this.goToday());
    for (const b of document.querySelectorAll('.periods [data-period]')) b.addEventListener('click', () => this.goPeriod(b.dataset.period));
  }

  getRange() { return this.tl ? this.tl.getRange() : this.range.slice(); }

  setRange(t1, t2) {
    if (this.tl) this.tl.setRange(t1, t2); // the timeline does not report ranges the app sets
    else this.range = [t1, t2];
    this.onRange();
  }

  goToday() {
    if (this.tl) return this.tl.goToday();
    const s = this.settings();
    const r = todayRange(nowSec(), { snapOffset: s.today_snap_offset, endOffset: s.today_end_offset });
    this.setRange(r[0], r[1]);
  }

  goPeriod(p) {
    if (this.tl) return this.tl.goPeriod(p);
    const [a, b] = this.getRange();
    const now = nowSec();
    const ref = now >= a && now < b ? now : (a + b) / 2;
    const r = periodRange(ref, p, this.settings().first_day_of_week);
    this.setRange(r[0], r[1]);
  }

  step(dir) {
    if (this.tl) return this.tl.step(dir);
    const [a, b] = this.getRange();
    const p = exactPeriod(a, b, this.settings().first_day_of_week);
    if (p) this.setRange(addPeriod(new Date(a * 1000), p, dir) / 1000, addPeriod(new Date(b * 1000), p, dir) / 1000);
    else this.setRange(a + dir * (b - a), b + dir * (b - a));
  }

  zoom(dir) {
    if (this.tl) return this.tl.zoom(dir);
    const [a, b] = this.getRange();
    const p = exactPeriod(a, b, this.settings().first_day_of_week) || 'day';
    const i = Math.max(0, Math.min(PERIODS.length - 1, PERIODS.indexOf(p) - dir));
    this.goPeriod(PERIODS[i]);
  }

  onRange() {
    const [a, b] = this.getRange();
    const fdow = this.settings().first_day_of_week;
    $('range-label').textContent = rangeLabel(Math.round(a), Math.round(b), fdow);
    const p = exactPeriod(Math.round(a), Math.round(b), fdow);
    for (const btn of document.querySelectorAll('.periods [data-period]')) btn.setAttribute('aria-pressed', String(btn.dataset.period === p));
    if (this.view === 'list' || !this.tl) this.renderList();
    this.renderRangeTotal();
    for (const fn of this.rangeListeners) { try { fn(a, b); } catch (err) { console.error(err); } }
  }

  renderRangeTotal() {
    const [a, b] = this.getRange();
    const now = nowSec();
    let total = 0, n = 0;
    for (const r of this.store.records.query(a, b)) {
      const end = r.t1 === r.t2 ? Math.max(now, r.t1) : r.t2;
      total += Math.max(0, Math.min(end, b) - Math.max(r.t1, a));
      n++;
    }
    $('range-total').textContent = n ? `${n} record${n === 1 ? '' : 's'} · ${formatDuration(total, this.settings().duration_repr)}` : 'No records';
  }

  handleHash() {
    const m = /date=(\d{4}-\d{2}-\d{2})/.exec(location.hash);
    if (!m) return;
    const t = fromDateKey(m[1]);
    if (t !== null) {
      const r = periodRange(t + 3600, 'day');
      this.setRange(r[0], r[1]);
    }
    history.replaceState(history.state, '', location.pathname + location.search);
  }

  // ---- views: timeline, list, overview ----
  wireViews() {
    $('show-timeline').addEventListener('click', () => this.setView('timeline'));
    $('show-list').addEventListener('click', () => this.setView('list'));
    for (const b of document.querySelectorAll('.tabs [data-tab]')) b.addEventListener('click', () => this.setView(b.dataset.tab));
    $('add-btn').addEventListener('click', () => this.addRecord());
    // the list is the screen-reader view of the timeline: the skip link opens it
    $('skip-link').addEventListener('click', (e) => { e.preventDefault(); this.setView('list'); $('list').focus(); });
  }

  setView(v) {
    if (v === 'timeline' && !this.tl) v = 'list';
    this.view = v;
    document.body.dataset.view = v;
    const recordsView = v === 'overview' ? (this.lastRecordsView || 'timeline') : v;
    if (v !== 'overview') this.lastRecordsView = v;
    $('timeline').hidden = recordsView !== 'timeline' || !this.tl;
    $('list-host').hidden = !(recordsView === 'list' || !this.tl);
    $('show-timeline').setAttribute('aria-pressed', String(recordsView === 'timeline'));
    $('show-list').setAttribute('aria-pressed', String(recordsView === 'list'));
    for (const b of document.querySelectorAll('.tabs [data-tab]')) b.setAttribute('aria-pressed', String(b.dataset.tab === v));
    if (!$('list-host').hidden) this.renderList();
    if (this.tl && recordsView === 'timeline') this.tl.redraw();
  }

  addRecord() {
    const [a, b] = this.getRange();
    const now = Math.floor(nowSec());
    let t2 = now, t1 = now - 3600;
    if (now < a || now > b) { const mid = Math.floor((a + b) / 2); t1 = mid - 1800; t2 = mid + 1800; }
    this.openRecord({ t1, t2, ds: '' });
  }

  /** Open the record dialog; resolves to the dialog ({el, close}) or null. */
  async openRecord(what) {
    const m = await recordDialogModule();
    return m.openRecordDialog(this.dialogApp(), what);
  }

  renderList() {
    const list = $('list');
    if (!list) return;
    const [a, b] = this.getRange();
    const recs = this.store.records.query(a, b);
    const s = this.settings();
    const now = nowSec();
    list.textContent = '';
    if (!recs.length) { list.append(h('li', { class: 'empty' }, 'No records in this range. Start a timer or add a record.')); return; }
    const MAX = 500;
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
        const d = new Date(r.t1 * 1000);
        list.append(h('li', { class: 'day' }, h('span', {}, `${WEEKDAYS[d.getDay()]} ${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`),
          h('span', {}, formatDuration(dayTotals.get(k), s.duration_repr))));
      }
      const running = r.t1 === r.t2;
      const end = running ? Math.max(now, r.t1) : r.t2;
      const bar = h('span', { class: 'bar', 'aria-hidden': 'true' });
      bar.style.background = colorForTags(this.getSetting, parseTags(r.ds));
      const btn = h('button', { type: 'button', class: 'rec' + (running ? ' running' : ''), dataset: { key: r.key },
        'aria-label': `${r.ds || 'No description'}, ${formatTime(r.t1, s.time_repr)} to ${running ? 'now' : formatTime(r.t2, s.time_repr)}${r.st ? '' : ', not yet synced'}` },
        bar,
        h('span', { class: 'body' }, h('div', { class: 'ds' }, describe(r.ds, this.colorOf)),
          h('div', { class: 'times' }, `${formatTime(r.t1, s.time_repr)} – ${running ? 'running' : formatTime(r.t2, s.time_repr)}`,
            r.st ? null : h('span', { class: 'unsynced', title: 'Not yet on the server' }, '· not synced'))),
        h('span', { class: 'dur', dataset: { t1: r.t1 } }, formatDuration(end - r.t1, s.duration_repr, { seconds: running })));
      btn.addEventListener('click', () => this.openRecord({ key: r.key }));
      list.append(h('li', {}, btn));
    }
  }

  async mountTimeline() {
    let mod = null;
    try { mod = await import('./timeline.js'); } catch (err) { console.info('timeline view not available; using the list', err.message); }
    if (mod && mod.createTimeline) {
      try {
        this.tl = mod.createTimeline($('timeline'), {
          getRecords: (t1, t2) => this.store.records.query(t1, t2),
          getSettings: () => this.settings(),
          colorForTags: (tags) => colorForTags(this.getSetting, tags),
          isSecondaryTag: (tag) => tagInfo(this.getSetting, tag).priority === 2,
          selectedTags: () => (this.insight && this.insight.selectedTags ? this.insight.selectedTags() : []),
          onEditRecord: (key) => this.openRecord({ key }),
          onChangeRecordTimes: (key, t1, t2) => {
            const r = this.store.records.get(key);
            if (r) this.store.put('records', [{ ...r, t1: Math.round(t1), t2: Math.round(t2) }]);
          },
          onCreateRecord: (t1, t2) => this.openRecord({ t1: Math.round(t1), t2: Math.round(t2), ds: '' }),
          onRangeChange: () => this.onRange(),
          now: nowSec,
        });
        const s = this.settings();
        const r = todayRange(nowSec(), { snapOffset: s.today_snap_offset, endOffset: s.today_end_offset });
        this.tl.setRange(r[0], r[1]);
        this.range = r;
      } catch (err) {
        console.error('timeline failed to start', err);
        this.tl = null;
      }
    }
    this.setView(this.tl ? 'timeline' : 'list');
  }

  async mountInsight() {
    let mod = null;
    try { mod = await import('./insight/index.js'); } catch (err) { console.info('overview not available', err.message); }
    if (!mod || !mod.mountInsight) { $('overview-pane').classList.add('empty'); return; }
    try {
      this.insight = await mod.mountInsight({
        root: $('insight-root'),
        store: this.store,
        timeline: this.tl,
        openRecordDialog: (what) => this.openRecord(typeof what === 'string' ? { key: what } : what),
        getRange: () => this.getRange(),
        setRange: (t1, t2) => this.setRange(t1, t2),
        onRangeChange: (fn) => { this.rangeListeners.add(fn); return () => this.rangeListeners.delete(fn); },
        addMenuItem: (label, run, { id } = {}) => this.addMenuItem(label, run, id),
        registerShortcut: (key, label, run) => this.shortcuts.push({ keys: [key], label, run }),
        settings: () => this.settings(),
        colorOf: this.colorOf,
        colorForTags: (tags) => colorForTags(this.getSetting, tags),
      }) || null;
    } catch (err) {
      console.error('overview failed to start', err);
    }
  }

  // ---- menu ----
  wireMenu() {
    const menu = $('menu');
    $('menu-user').textContent = `Logged in as ${this.store.username}`;
    $('menu-btn').addEventListener('click', () => { menu.showModal(); const f = menu.querySelector('.menu-items button:not([hidden]), .menu-items a'); if (f) f.focus(); });
    menu.addEventListener('click', (e) => {
      if (e.target === menu || e.target.closest('[data-close]')) menu.close();
      const act = e.target.closest('[data-action]');
      if (!act) return;
      menu.close();
      const a = act.dataset.action;
      if (a === 'tags') openTagsDialog(this.dialogApp());
      else if (a === 'settings') openSettingsDialog(this.dialogApp());
      else if (a === 'help') this.help();
      else if (a === 'install' && this.installPrompt) { this.installPrompt.prompt(); this.installPrompt = null; act.hidden = true; }
    });
    addEventListener('beforeinstallprompt', (e) => {
      e.preventDefault();
      this.installPrompt = e;
      menu.querySelector('[data-action="install"]').hidden = false;
    });
    $('logout-link').addEventListener('click', (e) => {
      const n = this.store.pendingCount();
      if (n && !confirm(`${n} change${n === 1 ? ' has' : 's have'} not reached the server yet. Logging out discards ${n === 1 ? 'it' : 'them'}. Log out anyway?`)) e.preventDefault();
      else this.store.pendingCount = () => 0; // no second warning from beforeunload
    });
  }

  dialogApp() { return { store: this.store, colorOf: this.colorOf, acContext: this.acContext, settings: () => this.settings() }; }

  addMenuItem(label, run, id) {
    const b = h('button', { type: 'button', id }, label);
    b.addEventListener('click', () => { $('menu').close(); run(); });
    $('menu-insight').append(b);
    return b;
  }

  help() {
    const base = [
      { keys: ['s'], label: 'Start: type the description of a new timer' },
      { keys: ['Shift+S'], label: 'Resume the running or last record' },
      { keys: ['x'], label: 'Stop the running timer' },
      { keys: ['e'], label: 'Edit the running or last record' },
      { keys: ['a'], label: 'Add a record that is already done' },
      { keys: ['d'], label: 'Today' },
      { keys: ['w', 'm', 'q', 'y'], label: 'This week, month, quarter, year' },
      { keys: ['n', 'Home'], label: 'Jump to now' },
      { keys: ['↑', 'PageUp'], label: 'Earlier' },
      { keys: ['↓', 'PageDown'], label: 'Later' },
      { keys: ['→', '←'], label: 'Zoom in, zoom out' },
      { keys: ['l'], label: 'Switch between timeline and list' },
      { keys: ['o'], label: 'Show the overview (narrow screens)' },
      { keys: ['g'], label: 'Tags' },
      { keys: [','], label: 'Settings' },
      { keys: ['?'], label: 'This help' },
    ];
    openHelpDialog([...base, ...this.shortcuts.map(({ keys, label }) => ({ keys, label }))]);
  }

  // ---- keyboard ----
  wireKeyboard() {
    const act = {
      s: () => { const i = $('start-input'); if (!$('start-form').hidden) i.focus(); else this.openRecord({ t1: Math.floor(nowSec()), t2: Math.floor(nowSec()), ds: '' }); },
      S: () => this.resume(),
      x: () => this.stop(),
      e: () => {
        const run = this.store.records.running();
        const last = run.length ? run[run.length - 1] : this.store.records.query(nowSec() - 30 * 86400, nowSec()).sort((p, q) => q.t2 - p.t2)[0];
        if (last) this.openRecord({ key: last.key });
      },
      a: () => this.addRecord(),
      d: () => this.goToday(),
      w: () => this.goPeriod('week'), m: () => this.goPeriod('month'), q: () => this.goPeriod('quarter'), y: () => this.goPeriod('year'),
      n: () => this.snapNow(), Home: () => this.snapNow(), End: () => this.snapNow(),
      ArrowUp: () => this.step(-1), PageUp: () => this.step(-1),
      ArrowDown: () => this.step(1), PageDown: () => this.step(1),
      ArrowRight: () => this.zoom(1), ArrowLeft: () => this.zoom(-1),
      l: () => this.setView(this.view === 'list' ? 'timeline' : 'list'),
      o: () => this.setView(this.view === 'overview' ? this.lastRecordsView || 'timeline' : 'overview'),
      g: () => openTagsDialog(this.dialogApp()),
      ',': () => openSettingsDialog(this.dialogApp()),
      '?': () => this.help(),
    };
    document.addEventListener('keydown', (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      if (dialogOpen()) return;
      const t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) {
        if (e.key === 'Escape' && t.id === 'start-input') t.blur();
        return;
      }
      const extra = this.shortcuts.find((s) => s.keys.includes(e.key));
      const fn = act[e.key] || (extra && extra.run);
      if (!fn) return;
      if (t && t.tagName === 'BUTTON' && (e.key === ' ' || e.key === 'Enter')) return;
      e.preventDefault();
      fn();
    });
  }

  snapNow() {
    const [a, b] = this.getRange();
    const p = exactPeriod(Math.round(a), Math.round(b), this.settings().first_day_of_week) || 'day';
    const r = periodRange(nowSec(), p, this.settings().first_day_of_week);
    this.setRange(r[0], r[1]);
  }

  // ---- service worker: offline shell and update notice ----
  registerServiceWorker() {
    if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.register('sw.js').then((reg) => {
      setInterval(() => reg.update().catch(() => {}), 4 * 3600 * 1000);
    }).catch((err) => console.warn('service worker', err));
    navigator.serviceWorker.ready.then((reg) => {
      const send = () => {
        const urls = performance.getEntriesByType('resource').map((e) => e.name).filter((u) => u.startsWith(location.origin) && !u.includes('/api/'));
        if (reg.active) reg.active.postMessage({ type: 'cache-urls', urls });
      };
      send(); // the app has started: its modules are all loaded
      setTimeout(send, 10000); // and whatever loaded on demand since
    }).catch(() => {});
  }
}

main().catch((err) => {
  console.error(err);
  showBanner('tagwatch could not start: ' + (err && err.message || err));
});
