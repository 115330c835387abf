// search.js: TimeTagger's search query language and the matching of records.
// `#tag` must be present, `!#tag` (or `! #tag`) must not, a plain `word` must occur in the
// lowercased description, `!word` must not; all terms are ANDed. Results newest first,
// hidden records never. DOM-free.

import { parseTags, isHidden, toValidTag, renameTagsInDescription, hideDescription } from '../common/tags.js';

/** Parse a query into {tags, notTags, words, notWords}; tags lowercased, words lowercased. */
export function parseQuery(query) {
  const q = { tags: [], notTags: [], words: [], notWords: [] };
  const terms = String(query || '').trim().split(/\s+/).filter(Boolean);
  let negateNext = false;
  for (let term of terms) {
    let neg = negateNext;
    negateNext = false;
    while (term.startsWith('!')) { neg = true; term = term.slice(1); }
    if (!term) { negateNext = true; continue; } // a lone "!" negates the next term
    term = term.toLowerCase();
    if (term.startsWith('#')) {
      const tag = term === '#untagged' ? term : toValidTag(term, 1);
      if (!tag) continue;
      const list = neg ? q.notTags : q.tags;
      if (!list.includes(tag)) list.push(tag);
    } else {
      const list = neg ? q.notWords : q.words;
      if (!list.includes(term)) list.push(term);
    }
  }
  return q;
}

/** The parsed rules as short lines, as TimeTagger's dialog lists them. */
export function describeQuery(q) {
  const out = [];
  for (const t of q.tags) out.push(`has tag ${t}`);
  for (const t of q.notTags) out.push(`does not have tag ${t}`);
  for (const w of q.words) out.push(`description contains "${w}"`);
  for (const w of q.notWords) out.push(`description does not contain "${w}"`);
  return out;
}

/** Is the query empty (nothing to search for)? */
export function isEmptyQuery(q) {
  return !q.tags.length && !q.notTags.length && !q.words.length && !q.notWords.length;
}

/** Does one record match a parsed query? */
export function matchRecord(r, q) {
  if (!r || isHidden(r.ds)) return false;
  if (q.tags.length || q.notTags.length) {
    const tags = parseTags(r.ds);
    for (const t of q.tags) if (!tags.includes(t)) return false;
    for (const t of q.notTags) if (tags.includes(t)) return false;
  }
  if (q.words.length || q.notWords.length) {
    const ds = (r.ds || '').toLowerCase();
    for (const w of q.words) if (!ds.includes(w)) return false;
    for (const w of q.notWords) if (ds.includes(w)) return false;
  }
  return true;
}

/** Search records: matches of a query string or parsed query, newest (by start) first.
 * An empty query finds nothing, as upstream. */
export function search(records, query) {
  const q = typeof query === 'string' ? parseQuery(query) : query;
  if (isEmptyQuery(q)) return [];
  const out = [];
  for (const r of records) if (matchRecord(r, q)) out.push(r);
  out.sort((a, b) => b.t1 - a.t1 || b.t2 - a.t2 || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out;
}

// ---- bulk actions on results (return the changed records; the caller puts them) ---------

/** Add a tag to each record that lacks it (appended at the end of the description). */
export function bulkAddTag(records, tag) {
  const t = toValidTag(tag, 1);
  if (!t) return [];
  const out = [];
  for (const r of records) {
    if (parseTags(r.ds).includes(t)) continue;
    const ds = ((r.ds || '').replace(/\s+$/, '') + ' ' + t).trim();
    out.push({ ...r, ds });
  }
  return out;
}

/** Remove a tag from each record that has it. */
export function bulkRemoveTag(records, tag) {
  const t = toValidTag(tag, 1);
  if (!t) return [];
  const out = [];
  for (const r of records) {
    if (!parseTags(r.ds).includes(t)) continue;
    out.push({ ...r, ds: renameTagsInDescription(r.ds || '', [t], []) });
  }
  return out;
}

/** Soft-delete each record (the HIDDEN convention); a running one is stopped one second
 * after its start, as TimeTagger does, so no hidden timer keeps running. */
export function bulkDelete(records) {
  return records.filter((r) => !isHidden(r.ds)).map((r) => ({
    ...r, ds: hideDescription(r.ds || ''), t2: r.t1 === r.t2 ? r.t1 + 1 : r.t2,
  }));
}
