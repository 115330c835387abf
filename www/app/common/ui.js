// ui.js: small DOM helpers shared by the app's views and dialogs: element building, dialogs on
// a stack (native <dialog>: focus stays inside, Escape closes, focus returns to where it was,
// browser Back closes the top one), toasts with an action (undo), and tag-coloured text.

import { parseTagsAndParts } from './tags.js';

/** A module loaded on first use: lazy(() => import('./x.js')) gives a function that loads it
 * once and hands every caller the same promise. A failed load (offline before the service
 * worker had the file) is forgotten, so the next call tries again. */
export function lazy(load) {
  let p = null;
  return () => (p = p || load().catch((err) => { p = null; throw err; }));
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

const stack = [];

// Browser Back closes the top dialog (phones): one history entry stands for "dialogs open",
// pushed when the first opens and removed (a tick later, so a dialog that replaces another
// keeps it) when the last closes.
let armed = false;
let ownPops = 0; // history.back() calls of ours whose popstate has not come yet
function arm() {
  if (!armed) { history.pushState({ tagwatchDialogs: true }, ''); armed = true; }
}
function disarmSoon() {
  setTimeout(() => {
    if (!stack.length && armed) {
      armed = false;
      if (history.state && history.state.tagwatchDialogs) { ownPops++; history.back(); }
    }
  }, 0);
}
addEventListener('popstate', () => {
  if (ownPops > 0) { ownPops--; return; } // ours, not the user's Back
  if (!armed) return;
  armed = false;
  const top = stack[stack.length - 1];
  if (top) top.close();
  if (stack.length) arm();
});

/**
 * Open a modal dialog built by `build(close)` which returns its content element. Returns
 * { el, close }. onClose(result) runs once when it closes (Escape, backdrop click, close()).
 */
export function openDialog(build, { label = '', onClose, className = '' } = {}) {
  const returnTo = document.activeElement;
  const dlg = h('dialog', { class: className, 'aria-label': label });
  let closed = false;
  const close = (result) => {
    if (closed) return;
    closed = true;
    const i = stack.indexOf(entry);
    if (i >= 0) stack.splice(i, 1);
    if (dlg.open) dlg.close();
    dlg.remove();
    if (!stack.length) disarmSoon();
    if (returnTo && returnTo.focus && document.contains(returnTo)) returnTo.focus();
    if (onClose) onClose(result);
  };
  const entry = { dlg, close };
  dlg.append(build(close));
  dlg.addEventListener('cancel', (e) => { e.preventDefault(); close(); });
  dlg.addEventListener('mousedown', (e) => { if (e.target === dlg) close(); }); // backdrop
  document.body.append(dlg);
  stack.push(entry);
  dlg.showModal();
  arm();
  const focusable = dlg.querySelector('[autofocus]') || dlg.querySelector('input, select, textarea, button:not([data-close])');
  if (focusable) focusable.focus();
  return { el: dlg, close };
}

export function dialogOpen() { return stack.length > 0 || !!document.querySelector('dialog[open]'); }

/** Standard dialog frame: head with title and close button, body, footer. */
export function frame(title, close, body, foot) {
  return h('div', { class: 'dlg' },
    h('div', { class: 'dlg-head' }, h('h2', {}, title),
      h('button', { type: 'button', class: 'icon-btn', 'aria-label': 'Close', 'data-close': true, onclick: () => close() }, icon('M6 6l12 12M18 6L6 18'))),
    h('div', { class: 'dlg-body' }, body),
    foot ? h('div', { class: 'dlg-foot' }, foot) : null);
}

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
