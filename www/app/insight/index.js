// index.js: the entry point the app calls, mountInsight(): mounts the Overview panel, adds the
// buttons for the insight pages (Reports, Search, Targets, Import / export, Reminders) to the
// app's menu area, starts the reminder loop, and returns the hooks the app uses (the tag
// selection for fading the timeline, page openers for keyboard shortcuts).

import { h } from '../ui.js';
import { makeContext } from './context.js';
import { mountOverview } from './overview.js';
import { openReports } from './reports-ui.js';
import { openSearch } from './search-ui.js';
import { openTargets, openTargetEditor } from './targets-ui.js';
import { openImportExport } from './io-ui.js';
import { openReminders, startReminders } from './reminders-ui.js';

function ensureCss() {
  const href = new URL('./insight.css', import.meta.url).href;
  if ([...document.querySelectorAll('link[rel=stylesheet]')].some((l) => l.href === href)) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  document.head.append(link);
}

/**
 * Mount insight. args (from the app's main.js): {root (Overview element), store, timeline,
 * openRecordDialog({key}), getRange() -> [t1, t2], setRange(t1, t2), onRangeChange(fn) ->
 * unsubscribe, addMenuItem(label, run, {id}), registerShortcut(key, label, run)}; without
 * addMenuItem the page buttons go into `nav` (default #menu-insight).
 */
export function mountInsight({ root, store, timeline, openRecordDialog, getRange, setRange, onRangeChange, addMenuItem, registerShortcut, nav, now } = {}) {
  ensureCss();
  const ctx = makeContext({ store, timeline, openRecordDialog, getRange, setRange, now });
  let overview = null;
  const pages = {
    openReports: () => openReports(ctx, overview ? { tags: overview.selected(), exclude: overview.excluded() } : {}),
    openSearch: (q = '') => openSearch(ctx, q),
    openTargets: () => openTargets(ctx),
    openImportExport: () => openImportExport(ctx),
    openReminders: () => openReminders(ctx),
  };
  if (root) {
    overview = mountOverview(ctx, root, {
      onSelectionChange: () => { if (timeline && timeline.redraw) timeline.redraw(); },
      openTargetEditor: (tags) => openTargetEditor(ctx, tags, () => overview.refresh()),
      openReports: pages.openReports,
    });
  }
  const navEl = nav || document.getElementById('menu-insight');
  const buttons = [];
  const entries = [
    ['Reports', pages.openReports, 'insight-reports'],
    ['Search', () => pages.openSearch(), 'insight-search'],
    ['Targets', pages.openTargets, 'insight-targets'],
    ['Import / export', pages.openImportExport, 'insight-io'],
    ['Reminders', pages.openReminders, 'insight-reminders'],
  ];
  if (addMenuItem) {
    for (const [label, run, id] of entries) { const b = addMenuItem(label, run, { id }); if (b) buttons.push(b); }
  } else if (navEl) {
    const item = (label, run, action) => {
      const b = h('button', { type: 'button', 'data-action': action, onclick: () => {
        const dlg = navEl.closest('dialog');
        if (dlg && dlg.open) dlg.close();
        run();
      } }, label);
      buttons.push(b);
      return b;
    };
    navEl.append(...entries.map(([label, run, id]) => { const b = item(label, run, id); b.id = id; return b; }));
  }
  if (registerShortcut) {
    // TimeTagger's keys for these pages, and Backspace to clear the Overview selection
    registerShortcut('r', 'Report', pages.openReports);
    registerShortcut('f', 'Search', () => pages.openSearch());
    registerShortcut('Backspace', 'Clear the Overview selection', () => { if (overview) overview.clear(); });
  }
  const unRange = onRangeChange ? onRangeChange(() => { if (overview) overview.refresh(); }) : null;
  const stopReminders = startReminders(ctx);
  return {
    ...pages,
    selectedTags: () => (overview ? overview.selected() : []),
    excludedTags: () => (overview ? overview.excluded() : []),
    clearSelection: () => { if (overview) overview.clear(); },
    rangeChanged: () => { if (overview) overview.refresh(); },
    destroy: () => {
      stopReminders();
      if (typeof unRange === 'function') unRange();
      if (overview) overview.destroy();
      for (const b of buttons) b.remove();
    },
  };
}

export default mountInsight;
