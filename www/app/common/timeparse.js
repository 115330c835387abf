// timeparse.js: what people type into time and duration fields: "1345", "13:45", "13 45",
// "13h45", "1h 30m", "90m", "45s", "123456", "4pm", "12am", "132" (13:02), "132:" (132 h).
// Values are not clamped ("30" is 30 h, for durations). DOM-free.

/**
 * Parse a time or duration text into seconds, or null when it holds no number.
 * With { timeOfDay: true } a 3-digit number whose first two digits cannot be an hour is read
 * as H:MM ("930" -> 9:30), where TimeTagger would give 93:00.
 */
export function parseTimeText(text, { timeOfDay = false } = {}) {
  let s = String(text ?? '').toLowerCase();
  let ampm = null;
  const ap = /(\d|\s|^)(a|p)\.?\s?m\.?(?![a-z])/.exec(s);
  if (ap) {
    ampm = ap[2];
    s = s.slice(0, ap.index + ap[1].length) + ' ' + s.slice(ap.index + ap[0].length);
  }
  s = s.replace(/,/g, '.');
  let h = 0, m = 0, sec = 0;
  if (/\d\s*[hms](?![a-z])/.test(s)) {
    // unit form: "1h 30m", "13h45", "90m", "45s", "1.5h"; a bare number after h is minutes,
    // after m is seconds
    let last = '';
    const re = /(\d+(?:\.\d+)?)\s*([hms](?![a-z]))?/g;
    let mm, any = false;
    while ((mm = re.exec(s))) {
      const v = parseFloat(mm[1]);
      const unit = mm[2] || (last === 'h' ? 'm' : last === 'm' ? 's' : 'h');
      if (unit === 'h') h += v; else if (unit === 'm') m += v; else sec += v;
      last = unit;
      any = true;
    }
    if (!any) return null;
  } else {
    const tokens = s.match(/\d+|[:.]/g);
    if (!tokens) return null;
    const nums = tokens.filter((t) => /\d/.test(t));
    if (nums.length === 1 && tokens.length === 1) {
      const d = nums[0];
      if (d.length <= 2) h = +d;
      else if (timeOfDay && d.length === 3 && +d.slice(0, 2) > 23) { h = +d[0]; m = +d.slice(1); }
      else { h = +d.slice(0, 2); m = +d.slice(2, 4) || 0; sec = +d.slice(4, 6) || 0; }
    } else {
      [h = 0, m = 0, sec = 0] = nums.map(Number);
    }
  }
  if (ampm) h = (h % 12) + (ampm === 'p' ? 12 : 0);
  return Math.round(h * 3600 + m * 60 + sec);
}

/** Time of day (seconds since midnight) from text, or null. */
export function parseTimeOfDay(text) {
  return parseTimeText(text, { timeOfDay: true });
}

/** Duration in seconds from text ("1h30m", "90m", "1:30", "2"), or null. */
export function parseDuration(text) {
  return parseTimeText(text);
}

/** Round a time to the next (dir 1) or previous (dir -1) multiple of 5 minutes, seconds zeroed,
 * as the record dialog's ± buttons do. */
export function stepFiveMinutes(t, dir) {
  const step = 300;
  const floored = Math.floor(t / step) * step;
  if (dir > 0) return floored + step;
  return floored === t ? t - step : floored;
}
