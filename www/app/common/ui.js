// ui.js: small DOM helpers shared by the app's views and dialogs: element building, modules
// and stylesheets loaded on first use, toasts with an action (undo), and tag-coloured text.
// The dialogs themselves (their stack, frame and Back) are dialog.js, loaded with the first.

import { parseTagsAndParts } from './tags.js';

/** A module loaded on first use: lazy(() => import('./x.js')) gives a function that loads it
 * once and hands every caller the same promise. A failed load (offline before the service
 * worker had the file) is forgotten, so the next call tries again. */
export function lazy(load) {
  let p = null;
  return () => (p = p || load().catch((err) => { p = null; throw err; }));
}

const LATER_CSS = new URL('../later.css', import.meta.url).href;
const sheets = new Map(); // href -> promise of its <link> having loaded

/** Link a stylesheet once (default: ../later.css, the styles of what loads after the start);
 * resolves when it has loaded, so what it styles never shows unstyled. A sheet that failed
 * (offline before the service worker had it) resolves too, and is tried again next time. */
export function loadStyles(href = LATER_CSS) {
  if (!sheets.has(href)) {
    if ([...document.querySelectorAll('link[rel=stylesheet]')].some((l) => l.href === href)) return Promise.resolve(); // the page's own
    const el = h('link', { rel: 'stylesheet', href });
    sheets.set(href, new Promise((resolve) => {
      el.addEventListener('load', resolve, { once: true });
      el.addEventListener('error', () => { sheets.delete(href); el.remove(); resolve(); }, { once: true });
    }));
    document.head.append(el);
  }
  return sheets.get(href);
}

/** Create an element: h('button', {class: 'btn', onclick}, 'text', child...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

/** An inline SVG icon from a path list. */
export function icon(d) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', d);
  svg.append(p);
  return svg;
}

/** A description as a fragment with each tag's "#" in its colour. */
export function describe(ds, colorOf) {
  const frag = document.createDocumentFragment();
  const { parts } = parseTagsAndParts(ds || '');
  if (!parts.length) { frag.append(h('span', { class: 'muted' }, '(no description)')); return frag; }
  for (const p of parts) {
    if (!p.tag) { frag.append(p.text); continue; }
    const span = h('span', { class: 'tag' }, h('span', { class: 'hash' }, '#'), p.text.slice(1));
    span.style.setProperty('--tagcolor', colorOf(p.text));
    frag.append(span);
  }
  return frag;
}

/** Is a dialog open (the menu, or one of dialog.js)? The keys wait while one is. */
export function dialogOpen() { return !!document.querySelector('dialog[open]'); }

/** A "Details" disclosure holding `text` (an error's own words, shown on demand). */
export function details(text) {
  return h('details', { class: 'details' }, h('summary', {}, 'Details'), h('code', {}, text));
}

/** A toast that disappears after `ms`; `action` {label, run} adds a button (e.g. Undo). */
export function toast(text, { action, ms = 6000 } = {}) {
  const host = document.getElementById('toasts');
  const el = h('div', { class: 'toast', role: 'status' }, h('span', {}, text));
  let timer;
  const done = () => { clearTimeout(timer); el.remove(); };
  if (action) el.append(h('button', { type: 'button', onclick: () => { done(); action.run(); } }, action.label));
  host.append(el);
  timer = setTimeout(done, ms);
  return done;
}
