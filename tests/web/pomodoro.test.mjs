// The Pomodoro clock (www/app/common/pomodoro.js): phases of the lengths the settings give,
// their end, what a timer's start and stop do, and the words shown.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IDLE, begin, advance, timerStarted, timersStopped, describeState, clock, minutes, valid } from '../../www/app/common/pomodoro.js';

test('work and break last as long as the settings say (TimeTagger: 25 and 5 minutes)', () => {
  assert.deepEqual(begin('work', 1000), { phase: 'work', t1: 1000, t2: 1000 + 25 * 60 });
  assert.deepEqual(begin('break', 1000), { phase: 'break', t1: 1000, t2: 1000 + 5 * 60 });
  assert.deepEqual(begin('work', 0, { work: 50, break: 10 }), { phase: 'work', t1: 0, t2: 3000 });
  assert.deepEqual(begin('break', 0, { work: 50, break: 10 }), { phase: 'break', t1: 0, t2: 600 });
  for (const bad of [0, -5, 'x', null, 241, NaN]) assert.equal(minutes(bad, 25), 25, String(bad));
  assert.equal(minutes('45', 25), 45);
});

test('a phase ends once, and then waits for the user', () => {
  const w = begin('work', 0, { work: 1 });
  assert.deepEqual(advance(w, 59), { state: w, ended: null });
  const a = advance(w, 60);
  assert.equal(a.ended, 'work');
  assert.deepEqual(a.state, { phase: 'work-done', t1: 60, t2: 60 });
  assert.deepEqual(advance(a.state, 5000), { state: a.state, ended: null }, 'said once');
  const b = advance(begin('break', 100, { break: 2 }), 220);
  assert.equal(b.ended, 'break');
  assert.equal(b.state.phase, 'break-done');
  assert.deepEqual(advance({ phase: 'nonsense' }, 1), { state: IDLE, ended: null }, 'a broken stored state rests');
  assert.equal(valid(null), false);
});

test('a timer starts work; a running work phase goes on; a break is cut short; stopping rests', () => {
  const started = timerStarted(IDLE, 1000);
  assert.equal(started.phase, 'work');
  assert.equal(started.t1, 1000);
  assert.equal(timerStarted(started, 1200), started, 'switching to another timer keeps the work going');
  assert.equal(timerStarted(begin('break', 1000), 1100).phase, 'work');
  assert.deepEqual(timerStarted({ phase: 'work-done', t1: 5, t2: 5 }, 2000), begin('work', 2000));
  assert.equal(timerStarted(started, started.t2 + 1).t1, started.t2 + 1, 'an ended work phase starts anew');
  assert.deepEqual(timersStopped(), IDLE);
});

test('what a person reads: the phase, the time left, the tab title', () => {
  const w = begin('work', 0);
  assert.deepEqual(describeState(w, 61), { label: 'Working', left: 1439, title: 'Working | ' });
  assert.deepEqual(describeState(begin('break', 0), 0), { label: 'Break', left: 300, title: 'Break | ' });
  assert.equal(describeState({ phase: 'work-done', t1: 1, t2: 1 }, 9).label, 'Work done: time for a 5-minute break');
  assert.equal(describeState({ phase: 'break-done', t1: 1, t2: 1 }, 9, { work: 50 }).label, 'Break over: ready for 50 minutes of work');
  assert.equal(describeState(IDLE, 9).label, 'Starts with your next timer');
  assert.equal(describeState(IDLE, 9).title, '');
  assert.equal(clock(1439), '23:59');
  assert.equal(clock(0.2), '0:01');
  assert.equal(clock(-3), '0:00');
  assert.equal(clock(25 * 60), '25:00');
});
