// account.js: the account page: who is logged in, "log out all other devices" (a web token
// reset), the API token (show, copy, reset), the user's share links (copy, revoke), and who
// can see which of the user's time (the teams). Only a web token may do these.

import './theme.js';
import { getAuth, renewWebToken } from '../data/auth.js';
import { apiFetch, explainError } from '../data/api.js';

const $ = (id) => document.getElementById(id);
const PERIODS = { thisweek: 'this week', lastweek: 'last week', thismonth: 'this month', lastmonth: 'last month', thisyear: 'this year', lastyear: 'last year' };

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  e.append(...children.filter((c) => c != null));
  return e;
}
const day = (t) => new Date(t * 1000).toLocaleDateString();
const shareUrl = (token) => location.origin + location.pathname.replace(/account$/, '') + 'share#' + token;
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

function shareLine(s) {
  const period = s.period ? PERIODS[s.period] || s.period
    : (() => { const [a, b] = s.timerange.split('-').map(Number); return `${day(a)} – ${day(b)}`; })();
  const now = Date.now() / 1000;
  const state = s.expires == null ? 'no expiry' : s.expires <= now ? `expired ${day(s.expires)}` : `expires ${day(s.expires)}`;
  return `${s.tags.length ? s.tags.join(' ') : 'all tags'} · ${period}${s.amounts ? ' · with amounts' : ''} · ${state}`;
}

async function loadShares() {
  const auth = getAuth();
  const list = $('shares');
  try {
    const { shares } = await apiFetch('shares', { token: auth.token });
    list.replaceChildren(...shares.map((s) => {
      const msg = el('span', { class: 'msg', role: 'status' });
      return el('li', { class: 'share-item', 'data-id': s.id },
        el('strong', {}, s.title), el('br'), el('span', { class: 'hint' }, shareLine(s)), el('br'),
        el('button', { type: 'button', class: 'btn', onclick: async () => {
          try { await navigator.clipboard.writeText(shareUrl(s.token)); msg.textContent = 'Copied.'; }
          catch { msg.textContent = shareUrl(s.token); }
        } }, 'Copy link'), ' ',
        el('a', { class: 'btn', href: shareUrl(s.token), target: '_blank', rel: 'noopener noreferrer' }, 'Open'), ' ',
        el('button', { type: 'button', class: 'btn danger', onclick: async () => {
          if (!confirm(`Revoke the link "${s.title}"? Whoever has it can no longer open it.`)) return;
          try { await apiFetch('shares?id=' + encodeURIComponent(s.id), { method: 'DELETE', token: auth.token }); await loadShares(); $('shares-msg').textContent = `Revoked "${s.title}".`; }
          catch (err) { msg.textContent = errText(err); }
        } }, 'Revoke'), ' ', msg);
    }));
    if (!shares.length) list.replaceChildren(el('li', { class: 'hint' }, 'No share links.'));
  } catch (err) { $('shares-msg').textContent = errText(err); }
}

async function loadTeams() {
  const auth = getAuth();
  try {
    const { teams } = await apiFetch('teams', { token: auth.token });
    const items = [];
    for (const t of teams) {
      const what = t.tags.length ? `your records with ${t.tags.join(' or ')}` : 'all your records';
      if (t.role === 'member' || t.members.includes(auth.username)) {
        items.push(el('li', {}, `Team ${t.name}: ${t.managers.join(', ')} (manager${t.managers.length > 1 ? 's' : ''}) can see ${what}.`));
      }
      if (t.role === 'manager') {
        items.push(el('li', {}, `Team ${t.name}: you manage it and see the time of ${t.members.join(', ')}${t.tags.length ? ' with ' + t.tags.join(' or ') : ''} (Team report in the app's menu).`));
      }
    }
    $('teams').replaceChildren(...items);
    $('teams-msg').textContent = teams.length ? '' : 'Nobody else can see your time: you are in no team. Teams are made by the administrator.';
  } catch (err) { $('teams-msg').textContent = errText(err); }
}

init().then(() => { if (getAuth()) { loadShares(); loadTeams(); } });
