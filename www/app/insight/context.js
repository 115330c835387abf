// context.js: what every insight view needs from the app, in one object: the store, settings
// (synced and local) with their defaults, tag colours and taginfo, the clock. Built once by
// index.js from what mountInsight receives. (Downloads and the clipboard: files.js.)

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
