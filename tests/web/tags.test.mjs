// Table-driven tests of the tag syntax (docs/timetagger-client.md §2) and the tag helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseTags, normalizeDescription, tagzKey, cleanString, renameTagsInDescription, duplicateTags,
  tagsFromLine, toValidTag, hideDescription, unhideDescription, isHidden, tagsInOrder,
} from '../../www/app/common/tags.js';

test('parseTags follows TimeTagger\'s rules', () => {
  const cases = [
    ['', ['#untagged']],
    ['no tags here', ['#untagged']],
    ['#foo', ['#foo']],
    ['#a', ['#a']],
    ['#Foo bar #foo', ['#foo']],
    ['#foo.bar', ['#foo']],
    ['#spam*eggs', ['#spam']],
    ['#aa#bb', ['#aa', '#bb']],
    ['##aa', ['#aa']],
    ['trailing #', ['#untagged']],
    ['# alone', ['#untagged']],
    ['#client/acme #dev review', ['#client/acme', '#dev']],
    ['#café au lait', ['#café']],
    ['#日本 text', ['#日本']],
    ['emoji #🎉party', ['#🎉party']],
    ['x #a-b_c/d, y', ['#a-b_c/d']],
    ['#b #a #c', ['#a', '#b', '#c']],
    ['#Z #a', ['#a', '#z']],
    ['(#paren) [#sq] #q? #ex! #c: #s; #at@x #eq=1 #amp&', ['#amp', '#at', '#c', '#eq', '#ex', '#paren', '#q', '#s', '#sq']],
    ["#it's", ['#it']],
    ['HIDDEN #x deleted', ['#x']],
  ];
  for (const [ds, want] of cases) assert.deepEqual(parseTags(ds), want, JSON.stringify(ds));
});

test('normalizeDescription lowercases tags, splits glued ones, drops stray #', () => {
  const cases = [
    ['#Foo Bar', '#foo Bar'],
    ['#aa#BB text', '#aa #bb text'],
    ['##aa', '#aa'],
    ['work #', 'work'],
    ['trailing   ', 'trailing'],
    ['  leading', 'leading'],
    ['#foo.bar', '#foo.bar'],
    ['line\nbreak\ttab\r', 'line break tab'],
    ['Meeting with #Client/ACME', 'Meeting with #client/acme'],
  ];
  for (const [ds, want] of cases) assert.equal(normalizeDescription(ds), want, JSON.stringify(ds));
});

test('tagzKey sorts and dedups', () => {
  assert.equal(tagzKey(['#meeting', '#client1']), '#client1 #meeting');
  assert.equal(tagzKey(['#b', '#A', '#a']), '#a #b');
  assert.equal(tagzKey([]), '');
});

test('cleanString caps at 255 code points and keeps quotes', () => {
  assert.equal(Array.from(cleanString('é'.repeat(300))).length, 255);
  assert.equal(Array.from(cleanString('😀'.repeat(300))).length, 255);
  assert.equal(cleanString('"quoted"'), '"quoted"');
  assert.equal(cleanString(42), '');
});

test('rename, merge and remove tags', () => {
  const cases = [
    ['#a text #b', ['#a'], ['#x'], '#x text #b'],
    ['#a text #a', ['#a'], ['#x'], '#x text'],
    ['#a and #x', ['#a'], ['#x'], '#x and'],          // merge into an existing tag
    ['#x and #a', ['#a'], ['#x'], '#x and'],
    ['#a #b work', ['#a', '#b'], ['#c'], '#c work'],
    ['do #a now', ['#a'], [], 'do now'],              // remove
    ['HIDDEN #a gone', ['#a'], ['#b'], 'HIDDEN #b gone'],
    ['#A upper', ['#a'], ['#new/one'], '#new/one upper'],
    ['#a', ['#a'], ['#x', '#y'], '#x #y'],
  ];
  for (const [ds, o, n, want] of cases) assert.equal(renameTagsInDescription(ds, o, n), want, ds);
});

test('duplicates, lines, valid tags, order', () => {
  assert.deepEqual(duplicateTags('#a #b #A'), ['#a']);
  assert.deepEqual(duplicateTags('#a #b'), []);
  assert.deepEqual(tagsFromLine('#Work client  #work meeting'), ['#work', '#client', '#meeting']);
  assert.deepEqual(tagsFromLine(''), []);
  assert.equal(toValidTag('Client One'), '#clientone');
  assert.equal(toValidTag('x'), '');
  assert.equal(toValidTag('#ab'), '#ab');
  assert.deepEqual(tagsInOrder('#b x #a #b'), ['#b', '#a']);
});

test('soft delete and restore', () => {
  const cases = [['#a work', 'HIDDEN #a work'], ['', 'HIDDEN'], ['HIDDEN x', 'HIDDEN x']];
  for (const [ds, hidden] of cases) {
    assert.equal(hideDescription(ds), hidden);
    assert.ok(isHidden(hideDescription(ds)));
  }
  assert.equal(unhideDescription('HIDDEN #a work'), '#a work');
  assert.equal(unhideDescription('HIDDEN'), '');
  assert.equal(unhideDescription('plain'), 'plain');
});
