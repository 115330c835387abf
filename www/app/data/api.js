// api.js: where the API lives (worked out from location.pathname, reference §0) and one fetch
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
