// suggest.js: what the suggestion list under a description offers, DOM-free: tags after
// "#", presets after "##", recent descriptions for a plain word, each with when it was last
// used; and how a chosen suggestion goes into the text. autocomplete.js shows them.

import { agoLabel } from './format.js';

const nowSec = () => Math.floor(Date.now() / 1000);

/**
 * Autocomplete suggestions for the word being typed at `caret` in `text`:
 * "#x" -> tags (prefix matches, then substring ones once 2+ chars); "##x" -> presets;
 * 2+ chars without "#" or space -> recent descriptions (replace the whole text).
 * Returns { kind: 'tags'|'presets'|'descriptions'|null, from, to, items: [{value, label, hint}] }.
 */
export function suggest(text, caret, { tags = [], presets = [], descriptions = [], now = nowSec() } = {}) {
  const before = text.slice(0, caret);
  const m = /(#{1,2})([^\s#]*)$/.exec(before);
  if (m) {
    const word = m[2].toLowerCase();
    const from = caret - m[0].length;
    let to = caret;
    while (to < text.length && !/\s/.test(text[to])) to++;
    if (m[1] === '##') {
      const items = presets.filter((p) => p && p.toLowerCase().includes(word)).slice(0, 30)
        .map((p) => ({ value: p, label: p, hint: 'preset' }));
      return { kind: 'presets', from, to, items };
    }
    const pre = [], sub = [];
    for (const u of tags) {
      const name = u.tag.slice(1);
      if (name.startsWith(word)) pre.push(u);
      else if (word.length >= 2 && name.includes(word)) sub.push(u);
    }
    const items = [...pre, ...sub].slice(0, 30).map((u) => ({ value: u.tag, label: u.tag, hint: u.last ? lastUsed(u.last, now) : '' }));
    return { kind: 'tags', from, to, items };
  }
  const trimmed = text.trim();
  if (trimmed.length >= 2 && !/[\s#]/.test(trimmed) && caret === text.length) {
    const w = trimmed.toLowerCase();
    const items = descriptions.filter((d) => d.ds.toLowerCase().includes(w)).slice(0, 12)
      .map((d) => ({ value: d.ds, label: d.ds, hint: lastUsed(d.last, now) }));
    return { kind: 'descriptions', from: 0, to: text.length, items };
  }
  return { kind: null, from: caret, to: caret, items: [] };
}

const lastUsed = (t, now) => 'last used ' + agoLabel(t, now);

/** Apply a suggestion: returns { text, caret }. */
export function applySuggestion(text, s, value) {
  if (s.kind === 'descriptions') return { text: value, caret: value.length };
  const ins = value + ' ';
  const out = text.slice(0, s.from) + ins + text.slice(s.to).replace(/^ /, '');
  return { text: out, caret: s.from + ins.length };
}
