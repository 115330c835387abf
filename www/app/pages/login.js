// login.js: the login page. Tries the "webserver" and "proxy" methods silently first (the
// web server or a trusted proxy may already know the user); then offers the username/password
// form (a real form, so password managers fill it) and, when served from this machine, the
// local-user login. On success it goes to #page=... (a path on this site) or to the app.

import './theme.js';
import { login, getAuth, isLocalhost } from '../data/auth.js';
import { ApiError } from '../data/api.js';

const $ = (id) => document.getElementById(id);

function target() {
  const m = /[#&]page=([^&]*)/.exec(location.hash);
  let page = m ? decodeURIComponent(m[1]) : '';
  // only paths on this site: no "//host" or "scheme:" targets (open redirect)
  if (!page || /^[a-z][a-z0-9+.-]*:/i.test(page) || page.startsWith('//')) page = 'app/';
  return page;
}

function done(info) {
  $('msg').textContent = `Logged in as ${info.username}.`;
  location.replace(new URL(target(), location.href).href);
}

function fail(err) {
  const msg = err instanceof ApiError ? (err.status === 0 ? 'Cannot reach the server. Check your connection.' : err.text) : String(err.message || err);
  $('msg').textContent = msg;
  $('msg').className = 'msg error';
}

async function trySilently() {
  for (const method of ['webserver', 'proxy']) {
    try { return await login(method); } catch { /* not set up: the form is next */ }
  }
  return null;
}

async function init() {
  const cur = getAuth();
  if (cur) { $('already').hidden = false; $('already').textContent = `You are logged in as ${cur.username}. Log in again to switch user or renew the login.`; }
  if (isLocalhost(location.hostname)) $('local-login').hidden = false;
  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('msg').textContent = '';
    $('login-btn').disabled = true;
    try {
      done(await login('usernamepassword', { username: $('username').value.trim(), password: $('password').value }));
    } catch (err) { fail(err); } finally { $('login-btn').disabled = false; }
  });
  $('local-btn').addEventListener('click', async () => {
    $('msg').textContent = '';
    try { done(await login('localhost')); } catch (err) { fail(err); }
  });
  const info = await trySilently();
  if (info) done(info);
}

init();
