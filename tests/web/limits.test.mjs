// The client measures what the server limits as the server does (www/app/data/merge.js against
// tests/fixtures/limits.json, written with Python's json module): keys and descriptions in
// code points, a setting's value as Python's json.dumps writes it. What the server would
// refuse is not kept, and the put says why.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { codePoints, pyJsonLength, validateRecord, validateSetting, settingProblem } from '../../www/app/data/merge.js';
import { StoreCore } from '../../www/app/data/core.js';

const V = JSON.parse(fs.readFileSync(new URL('../fixtures/limits.json', import.meta.url), 'utf8'));

test('keys and descriptions are counted in code points', () => {
  assert.ok(V.strings.length >= 5);
  for (const v of V.strings) {
    assert.equal(codePoints(v.text), v.code_points, v.why);
    const rec = validateRecord({ key: v.text, t1: 1, t2: 2, mt: 1 });
    assert.equal(rec !== null, v.accepted, `a record keyed: ${v.why}`);
    assert.equal(validateSetting({ key: v.text, value: 1, mt: 1 }) !== null, v.accepted, `a setting keyed: ${v.why}`);
    // a description is cut to the most the server takes, at a character boundary
    const ds = validateRecord({ key: 'k', t1: 1, t2: 2, mt: 1, ds: v.text }).ds;
    assert.equal(codePoints(ds), Math.min(v.code_points, 255), `a description: ${v.why}`);
    assert.ok(v.text.startsWith(ds), `cut, not changed: ${v.why}`);
  }
});

test('a setting value is measured as Python\'s json.dumps writes it', () => {
  assert.ok(V.values.length >= 8);
  for (const v of V.values) {
    if (v.python_json !== null) assert.equal(v.python_json.length, v.python_json_length, v.why);
    assert.equal(pyJsonLength(v.value), v.python_json_length, v.why);
    assert.equal(validateSetting({ key: 'x', value: v.value, mt: 1 }) !== null, v.accepted, v.why);
  }
  assert.equal(pyJsonLength(NaN), -1);
  assert.equal(pyJsonLength({ a: undefined, b: 1 }), '{"b": 1}'.length, 'undefined members are left out, as JSON.stringify does');
  const cyclic = {};
  cyclic.self = cyclic;
  assert.match(settingProblem({ key: 'c', value: cyclic }), /cannot be written as JSON/);
});

test('a local put leaves out what the server would refuse and says why', () => {
  const core = new StoreCore();
  const tooLong = V.values.find((v) => !v.accepted);
  const refused = [];
  const out = core.prepareLocal('settings', [{ key: 'ok', value: [1, 2] }, { key: 'big', value: tooLong.value }], 100, refused);
  assert.deepEqual(out.map((s) => s.key), ['ok']);
  assert.equal(refused.length, 1);
  assert.equal(refused[0].key, 'big');
  assert.equal(refused[0].why, `its value is ${tooLong.python_json_length} characters long as JSON (at most 8191)`);
  const longKey = V.strings.find((s) => !s.accepted).text;
  const r2 = [];
  core.prepareLocal('records', [{ key: longKey, t1: 1, t2: 2 }], 100, r2);
  assert.match(r2[0].why, /^its key has \d+ characters \(at most 255\)$/);
});
