// app.js: the App: holds the store, the sync, the settings as the views read them, tag
// colours and suggestions, and wires the parts together: the top bar (topbar.js), the range
// (rangebar.js), the timeline (../timeline/) or the list (list.js), the overview panel
// (../insight/index.js), the menu (menu.js), the keys (keys.js), the notice of changes
// another device replaced (conflicts.js), the timer's notifications (timer-notify.js), the
// Pomodoro (pomodoro.js) and the dialogs (../dialogs/, loaded on first use). It reacts to
// store events and chooses the view.
//
// The insight panel is mounted, when insight/index.js exists, with
//   mountInsight({ root, store, timeline, openRecordDialog, getRange, setRange, onRangeChange,
//                  addMenuItem, registerShortcut, settings, colorOf, colorForTags })
// and may return { selectedTags() } so the timeline fades records without the selected tags.

import { startSync } from '../data/sync.js';
import { todayRange, periodRange } from '../common/calendar.js';
import { colorForTags, tagColor, tagInfo, tagUsage, recentDescriptions } from '../data/actions.js';
import { h, toast, lazy } from '../common/ui.js';
import { showBanner, hideBanner, loginUrl } from './banner.js';
import { explainError } from '../data/api.js';
import { applyDeviceSettings, darkQuery, isDark } from './device.js';
import { registerServiceWorker } from './service-worker.js';
import { createTopbar } from './topbar.js';
import { createRangebar } from './rangebar.js';
import { createList } from './list.js';
import { createMenu } from './menu.js';
import { wireKeys } from './keys.js';
import { watchConflicts } from './conflicts.js';

// Dialogs load on first use: they are not needed for the first paint (the service worker
// caches them for offline use all the same, and the record dialog, the one every user
// opens, is fetched after the first sync, so it opens offline even on a first visit).
// A dialog's module; a failed load is said in a toast (and rejects).
const said = (get) => () => get().catch((err) => { toast('This dialog could not be loaded (offline?). Try again when connected.'); throw err; });
const dialog = (load) => said(lazy(load));
const recordModule = lazy(() => import('../dialogs/record.js'));
const recordDialog = said(recordModule);
const tagsDialog = dialog(() => import('../dialogs/tags.js'));
const settingsDialog = dialog(() => import('../dialogs/settings.js'));
const helpDialog = dialog(() => import('../dialogs/help.js'));
const jumpDialog = dialog(() => import('../dialogs/jump.js'));
const deletedDialog = dialog(() => import('../dialogs/deleted.js'));

const $ = (id) => document.getElementById(id);
const nowSec = () => Date.now() / 1000;

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
    this.list = createList(this);
    this.wireViews();
    wireKeys(this);
    this.menu = createMenu(this);
    this.conflicts = watchConflicts(this);
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
    if (this.listShown()) this.list.tickRunning();
    this.range.renderTotal();
  }

  // ---- store events ----
  onStoreEvent(e) {
    if (e.type === 'status') {
      this.topbar.renderSync();
      // once the first sync is over (or failed), fetch the record dialog for offline use
      if (!this.recordFetched && ((this.sync && this.sync.stats.cycles > 0) || this.store.status.state === 'offline')) {
        this.recordFetched = true;
        recordModule().catch(() => { this.recordFetched = false; });
      }
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
    if (this.listShown()) this.list.render();
    this.range.renderTotal();
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
  onRange() { if (this.listShown()) this.list.render(); }

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
    if (!$('list-host').hidden) this.list.render();
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
  openTags() { return tagsDialog().then((m) => m.openTagsDialog(this.dialogApp())); }
  openSettings() {
    return Promise.all([settingsDialog(), this.loadExtras()]).then(([m]) => m.openSettingsDialog({ ...this.dialogApp(),
      deviceRows: () => [...this.extras.notificationSettings(this), ...this.pomodoro.settingsRows()] }));
  }

  /** Start the timer's notifications and the Pomodoro (timer-notify.js, pomodoro.js), once. */
  loadExtras() {
    if (!this.extrasReady) {
      this.extrasReady = Promise.all([import('./timer-notify.js'), import('./pomodoro.js')]).then(([notify, pomodoro]) => {
        notify.startTimerNotifications(this);
        this.pomodoro = pomodoro.startPomodoro(this);
        this.extras = notify;
      });
      this.extrasReady.catch(() => { this.extrasReady = null; }); // offline before they were cached: next time
    }
    return this.extrasReady;
  }
  openHelp(list) { return helpDialog().then((m) => m.openHelpDialog(list)); }
  openJump() {
    return jumpDialog().then((m) => m.openJumpDialog({ getRange: () => this.getRange(), setRange: (a, b) => this.setRange(a, b),
      settings: () => this.settings(), now: nowSec }));
  }
  openDeleted() {
    return deletedDialog().then((m) => m.openDeletedDialog({ ...this.dialogApp(), openRecord: (w) => this.openRecord(w),
      showDay: (t) => { const [a, b] = periodRange(t, 'day'); this.setRange(a, b); } }));
  }
  openGuide() { return helpDialog().then((m) => m.openGuide(() => this.menu.help())); }

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
