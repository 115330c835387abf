// logout.js: the logout page. Warns before it discards changes that have not reached the
// server; then forgets the token and deletes this user's local data (IndexedDB), and goes to
// #page=... when given.

import './theme.js';
import { getAuth, clearAuth } from '../data/auth.js';
import { openUserDB, deleteUserDB } from '../data/idb.js';

const $ = (id) => document.getElementById(id);

async function unsyncedCount(username) {
  try {
    const db = await openUserDB(username);
    const [r, s] = await Promise.all([db.getAll('records'), db.getAll('settings')]);
    db.close();
    return r.filter((x) => !x.st).length + s.filter((x) => !x.st).length;
  } catch { return 0; }
}

async function logout(username) {
  clearAuth();
  if (username) await deleteUserDB(username);
  try { localStorage.removeItem('tagwatch-leader:' + username); } catch { /* nothing */ }
  $('msg').textContent = username ? `${username} is logged out, and this browser's copy of the data is removed.` : 'You are logged out.';
  $('confirm').hidden = true;
  $('done').hidden = false;
  const m = /[#&]page=([^&]*)/.exec(location.hash);
  if (m) {
    const page = decodeURIComponent(m[1]);
    if (page && !/^[a-z][a-z0-9+.-]*:/i.test(page) && !page.startsWith('//')) location.replace(new URL(page, location.href).href);
  }
}

async function init() {
  const auth = getAuth();
  if (!auth) return logout('');
  const n = await unsyncedCount(auth.username);
  if (n > 0) {
    $('msg').textContent = `${n} change${n === 1 ? ' has' : 's have'} not reached the server yet. Logging out now discards ${n === 1 ? 'it' : 'them'}. Open the app while online to send ${n === 1 ? 'it' : 'them'} first.`;
    $('confirm').hidden = false;
    $('logout-anyway').addEventListener('click', () => logout(auth.username));
    return;
  }
  return logout(auth.username);
}

init();
