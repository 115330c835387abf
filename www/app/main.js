// main.js: the app's entry: checks that the browser can run it and that someone is logged in,
// opens that user's store and starts the App (shell/app.js). The folders show the parts:
//   shell/     the frame: top bar, range bar, list view, menu, keys, service worker, banner,
//              the notice of changes another device replaced
//   timeline/  the timeline view: gestures, painting, accessibility, its calendar maths
//   data/      the data path: store (core in memory, idb on disk), sync, merge, conflicts,
//              batch, api, auth, and the actions on records (edits.js: the dialogs' ones)
//   dialogs/   record, tags, settings, help, jump-to, recently-deleted and sync dialogs (loaded on
//              first use)
//   insight/   the overview panel and its pages (reports, search, targets, import, reminders)
//   pages/     the plain pages: login, account, logout, and their look (pages.css)
//   common/    shared text and time helpers (calendar, tags, formats, time input, the tags'
//              own colours) and DOM helpers (ui.js; dialog.js, the dialogs' stack)

import { getAuth } from './data/auth.js';
import { openStore } from './data/store.js';
import { showBanner, loginUrl } from './shell/banner.js';
import { applyDeviceSettings } from './shell/device.js';
import { listenForUpdates } from './shell/service-worker.js';

performance.mark('tagwatch-main'); // the moments of the start, for make bench
// The rest of the app loads while IndexedDB is read (index.html preloads its modules).
const shell = import('./shell/app.js');
shell.catch(() => {}); // reported by main() when it is awaited

function supported() {
  return !!(window.indexedDB && window.crypto && crypto.getRandomValues && window.localStorage && window.TextEncoder && window.HTMLDialogElement);
}

listenForUpdates();

async function main() {
  applyDeviceSettings();
  if (!supported()) {
    showBanner('This browser lacks what tagwatch needs (IndexedDB, <dialog>, Web Crypto). Please use a current browser.');
    return;
  }
  const auth = getAuth();
  if (!auth) {
    // nothing here works without a login: to the login page, which comes back here
    location.replace(loginUrl());
    return;
  }
  const [store, { App }] = await Promise.all([openStore(auth.username).then((s) => { performance.mark('tagwatch-store'); return s; }), shell]);
  window.tagwatch = { store }; // for the browser tests and the console
  const app = new App(store);
  window.tagwatch.app = app;
  await app.start();
}

main().catch((err) => {
  console.error(err);
  showBanner('tagwatch could not start: ' + (err && err.message || err));
});
