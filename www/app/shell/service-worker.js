// service-worker.js: the page's side of the service worker (../sw.js): registers it, checks
// for a new version every 4 hours, tells it which files the page loaded (so every module is
// there offline), and offers a reload when it reports changed files.

import { h } from '../common/ui.js';
import { showBanner, hideBanner } from './banner.js';

function showUpdateNotice() {
  showBanner('A new version of tagwatch is available.', { kind: 'info', actions: [
    h('button', { type: 'button', class: 'btn primary', onclick: () => location.reload() }, 'Reload'),
    h('button', { type: 'button', class: 'btn', onclick: hideBanner }, 'Later')] });
}

/** Listen from the start: the service worker reports changed files while the app starts. */
export function listenForUpdates() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', (e) => {
    if (e.data && e.data.type === 'update-available') showUpdateNotice();
  });
  navigator.serviceWorker.startMessages();
  navigator.serviceWorker.ready.then((reg) => { if (reg.active) reg.active.postMessage({ type: 'hello' }); }).catch(() => {});
}

/** Register the worker once the app runs (offline shell, update checks). */
export function registerServiceWorker() {
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
