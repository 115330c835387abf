// sync.js: the sync dialog, opened from the sync indicator: the state in words, the changes
// not yet on the server, what went wrong (the server's own words under Details), which open
// tab syncs; Sync now, and Log in again when the login is gone.

import { h, details } from '../common/ui.js';
import { openDialog, frame } from '../common/dialog.js';

/** Open it: `store` (its status), `text` (the state as the indicator says it), `loginUrl`, `syncNow()`. */
export function openSyncDialog({ store, text, loginUrl, syncNow }) {
  const { state, message, detail, pending } = store.status;
  const lines = [h('p', {}, text)];
  if (pending) lines.push(h('p', {}, `${pending} local change${pending === 1 ? '' : 's'} not yet confirmed by the server.`));
  if (message) lines.push(h('p', { class: state === 'error' || state === 'auth' ? 'error' : 'hint', id: 'sync-message' }, message));
  if (detail) lines.push(details(detail));
  lines.push(h('p', { class: 'hint' }, `Logged in as ${store.username}. ${store.isLeader ? 'This tab syncs for all open tabs.' : 'Another open tab syncs for this one.'}`));
  const foot = [];
  if (state === 'auth') foot.push(h('a', { class: 'btn primary', href: loginUrl }, 'Log in again'));
  foot.push(h('button', { type: 'button', class: 'btn', onclick: () => { syncNow(); d.close(); } }, 'Sync now'));
  foot.push(h('button', { type: 'button', class: 'btn', onclick: () => d.close() }, 'Close'));
  const d = openDialog((close) => frame('Sync', close, lines, foot), { label: 'Sync status' });
  return d;
}
