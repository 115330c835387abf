// index.js: the entry point the app calls, mountInsight(): mounts the Overview panel, adds the
// buttons for the insight pages (Reports, Search, Targets, Import / export, Reminders) to the
// app's menu area, starts the reminder loop, and returns the hooks the app uses (the tag
// selection for fading the timeline, page openers for keyboard shortcuts).
// The pages' modules load with import() when a page first opens (about a third of the app
// shell otherwise, over the budget of README.md, The figures); the service worker precaches them so they open offline too.
// Page openers therefore return a promise of the page's handle.

import { h, toast, lazy, loadStyles } from '../common/ui.js';
import { makeContext } from './context.js';
import { mountOverview } from './overview.js';
import { managedTeams } from './teams.js';

// a page's module with its styles, all loaded before the page shows: the app's later.css
// (the dialogs' frame, the tables the pages share with the tag manager), then pages.css,
// linked after it so that its rules win where both speak
const PAGES_CSS = new URL('./pages.css', import.meta.url).href;
const page = (load) => lazy(() => Promise.all([load(), loadStyles(), loadStyles(PAGES_CSS)]).then(([m]) => m));
const reportsUi = page(() => import('./reports-ui.js'));
const searchUi = page(() => import('./search-ui.js'));
const targetsUi = page(() => import('./targets-ui.js'));
const ioUi = page(() => import('./io-ui.js'));
const remindersUi = page(() => import('./reminders-ui.js'));
const teamUi = page(() => import('./team-ui.js'));

/** Load a page's module and open it; a load failure is said in a toast (and rejects). */
function opener(load, open) {
  return (...args) => load().then((m) => open(m, ...args), (err) => {
    toast('This page could not be loaded (offline?). Try again when connected.');
    throw err;
  });
}

// reminders-ui.js LOCAL_KEY: the loop below needs only this to know whether to load it
const REMINDERS_KEY = 'tagwatch_reminders';
const remindersOn = (ctx) => {
  const v = ctx.local(REMINDERS_KEY, null);
  return !!(v && typeof v === 'object' && (v.longRunningOn || v.idleOn));
};

/** The reminder loop without its modules: they load on the first tick with a reminder on. */
function startReminderLoop(ctx) {
  let tick = null;
  let stopped = false;
  const run = () => {
    if (stopped) return;
    if (tick) { tick(); return; }
    if (!remindersOn(ctx)) return;
    remindersUi().then((m) => { if (!stopped && !tick) { tick = m.reminderTicker(ctx); tick(); } }).catch(() => {});
  };
  const timer = setInterval(run, 30000);
  const first = setTimeout(run, 3000);
  return () => { stopped = true; clearInterval(timer); clearTimeout(first); };
}

/**
 * Mount insight. args (from the app's main.js): {root (Overview element), store, timeline,
 * openRecordDialog({key}), getRange() -> [t1, t2], setRange(t1, t2), onRangeChange(fn) ->
 * unsubscribe, addMenuItem(label, run, {id}), registerShortcut(key, label, run)}; without
 * addMenuItem the page buttons go into `nav` (default #menu-insight).
 */
export function mountInsight({ root, store, timeline, openRecordDialog, getRange, setRange, onRangeChange, addMenuItem, registerShortcut, nav, now } = {}) {
  loadStyles(new URL('./insight.css', import.meta.url).href);
  const ctx = makeContext({ store, timeline, openRecordDialog, getRange, setRange, now });
  let overview = null;
  const pages = {
    // the selection is read at the click, not after the module has loaded
    openReports: () => {
      const sel = overview ? { tags: overview.selected(), exclude: overview.excluded() } : {};
      return opener(reportsUi, (m) => m.openReports(ctx, sel))();
    },
    openSearch: opener(searchUi, (m, q = '') => m.openSearch(ctx, q)),
    openTargets: opener(targetsUi, (m) => m.openTargets(ctx)),
    openImportExport: opener(ioUi, (m) => m.openImportExport(ctx)),
    openReminders: opener(remindersUi, (m) => m.openReminders(ctx)),
    openTeamReport: opener(teamUi, (m) => m.openTeamReport(ctx)),
  };
  const openTargetEditor = opener(targetsUi, (m, tags, onSaved) => m.openTargetEditor(ctx, tags, onSaved));
  if (root) {
    overview = mountOverview(ctx, root, {
      onSelectionChange: () => { if (timeline && timeline.redraw) timeline.redraw(); },
      openTargetEditor: (tags) => openTargetEditor(tags, () => overview.refresh()).catch(() => {}),
      openReports: () => pages.openReports().catch(() => {}),
    });
  }
  const navEl = nav || document.getElementById('menu-insight');
  const buttons = [];
  // a menu entry: the app's (addMenuItem), else a button in navEl that closes its dialog
  const addItem = (label, run, id) => {
    let b = null;
    if (addMenuItem) b = addMenuItem(label, run, { id });
    else if (navEl) {
      b = h('button', { type: 'button', id, onclick: () => {
        const dlg = navEl.closest('dialog');
        if (dlg && dlg.open) dlg.close();
        run();
      } }, label);
      navEl.append(b);
    }
    if (b) buttons.push(b);
  };
  // menu and keys: a failed load was already said in a toast; a second press while the first
  // load is still on its way does not open the page twice
  const quiet = (open) => {
    let busy = false;
    return () => {
      if (busy) return;
      busy = true;
      open().catch(() => {}).finally(() => { busy = false; });
    };
  };
  const entries = [
    ['Reports', quiet(pages.openReports), 'insight-reports'],
    ['Search', quiet(() => pages.openSearch()), 'insight-search'],
    ['Targets', quiet(pages.openTargets), 'insight-targets'],
    ['Import / export', quiet(pages.openImportExport), 'insight-io'],
    ['Reminders', quiet(pages.openReminders), 'insight-reminders'],
  ];
  for (const [label, run, id] of entries) addItem(label, run, id);
  if (registerShortcut) {
    // TimeTagger's keys for these pages, and Backspace to clear the Overview selection
    registerShortcut('r', 'Report', entries[0][1]);
    registerShortcut('f', 'Search', entries[1][1]);
    registerShortcut('Backspace', 'Clear the Overview selection', () => { if (overview) overview.clear(); });
  }
  // A manager's app gains the team report (the server says who manages which team; offline
  // or without a team the entry stays away).
  let destroyed = false;
  managedTeams().then((teams) => {
    if (destroyed || !teams.length) return;
    addItem('Team report', quiet(pages.openTeamReport), 'insight-team');
  }).catch(() => {});
  const unRange = onRangeChange ? onRangeChange(() => { if (overview) overview.refresh(); }) : null;
  const stopReminders = startReminderLoop(ctx);
  return {
    ...pages,
    selectedTags: () => (overview ? overview.selected() : []),
    excludedTags: () => (overview ? overview.excluded() : []),
    clearSelection: () => { if (overview) overview.clear(); },
    rangeChanged: () => { if (overview) overview.refresh(); },
    destroy: () => {
      destroyed = true;
      stopReminders();
      if (typeof unRange === 'function') unRange();
      if (overview) overview.destroy();
      for (const b of buttons) b.remove();
    },
  };
}

export default mountInsight;
