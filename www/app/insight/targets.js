// targets.js: time targets per tag or tag combination, stored exactly as TimeTagger stores
// them (synced setting "taginfo <tagz>" with `targets: {week: 20}`; legacy "tag_targets" read
// too), and their progress: for the current period (Targets page) and for any visible range
// (Overview), with the `workdays` setting respected. DOM-free.

import { parseTags, isHidden } from '../common/tags.js';
import { periodRange, workdaysIn, isWorkday } from '../common/calendar.js';

export const TARGET_PERIODS = ['day', 'week', 'month', 'year'];
const PERIOD_ORDER = { day: 0, week: 1, month: 2, year: 3 };

/** The setting key of a tag set's taginfo: "taginfo " + sorted tags joined by spaces. */
export function taginfoKey(tags) {
  const list = Array.isArray(tags) ? tags : String(tags).split(/\s+/);
  return 'taginfo ' + [...new Set(list.filter(Boolean).map((t) => t.toLowerCase()))].sort().join(' ');
}

/**
 * Every target from the synced settings: [{tagz, tags, period, hours}], sorted by tagz then
 * period. `settings` is [{key, value}]. A taginfo with several periods yields several targets.
 * Legacy `tag_targets` ({tagz: {period, hours}}) fills in tag sets that have no taginfo targets.
 */
export function listTargets(settings) {
  const out = [];
  const seen = new Set();
  let legacy = null;
  for (const s of settings || []) {
    if (!s || typeof s.key !== 'string') continue;
    if (s.key === 'tag_targets') { legacy = s.value; continue; }
    if (!s.key.startsWith('taginfo ')) continue;
    const tagz = s.key.slice(8);
    const targets = s.value && typeof s.value === 'object' ? s.value.targets : null;
    if (!targets || typeof targets !== 'object') continue;
    for (const period of TARGET_PERIODS) {
      const hours = Number(targets[period]);
      if (Number.isFinite(hours) && hours > 0) {
        out.push({ tagz, tags: tagz.split(' '), period, hours });
        seen.add(tagz);
      }
    }
  }
  if (legacy && typeof legacy === 'object') {
    for (const [tagz, t] of Object.entries(legacy)) {
      const hours = Number(t && t.hours);
      if (seen.has(tagz) || !t || !TARGET_PERIODS.includes(t.period) || !(hours > 0)) continue;
      out.push({ tagz, tags: tagz.split(' '), period: t.period, hours, legacy: true });
    }
  }
  out.sort((a, b) => (a.tagz < b.tagz ? -1 : a.tagz > b.tagz ? 1 : PERIOD_ORDER[a.period] - PERIOD_ORDER[b.period]));
  return out;
}

/** A new taginfo value with the target set (hours > 0) or removed (0 / null), keeping the
 * other fields (color, priority). TimeTagger keeps one period per tag set, and so do we. */
export function withTarget(taginfo, period, hours) {
  const info = taginfo && typeof taginfo === 'object' ? { ...taginfo } : {};
  const h = Number(hours);
  info.targets = Number.isFinite(h) && h > 0 && TARGET_PERIODS.includes(period) ? { [period]: h } : {};
  return info;
}

/** Seconds tracked in [t1, t2) by non-hidden records having all `tags` (running ones up to now). */
export function trackedSeconds(records, tags, t1, t2, now) {
  let sum = 0;
  const need = tags.filter((t) => t);
  for (const r of records) {
    if (!r || isHidden(r.ds)) continue;
    const end = r.t1 === r.t2 ? Math.max(now, r.t1) : r.t2;
    const a = Math.max(r.t1, t1), b = Math.min(end, t2, now);
    if (b <= a) continue;
    if (need.length) {
      const have = parseTags(r.ds);
      if (!need.every((t) => have.includes(t))) continue;
    }
    sum += b - a;
  }
  return sum;
}

/**
 * Progress of one target in the period containing `now`.
 * Returns {start, end, targetSeconds, doneSeconds, fraction, leftSeconds, overSeconds,
 *   expectedSeconds (pace: the share of the target due by now, by workdays elapsed; null
 *   for day targets), freeDay (a day target on a day off under `workdays`: target 0)}.
 */
export function targetProgress(target, records, now, { firstDay = 1, workdays = 0 } = {}) {
  const [start, end] = periodRange(now, target.period, firstDay);
  let targetSeconds = Math.round(target.hours * 3600);
  const freeDay = target.period === 'day' && !isWorkday(start, workdays);
  if (freeDay) targetSeconds = 0;
  const doneSeconds = trackedSeconds(records, target.tags, start, end, now);
  let expectedSeconds = null;
  if (target.period !== 'day') {
    const all = workdaysIn(start, end, workdays);
    expectedSeconds = all > 0 ? Math.round((targetSeconds * workdaysIn(start, Math.min(now, end), workdays)) / all) : 0;
  }
  return {
    ...target, start, end, targetSeconds, doneSeconds, freeDay, expectedSeconds,
    fraction: targetSeconds > 0 ? doneSeconds / targetSeconds : (doneSeconds > 0 ? Infinity : 0),
    leftSeconds: Math.max(0, targetSeconds - doneSeconds),
    overSeconds: Math.max(0, doneSeconds - targetSeconds),
  };
}

/**
 * A target scaled to a visible range [t1, t2) for the Overview: the target of the period
 * (at most one per tag set) times the ratio of workdays in the range to workdays in that
 * period (the period containing the range's middle). `approx` is true when the range is
 * not exactly one such period (TimeTagger then shows "~"). Returns null without a target.
 */
export function targetForRange(targets, tagz, t1, t2, { firstDay = 1, workdays = 0 } = {}) {
  const mine = targets.filter((t) => t.tagz === tagz);
  if (!mine.length) return null;
  // prefer the largest period whose length fits the range (TimeTagger's rule of thumb)
  mine.sort((a, b) => PERIOD_ORDER[b.period] - PERIOD_ORDER[a.period]);
  const span = t2 - t1;
  const lengths = { day: 86400, week: 7 * 86400, month: 28 * 86400, year: 365 * 86400 };
  const t = mine.find((x) => lengths[x.period] <= span * 1.08) || mine[mine.length - 1];
  const [ps, pe] = periodRange(Math.floor((t1 + t2) / 2), t.period, firstDay);
  const exact = ps === t1 && pe === t2;
  let factor;
  if (t.period === 'day') factor = exact ? 1 : workdaysIn(t1, t2, workdays) || span / 86400;
  else {
    const per = workdaysIn(ps, pe, workdays);
    factor = per > 0 ? workdaysIn(t1, t2, workdays) / per : 0;
  }
  return { ...t, targetSeconds: Math.round(t.hours * 3600 * factor), approx: !exact, factor };
}
