// api.js: where the API lives (worked out from location.pathname, docs/timetagger-client.md §0) and one fetch
// helper that sends the `authtoken` header and turns every failure into an ApiError carrying
// the HTTP status (0 for a network failure) and the server's plain-text message.

/** The path prefix of this deployment: the part before "/app/", or the path up to its last "/". */
export function prefixFromPath(pathname) {
  const i = pathname.indexOf('/app/');
  if (i >= 0) return pathname.slice(0, i + 1);
  if (pathname.endsWith('/app')) return pathname.slice(0, -3);
  return pathname.slice(0, pathname.lastIndexOf('/') + 1);
}

/** The API base for a page path: prefix + "api/v2/". */
export function apiBase(pathname) {
  return prefixFromPath(pathname) + 'api/v2/';
}

export class ApiError extends Error {
  constructor(status, text) {
    super(status ? `${status}: ${text}` : text);
    this.status = status;
    this.text = text;
  }
  get isAuth() { return this.status === 401; }
  get isRevoked() { return this.status === 401 && /revoked/i.test(this.text); }
  get isNetwork() { return this.status === 0; }
}

/**
 * Call the API. `path` is relative to the API base ("updates?since=0"). Resolves to the parsed
 * JSON answer; rejects with ApiError. `timeoutMs` aborts a hanging request.
 */
export async function apiFetch(path, { method = 'GET', body, token, base, timeoutMs = 30000 } = {}) {
  base = base || apiBase(location.pathname);
  const headers = {};
  if (token) headers.authtoken = token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const ctrl = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = ctrl ? setTimeout(() => ctrl.abort(), timeoutMs) : null;
  let res;
  try {
    res = await fetch(base + path, { method, headers, body, cache: 'no-store', credentials: 'same-origin', signal: ctrl && ctrl.signal });
  } catch (err) {
    throw new ApiError(0, (typeof navigator !== 'undefined' && navigator.onLine === false) ? 'offline' : 'network error: ' + (err.message || err));
  } finally {
    if (timer) clearTimeout(timer);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw new ApiError(res.status, text.trim() || res.statusText);
  try { return JSON.parse(text); } catch { throw new ApiError(res.status, 'bad answer from the server: ' + text.slice(0, 200)); }
}

/** A server's answer as plain text: an HTML error page (a proxy's "502 Bad Gateway") loses
 * its markup; at most `max` characters. */
export function plainText(text, max = 300) {
  let s = String(text ?? '');
  if (/<[a-z!/]/i.test(s)) s = s.replace(/<(style|script)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
  s = s.replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

const KEPT = 'Your changes are kept on this device and sent after you log in.';

/**
 * What an error means for a person: { summary (what happened), advice (what to do), detail
 * (the status and the server's own words, for "Details") }. `during`: 'login' when the error
 * answers a login attempt (a 403 there is about the credentials).
 */
export function explainError(err, { during = '' } = {}) {
  if (!(err instanceof ApiError)) {
    return { summary: 'Something went wrong in the app.', advice: 'Reload the page; your data on this device is kept.', detail: String((err && err.message) || err) };
  }
  const s = err.status;
  const said = plainText(err.text);
  const detail = s ? `${s}: ${said}` : said;
  // the server's words without its "forbidden: " style prefix, as a sentence
  const words = said.replace(/^[a-z ]+:\s*/, '').replace(/^./, (c) => c.toUpperCase()).replace(/([^.!?])$/, '$1.');
  if (s === 0) {
    return { summary: 'Cannot reach the server.', advice: 'Check the connection. Changes are kept on this device and sent when it is back.', detail };
  }
  if (s === 401 && during === 'login') return { summary: 'The server does not offer this way of logging in.', advice: '', detail };
  if (s === 401 && /revoked/i.test(said)) {
    return { summary: 'The login of this device was revoked on the server (for example with “Log out all other devices”).', advice: `Log in again. ${KEPT}`, detail };
  }
  if (s === 401 && /expired/i.test(said)) return { summary: 'Your login has expired.', advice: `Log in again. ${KEPT}`, detail };
  if (s === 401) return { summary: 'The server did not accept your login.', advice: `Log in again. ${KEPT}`, detail };
  if (s === 403 && during === 'login') {
    return { summary: /invalid credentials|not a valid user/i.test(said) ? 'The user name or password is not right.' : words, advice: '', detail };
  }
  if (s === 429) return { summary: 'Too many attempts.', advice: 'Wait a minute, then try again.', detail };
  if (s === 413) return { summary: 'The server refused a request as too large.', advice: 'Tell whoever runs the server: its upload limit is lower than tagwatch needs (10 MiB).', detail };
  if (s >= 500) {
    return { summary: `The server had a problem (error ${s}).`, advice: 'tagwatch tries again by itself; your changes are kept on this device. If it lasts, tell whoever runs the server.', detail };
  }
  return { summary: `The server refused the request (error ${s}).`, advice: words, detail };
}
