// pomodoro.js: the Pomodoro clock, DOM-free: work and break phases of a length the device
// settings give (TimeTagger's 25 and 5 minutes by default), what happens when a timer starts
// (work begins, unless it already runs) or all stop (back to idle), the end of a phase, and
// the words a person reads. A state is {phase, t1, t2} in unix seconds; phases: 'idle',
// 'work', 'break', and 'work-done' / 'break-done' once one has ended and the next waits for
// the user (as in TimeTagger).

export const POMODORO_DEFAULTS = { work: 25, break: 5 };

export const IDLE = Object.freeze({ phase: 'idle', t1: 0, t2: 0 });

/** Minutes from a setting: a number from 1 to 240, else the default. */
export function minutes(v, dflt) {
  const n = Number(v);
  return Number.isFinite(n) && n >= 1 && n <= 240 ? Math.round(n) : dflt;
}

/** A work or break phase starting at `now`; lengths {work, break} in minutes. */
export function begin(kind, now, lengths = POMODORO_DEFAULTS) {
  const mins = kind === 'break' ? minutes(lengths.break, POMODORO_DEFAULTS.break) : minutes(lengths.work, POMODORO_DEFAULTS.work);
  return { phase: kind === 'break' ? 'break' : 'work', t1: now, t2: now + mins * 60 };
}

/** Is this a state (as read back from storage)? */
export function valid(s) {
  return !!s && typeof s === 'object' && ['idle', 'work', 'break', 'work-done', 'break-done'].includes(s.phase) &&
    Number.isFinite(s.t1) && Number.isFinite(s.t2);
}

/** The state at `now`: a phase past its end becomes '<phase>-done'. Returns {state, ended}
 * where ended is 'work' or 'break' when this call saw it end, else null. */
export function advance(state, now) {
  if (!valid(state)) return { state: IDLE, ended: null };
  if ((state.phase === 'work' || state.phase === 'break') && now >= state.t2) {
    return { state: { phase: state.phase + '-done', t1: state.t2, t2: state.t2 }, ended: state.phase };
  }
  return { state, ended: null };
}

/** A timer started: work begins (a running work phase goes on; a break is cut short). */
export function timerStarted(state, now, lengths) {
  return valid(state) && state.phase === 'work' && now < state.t2 ? state : begin('work', now, lengths);
}

/** Every timer stopped: the Pomodoro rests. */
export function timersStopped() {
  return IDLE;
}

/** "m:ss" of the seconds left. */
export function clock(secs) {
  const s = Math.max(0, Math.ceil(secs));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** What the state says at `now`: {label, left (seconds), title (the tab title's prefix)}. */
export function describeState(state, now, lengths = POMODORO_DEFAULTS) {
  const br = minutes(lengths.break, POMODORO_DEFAULTS.break), wk = minutes(lengths.work, POMODORO_DEFAULTS.work);
  switch (valid(state) ? state.phase : 'idle') {
    case 'work': return { label: 'Working', left: state.t2 - now, title: 'Working | ' };
    case 'break': return { label: 'Break', left: state.t2 - now, title: 'Break | ' };
    case 'work-done': return { label: `Work done: time for a ${br}-minute break`, left: 0, title: 'Break time | ' };
    case 'break-done': return { label: `Break over: ready for ${wk} minutes of work`, left: 0, title: '' };
    default: return { label: 'Starts with your next timer', left: 0, title: '' };
  }
}
