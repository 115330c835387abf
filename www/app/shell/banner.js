// banner.js: the one message bar under the top bar (errors, the login prompt, a new version,
// server notices), and the address of the login page that comes back to the app.

import { h, details } from '../common/ui.js';

const $ = (id) => document.getElementById(id);

/** Show `text` with buttons (`actions`); `detail` (the server's own words) opens on demand. */
export function showBanner(text, { kind = 'error', actions = [], detail = '' } = {}) {
  const b = $('banner');
  b.textContent = '';
  b.className = 'banner' + (kind === 'info' ? ' info' : '');
  b.append(h('span', { class: 'msg' }, text), ...actions);
  if (detail) b.append(details(detail));
  b.hidden = false;
}

export function hideBanner() { $('banner').hidden = true; }

/** The login page, told to come back to this page. */
export function loginUrl() {
  return '../login#page=' + encodeURIComponent(location.pathname + location.search + location.hash);
}
