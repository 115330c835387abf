// rangebar.js: the visible range and the bar that steers it: earlier, today, later, the
// D/W/M/Q/Y buttons, the range title (a click opens ../dialogs/jump.js), the total of the
// records in range, and #date=... links.
// With a timeline the timeline owns the range (and animates it); without one (the list only)
// the range is kept here.

import { formatDuration, rangeLabel } from '../common/format.js';
import { periodRange, todayRange, exactPeriod, addTime, fromDateKey, recordSeconds, PERIODS } from '../common/calendar.js';

const $ = (id) => document.getElementById(id);
const nowSec = () => Date.now() / 1000;

/** The range of `app` (shell/app.js): navigation and the range bar. */
export function createRangebar(app) {
  let range = todayRange(nowSec());
  const listeners = new Set();
  const tl = () => app.tl;
  const fdow = () => app.settings().first_day_of_week;

  $('prev-btn').addEventListener('click', () => step(-1));
  $('next-btn').addEventListener('click', () => step(1));
  $('today-btn').addEventListener('click', () => goToday());
  $('range-label').addEventListener('click', () => app.openJump());
  for (const b of document.querySelectorAll('.periods [data-period]')) b.addEventListener('click', () => goPeriod(b.dataset.period));

  function getRange() { return tl() ? tl().getRange() : range.slice(); }

  function setRange(t1, t2) {
    if (tl()) tl().setRange(t1, t2); // the timeline does not report ranges the app sets
    else range = [t1, t2];
    changed();
  }

  function goToday() {
    if (tl()) return tl().goToday();
    const s = app.settings();
    const r = todayRange(nowSec(), s);
    setRange(r[0], r[1]);
  }

  function goPeriod(p) {
    if (tl()) return tl().goPeriod(p);
    const [a, b] = getRange();
    const now = nowSec();
    const ref = now >= a && now < b ? now : (a + b) / 2;
    const r = periodRange(ref, p, fdow());
    setRange(r[0], r[1]);
  }

  function step(dir) {
    if (tl()) return tl().step(dir);
    const [a, b] = getRange();
    const p = exactPeriod(a, b, fdow());
    if (p) setRange(addTime(a, p, dir), addTime(b, p, dir));
    else setRange(a + dir * (b - a), b + dir * (b - a));
  }

  function zoom(dir) {
    if (tl()) return tl().zoom(dir);
    const [a, b] = getRange();
    const p = exactPeriod(a, b, fdow()) || 'day';
    const i = Math.max(0, Math.min(PERIODS.length - 1, PERIODS.indexOf(p) - dir));
    goPeriod(PERIODS[i]);
  }

  function snapNow() {
    const [a, b] = getRange();
    const p = exactPeriod(Math.round(a), Math.round(b), fdow()) || 'day';
    const r = periodRange(nowSec(), p, fdow());
    setRange(r[0], r[1]);
  }

  /** The range changed (set here, or by the timeline): update the bar and tell listeners. */
  function changed() {
    const [a, b] = getRange();
    $('range-label').textContent = rangeLabel(Math.round(a), Math.round(b), fdow(), app.settings().time_repr);
    const p = exactPeriod(Math.round(a), Math.round(b), fdow());
    for (const btn of document.querySelectorAll('.periods [data-period]')) btn.setAttribute('aria-pressed', String(btn.dataset.period === p));
    app.onRange();
    renderTotal();
    for (const fn of listeners) { try { fn(a, b); } catch (err) { console.error(err); } }
  }

  function renderTotal() {
    const [a, b] = getRange();
    const now = nowSec();
    let total = 0, n = 0;
    for (const r of app.store.records.query(a, b)) {
      total += recordSeconds(r, a, b, now);
      n++;
    }
    $('range-total').textContent = n ? `${n} record${n === 1 ? '' : 's'} · ${formatDuration(total, app.settings().duration_repr)}` : 'No records';
  }

  /** #date=YYYY-MM-DD shows that day; the hash is consumed. */
  function handleHash() {
    const m = /date=(\d{4}-\d{2}-\d{2})/.exec(location.hash);
    if (!m) return;
    const t = fromDateKey(m[1]);
    if (t !== null) {
      const r = periodRange(t, 'day');
      setRange(r[0], r[1]);
    }
    history.replaceState(history.state, '', location.pathname + location.search);
  }
  addEventListener('hashchange', handleHash);

  return {
    getRange, setRange, goToday, goPeriod, step, zoom, snapNow, changed, renderTotal, handleHash,
    /** Call fn(t1, t2) after every change of range; returns the unsubscribe function. */
    onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); },
  };
}
