// account.js: the account page: who is logged in, "log out all other devices" (a web token
// reset), and the API token (show, copy, reset). Only a web token may fetch tokens.

import './theme.js';
import { getAuth, renewWebToken } from '../data/auth.js';
import { apiFetch, explainError } from '../data/api.js';

const $ = (id) => document.getElementById(id);
let apiToken = '';

function errText(err) {
  const why = explainError(err);
  return `${why.summary} ${why.advice}`.trim();
}

async function fetchApiToken(reset) {
  const auth = getAuth();
  const res = await apiFetch('apitoken' + (reset ? '?reset=1' : ''), { token: auth.token });
  apiToken = res.token;
  $('api-token').textContent = apiToken;
}

async function init() {
  const auth = getAuth();
  $('who').textContent = auth ? `Logged in as ${auth.username}.` : 'Not logged in.';
  $('login-link').hidden = !!auth;
  $('logout-link').hidden = !auth;
  $('signed-in').hidden = !auth;
  if (!auth) return;
  try { await renewWebToken(); } catch (err) {
    $('who').textContent = `Logged in as ${auth.username}, but the server refused the login: ${errText(err)}`;
    $('login-link').hidden = false;
  }
  $('reset-web').addEventListener('click', async () => {
    if (!confirm('Log out every other browser and device? They will need to log in again.')) return;
    try { await renewWebToken({ reset: true }); $('web-msg').textContent = 'Done: other devices are logged out; this one stays logged in.'; }
    catch (err) { $('web-msg').textContent = errText(err); }
  });
  $('show-api').addEventListener('click', async () => {
    try { await fetchApiToken(false); $('api-msg').textContent = ''; } catch (err) { $('api-msg').textContent = errText(err); }
  });
  $('copy-api').addEventListener('click', async () => {
    try {
      if (!apiToken) await fetchApiToken(false);
      await navigator.clipboard.writeText(apiToken);
      $('api-msg').textContent = 'Copied to the clipboard.';
    } catch (err) { $('api-msg').textContent = 'Could not copy: ' + errText(err) + ' Select the token and copy it by hand.'; }
  });
  $('reset-api').addEventListener('click', async () => {
    if (!confirm('Reset the API token? Scripts and the command-line client using the old one stop working.')) return;
    try { await fetchApiToken(true); $('api-msg').textContent = 'A new API token was made; the old one no longer works.'; }
    catch (err) { $('api-msg').textContent = errText(err); }
  });
}

init();
