// The modules the app needs to start (the static imports of main.js, the shell, the timeline
// and the overview) are all preloaded by www/app/index.html, so the browser fetches them at
// once instead of one level of imports after another, and all precached by the service
// worker (www/app/sw.js), so the app starts offline.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const APP = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../www/app');
const read = (f) => fs.readFileSync(path.join(APP, f), 'utf8');

/** Relative static imports of a module, as paths under www/app/. */
function staticImports(file) {
  const out = [];
  for (const m of read(file).matchAll(/^\s*(?:import|export)\s[^'"]*?from\s*'(\.[^']+)'|^\s*import\s*'(\.[^']+)'/gm)) {
    out.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1] || m[2])));
  }
  return out;
}

function startGraph() {
  const seen = new Set();
  const walk = (f) => {
    if (seen.has(f)) return;
    assert.ok(fs.existsSync(path.join(APP, f)), `${f} exists`);
    seen.add(f);
    for (const d of staticImports(f)) walk(d);
  };
  // main.js, and what it and the shell import() at start
  for (const entry of ['main.js', 'shell/app.js', 'timeline/index.js', 'insight/index.js']) walk(entry);
  return seen;
}

test('index.html preloads every module of the start, and nothing else', () => {
  const graph = startGraph();
  graph.delete('main.js'); // the page's own script
  const preloaded = [...read('index.html').matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual([...preloaded].sort(), [...graph].sort());
  assert.ok(graph.size > 20, `${graph.size} modules`);
});

test('the service worker precaches every module of the start', () => {
  const sw = read('sw.js');
  const listed = new Set([...sw.matchAll(/'([a-z][\w/.-]*\.(?:js|css))'/g)].map((m) => m[1]));
  const missing = [...startGraph()].filter((f) => !listed.has(f));
  assert.deepEqual(missing, []);
  for (const f of listed) assert.ok(fs.existsSync(path.join(APP, f)), `sw.js lists ${f}, which exists`);
});
