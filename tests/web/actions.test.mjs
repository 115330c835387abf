// Record and tag operations over the store interface (data/actions.js, data/edits.js), and the
// analyses behind them. The store here is the real in-memory core (StoreCore) with the same
// put() contract as store.js minus IndexedDB, which node does not have.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';

// Node 18 has Web Crypto only as crypto.webcrypto; the browser (and Node 19+) as a global
if (!globalThis.crypto) globalThis.crypto = webcrypto;
import { StoreCore } from '../../www/app/data/core.js';
import { newKey } from '../../www/app/data/merge.js';
import { defaultTagColor, UNTAGGED_COLOR } from '../../www/app/common/palette.js';
import { suggest, applySuggestion } from '../../www/app/common/suggest.js';
import {
  tagUsage, recentDescriptions, tagInfo, colorForTags, stopAll, startRecord, resumeDescription,
} from '../../www/app/data/actions.js';
import {
  findOverlaps, softDelete, restoreRecord, duplicateRecord, splitRecord, renameTags, deletedRecords,
} from '../../www/app/data/edits.js';

function memStore(now = 1_000_000) {
  const core = new StoreCore();
  return {
    core, now,
    newKey,
    async put(kind, items) { return core.applyLocal(kind, core.prepareLocal(kind, items, this.now)); },
    records: {
      get: (k) => core.items.records.get(k),
      running: () => core.runningRecords(),
      all: (o) => core.allRecords(o),
      query: (a, b, o) => core.queryRecords(a, b, now, o),
    },
    settings: { get: (k, d) => (core.items.settings.has(k) ? core.items.settings.get(k).value : d) },
  };
}

test('overlaps', () => {
  const recs = [
    { key: 'a', t1: 0, t2: 100 }, { key: 'b', t1: 100, t2: 200 }, { key: 'c', t1: 150, t2: 150 },
    { key: 'h', t1: 0, t2: 500, ds: 'HIDDEN x' },
  ];
  const keys = (rec, now) => findOverlaps(recs, rec, now).map((r) => r.key).sort();
  assert.deepEqual(keys({ key: 'x', t1: 50, t2: 120 }, 0), ['a', 'b']);
  assert.deepEqual(keys({ key: 'x', t1: 100, t2: 100 }, 100), []);        // touching is fine
  assert.deepEqual(keys({ key: 'x', t1: 160, t2: 170 }, 1000), ['b', 'c']); // running c reaches now
  assert.deepEqual(keys({ key: 'a', t1: 0, t2: 100 }, 0), []);
});

test('tag usage, recent descriptions, suggestions', () => {
  const now = 100 * 86400;
  const recs = [
    { key: '1', t1: now - 3600, t2: now - 60, ds: '#work #client coding' },
    { key: '2', t1: now - 2 * 86400, t2: now - 2 * 86400 + 600, ds: '#workshop prep' },
    { key: '3', t1: now - 5 * 86400, t2: now - 5 * 86400 + 60, ds: 'HIDDEN #old gone' },
    { key: '4', t1: now - 200 * 86400, t2: now - 199 * 86400, ds: 'ancient' },
  ];
  const usage = tagUsage(recs, now);
  assert.deepEqual(usage.map((u) => u.tag), ['#client', '#work', '#workshop', '#old']);
  assert.equal(usage.find((u) => u.tag === '#old').seconds, 0);
  assert.equal(usage.find((u) => u.tag === '#work').seconds, 3540);
  const descs = recentDescriptions(recs, now);
  assert.deepEqual(descs.map((d) => d.ds), ['#work #client coding', '#workshop prep']);

  const ctx = { tags: usage, presets: ['#work #client', '#admin'], descriptions: descs, now };
  const cases = [
    ['#wo', 3, 'tags', ['#work', '#workshop']],
    ['x #rk', 5, 'tags', ['#work', '#workshop']],   // substring with 2+ chars
    ['#k', 2, 'tags', []],                          // 1 char: prefix only
    ['##ad', 4, 'presets', ['#admin']],
    ['prep', 4, 'descriptions', ['#workshop prep']],
    ['p', 1, null, []],
    ['two words', 9, null, []],
  ];
  for (const [text, caret, kind, values] of cases) {
    const s = suggest(text, caret, ctx);
    assert.equal(s.kind, kind, text);
    assert.deepEqual(s.items.map((i) => i.value), values, text);
  }
  const s = suggest('fix #wo bug', 7, ctx);
  assert.deepEqual(applySuggestion('fix #wo bug', s, '#work'), { text: 'fix #work bug', caret: 10 });
  const d = suggest('prep', 4, ctx);
  assert.deepEqual(applySuggestion('prep', d, '#workshop prep'), { text: '#workshop prep', caret: 14 });
});

test('tag info and colours, with the legacy keys', () => {
  const settings = {
    'taginfo #a': { color: '#ff0000', priority: 0, targets: { week: 10 } },
    'taginfo #s': { color: '#00ff00', priority: 2, targets: {} },
    'taginfo #a #b': { color: '#0000ff', targets: {} },
    'color #legacy': '#123456',
    tag_targets: { '#legacy': { period: 'month', hours: 20 } },
  };
  const get = (k, d) => (k in settings ? settings[k] : d);
  assert.deepEqual(tagInfo(get, '#a'), { color: '#ff0000', priority: 0, targets: { week: 10 } });
  assert.deepEqual(tagInfo(get, '#legacy'), { color: '#123456', priority: 0, targets: { month: 20 } });
  const cases = [
    [['#a'], '#ff0000'], [['#a', '#b'], '#0000ff'], [['#s', '#x'], '#00ff00'], [['#s', '#a'], '#ff0000'],
    [['#untagged'], UNTAGGED_COLOR], [[], UNTAGGED_COLOR], [['#none'], defaultTagColor('#none')], [['#legacy'], '#123456'],
    // no colour set: the first primary tag's own colour (secondary tags give way)
    [['#none', '#other'], defaultTagColor('#none')], [['#s2', '#other'], defaultTagColor('#other')],
  ];
  settings['taginfo #s2'] = { priority: 2, targets: {} };
  for (const [tags, want] of cases) assert.equal(colorForTags(get, tags), want, tags.join());
});

test('start stops the running one; stop; resume', async () => {
  const s = memStore(1000);
  const a = await startRecord(s, '#a first', 1000);
  assert.equal(a.t1, a.t2);
  const b = await startRecord(s, '#b second', 1001);
  assert.equal(s.records.get(a.key).t2, 1002, 'stopped at least 2 s after its start');
  assert.deepEqual(s.records.running().map((r) => r.key), [b.key]);
  assert.equal(resumeDescription(s, 1500), '#b second');
  await stopAll(s, 1500);
  assert.equal(s.records.running().length, 0);
  assert.equal(s.records.get(b.key).t2, 1500);
  assert.equal(resumeDescription(s, 1600), '#b second');
});

test('delete, undo, duplicate, split', async () => {
  const s = memStore(5000);
  await s.put('records', [{ key: 'r1', t1: 1000, t2: 4600, ds: '#a work' }]);
  const prev = await softDelete(s, 'r1');
  assert.equal(s.records.get('r1').ds, 'HIDDEN #a work');
  assert.equal(s.records.all().length, 0);
  s.now = 5001;
  await restoreRecord(s, prev);
  assert.equal(s.records.get('r1').ds, '#a work');
  const dup = await duplicateRecord(s, 'r1');
  assert.deepEqual([dup.t1, dup.t2, dup.ds], [4600, 8200, '#a work']);
  const parts = await splitRecord(s, 'r1', 2000);
  assert.deepEqual(parts.map((r) => [r.t1, r.t2]), [[1000, 2000], [2000, 4600]]);
  assert.equal(await splitRecord(s, 'r1', 999), null);
  // a running record is stopped one second after its start when deleted
  await s.put('records', [{ key: 'run', t1: 100, t2: 100, ds: 'x' }]);
  await softDelete(s, 'run');
  assert.equal(s.records.get('run').t2, 101);
});

test('recently deleted: hidden records only, the latest deletion first; restore brings one back', async () => {
  const s = memStore(5000);
  await s.put('records', [
    { key: 'keep', t1: 100, t2: 200, ds: '#a kept' },
    { key: 'old', t1: 900, t2: 950, ds: '#b old' },
    { key: 'new', t1: 300, t2: 400, ds: '' },
    { key: 'mid', t1: 500, t2: 600, ds: 'middle' },
  ]);
  for (const [key, at] of [['old', 6000], ['mid', 7000], ['new', 8000]]) { s.now = at; await softDelete(s, key); }
  // deleted long ago on another device: an older mt
  s.core.applyRemote('records', [{ key: 'other', t1: 10, t2: 20, ds: 'HIDDEN gone', mt: 4000, st: 4001 }]);
  const list = deletedRecords(s.records.all({ hidden: true }));
  assert.deepEqual(list.map((r) => r.key), ['new', 'mid', 'old', 'other']);
  assert.deepEqual(deletedRecords(s.records.all()), [], 'the visible ones hold none');
  s.now = 9000;
  await restoreRecord(s, s.records.get('mid'));
  assert.equal(s.records.get('mid').ds, 'middle');
  assert.equal(s.records.get('mid').st, 0, 'queued for the server');
  assert.deepEqual(deletedRecords(s.records.all({ hidden: true })).map((r) => r.key), ['new', 'old', 'other']);
});

test('rename and merge tags across records, moving taginfo', async () => {
  const s = memStore(5000);
  await s.put('records', [
    { key: 'a', t1: 1, t2: 2, ds: '#old one' },
    { key: 'b', t1: 1, t2: 2, ds: 'HIDDEN #old two' },
    { key: 'c', t1: 1, t2: 2, ds: '#other three' },
  ]);
  await s.put('settings', [{ key: 'taginfo #old', value: { color: '#abcdef', targets: { week: 5 } } }]);
  assert.equal(await renameTags(s, ['#old'], ['#new']), 2);
  assert.equal(s.records.get('a').ds, '#new one');
  assert.equal(s.records.get('b').ds, 'HIDDEN #new two');
  assert.equal(s.records.get('c').ds, '#other three');
  assert.equal(s.settings.get('taginfo #new').color, '#abcdef');
  assert.deepEqual(s.settings.get('taginfo #old'), { color: '', targets: {} });
  assert.equal(await renameTags(s, ['#new'], ['#other']), 2); // merge
  assert.equal(s.records.all({ hidden: true }).filter((r) => r.ds.includes('#other')).length, 3);
});
