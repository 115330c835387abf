// autocomplete.js: the suggestion list under a description input (tags after "#", presets
// after "##", recent descriptions for a plain word), as an ARIA combobox: ↑/↓ move, Enter or
// Tab accept, Escape closes. The suggestions themselves come from suggest.js.

import { suggest, applySuggestion } from './suggest.js';
import { h, loadStyles } from './ui.js';

let nextId = 1;

/**
 * Attach to `input` (inside a position:relative wrapper). getContext() -> {tags, presets,
 * descriptions, now}. Returns { isOpen(), close(), openWith(kind), destroy() }.
 */
export function attachAutocomplete(input, getContext, { onAccept } = {}) {
  const id = input.id ? input.id + '-list' : 'ac-' + nextId++;
  loadStyles(); // the list's look (../later.css), there long before a first suggestion shows
  const list = h('ul', { class: 'ac-list', role: 'listbox', id, hidden: true });
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', id);
  input.setAttribute('aria-expanded', 'false');
  input.parentElement.append(list);
  let state = null, sel = 0, composing = false;

  function render() {
    list.textContent = '';
    if (!state || !state.items.length) { close(); return; }
    state.items.forEach((it, i) => {
      const li = h('li', { role: 'option', id: `${id}-${i}`, 'aria-selected': i === sel ? 'true' : 'false' },
        h('span', {}, it.label), it.hint ? h('span', { class: 'h' }, it.hint) : null);
      li.addEventListener('mousedown', (e) => { e.preventDefault(); accept(i); });
      list.append(li);
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    input.setAttribute('aria-activedescendant', `${id}-${sel}`);
    const cur = list.children[sel];
    if (cur && cur.scrollIntoView) cur.scrollIntoView({ block: 'nearest' });
  }

  function update() {
    state = suggest(input.value, input.selectionStart ?? input.value.length, getContext());
    sel = 0;
    render();
  }

  function accept(i) {
    const it = state && state.items[i];
    if (!it) return;
    const { text, caret } = applySuggestion(input.value, state, it.value);
    input.value = text;
    input.setSelectionRange(caret, caret);
    close();
    input.dispatchEvent(new Event('input', { bubbles: true }));
    if (onAccept) onAccept(it);
  }

  function close() {
    state = null;
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  const onInput = () => { if (!composing) update(); };
  const onKey = (e) => {
    if (composing || e.isComposing) return;
    const open = !list.hidden && state && state.items.length;
    if (!open) return;
    if (e.key === 'ArrowDown') { sel = (sel + 1) % state.items.length; render(); e.preventDefault(); }
    else if (e.key === 'ArrowUp') { sel = (sel - 1 + state.items.length) % state.items.length; render(); e.preventDefault(); }
    else if (e.key === 'Enter' || e.key === 'Tab') { accept(sel); e.preventDefault(); e.stopPropagation(); }
    else if (e.key === 'Escape') { close(); e.preventDefault(); e.stopPropagation(); }
  };
  const onBlur = () => setTimeout(close, 150);
  input.addEventListener('input', onInput);
  input.addEventListener('keydown', onKey);
  input.addEventListener('blur', onBlur);
  input.addEventListener('compositionstart', () => { composing = true; });
  input.addEventListener('compositionend', () => { composing = false; update(); });

  return {
    isOpen: () => !list.hidden,
    close,
    /** Open a list without typing: 'tags' | 'presets' | 'descriptions'. */
    openWith(kind) {
      const ctx = getContext();
      const items = kind === 'presets' ? ctx.presets.filter(Boolean).map((p) => ({ value: p, label: p, hint: 'preset' }))
        : kind === 'descriptions' ? ctx.descriptions.slice(0, 12).map((d) => ({ value: d.ds, label: d.ds, hint: '' }))
        : ctx.tags.slice(0, 40).map((u) => ({ value: u.tag, label: u.tag, hint: '' }));
      const caret = input.value.length;
      state = kind === 'descriptions' ? { kind, from: 0, to: caret, items } : { kind, from: caret, to: caret, items };
      if (kind !== 'descriptions' && input.value && !input.value.endsWith(' ')) { input.value += ' '; state.from = state.to = input.value.length; }
      sel = 0;
      input.focus();
      render();
    },
    destroy() { list.remove(); input.removeEventListener('input', onInput); input.removeEventListener('keydown', onKey); input.removeEventListener('blur', onBlur); },
  };
}
