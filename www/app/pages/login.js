// login.js: the login page. Asks the server which login methods it has enabled (GET
// login_methods); tries the silent ones among them ("webserver", "proxy": the web server or a
// trusted proxy may already know the user) and offers the username/password form (a real
// form, so password managers fill it) and the local-user login when enabled. A server without
// that list (404, or 401 before any unknown path) gets the form only, as before. On success it goes to #page=... (a path on
// this site) or to the app. Errors say what happened; the server's words are under Details.

import './theme.js';
import { login, getAuth, isLocalhost } from '../data/auth.js';
import { apiFetch, ApiError, explainError } from '../data/api.js';
import { details } from '../common/ui.js';

const $ = (id) => document.getElementById(id);
const SILENT = ['webserver', 'proxy'];

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
  const why = explainError(err, { during: 'login' });
  const msg = $('msg');
  msg.className = 'msg error';
  msg.textContent = `${why.summary} ${why.advice}`.trim();
  if (why.detail) msg.append(details(why.detail));
}

/** The login methods the server has enabled, or null when it cannot say (an older server). */
async function enabledMethods() {
  try {
    const res = await apiFetch('login_methods');
    return Array.isArray(res.methods) ? res.methods.map(String) : null;
  } catch (err) {
    // 404: a server without the list; 401: one that asks for a token before it says a path is
    // unknown (as TimeTagger's API does)
    if (err instanceof ApiError && (err.status === 404 || err.status === 401)) return null;
    throw err;
  }
}

async function init() {
  const cur = getAuth();
  if (cur) { $('already').hidden = false; $('already').textContent = `You are logged in as ${cur.username}. Log in again to switch user or renew the login.`; }
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
  let methods;
  try {
    methods = await enabledMethods();
  } catch (err) {
    fail(err);
    return;
  }
  if (!methods) {
    $('local-login').hidden = !isLocalhost(location.hostname);
    return;
  }
  $('login-form').hidden = !methods.includes('usernamepassword');
  $('local-login').hidden = !methods.includes('localhost');
  $('local-login').querySelector('.or').hidden = $('login-form').hidden;
  for (const method of SILENT.filter((m) => methods.includes(m))) {
    try { return done(await login(method)); } catch { /* not for this visitor: the others are next */ }
  }
  if (!methods.some((m) => m === 'usernamepassword' || m === 'localhost')) {
    $('msg').className = 'msg error';
    $('msg').textContent = 'This server offers no login on this page, and the web server or proxy did not log you in. Ask whoever runs it.';
  }
}

init();
