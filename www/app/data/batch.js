// batch.js: how the sync loop splits queued items into PUT bodies under a byte limit (so a
// host with mod_fcgid's 128 KiB request limit works) and how it backs off after failures.
// DOM-free.

export const MAX_BATCH_BYTES = 100 * 1024 - 1024; // stay under 100 KiB with room for headers

const enc = new TextEncoder();

/** UTF-8 byte length of a string. */
export function byteLength(s) {
  return enc.encode(s).length;
}

/**
 * Split items into arrays whose JSON text (as sent: "[" items joined by "," "]") is at most
 * maxBytes. An item that alone exceeds the limit goes in a batch of its own (the server will
 * judge it). Returns [{ items, body }].
 */
export function makeBatches(items, maxBytes = MAX_BATCH_BYTES) {
  const batches = [];
  let cur = [], curJson = [], size = 2;
  for (const item of items) {
    const json = JSON.stringify(item);
    const n = byteLength(json) + (cur.length ? 1 : 0);
    if (cur.length && size + n > maxBytes) {
      batches.push({ items: cur, body: '[' + curJson.join(',') + ']' });
      cur = []; curJson = []; size = 2;
    }
    size += cur.length ? byteLength(json) + 1 : byteLength(json);
    cur.push(item); curJson.push(json);
  }
  if (cur.length) batches.push({ items: cur, body: '[' + curJson.join(',') + ']' });
  return batches;
}

/**
 * Delay in ms before the next attempt after `failures` consecutive failures: 2 s, 4 s, 8 s, ...
 * capped at 2 minutes, with up to 20% jitter (`rand` in [0,1)) so many clients do not retry
 * in step after a server restart. 0 failures: the normal poll interval.
 */
export function backoffDelay(failures, { base = 2000, cap = 120000, poll = 10000, rand = Math.random() } = {}) {
  if (failures <= 0) return poll;
  const d = Math.min(cap, base * 2 ** (failures - 1));
  return Math.round(d * (1 + 0.2 * rand));
}
