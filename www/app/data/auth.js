// auth.js: the web token in localStorage (TimeTagger's key and shape: the JWT payload
// {username, expires, seed} plus token), decoding it (proper base64url and UTF-8), logging in
// through bootstrap_authentication (body = base64 of UTF-8 JSON), and renewing it.

import { apiFetch } from './api.js';

export const AUTH_KEY = 'timetagger_auth_info';

/** Bytes of a base64 or base64url text, padding optional. */
export function base64ToBytes(s) {
  s = String(s).replace(/-/g, '+').replace(/_/g, '/').replace(/\s+/g, '');
  while (s.length % 4) s += '=';
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Base64 of the UTF-8 bytes of a string (our login page sends UTF-8, not Latin-1). */
export function utf8ToBase64(str) {
  const bytes = new TextEncoder().encode(str);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** The payload of a JWT, or null when it is not one. */
export function decodeJwtPayload(token) {
  try {
    const part = String(token).split('.')[1];
    const obj = JSON.parse(new TextDecoder().decode(base64ToBytes(part)));
    return obj && typeof obj === 'object' && typeof obj.username === 'string' ? obj : null;
  } catch { return null; }
}

/** The stored auth info {username, expires, seed, token}, or null. */
export function getAuth(storage = globalThis.localStorage) {
  try {
    const v = JSON.parse(storage.getItem(AUTH_KEY) || 'null');
    return v && typeof v.token === 'string' && typeof v.username === 'string' ? v : null;
  } catch { return null; }
}

/** Store a new token; returns the auth info. */
export function setToken(token, storage = globalThis.localStorage) {
  const payload = decodeJwtPayload(token);
  if (!payload) throw new Error('The server sent a token that is not a JWT');
  const info = { ...payload, token };
  storage.setItem(AUTH_KEY, JSON.stringify(info));
  return info;
}

/** Forget the token (TimeTagger stores ""). */
export function clearAuth(storage = globalThis.localStorage) {
  storage.setItem(AUTH_KEY, '');
}

/** Log in with a bootstrap method ("usernamepassword", "localhost", "proxy", "webserver"). */
export async function login(method, fields = {}, opts = {}) {
  const body = utf8ToBase64(JSON.stringify({ method, ...fields }));
  const res = await apiFetch('bootstrap_authentication', { method: 'POST', body, ...opts });
  return setToken(res.token);
}

/** Swap the stored web token for a fresh one (GET webtoken); `reset` revokes all others. */
export async function renewWebToken({ reset = false, ...opts } = {}) {
  const auth = getAuth();
  if (!auth) return null;
  const res = await apiFetch('webtoken' + (reset ? '?reset=1' : ''), { token: auth.token, ...opts });
  const cur = getAuth();
  if (cur && cur.username !== auth.username) return cur; // another tab logged in as someone else
  return setToken(res.token);
}

/** Is this page served from this machine (the localhost login button is shown only then)? */
export function isLocalhost(hostname) {
  return ['localhost', '127.0.0.1', '[::1]', '::1'].includes(hostname);
}
