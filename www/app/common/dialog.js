// dialog.js: modal dialogs on a stack (native <dialog>: focus stays inside, Escape closes,
// focus returns to where it was, browser Back closes the top one) and their standard frame.
// Imported by the modules that open dialogs, which load on first use, so not at start.

import { h, icon } from './ui.js';

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

/** Standard dialog frame: head with title and close button, body, footer. */
export function frame(title, close, body, foot) {
  return h('div', { class: 'dlg' },
    h('div', { class: 'dlg-head' }, h('h2', {}, title),
      h('button', { type: 'button', class: 'icon-btn', 'aria-label': 'Close', 'data-close': true, onclick: () => close() }, icon('M6 6l12 12M18 6L6 18'))),
    h('div', { class: 'dlg-body' }, body),
    foot ? h('div', { class: 'dlg-foot' }, foot) : null);
}
