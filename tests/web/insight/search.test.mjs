// Search: TimeTagger's query language, matching, newest-first results, bulk actions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery, search, describeQuery, bulkAddTag, bulkRemoveTag, bulkDelete } from '../../../www/app/insight/search.js';

test('parseQuery: #tag, !#tag, ! #tag, word, !word, case-insensitive', () => {
  const cases = [
    ['#Acme', { tags: ['#acme'], notTags: [], words: [], notWords: [] }],
    ['!#meeting', { tags: [], notTags: ['#meeting'], words: [], notWords: [] }],
    ['! #meeting', { tags: [], notTags: ['#meeting'], words: [], notWords: [] }],
    ['Report  !draft', { tags: [], notTags: [], words: ['report'], notWords: ['draft'] }],
    ['#a #a #b call', { tags: ['#a', '#b'], notTags: [], words: ['call'], notWords: [] }],
    ['#untagged', { tags: ['#untagged'], notTags: [], words: [], notWords: [] }],
    ['', { tags: [], notTags: [], words: [], notWords: [] }],
    ['#', { tags: [], notTags: [], words: [], notWords: [] }],
  ];
  for (const [q, want] of cases) assert.deepEqual(parseQuery(q), want, JSON.stringify(q));
  assert.deepEqual(describeQuery(parseQuery('#a !#b x !y')), ['has tag #a', 'does not have tag #b', 'description contains "x"', 'description does not contain "y"']);
});

const recs = [
  { key: 'k1', t1: 100, t2: 200, ds: '#acme Weekly report' },
  { key: 'k2', t1: 300, t2: 400, ds: '#acme #meeting call with Bob' },
  { key: 'k3', t1: 500, t2: 600, ds: 'lunch' },
  { key: 'k4', t1: 700, t2: 800, ds: 'HIDDEN #acme deleted report' },
  { key: 'k5', t1: 900, t2: 900, ds: '#acme #draft report running' },
];

test('search: AND of terms, hidden never, newest first', () => {
  const cases = [
    ['#acme', ['k5', 'k2', 'k1']],
    ['#acme !#meeting', ['k5', 'k1']],
    ['report', ['k5', 'k1']],
    ['REPORT !running', ['k1']],
    ['#untagged', ['k3']],
    ['! #acme', ['k3']],
    ['bob #meeting', ['k2']],
    ['nothing-matches', []],
    ['', []],
  ];
  for (const [q, want] of cases) assert.deepEqual(search(recs, q).map((r) => r.key), want, q);
});

test('bulk add/remove tag and delete return only the changed records', () => {
  const add = bulkAddTag(recs.slice(0, 3), 'Billed');
  assert.deepEqual(add.map((r) => [r.key, r.ds]), [['k1', '#acme Weekly report #billed'], ['k2', '#acme #meeting call with Bob #billed'], ['k3', 'lunch #billed']]);
  assert.deepEqual(bulkAddTag(add, '#billed'), []);
  const rm = bulkRemoveTag(recs.slice(0, 3), '#acme');
  assert.deepEqual(rm.map((r) => [r.key, r.ds]), [['k1', 'Weekly report'], ['k2', '#meeting call with Bob']]);
  const del = bulkDelete(recs);
  assert.deepEqual(del.map((r) => [r.key, r.ds, r.t2]), [
    ['k1', 'HIDDEN #acme Weekly report', 200], ['k2', 'HIDDEN #acme #meeting call with Bob', 400], ['k3', 'HIDDEN lunch', 600],
    ['k5', 'HIDDEN #acme #draft report running', 901],
  ]);
});
