// report.js: the report computation behind the Reports page, its CSV, PDF and clipboard:
// record selection by range and tags, grouping by tags or description and by period,
// TimeTagger's duration formats, per-record rounding so that totals add up, optional
// rounding of time, hourly rates and amounts. DOM-free; the UI only renders its result.

import { isHidden } from '../common/tags.js';
import { floorTime } from '../common/calendar.js';
import { periodName, formatDate, formatHM } from '../common/format.js';
import { isSecondary, orderCombos, tagsOf, matchesTags } from './combos.js';

// shared with the Overview (combos.js), and part of what a report is made of
export { isSecondary, orderCombos, tagsOf, matchesTags };

// ---- duration formats (TimeTagger's report_format values) --------------------------------
// Each record's duration becomes an integer count of "ticks" of the format's precision
// (seconds, minutes, or 1/10^n hours). Totals are sums of those integers, so the displayed
// rows always add up to the displayed total, and no float rounding creeps in.

export const REPORT_FORMATS = ['hm', 'hms', 'h0', 'h1', 'h2', 'h3', 'h4'];

/** Ticks per hour of a format: hms 3600, hm 60, hN 10^N. */
export function ticksPerHour(format) {
  if (format === 'hms') return 3600;
  if (format === 'hm') return 60;
  const m = /^h([0-4])$/.exec(format);
  if (m) return 10 ** Number(m[1]);
  throw new Error('unknown report format ' + format);
}

/** Seconds -> integer ticks of the format, rounded half up. */
export function toTicks(seconds, format) {
  const tph = ticksPerHour(format);
  if (tph === 3600) return Math.round(seconds);
  if (tph === 60) return Math.round(seconds / 60);
  return Math.round((seconds * tph) / 3600);
}

/** Ticks -> text: hm "9:07", hms "9:07:24", h0 "9", h1 "9.1", h2 "9.12", h3 "9.123". */
export function formatTicks(ticks, format) {
  const sign = ticks < 0 ? '-' : '';
  const t = Math.abs(ticks);
  if (format === 'hms') {
    const h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), s = t % 60;
    return `${sign}${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  }
  if (format === 'hm') return `${sign}${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;
  const n = Number(format.slice(1));
  if (n === 0) return sign + t;
  const div = 10 ** n;
  return `${sign}${Math.floor(t / div)}.${String(t % div).padStart(n, '0')}`;
}

/** Format seconds directly (for totals that are not sums of rows, e.g. the overview). */
export function formatDuration(seconds, format = 'hm') {
  return formatTicks(toTicks(seconds, format), format);
}

/** Round a duration to a multiple of `step` seconds (0 = off): 'nearest' (half up),
 * 'up' (any started step counts, as many freelancers bill) or 'down'. */
export function roundTime(seconds, step, mode = 'nearest') {
  if (!step) return seconds;
  if (mode === 'up') return Math.ceil(seconds / step) * step;
  if (mode === 'down') return Math.floor(seconds / step) * step;
  return Math.floor(seconds / step + 0.5) * step;
}

// ---- rates and money ---------------------------------------------------------------------
// Rates are one synced setting, RATES_KEY, whose value maps a tag or tag combination
// ("tagz": sorted tags joined by one space) to an hourly rate: {"#acme": 80, "#acme #travel": 40}.
// TimeTagger never writes keys starting with "tagwatch_", so the two apps cannot collide,
// and TimeTagger simply ignores it. The currency is CURRENCY_KEY, a string such as "EUR".

export const RATES_KEY = 'tagwatch_rates';
export const CURRENCY_KEY = 'tagwatch_currency';

/** The hourly rate for a record's tags: the rate of the most specific key whose tags are all
 * in the record (most tags wins; on a tie the higher rate), or 0 when none applies. */
export function rateFor(tags, rates) {
  if (!rates) return 0;
  const set = new Set(tags);
  let best = 0, bestSize = 0;
  for (const [tagz, rate] of Object.entries(rates)) {
    const r = Number(rate);
    if (!Number.isFinite(r) || r <= 0) continue;
    const keyTags = tagz.split(' ').filter(Boolean);
    if (!keyTags.length || !keyTags.every((t) => set.has(t))) continue;
    if (keyTags.length > bestSize || (keyTags.length === bestSize && r > best)) {
      best = r;
      bestSize = keyTags.length;
    }
  }
  return best;
}

/** Amount in cents for a rounded duration: rate x hours, rounded to the cent per record, so
 * group and total amounts are exact sums of the rows. */
export function amountCents(ticks, format, rate) {
  if (!rate) return 0;
  return Math.round((rate * ticks * 100) / ticksPerHour(format));
}

/** Cents -> "1234.50" (CSV and clipboard: no grouping, dot decimal, spreadsheet friendly). */
export function formatCents(cents) {
  const sign = cents < 0 ? '-' : '';
  const c = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
}

/** Cents -> display text with the currency ("€1,234.50"); falls back to "1234.50 XYZ"
 * for a currency Intl does not know. */
export function formatMoney(cents, currency = '') {
  if (currency && /^[A-Za-z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase() })
        .format(cents / 100);
    } catch { /* unknown code: plain text below */ }
  }
  return currency ? `${formatCents(cents)} ${currency}` : formatCents(cents);
}

// ---- the report ----------------------------------------------------------------------------

/**
 * Compute a report.
 * records: [{key, t1, t2, ds}] (hidden ones are skipped; t1 == t2 means running, counted to now).
 * opts: t1, t2 (range, unix s), now, tags (required tags), exclude (excluded tags),
 *   grouping 'none'|'tagz'|'ds'|'user'|'usertagz' (by the records' `user`, a team's member, and
 *   then by tags), groupPeriod 'none'|'day'|'week'|'month'|'quarter'|'year',
 *   hideSecondary, format (report_format), roundTo (0|300|900|1800 s) and roundMode,
 *   rates ({tagz: rate}) or null, currency, firstDay, dateRepr, tagInfo(tagz) -> taginfo.
 * Returns {groups: [{key, title, periodStart, periodLabel, groupTitle, ticks, text, cents,
 *   records: [{key, t1, t2, ds, tags, running, seconds, ticks, text, cents, rate, date, start,
 *   stop}]}], total: {ticks, text, cents}, count, ...opts used}.
 * Records are assigned to the period containing their (clipped) start.
 */
export function buildReport(records, opts) {
  const o = {
    tags: [], exclude: [], grouping: 'none', groupPeriod: 'none', hideSecondary: false,
    format: 'hm', roundTo: 0, roundMode: 'nearest', rates: null, currency: '', firstDay: 1,
    dateRepr: 'dd-mm-yyyy', tagInfo: null, now: Math.floor(Date.now() / 1000), ...opts,
  };
  if (!['tagz', 'ds', 'user', 'usertagz'].includes(o.grouping)) o.grouping = 'none';
  if (!['day', 'week', 'month', 'quarter', 'year'].includes(o.groupPeriod)) o.groupPeriod = 'none';
  ticksPerHour(o.format); // throws early on a bad format
  const ratesOn = !!o.rates && Object.keys(o.rates).length > 0;
  const selected = new Set(o.tags);
  const secondaryCache = new Map();
  const secondary = (t) => {
    if (!secondaryCache.has(t)) secondaryCache.set(t, isSecondary(t, o.tagInfo));
    return secondaryCache.get(t);
  };
  const rateCache = new Map();

  const groups = new Map();
  let count = 0;
  for (const r of records) {
    if (!r || isHidden(r.ds)) continue;
    const running = r.t1 === r.t2;
    const end = running ? Math.max(o.now, r.t1) : r.t2;
    const a = Math.max(r.t1, o.t1), b = Math.min(end, o.t2);
    if (b < a || (b === a && !running)) continue; // no overlap; a running record just started counts as 0
    const tags = tagsOf(r.ds);
    if (!matchesTags(tags, o.tags, o.exclude)) continue;
    count++;
    const seconds = roundTime(Math.max(0, b - a), o.roundTo, o.roundMode);
    const ticks = toTicks(seconds, o.format);
    const tagz = tags.join(' ');
    let rate = 0;
    if (ratesOn) {
      if (!rateCache.has(tagz)) rateCache.set(tagz, rateFor(tags, o.rates));
      rate = rateCache.get(tagz);
    }
    const cents = amountCents(ticks, o.format, rate);

    let groupTitle = '';
    let comboTags = null;
    if (o.grouping === 'tagz') {
      comboTags = tags.filter((t) => !selected.has(t) && !(o.hideSecondary && secondary(t)));
      groupTitle = comboTags.join(' ');
    } else if (o.grouping === 'ds') {
      groupTitle = (r.ds || '').trim();
    } else if (o.grouping === 'user' || o.grouping === 'usertagz') {
      groupTitle = r.user || '';
      if (o.grouping === 'usertagz') {
        const combo = tags.filter((t) => !selected.has(t) && !(o.hideSecondary && secondary(t)));
        groupTitle += ' / ' + (combo.join(' ') || 'General');
      }
    }
    const periodStart = o.groupPeriod === 'none' ? 0 : floorTime(a, o.groupPeriod, 1, o.firstDay);
    const gkey = periodStart + '|' + groupTitle;
    let g = groups.get(gkey);
    if (!g) {
      g = { key: gkey, periodStart, groupTitle, comboTags, ticks: 0, cents: 0, seconds: 0, records: [] };
      groups.set(gkey, g);
    }
    g.ticks += ticks;
    g.cents += cents;
    g.seconds += seconds;
    g.records.push({
      key: r.key, t1: r.t1, t2: r.t2, ds: r.ds || '', tags, running, user: r.user, seconds, ticks, cents, rate,
      text: formatTicks(ticks, o.format), date: formatDate(a, o.dateRepr), start: formatHM(r.t1),
      stop: running ? formatHM(end) : formatHM(r.t2), clippedStart: a,
    });
  }

  // Order the groups inside each period: tag combos like the overview, descriptions
  // alphabetically ignoring case; then periods by date.
  let list = [...groups.values()];
  let orderWithin = new Map();
  if (o.grouping === 'tagz') {
    const combos = new Map();
    for (const g of list) {
      const c = combos.get(g.groupTitle) || { tags: g.comboTags, seconds: 0, title: g.groupTitle };
      c.seconds += g.seconds;
      combos.set(g.groupTitle, c);
    }
    orderCombos([...combos.values()], o.tagInfo).forEach((c, i) => {
      orderWithin.set(c.title, i);
      const display = c.tags.join(' ');
      for (const g of list) if (g.groupTitle === c.title) g.displayTitle = display;
    });
  } else if (o.grouping !== 'none') {
    const titles = [...new Set(list.map((g) => g.groupTitle))];
    titles.sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase()) || (x < y ? -1 : x > y ? 1 : 0));
    titles.forEach((t, i) => orderWithin.set(t, i));
  }
  list.sort((x, y) => x.periodStart - y.periodStart || (orderWithin.get(x.groupTitle) || 0) - (orderWithin.get(y.groupTitle) || 0));

  const total = { ticks: 0, cents: 0 };
  for (const g of list) {
    g.records.sort((x, y) => x.t1 - y.t1 || (x.key < y.key ? -1 : 1));
    total.ticks += g.ticks;
    total.cents += g.cents;
    g.text = formatTicks(g.ticks, o.format);
    const shown = o.grouping === 'tagz' ? (g.displayTitle || 'General')
      : o.grouping === 'ds' ? (g.groupTitle || '(no description)') : g.groupTitle;
    g.periodLabel = o.groupPeriod === 'none' ? '' : periodName(g.periodStart, o.groupPeriod, o);
    g.title = g.periodLabel && shown ? `${g.periodLabel} / ${shown}` : (g.periodLabel || shown);
    delete g.comboTags;
    delete g.displayTitle;
  }
  total.text = formatTicks(total.ticks, o.format);
  const grouped = o.grouping !== 'none' || o.groupPeriod !== 'none';
  return {
    t1: o.t1, t2: o.t2, tags: o.tags, exclude: o.exclude, format: o.format, grouping: o.grouping,
    groupPeriod: o.groupPeriod, ratesOn, currency: o.currency, grouped, groups: list, total, count,
  };
}

/** The rows of a report as the on-screen table, the PDF and the clipboard show them:
 * [{kind: 'total'|'group'|'record', ...}]. Records only when showRecords. */
export function reportRows(report, showRecords = true) {
  const rows = [{ kind: 'total', text: report.total.text, title: 'Total', cents: report.total.cents }];
  for (const g of report.groups) {
    if (report.grouped) rows.push({ kind: 'group', text: g.text, title: g.title, cents: g.cents, group: g });
    if (showRecords) for (const r of g.records) rows.push({ kind: 'record', ...r });
  }
  return rows;
}
