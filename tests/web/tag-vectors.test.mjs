// The web app's tag parser and deleted mark against tests/fixtures/tags.json, the vectors
// the C++ side (src/model/tags.cpp, tagwatch-admin's CSV) passes too, and the app's CSV
// export built from them: its tags column is the tag set without #untagged, and it leaves
// out exactly the records the vectors call hidden.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parseTags, isHidden } from '../../www/app/common/tags.js';
import { recordsCsv, parseCsv } from '../../www/app/insight/csv.js';

const { vectors } = JSON.parse(fs.readFileSync(new URL('../fixtures/tags.json', import.meta.url), 'utf8'));

test('the vectors are there and say why', () => {
  assert.ok(vectors.length >= 30, `only ${vectors.length} vectors`);
  for (const v of vectors) assert.ok(typeof v.ds === 'string' && Array.isArray(v.tags) && typeof v.hidden === 'boolean' && v.why, JSON.stringify(v));
});

for (const v of vectors) {
  test(`tags of ${JSON.stringify(v.ds)}: ${v.why}`, () => {
    assert.deepEqual(parseTags(v.ds), v.tags);
    assert.equal(isHidden(v.ds), v.hidden);
  });
}

test('the CSV export has the vectors\' tags and leaves out the hidden ones', () => {
  const records = vectors.map((v, i) => ({ key: `k${String(i).padStart(3, '0')}`, t1: 1767258000 + i, t2: 1767258060 + i, ds: v.ds, mt: 1 }));
  const rows = parseCsv(recordsCsv(records, 'unix'), ',');
  assert.deepEqual(rows[0], ['key', 'start', 'stop', 'tags', 'description']);
  const byKey = new Map(rows.slice(1).map((r) => [r[0], r]));
  records.forEach((r, i) => {
    const v = vectors[i];
    if (v.hidden) {
      assert.ok(!byKey.has(r.key), `hidden ${JSON.stringify(v.ds)} exported`);
    } else {
      assert.equal(byKey.get(r.key)?.[3], v.tags.filter((t) => t !== '#untagged').join(' '), JSON.stringify(v.ds));
    }
  });
});
