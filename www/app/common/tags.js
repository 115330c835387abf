// tags.js: the tag syntax shared with TimeTagger (docs/timetagger-client.md §2), exactly, plus the
// helpers built on it: tag sets and their "tagz" keys, description normalisation,
// string cleanup, and tag rename/merge across descriptions. DOM-free.

/** True when UTF-16 code unit `cc` may appear in a tag body after the '#'. */
export function isTagCharCode(cc) {
  return (cc >= 48 && cc <= 57) || (cc >= 65 && cc <= 90) || (cc >= 97 && cc <= 122) ||
    cc === 45 || cc === 95 || cc === 47 || cc > 127;
}

/**
 * Split a description into parts: text parts and tag parts (lowercased, starting with '#').
 * Returns { tags, parts } where tags is the sorted unique tag list (["#untagged"] if none).
 * A '#' without a valid character after it is dropped, as TimeTagger does; a '#' right after
 * a tag starts a new tag ("#aa#bb" -> "#aa", "#bb").
 */
export function parseTagsAndParts(ds) {
  const s = typeof ds === 'string' ? ds : '';
  const tags = new Set();
  const parts = [];
  let tagStart = -1;
  let textStart = 0;
  for (let i = 0; i <= s.length; i++) {
    const cc = i < s.length ? s.charCodeAt(i) : 35; // a virtual '#' flushes the end
    if (tagStart < 0) {
      if (cc === 35) {
        if (i > textStart) parts.push({ text: s.slice(textStart, i), tag: false });
        tagStart = i;
      }
    } else if (!isTagCharCode(cc)) {
      if (i - tagStart > 1) {
        const tag = s.slice(tagStart, i).toLowerCase();
        tags.add(tag);
        parts.push({ text: tag, tag: true });
      }
      tagStart = -1;
      textStart = i;
      if (cc === 35) tagStart = i;
    }
  }
  const list = [...tags].sort();
  return { tags: list.length ? list : ['#untagged'], parts };
}

/** Sorted unique lowercase tags of a description; ["#untagged"] when it has none. The same
 * rule as parseTagsAndParts, without building the parts (the timeline and the overview ask
 * this of every record). */
export function parseTags(ds) {
  const s = typeof ds === 'string' ? ds : '';
  const tags = [];
  for (let i = s.indexOf('#'); i >= 0; ) {
    let j = i + 1;
    while (j < s.length && isTagCharCode(s.charCodeAt(j))) j++;
    if (j - i > 1) {
      const tag = s.slice(i, j).toLowerCase();
      if (!tags.includes(tag)) tags.push(tag);
    }
    i = s.indexOf('#', j); // a '#' right after a tag starts the next one
  }
  return tags.length ? tags.sort() : ['#untagged'];
}

/** The tags as written, in order of first appearance, without '#untagged'. */
export function tagsInOrder(ds) {
  const seen = new Set();
  for (const p of parseTagsAndParts(ds).parts) if (p.tag) seen.add(p.text);
  return [...seen];
}

/** Tags that occur more than once in a description (the record dialog warns about them). */
export function duplicateTags(ds) {
  const count = new Map();
  for (const p of parseTagsAndParts(ds).parts) if (p.tag) count.set(p.text, (count.get(p.text) || 0) + 1);
  return [...count].filter(([, n]) => n > 1).map(([t]) => t);
}

/** The key of a tag set: the sorted unique tags joined with single spaces ("tagz"). */
export function tagzKey(tags) {
  return [...new Set(tags.map((t) => t.toLowerCase()))].sort().join(' ');
}

/** Is this record soft-deleted? */
export function isHidden(ds) {
  return typeof ds === 'string' && ds.startsWith('HIDDEN');
}

/** Low-level cleanup applied on every store write: no CR, newlines/tabs to spaces, no
 * leading spaces, at most 255 code points (the server refuses 256). Unlike TimeTagger we keep
 * leading double quotes (docs/timetagger-client.md §6). */
export function cleanString(s) {
  if (typeof s !== 'string') return '';
  s = s.replace(/\r/g, '').replace(/[\n\t]/g, ' ').replace(/^ +/, '');
  const cps = Array.from(s);
  return cps.length > 255 ? cps.slice(0, 255).join('') : s;
}

/** Normalise a description as the record dialog does on blur and save: tags lowercased, glued
 * tags split with a space, stray '#' dropped, trailing whitespace removed. */
export function normalizeDescription(ds) {
  const { parts } = parseTagsAndParts(cleanString(ds));
  let out = '';
  let prevTag = false;
  for (const p of parts) {
    if (p.tag && prevTag) out += ' ';
    out += p.text;
    prevTag = p.tag;
  }
  return out.replace(/\s+$/, '');
}

/** Turn free text into a valid tag ("Client One" -> "#clientone"), or "" if fewer than
 * `minLen` characters remain (import and presets require 2). */
export function toValidTag(text, minLen = 2) {
  let t = '';
  for (const ch of String(text).replace(/^#+/, '')) if (isTagCharCode(ch.charCodeAt(0))) t += ch;
  t = t.toLowerCase();
  return t.length >= minLen ? '#' + t : '';
}

/** Parse a preset line or a rename target: keep its tags in order, lowercased, deduplicated;
 * plain words get a '#'. Returns an array of tags. */
export function tagsFromLine(line) {
  const out = [];
  for (const word of String(line).split(/\s+/)) {
    if (!word) continue;
    const parsed = word.includes('#') ? tagsInOrder(word) : [toValidTag(word, 1)].filter(Boolean);
    for (const t of parsed) if (!out.includes(t)) out.push(t);
  }
  return out;
}

/** Does this description's tag set contain every tag of `tags`? */
export function hasAllTags(ds, tags) {
  const set = new Set(parseTags(ds));
  return tags.every((t) => set.has(t));
}

/**
 * Rename (or merge, or remove) tags in one description, TimeTagger's way: the first occurrence
 * of any old or new tag is replaced by the new tags (joined by spaces), other occurrences are
 * dropped; an empty `newTags` removes the old tags. The caller selects records that have all
 * `oldTags`. A "HIDDEN " prefix is kept as it is.
 */
export function renameTagsInDescription(ds, oldTags, newTags) {
  const hidden = isHidden(ds);
  const body = hidden ? ds.slice(6) : ds || '';
  const touched = new Set([...oldTags, ...newTags]);
  const { parts } = parseTagsAndParts(body);
  const out = [];
  let replaced = false;
  for (const p of parts) {
    if (p.tag && touched.has(p.text)) {
      if (!replaced && newTags.length) out.push({ text: newTags.join(' '), tag: true });
      replaced = true;
    } else {
      out.push(p);
    }
  }
  let s = '';
  let prevTag = false;
  for (const p of out) {
    if (p.tag && prevTag) s += ' ';
    s += p.text;
    prevTag = p.tag;
  }
  s = s.replace(/ {2,}/g, ' ').trim();
  return hidden ? 'HIDDEN ' + s : s;
}

/** Remove the HIDDEN marker, for restoring a soft-deleted record. */
export function unhideDescription(ds) {
  return isHidden(ds) ? ds.slice(6).replace(/^ /, '') : ds;
}

/** Soft-delete marker: idempotent. */
export function hideDescription(ds) {
  return isHidden(ds) ? ds : ('HIDDEN ' + (ds || '')).trimEnd();
}
