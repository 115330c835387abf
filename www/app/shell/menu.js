// menu.js: the menu (who is logged in, Tags, the overview's pages, Recently deleted, Settings,
// Guide, Keyboard shortcuts, Install, Account, Log out with a warning about unsent changes)
// (the keyboard help and the guide are ../dialogs/help.js).

import { h } from '../common/ui.js';

const $ = (id) => document.getElementById(id);

/** Wire the menu of `app` (shell/app.js). */
export function createMenu(app) {
  const menu = $('menu');
  let installPrompt = null;
  $('menu-user').textContent = `Logged in as ${app.store.username}`;
  $('menu-btn').addEventListener('click', () => { menu.showModal(); const f = menu.querySelector('.menu-items button:not([hidden]), .menu-items a'); if (f) f.focus(); });
  menu.addEventListener('click', (e) => {
    if (e.target === menu || e.target.closest('[data-close]')) menu.close();
    const act = e.target.closest('[data-action]');
    if (!act) return;
    menu.close();
    const a = act.dataset.action;
    if (a === 'tags') app.openTags();
    else if (a === 'settings') app.openSettings();
    else if (a === 'help') app.openHelp();
    else if (a === 'guide') app.openGuide();
    else if (a === 'deleted') app.openDeleted();
    else if (a === 'install' && installPrompt) { installPrompt.prompt(); installPrompt = null; act.hidden = true; }
  });
  addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault();
    installPrompt = e;
    menu.querySelector('[data-action="install"]').hidden = false;
  });
  $('logout-link').addEventListener('click', (e) => {
    const n = app.store.pendingCount();
    if (n && !confirm(`${n} change${n === 1 ? ' has' : 's have'} not reached the server yet. Logging out discards ${n === 1 ? 'it' : 'them'}. Log out anyway?`)) e.preventDefault();
    else app.store.pendingCount = () => 0; // no second warning from beforeunload
  });

  /** A menu entry (the overview's pages); returns the button. */
  function addItem(label, run, id) {
    const b = h('button', { type: 'button', id }, label);
    b.addEventListener('click', () => { menu.close(); run(); });
    $('menu-insight').append(b);
    return b;
  }

  return { addItem };
}
