// Time and duration shorthands of the record dialog, table-driven.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTimeText, parseTimeOfDay, parseDuration, stepFiveMinutes } from '../../www/app/common/timeparse.js';

const hms = (h, m = 0, s = 0) => h * 3600 + m * 60 + s;

test('time shorthands', () => {
  const cases = [
    ['1345', hms(13, 45)],
    ['13:45', hms(13, 45)],
    ['13 45', hms(13, 45)],
    ['13h45', hms(13, 45)],
    ['13.45', hms(13, 45)],
    ['1h 30m', hms(1, 30)],
    ['1h30', hms(1, 30)],
    ['90m', hms(1, 30)],
    ['45s', 45],
    ['2m30', hms(0, 2, 30)],
    ['1.5h', hms(1, 30)],
    ['123456', hms(12, 34, 56)],
    ['13:45:10', hms(13, 45, 10)],
    ['4pm', hms(16)],
    ['4:34 pm', hms(16, 34)],
    ['4:34 P.M.', hms(16, 34)],
    ['12am', 0],
    ['12pm', hms(12)],
    ['11 am', hms(11)],
    ['132', hms(13, 2)],
    ['132:', hms(132)],
    ['30', hms(30)],
    ['9', hms(9)],
    ['at 9:15 please', hms(9, 15)],
    ['', null],
    ['soon', null],
  ];
  for (const [text, want] of cases) assert.equal(parseTimeText(text), want, JSON.stringify(text));
});

test('time of day reads 3 digits as H:MM when HH cannot be an hour', () => {
  assert.equal(parseTimeOfDay('930'), hms(9, 30));
  assert.equal(parseTimeOfDay('132'), hms(13, 2));
  assert.equal(parseDuration('930'), hms(93));
  assert.equal(parseDuration('1:30'), hms(1, 30));
});

test('stepFiveMinutes', () => {
  const base = 1700000000 - (1700000000 % 300); // a multiple of 5 minutes
  const cases = [
    [base, 1, base + 300], [base, -1, base - 300],
    [base + 17, 1, base + 300], [base + 17, -1, base],
  ];
  for (const [t, dir, want] of cases) assert.equal(stepFiveMinutes(t, dir), want);
});
