// The modules the app needs to start (the static imports of main.js, the shell, the timeline
// and the overview) are all preloaded by www/app/index.html, so the browser fetches them at
// once instead of one level of imports after another, and all precached by the service
// worker (www/app/sw.js), so the app starts offline; and so is everything it loads later
// (the dialogs, the list, the insight pages, their stylesheets), so each opens offline.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const APP = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../www/app');
const read = (f) => fs.readFileSync(path.join(APP, f), 'utf8');

/** A path relative to the module `from`, as a path under www/app/. */
const resolve = (from, rel) => path.posix.normalize(path.posix.join(path.posix.dirname(from), rel));

/** Relative static imports of a module, as paths under www/app/. */
function staticImports(file) {
  return [...read(file).matchAll(/^\s*(?:import|export)\s[^'"]*?from\s*'(\.[^']+)'|^\s*import\s*'(\.[^']+)'/gm)].map((m) => resolve(file, m[1] || m[2]));
}

/** What a module loads on demand: import() and stylesheets named with new URL(..., import.meta.url). */
function laterLoads(file) {
  const src = read(file).replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, ''); // code, not comments
  return [...src.matchAll(/import\(\s*'(\.[^']+)'\s*\)|new URL\(\s*'(\.[^']+\.(?:css|js))'\s*,\s*import\.meta\.url\)/g)].map((m) => resolve(file, m[1] || m[2]));
}

/** The files reachable from `entries` by static imports, and with `later` by what loads on demand too. */
function reachable(entries, { later = false } = {}) {
  const seen = new Set();
  const walk = (f) => {
    if (seen.has(f)) return;
    assert.ok(fs.existsSync(path.join(APP, f)), `${f} exists`);
    seen.add(f);
    if (!f.endsWith('.js')) return;
    for (const d of staticImports(f)) walk(d);
    if (later) for (const d of laterLoads(f)) walk(d);
  };
  for (const e of entries) walk(e);
  return seen;
}

// main.js, and what it and the shell import() at start
const startGraph = () => reachable(['main.js', 'shell/app.js', 'timeline/index.js', 'insight/index.js']);
const swLists = () => new Set([...read('sw.js').matchAll(/'([a-z][\w/.-]*\.(?:js|css))'/g)].map((m) => m[1]));

test('index.html preloads every module of the start, and nothing else', () => {
  const graph = startGraph();
  graph.delete('main.js'); // the page's own script
  const preloaded = [...read('index.html').matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
  assert.deepEqual([...preloaded].sort(), [...graph].sort());
  assert.ok(graph.size > 20, `${graph.size} modules`);
});

test('the service worker precaches every module of the start', () => {
  const listed = swLists();
  const missing = [...startGraph()].filter((f) => !listed.has(f));
  assert.deepEqual(missing, []);
  for (const f of listed) assert.ok(fs.existsSync(path.join(APP, f)), `sw.js lists ${f}, which exists`);
});

test('the service worker precaches every file the app loads later, so each opens offline', () => {
  const listed = swLists();
  const all = reachable(['main.js'], { later: true });
  for (const f of ['dialogs/record.js', 'shell/list.js', 'shell/conflicts.js', 'later.css', 'insight/pages.css', 'insight/reports-ui.js']) {
    assert.ok(all.has(f), `${f} is found among what the app loads`);
  }
  assert.deepEqual([...all].filter((f) => !listed.has(f)), []);
});
