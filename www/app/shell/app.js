// app.js: the App: holds the store, the sync, the settings as the views read them, tag
// colours and suggestions, and wires the parts together: the top bar (topbar.js), the range
// (rangebar.js), the timeline (../timeline/) or the list (list.js, loaded when first shown),
// the overview panel (../insight/index.js), the menu (menu.js), the keys (keys.js), the
// notice of changes another device replaced (conflicts.js, loaded when there is one), the
// timer's notifications (timer-notify.js), the Pomodoro (pomodoro.js) and the dialogs
// (../dialogs/, loaded on first use). It reacts to store events and chooses the view.
//
// The insight panel is mounted, when insight/index.js exists, with
//   mountInsight({ root, store, timeline, openRecordDialog, getRange, setRange, onRangeChange,
//                  addMenuItem, registerShortcut, settings, colorOf, colorForTags })
// and may return { selectedTags() } so the timeline fades records without the selected tags.

import { startSync } from '../data/sync.js';
import { todayRange, periodRange } from '../common/calendar.js';
import { colorForTags, tagColor, tagInfo, tagUsage, recentDescriptions } from '../data/actions.js';
import { h, toast, lazy, loadStyles } from '../common/ui.js';
import { showBanner, hideBanner, loginUrl } from './banner.js';
import { explainError } from '../data/api.js';
import { applyDeviceSettings, darkQuery, isDark } from './device.js';
import { registerServiceWorker } from './service-worker.js';
import { createTopbar } from './topbar.js';
import { createRangebar } from './rangebar.js';
import { createMenu } from './menu.js';
import { wireKeys } from './keys.js';
import { readLog, addToLog, logKey } from '../data/conflicts.js';

// What the first screen does not need loads on first use: the dialogs (with the styles of
// what loads later, ../later.css), the list view, the notice of replaced changes. The
// service worker caches them for offline use all the same; and since it may not have them
// yet on a first visit (nor run at all on plain http), the record dialog (the one every user
// opens), the sync dialog (the one to open when offline) and the list are also fetched soon
// after the start (prefetchSoon), so they open offline even on a first visit.
// A dialog's module; a failed load is said in a toast (and rejects).
const said = (get) => () => get().catch((err) => { toast('This dialog could not be loaded (offline?). Try again when connected.'); throw err; });
const withStyles = (load) => () => Promise.all([load(), loadStyles()]).then(([m]) => m);
const dialog = (load) => said(lazy(withStyles(load)));
const recordModule = lazy(withStyles(() => import('../dialogs/record.js')));
const recordDialog = said(recordModule);
const syncModule = lazy(withStyles(() => import('../dialogs/sync.js')));
const syncDialog = said(syncModule);
const listModule = lazy(() => import('./list.js'));
const conflictsModule = lazy(withStyles(() => import('./conflicts.js')));
const tagsDialog = dialog(() => import('../dialogs/tags.js'));
const settingsDialog = dialog(() => import('../dialogs/settings.js'));
const helpDialog = dialog(() => import('../dialogs/help.js'));
const jumpDialog = dialog(() => import('../dialogs/jump.js'));
const deletedDialog = dialog(() => import('../dialogs/deleted.js'));

const $ = (id) => document.getElementById(id);
const nowSec = () => Date.now() / 1000;
// after the first sync, how long the page waits before it fetches what loads soon (prefetchSoon)
const PREFETCH_DELAY_MS = 2000;

export class App {
  constructor(store) {
    this.store = store;
    this.tl = null;
    this.insight = null;
    this.view = 'timeline';
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
    this.titlePrefix = () => (this.pomodoro ? this.pomodoro.titlePrefix() : '');
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
      onAuthError: (err) => { const why = explainError(err); this.showAuthProblem(why.summary, why.detail); },
      onMessage: (msg) => showBanner(msg, { kind: 'info', actions: [h('button', { class: 'btn', onclick: hideBanner }, 'OK')] }),
    });
    store.subscribe((e) => this.onStoreEvent(e));
    darkQuery.addEventListener('change', () => { applyDeviceSettings(); this.redraw(); });
    this.topbar = createTopbar(this);
    this.range = createRangebar(this);
    this.list = null; // list.js, once shown
    this.wireViews();
    wireKeys(this);
    this.menu = createMenu(this);
    this.conflicts = null; // conflicts.js, once there is a replaced change to show
    this.watchLosses();
    this.prefetchSoon();
    await this.mountTimeline();
    if (this.tl) this.tl.redraw();
    requestAnimationFrame(() => performance.mark('tagwatch-first-paint'));
    await this.mountInsight();
    // Notifications and the Pomodoro load where this device has them on (most have neither,
    // and the start stays small), else when Settings opens
    const local = this.store.local;
    const hashAction = /[#&]notification=/.test(location.hash);
    if (hashAction || local.get('notifications') || local.get('pomodoro_enabled') || local.get('tagwatch_reminders', null)) {
      await this.loadExtras().catch((err) => console.warn('notifications and Pomodoro not available', err));
    }
    if (hashAction) (await import('../common/notify.js')).takeNotificationHash(); // a notification's button pressed while no tab was open
    this.range.handleHash();
    this.topbar.renderPresets();
    this.topbar.renderSync();
    this.range.changed();
    this.tick();
    setInterval(() => this.tick(), 1000);
    addEventListener('beforeunload', (e) => {
      if (store.pendingCount() > 0) { e.preventDefault(); e.returnValue = ''; }
    });
    registerServiceWorker();
  }

  /** Every second: the timer, and what shows a running duration. */
  tick() {
    if (!this.topbar.updateTimer()) return;
    if (this.listShown() && this.list) this.list.tickRunning();
    this.range.renderTotal();
  }

  // ---- store events ----
  onStoreEvent(e) {
    if (e.type === 'status') {
      this.topbar.renderSync();
      if (this.afterFirstSync && ((this.sync && this.sync.stats.cycles > 0) || this.store.status.state === 'offline')) this.afterFirstSync();
      return;
    }
    if (e.type === 'refused') {
      for (const { key, why } of e.items) toast(`Not saved: the ${e.kind === 'settings' ? 'setting' : 'record'} “${key}”, because ${why}.`, { ms: 10000 });
      return;
    }
    if (e.type === 'local') { applyDeviceSettings(); this.redraw(); return; }
    this._version++;
    if (e.type === 'settings' || e.type === 'reset') this.colorCache.clear();
    if (e.type === 'settings' && this.store.status.state === 'auth') return this.topbar.renderSync();
    clearTimeout(this._renderSoon);
    this._renderSoon = setTimeout(() => {
      this.topbar.updateTimer();
      this.topbar.renderPresets();
      this.redraw();
      this.topbar.renderSync();
    }, 16);
  }

  redraw() {
    if (this.tl) this.tl.redraw();
    if (this.listShown()) this.renderList();
    this.range.renderTotal();
  }

  /**
   * Fetch the record and sync dialogs and the list view (with the later styles) soon, for
   * offline use on a first visit: at the first touch, click or key (a person about to use
   * them), else once the first sync is over (or found the server unreachable) and then the
   * page has been idle for a moment, so the fetch never competes with the start. A failed
   * fetch (offline) is tried again at the next occasion.
   */
  prefetchSoon() {
    let busy = false, timer = 0;
    const events = ['pointerdown', 'keydown'];
    this.prefetched = false; // true once they are here (the browser tests wait on it)
    const done = () => {
      for (const t of events) removeEventListener(t, fetchNow, true);
      clearTimeout(timer);
      this.afterFirstSync = null;
      this.prefetched = true;
    };
    const fetchNow = () => {
      if (busy) return;
      busy = true;
      Promise.all([recordModule(), syncModule(), listModule()]).then(done, () => { busy = false; });
    };
    for (const t of events) addEventListener(t, fetchNow, true);
    const idle = (fn) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout: 5000 }) : fn());
    this.afterFirstSync = () => {
      if (timer) return;
      timer = setTimeout(() => idle(() => { timer = 0; fetchNow(); }), PREFETCH_DELAY_MS);
    };
  }

  /** The list view, drawn; its module loads the first time (a failed load is said in the list). */
  renderList() {
    if (this.list) { this.list.render(); return; }
    listModule().then((m) => {
      this.list = this.list || m.createList(this);
      if (this.listShown()) this.list.render();
    }, () => $('list').replaceChildren(h('li', { class: 'empty' }, 'The list could not be loaded (offline?). Try again when connected.')));
  }

  /** Changes of this device that a newer one from another device replaced: kept in a log
   * (../data/conflicts.js) as they come, shown by conflicts.js, which loads when the log
   * has any (at start, after a pull, or when another tab logs one). */
  watchLosses() {
    const { store } = this;
    const now = () => Math.floor(nowSec());
    const show = () => {
      if (!this.conflicts && !readLog(localStorage, store.username, now()).length) return;
      conflictsModule().then((m) => {
        this.conflicts = this.conflicts || m.showConflicts(this);
        this.conflicts.render();
      }, (err) => console.warn('the notice of replaced changes could not be loaded', err));
    };
    store.subscribe((ev) => {
      if (ev.type !== 'lost') return;
      addToLog(localStorage, store.username, ev.items, now());
      show();
    });
    addEventListener('storage', (ev) => { if (ev.key === logKey(store.username)) show(); }); // another tab chose, or logged a loss
    show();
  }

  showAuthProblem(text, detail = '') {
    showBanner(`${text || 'You are logged out.'} Your changes are kept on this device and sent after you log in.`, {
      actions: [h('a', { class: 'btn primary', href: loginUrl() }, 'Log in again')], detail,
    });
  }

  // ---- the range (rangebar.js), as the other parts call it ----
  getRange() { return this.range.getRange(); }
  setRange(t1, t2) { this.range.setRange(t1, t2); }
  goToday() { return this.range.goToday(); }
  goPeriod(p) { return this.range.goPeriod(p); }
  /** Called by rangebar.js after every change of range. */
  onRange() { if (this.listShown()) this.renderList(); }

  // ---- views: timeline, list, overview ----
  listShown() { return this.view === 'list' || !this.tl; }

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

  // ---- dialogs ----
  dialogApp() { return { store: this.store, colorOf: this.colorOf, acContext: this.acContext, settings: () => this.settings() }; }

  /** Open the record dialog; resolves to the dialog ({el, close}) or null. */
  async openRecord(what) {
    const m = await recordDialog();
    return m.openRecordDialog(this.dialogApp(), what);
  }
  openSyncInfo() {
    return syncDialog().then((m) => m.openSyncDialog({ store: this.store, text: this.topbar.syncText(), loginUrl: loginUrl(), syncNow: () => this.sync.syncNow() }));
  }
  openTags() { return tagsDialog().then((m) => m.openTagsDialog(this.dialogApp())); }
  openSettings() {
    return Promise.all([settingsDialog(), this.loadExtras()]).then(([m]) => m.openSettingsDialog({ ...this.dialogApp(),
      deviceRows: () => [...this.extras.notificationSettings(this), ...this.pomodoro.settingsRows()] }));
  }

  /** Start the timer's notifications and the Pomodoro (timer-notify.js, pomodoro.js), once. */
  loadExtras() {
    if (!this.extrasReady) {
      this.extrasReady = Promise.all([import('./timer-notify.js'), import('./pomodoro.js'), loadStyles()]).then(([notify, pomodoro]) => {
        notify.startTimerNotifications(this);
        this.pomodoro = pomodoro.startPomodoro(this);
        this.extras = notify;
      });
      this.extrasReady.catch(() => { this.extrasReady = null; }); // offline before they were cached: next time
    }
    return this.extrasReady;
  }
  /** The keyboard help: the app's keys (../dialogs/help.js) and those the overview registered. */
  openHelp() { return helpDialog().then((m) => m.openHelpDialog(this.shortcuts.map(({ keys, label }) => ({ keys, label })))); }
  openJump() {
    return jumpDialog().then((m) => m.openJumpDialog({ getRange: () => this.getRange(), setRange: (a, b) => this.setRange(a, b),
      settings: () => this.settings(), now: nowSec }));
  }
  openDeleted() {
    return deletedDialog().then((m) => m.openDeletedDialog({ ...this.dialogApp(), openRecord: (w) => this.openRecord(w),
      showDay: (t) => { const [a, b] = periodRange(t, 'day'); this.setRange(a, b); } }));
  }
  openGuide() { return helpDialog().then((m) => m.openGuide(() => this.openHelp())); }

  // ---- the timeline and the overview, each optional ----
  async mountTimeline() {
    let mod = null;
    try { mod = await import('../timeline/index.js'); } catch (err) { console.info('timeline view not available; using the list', err.message); }
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
          onRangeChange: () => this.range.changed(),
          now: nowSec,
          dataVersion: () => this._version,
        });
        const s = this.settings();
        const r = todayRange(nowSec(), s);
        this.tl.setRange(r[0], r[1]);
      } catch (err) {
        console.error('timeline failed to start', err);
        this.tl = null;
      }
    }
    this.setView(this.tl ? 'timeline' : 'list');
  }

  async mountInsight() {
    let mod = null;
    try { mod = await import('../insight/index.js'); } catch (err) { console.info('overview not available', err.message); }
    if (!mod || !mod.mountInsight) { $('overview-pane').classList.add('empty'); return; }
    try {
      this.insight = await mod.mountInsight({
        root: $('insight-root'),
        store: this.store,
        timeline: this.tl,
        openRecordDialog: (what) => this.openRecord(typeof what === 'string' ? { key: what } : what),
        getRange: () => this.getRange(),
        setRange: (t1, t2) => this.setRange(t1, t2),
        onRangeChange: (fn) => this.range.onChange(fn),
        addMenuItem: (label, run, { id } = {}) => this.menu.addItem(label, run, id),
        registerShortcut: (key, label, run) => this.shortcuts.push({ keys: [key], label, run }),
        settings: () => this.settings(),
        colorOf: this.colorOf,
        colorForTags: (tags) => colorForTags(this.getSetting, tags),
      }) || null;
    } catch (err) {
      console.error('overview failed to start', err);
    }
  }
}
