// notify.js: system notifications for every part of the app: whether they may be shown,
// asking once, showing one through the service worker (which alone can give it buttons such
// as Stop; ../sw.js relays a press back to the page) or the plain Notification API, and
// closing those of a tag. The page hears pressed buttons through onNotificationAction().

/** 'granted' | 'denied' | 'default' | 'unsupported' */
export function permission() {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Ask for permission if not asked yet; resolves to the permission. */
export async function askPermission() {
  if (permission() === 'default') {
    try { await Notification.requestPermission(); } catch { /* the answer stays 'default' */ }
  }
  return permission();
}

async function registration() {
  if (typeof navigator === 'undefined' || !navigator.serviceWorker) return null;
  try { return (await navigator.serviceWorker.getRegistration()) || null; } catch { return null; }
}

/**
 * Show a notification when allowed: { body, tag, actions: [{action, title}], requireInteraction,
 * silent }. Buttons need the service worker; without it they are left out. Resolves to
 * true when shown.
 */
export async function showNotification(title, opts = {}) {
  if (permission() !== 'granted') return false;
  try {
    const reg = await registration();
    if (reg && reg.showNotification) {
      await reg.showNotification(title, { ...opts, data: { ...(opts.data || {}), app: 'tagwatch' } });
      return true;
    }
    const plain = { ...opts };
    delete plain.actions; // only a service worker's notification has buttons
    new Notification(title, plain);
    return true;
  } catch (err) {
    console.warn('notification', err);
    return false;
  }
}

/** Close the shown notifications with this tag (those the service worker shows). */
export async function closeNotifications(tag) {
  const reg = await registration();
  if (!reg || !reg.getNotifications) return;
  try { for (const n of await reg.getNotifications({ tag })) n.close(); } catch { /* none */ }
}

const handlers = new Map();
let listening = false;

/** Run fn(tag) when a notification's button `action` is pressed ('stop', 'break', 'work').
 * A press while no tab was open opens the app with #notification=<action>; call
 * takeNotificationHash() once the app can act (later changes of the address are heard). */
export function onNotificationAction(action, fn) {
  handlers.set(action, fn);
  if (listening || typeof navigator === 'undefined' || !navigator.serviceWorker) return;
  listening = true;
  addEventListener('hashchange', takeNotificationHash);
  navigator.serviceWorker.addEventListener('message', (e) => {
    const d = e.data || {};
    if (d.type !== 'notification-action') return;
    const h = handlers.get(d.action);
    if (h) h(d.tag || '');
  });
}

/** The action of a #notification=<action> address (the service worker opened the app for a
 * press), run once and removed from the address. */
export function takeNotificationHash() {
  const m = /(?:^#|&)notification=([a-z]+)/.exec(location.hash);
  if (!m) return;
  history.replaceState(history.state, '', location.pathname + location.search);
  const h = handlers.get(m[1]);
  if (h) h('');
}
