// sw.js: the service worker of the app (scope app/): keeps the app shell in a cache so the app
// opens offline, serves it from there at once, and revalidates every cached file in the
// background a few seconds after each page load (not while the page starts: that competed
// with its start); when a file changed on the server, the new copy is cached and open pages
// are told so they can offer a reload. No version number to bump by hand: the content is the
// version.
// The API is never cached (the app keeps its data in IndexedDB).

const CACHE = 'tagwatch-shell-v2'; // v2: the files moved into folders
const SHELL = [
  './', 'app.css', 'later.css', 'main.js', 'manifest.json',
  'shell/app.js', 'shell/banner.js', 'shell/device.js', 'shell/service-worker.js', 'shell/topbar.js',
  'shell/rangebar.js', 'shell/list.js', 'shell/menu.js', 'shell/keys.js', 'shell/conflicts.js',
  'shell/timer-notify.js', 'shell/pomodoro.js',
  'data/store.js', 'data/core.js', 'data/idb.js', 'data/sync.js', 'data/api.js', 'data/auth.js', 'data/batch.js',
  'data/merge.js', 'data/actions.js', 'data/edits.js', 'data/conflicts.js',
  'common/tags.js', 'common/calendar.js', 'common/format.js', 'common/timeparse.js', 'common/ui.js', 'common/autocomplete.js', 'common/suggest.js',
  'common/palette.js', 'common/notify.js', 'common/pomodoro.js',
  'dialogs/record.js', 'dialogs/tags.js', 'dialogs/settings.js', 'dialogs/help.js', 'dialogs/jump.js',
  'dialogs/deleted.js', 'dialogs/sync.js', 'common/dialog.js',
  'icons/icon.svg', 'icons/icon-running.svg', 'icons/icon-192.png', 'icons/icon-512.png',
];
// the timeline and the overview (other parts of the client, loaded at start): cached when they
// exist; anything else the app loads is cached when the page reports it (see "cache-urls")
const OPTIONAL = [
  'timeline/index.js', 'timeline/gestures.js', 'timeline/painter.js', 'timeline/draw.js', 'timeline/accessible.js',
  'timeline/calendar.js', 'timeline/format.js', 'timeline/geometry.js', 'timeline/periods.js', 'timeline/timeline.css',
  'insight/index.js', 'insight/context.js', 'insight/overview.js', 'insight/stats.js', 'insight/combos.js',
  'insight/targets.js', 'insight/teams.js', 'insight/insight.css',
];
// the insight pages (Reports, Search, Targets, Import / export, Reminders): the app loads them
// with import() only when one first opens, so the page never reports them; fetched here at
// install, after the shell, so each opens offline even if it was never opened online
const PAGES = [
  'insight/pages.css', 'insight/report.js', 'insight/reports-ui.js', 'insight/csv.js', 'insight/chart.js', 'insight/chart-data.js', 'insight/files.js', 'insight/search-ui.js',
  'insight/search.js', 'insight/targets-ui.js', 'insight/io-ui.js', 'insight/reminders-ui.js',
  'insight/reminders.js', 'insight/share-ui.js', 'insight/team-ui.js', 'insight/fixed-report.js', 'insight/import/index.js', 'insight/import/common.js',
  'insight/import/timetagger.js', 'insight/import/trackers.js', 'insight/import/jsonformats.js',
];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL);
    await Promise.all(OPTIONAL.map((u) => cache.add(u).catch(() => {})));
    await Promise.all(PAGES.map((u) => cache.add(u).catch(() => {})));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith('tagwatch-') && name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

// A page may not listen yet when a change is found (it is still starting): it says "hello"
// when it does, and hears about an update found since the last navigation.
let updateFound = false;
let notifyTimer = null;
function notifyUpdate() {
  updateFound = true;
  clearTimeout(notifyTimer);
  notifyTimer = setTimeout(async () => {
    for (const c of await self.clients.matchAll({ type: 'window' })) c.postMessage({ type: 'update-available' });
  }, 500);
}
self.addEventListener('message', (event) => {
  const msg = event.data || {};
  if (msg.type === 'hello' && updateFound && event.source) event.source.postMessage({ type: 'update-available' });
  // files the page loaded before this worker controlled it (the first visit): keep them too,
  // so every module (timeline, overview) is there offline
  if (msg.type === 'cache-urls' && Array.isArray(msg.urls)) {
    event.waitUntil((async () => {
      const cache = await caches.open(CACHE);
      const scope = self.registration.scope;
      for (const u of msg.urls) {
        if (typeof u !== 'string' || !u.startsWith(scope) || u.includes('/api/')) continue;
        if (!(await cache.match(u))) await cache.add(u).catch(() => {});
      }
    })());
  }
});

// A notification's button (Stop, Start break, ...): the page that can act hears it (the
// focused one, or any), and comes to the front; with no page open, the app opens to do it
// (#notification=<action>, see common/notify.js).
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const action = event.action || 'open';
  const tag = event.notification.tag;
  const done = (async () => {
    const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const page = pages.find((c) => c.focused) || pages[0];
    if (!page) {
      await self.clients.openWindow(action === 'open' ? './' : './#notification=' + action);
      return;
    }
    if (action !== 'open') page.postMessage({ type: 'notification-action', action, tag });
    if (page.focus) await page.focus().catch(() => {});
  })();
  event.waitUntil(done);
});

async function revalidate(request, cached) {
  try {
    const fresh = await fetch(request, { cache: 'no-cache' });
    if (!fresh.ok || fresh.type !== 'basic') return fresh;
    const cache = await caches.open(CACHE);
    if (cached) {
      const [a, b] = await Promise.all([cached.clone().text(), fresh.clone().text()]);
      if (a === b) return fresh;
      await cache.put(request, fresh.clone());
      notifyUpdate();
    } else {
      await cache.put(request, fresh.clone());
    }
    return fresh;
  } catch (err) {
    if (cached) return cached;
    throw err;
  }
}

// One pass over every cached file, REVALIDATE_MS after a page load (several loads: one pass).
const REVALIDATE_MS = 3000;
let pass = null;
function revalidateAllSoon() {
  if (!pass) {
    pass = (async () => {
      await new Promise((r) => setTimeout(r, REVALIDATE_MS));
      const cache = await caches.open(CACHE);
      for (const req of await cache.keys()) {
        const cached = await cache.match(req);
        await revalidate(req, cached).catch(() => {});
      }
    })().finally(() => { pass = null; });
  }
  return pass;
}

// The cache, opened once per start of this worker rather than once per request: a reload
// asks for some fifty files at once.
let opened = null;
const shellCache = () => (opened = opened || caches.open(CACHE));

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.includes('/api/')) return;
  const scope = new URL(self.registration.scope).pathname;
  if (!url.pathname.startsWith(scope)) return; // login, account: always from the network
  event.respondWith((async () => {
    const key = req.mode === 'navigate' ? new Request(scope) : req;
    if (req.mode === 'navigate') updateFound = false; // this page gets what is cached now
    const cached = await (await shellCache()).match(key, { ignoreSearch: req.mode === 'navigate' });
    if (req.mode === 'navigate') event.waitUntil(revalidateAllSoon());
    if (cached) return cached;
    return revalidate(key, null); // not cached yet: from the server, and kept
  })());
});
