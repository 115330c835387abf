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
 * Mount insight. args: {root (Overview element), store, timeline, openRecordDialog({key}),
 * getRange() -> [t1, t2], nav (element for page buttons; default #menu-insight), now}.
 */
export function mountInsight({ root, store, timeline, openRecordDialog, getRange, nav, now } = {}) {
  ensureCss();
  const ctx = makeContext({ store, timeline, openRecordDialog, getRange, now });
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
  if (navEl) {
    const item = (label, run, action) => {
      const b = h('button', { type: 'button', 'data-action': action, onclick: () => {
        const dlg = navEl.closest('dialog');
        if (dlg && dlg.open) dlg.close();
        run();
      } }, label);
      buttons.push(b);
      return b;
    };
    navEl.append(
      item('Reports', pages.openReports, 'insight-reports'),
      item('Search', () => pages.openSearch(), 'insight-search'),
      item('Targets', pages.openTargets, 'insight-targets'),
      item('Import / export', pages.openImportExport, 'insight-io'),
      item('Reminders', pages.openReminders, 'insight-reminders'));
  }
  const stopReminders = startReminders(ctx);
  return {
    ...pages,
    selectedTags: () => (overview ? overview.selected() : []),
    excludedTags: () => (overview ? overview.excluded() : []),
    clearSelection: () => { if (overview) overview.clear(); },
    rangeChanged: () => { if (overview) overview.refresh(); },
    destroy: () => {
      stopReminders();
      if (overview) overview.destroy();
      for (const b of buttons) b.remove();
    },
  };
}

export default mountInsight;
