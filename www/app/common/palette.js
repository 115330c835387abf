// palette.js: the colour a tag has before anyone picks one: one of twelve colours, chosen
// from the tag's name (so every device and every view gives a tag the same colour without
// storing anything), and the grey of records without tags. DOM-free.
//
// The twelve keep a contrast of at least 3:1 against both the light and the dark background
// (#f4f4f4 and #16181c, also #ffffff and #1f2227), and every pair stays apart (CIELAB
// distance 15 or more, 10 from the grey) for normal vision and as protanopia, deuteranopia
// and tritanopia see them; tests/web/palette.test.mjs checks both. Neither the list nor the
// hash may change: a tag keeps its colour across versions.

export const TAG_PALETTE = [
  '#378cff', // blue
  '#d27341', // orange
  '#5a7850', // moss
  '#d21941', // crimson
  '#7d3cff', // violet
  '#b98205', // ochre
  '#7d87cd', // periwinkle
  '#8750c3', // purple
  '#3c7d6e', // teal
  '#fa468c', // pink
  '#a05a05', // brown
  '#965596', // mauve
];

/** Records without tags ("#untagged") and the "General" group. */
export const UNTAGGED_COLOR = '#8c8c8c';

/** FNV-1a (32 bit) over the UTF-16 code units of s: small, fast and the same everywhere. */
export function nameHash(s) {
  let x = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    x ^= s.charCodeAt(i);
    x = Math.imul(x, 0x01000193) >>> 0;
  }
  return x >>> 0;
}

/** The default colour of a tag ("#work"), from its name; grey for "#untagged". */
export function defaultTagColor(tag) {
  if (!tag || tag === '#untagged') return UNTAGGED_COLOR;
  return TAG_PALETTE[nameHash(tag) % TAG_PALETTE.length];
}
