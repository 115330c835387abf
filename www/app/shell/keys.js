// keys.js: the app's keyboard shortcuts (TimeTagger's keys where it has them, docs/timetagger-client.md §1.10),
// plus the ones the overview registers; ignored with Ctrl, Meta or Alt, while a dialog is open,
// and while typing in a field (Escape leaves the start field). The help lists them
// (../dialogs/help.js, KEYS): a key added here is added there too.

import { dialogOpen } from '../common/ui.js';

const $ = (id) => document.getElementById(id);
const nowSec = () => Date.now() / 1000;

/** Listen for the shortcuts of `app` (shell/app.js). */
export function wireKeys(app) {
  const newTimer = () => app.openRecord({ t1: Math.floor(nowSec()), t2: Math.floor(nowSec()), ds: '' });
  const act = {
    s: () => { const i = $('start-input'); if (!$('start-form').hidden) i.focus(); else newTimer(); },
    S: () => app.topbar.resume(),
    x: () => app.topbar.stop(),
    e: () => {
      const run = app.store.records.running();
      const last = run.length ? run[run.length - 1] : app.store.records.query(nowSec() - 30 * 86400, nowSec()).sort((p, q) => q.t2 - p.t2)[0];
      if (last) app.openRecord({ key: last.key });
    },
    a: () => app.addRecord(),
    d: () => app.goToday(),
    w: () => app.goPeriod('week'), m: () => app.goPeriod('month'), q: () => app.goPeriod('quarter'), y: () => app.goPeriod('year'),
    n: () => app.range.snapNow(), Home: () => app.range.snapNow(), End: () => app.range.snapNow(),
    ArrowUp: () => app.range.step(-1), PageUp: () => app.range.step(-1),
    ArrowDown: () => app.range.step(1), PageDown: () => app.range.step(1),
    ArrowRight: () => app.range.zoom(1), ArrowLeft: () => app.range.zoom(-1),
    l: () => app.setView(app.view === 'list' ? 'timeline' : 'list'),
    o: () => app.setView(app.view === 'overview' ? app.lastRecordsView || 'timeline' : 'overview'),
    g: () => app.openTags(),
    ',': () => app.openSettings(),
    '?': () => app.openHelp(),
    i: () => app.openGuide(),
    t: () => app.openJump(),
  };
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    if (dialogOpen()) return;
    const t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) {
      if (e.key === 'Escape' && t.id === 'start-input') t.blur();
      return;
    }
    const extra = app.shortcuts.find((s) => s.keys.includes(e.key));
    const fn = act[e.key] || (extra && extra.run);
    if (!fn) return;
    if (t && t.tagName === 'BUTTON' && (e.key === ' ' || e.key === 'Enter')) return;
    e.preventDefault();
    fn();
  });
}
