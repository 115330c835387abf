// context.js: what every insight view needs from the app, in one object: the store, settings
// (synced and local) with their defaults, tag colours and taginfo, the clock, downloads and
// the clipboard. Built once by index.js from what mountInsight receives.

import { tagInfo, colorForTags } from '../data/actions.js';
import { UNTAGGED_COLOR } from '../common/palette.js';

const nowSec = () => Math.floor(Date.now() / 1000);

export function makeContext({ store, timeline, openRecordDialog, getRange, setRange, now = nowSec }) {
  const getSetting = (k, d) => store.settings.get(k, d);
  const ctx = {
    store, timeline, now: () => Math.floor(now()),
    getRange: () => {
      const r = getRange ? getRange() : (timeline && timeline.getRange ? timeline.getRange() : null);
      if (Array.isArray(r)) return [Math.floor(r[0]), Math.ceil(r[1])];
      if (r && typeof r === 'object' && 't1' in r) return [Math.floor(r.t1), Math.ceil(r.t2)];
      const t = now();
      return [t - (t % 86400), t - (t % 86400) + 86400];
    },
    openRecord: (key) => { if (openRecordDialog) openRecordDialog({ key }); },
    setting: getSetting,
    firstDay: () => Number(getSetting('first_day_of_week', 1)) || 0,
    workdays: () => Number(getSetting('workdays', 0)) || 0,
    dateRepr: () => getSetting('date_repr', 'dd-mm-yyyy'),
    durationRepr: () => getSetting('duration_repr', 'hms'),
    local: (k, d) => (store.local ? store.local.get(k, d) : d),
    setLocal: (k, v) => { if (store.local) store.local.set(k, v); },
    tagInfo: (tagz) => tagInfo(getSetting, tagz),
    colorOf: (tag) => (tag === '#untagged' || tag === 'General' ? UNTAGGED_COLOR : colorForTags(getSetting, [tag])),
    colorForTags: (tags) => colorForTags(getSetting, tags),
    /** Every record, hidden ones too when asked (exports, import analysis). */
    allRecords: (hidden = false) => store.records.all({ hidden }),
    showRange: (t1, t2) => {
      if (setRange) setRange(t1, t2);
      else if (timeline && timeline.setRange) timeline.setRange(t1, t2);
    },
  };
  return ctx;
}

/** Offer text as a file download (no server round trip; works offline). */
export function download(filename, text, mime = 'text/plain') {
  const blob = new Blob([text], { type: mime + ';charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** Put text on the clipboard; falls back to a hidden textarea where the API is missing
 * (plain http on a LAN address is not a secure context). Resolves to true on success. */
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch { /* fall through */ }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  (document.querySelector('dialog[open]') || document.body).append(ta);
  ta.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch { ok = false; }
  ta.remove();
  return ok;
}
