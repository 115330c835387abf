// The tags' own colours (www/app/common/palette.js): stable from the name (the same on every
// device and in every version), spread over the whole palette, legible on the light and the
// dark background, and told apart by colour-blind eyes (simulated with Machado et al. 2009).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TAG_PALETTE, UNTAGGED_COLOR, nameHash, defaultTagColor } from '../../www/app/common/palette.js';
import { colorForTags } from '../../www/app/data/actions.js';

const channel = (c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
const linear = (hex) => [1, 3, 5].map((i) => channel(parseInt(hex.slice(i, i + 2), 16)));
const luminance = (hex) => { const [r, g, b] = linear(hex); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };

// colour vision deficiencies at full severity, on linear RGB (Machado, Oliveira, Fernandes 2009)
const CVD = {
  normal: null,
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
};
function lab(hex, m) {
  let c = linear(hex);
  if (m) c = m.map((row) => Math.min(1, Math.max(0, row[0] * c[0] + row[1] * c[1] + row[2] * c[2])));
  const [r, g, b] = c;
  const X = 0.4124 * r + 0.3576 * g + 0.1805 * b, Y = 0.2126 * r + 0.7152 * g + 0.0722 * b, Z = 0.0193 * r + 0.1192 * g + 0.9505 * b;
  const f = (t) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  const fx = f(X / 0.95047), fy = f(Y), fz = f(Z / 1.08883);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

test('FNV-1a as everywhere else (published test vectors)', () => {
  assert.equal(nameHash(''), 0x811c9dc5);
  assert.equal(nameHash('a'), 0xe40c292c);
  assert.equal(nameHash('foobar'), 0xbf9cf968);
});

test('a tag keeps its colour: from its name alone, the same in every version', () => {
  // changing these moves every user's tags to other colours: never
  const pinned = { '#work': '#d21941', '#client1': '#378cff', '#meeting': '#965596', '#admin': '#b98205',
    '#reading': '#7d87cd', '#café': '#8750c3', '#日本': '#8750c3', '#a': '#b98205' };
  for (const [tag, color] of Object.entries(pinned)) assert.equal(defaultTagColor(tag), color, tag);
  assert.equal(defaultTagColor('#untagged'), UNTAGGED_COLOR);
  assert.equal(defaultTagColor(''), UNTAGGED_COLOR);
  // a record's colour does not depend on what else is stored
  const none = () => undefined;
  assert.equal(colorForTags(none, ['#work']), '#d21941');
  assert.equal(colorForTags(none, ['#client1', '#work']), '#378cff');
});

test('tags spread over the whole palette', () => {
  const counts = new Map(TAG_PALETTE.map((c) => [c, 0]));
  const n = 6000;
  for (let i = 0; i < n; i++) { const c = defaultTagColor(`#project-${i}`); counts.set(c, counts.get(c) + 1); }
  assert.equal(counts.size, TAG_PALETTE.length, 'nothing outside the palette');
  const even = n / TAG_PALETTE.length;
  for (const [c, k] of counts) assert.ok(k > even * 0.8 && k < even * 1.2, `${c}: ${k} of ${n}`);
  // neighbouring names (#client1, #client2, ...) do not share one colour
  const clients = new Set(Array.from({ length: 8 }, (_, i) => defaultTagColor(`#client${i + 1}`)));
  assert.ok(clients.size >= 5, `8 clients get ${clients.size} colours`);
});

test('every colour stands out against the light and the dark background (3:1)', () => {
  assert.equal(new Set(TAG_PALETTE).size, TAG_PALETTE.length);
  for (const c of [...TAG_PALETTE, UNTAGGED_COLOR]) {
    assert.match(c, /^#[0-9a-f]{6}$/);
    for (const bg of ['#ffffff', '#f4f4f4', '#16181c', '#1f2227']) {
      assert.ok(contrast(c, bg) >= 3, `${c} on ${bg}: ${contrast(c, bg).toFixed(2)}`);
    }
  }
});

test('every pair of colours stays apart for normal and colour-blind vision', () => {
  for (const [vision, m] of Object.entries(CVD)) {
    let worst = Infinity, pair = null;
    for (let i = 0; i < TAG_PALETTE.length; i++) {
      for (let j = i + 1; j < TAG_PALETTE.length; j++) {
        const [a, b] = [lab(TAG_PALETTE[i], m), lab(TAG_PALETTE[j], m)];
        const d = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
        if (d < worst) { worst = d; pair = [TAG_PALETTE[i], TAG_PALETTE[j]]; }
      }
    }
    assert.ok(worst >= 15, `${vision}: ${pair.join(' and ')} only ${worst.toFixed(1)} apart`);
  }
  // and the untagged grey is not mistaken for a tag's colour by anyone
  for (const [vision, m] of Object.entries(CVD)) {
    const g = lab(UNTAGGED_COLOR, m);
    for (const c of TAG_PALETTE) {
      const x = lab(c, m);
      assert.ok(Math.hypot(g[0] - x[0], g[1] - x[1], g[2] - x[2]) >= 10, `${vision}: grey vs ${c}`);
    }
  }
});
