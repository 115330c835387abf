// The developer's tools run as a developer runs them: `make run`'s tools/dev-server.sh (the
// data folder it serves and its mode, stopped by its pid), tests/run.sh's summary and the
// layer check tools/check-layers.sh. Each runs in a tree of its own under build/tmp (the
// tools with links to the program, www/ and the nginx example, or made-up sources), so a
// `make run` of the checkout is never touched.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { api, freePort, loginLocal, ROOT, tmpDir, userFile } from '../lib/harness.mjs';
import { alive, descendants, start, stop, waitFor } from './lib/proc.mjs';

// A tree that make run's script takes for a checkout: its own tools/, links to the rest.
function devTree() {
  const tree = tmpDir('devtree-');
  fs.mkdirSync(path.join(tree, 'tools'));
  for (const f of ['dev-server.sh', 'nginx-private.sh']) fs.copyFileSync(path.join(ROOT, 'tools', f), path.join(tree, 'tools', f));
  for (const f of ['cgi-bin', 'www', 'nginx.conf.example']) fs.symlinkSync(path.join(ROOT, f), path.join(tree, f));
  return tree;
}

// Starts the tree's dev-server.sh; resolves once it says it is running. Returns the child,
// the base URL and the pids of everything it started.
async function startDevServer(tree, env = {}, args = []) {
  const port = await freePort();
  const logFile = path.join(tree, `dev-server-${port}.log`);  // one a run: waits read only this run's
  const child = start('bash', [path.join(tree, 'tools/dev-server.sh'), ...args], {
    env: { HOME: tree, PORT: String(port), HOST: '127.0.0.1', WORKERS: '1', ...env }, logFile, cwd: tree,
  });
  await waitFor('dev-server running', () => {
    if (child.exitCode !== null) throw new Error(`dev-server ended: ${child.log()}`);
    return child.log().includes('tagwatch is running');
  }, 60000);
  return { child, url: `http://127.0.0.1:${port}`, pids: descendants(child.pid) };
}

async function stopDevServer(server) {
  await stop(server.child, { others: server.pids });
  for (const pid of server.pids) assert.ok(!alive(pid), `process ${pid} outlived the dev server`);
}

// Logs in as the local user and stores one record, so that the user's file appears.
async function writeRecord(url) {
  const token = await loginLocal(url);
  const r = await api(url, token).put('records', [{ key: 'dev1', t1: 1767258000, t2: 1767261600, mt: 1767261600, ds: '#dev' }]);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.accepted, ['dev1']);
}

const mode = (p) => fs.statSync(p).mode & 0o777;

test('make run serves the folder TAGWATCH_DATADIR names, made with mode 0700, and stops by its pid', async () => {
  const tree = devTree();
  const elsewhere = path.join(tmpDir('devdata-'), 'mine', 'data');
  const server = await startDevServer(tree, { TAGWATCH_DATADIR: elsewhere });
  try {
    assert.match(server.child.log(), new RegExp(`data in ${elsewhere.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.equal(mode(elsewhere), 0o700);
    await writeRecord(server.url);
    assert.ok(fs.existsSync(userFile(elsewhere, 'defaultuser')), 'the record went elsewhere');
    assert.ok(!fs.existsSync(path.join(tree, 'data')), './data was made although TAGWATCH_DATADIR names another folder');
  } finally {
    await stopDevServer(server);
  }
  assert.match(server.child.log(), /dev-server: stopped/);
});

test('TAGWATCH_DATABASE=postgresql://... make run serves the app from that database, its password kept out of sight', async () => {
  const { startCluster } = await import('../lib/pg.mjs');
  const cluster = await startCluster();
  try {
    const db = await cluster.createDatabase();
    await cluster.psql("ALTER USER postgres PASSWORD 's3cret'");
    const tree = devTree();
    const server = await startDevServer(tree, { TAGWATCH_DATABASE: `postgresql://postgres:s3cret@127.0.0.1:${cluster.port}/${db}` });
    try {
      assert.match(server.child.log(), /data in the PostgreSQL database postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1/);
      assert.doesNotMatch(server.child.log(), /s3cret/);
      await writeRecord(server.url);
      assert.equal((await fetch(`${server.url}/timetagger/app/`)).status, 200);
      const rows = await cluster.psql("SELECT username, t1 FROM tagwatch.records WHERE key = 'dev1'::bytea", { db });
      assert.deepEqual(rows, [['defaultuser', '1767258000']]);
      assert.ok(!fs.existsSync(userFile(path.join(tree, 'data'), 'defaultuser')), 'nothing went into ./data');
    } finally {
      await stopDevServer(server);
    }
  } finally {
    await cluster.stop();
  }
});

test('make run without a data folder setting serves ./data, made with mode 0700; one an earlier run left 0755 becomes 0700', async () => {
  const tree = devTree();
  let server = await startDevServer(tree);
  try {
    assert.equal(mode(path.join(tree, 'data')), 0o700);
    await writeRecord(server.url);
    assert.ok(fs.existsSync(userFile(path.join(tree, 'data'), 'defaultuser')));
  } finally {
    await stopDevServer(server);
  }
  fs.chmodSync(path.join(tree, 'data'), 0o755);
  server = await startDevServer(tree);
  try {
    assert.equal(mode(path.join(tree, 'data')), 0o700);
  } finally {
    await stopDevServer(server);
  }
});

test('make run takes the data folder from --datadir and from a config file, as the program does', async () => {
  const tree = devTree();
  const fromConfig = path.join(tmpDir('devdata-'), 'conf-data');
  const config = path.join(tree, 'tagwatch.conf');
  fs.writeFileSync(config, `# a comment\nDataDir = ${fromConfig}  \n`);
  let server = await startDevServer(tree, { TAGWATCH_CONFIG: config });
  try {
    await writeRecord(server.url);
    assert.ok(fs.existsSync(userFile(fromConfig, 'defaultuser')));
    assert.ok(server.child.log().includes(`data in ${fromConfig};`), server.child.log());
  } finally {
    await stopDevServer(server);
  }
  // A flag wins over the environment, as in the program.
  const fromFlag = path.join(tmpDir('devdata-'), 'flag-data');
  server = await startDevServer(tree, { TAGWATCH_DATADIR: fromConfig }, ['--datadir', fromFlag]);
  try {
    await writeRecord(server.url);
    assert.ok(fs.existsSync(userFile(fromFlag, 'defaultuser')));
    assert.equal(mode(fromFlag), 0o700);
    assert.ok(server.child.log().includes(`data in ${fromFlag};`), server.child.log());
  } finally {
    await stopDevServer(server);
  }
  assert.ok(!fs.existsSync(path.join(tree, 'data')));
});

// A fake checkout holding tests/run.sh and one suite of node tests in tests/<runner>/.
function runTree(runner, testFile) {
  const tree = tmpDir('runtree-');
  fs.mkdirSync(path.join(tree, 'tests', runner), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'tests/run.sh'), path.join(tree, 'tests/run.sh'));
  fs.writeFileSync(path.join(tree, 'tests', runner, 'x.test.mjs'), testFile);
  return tree;
}

// Runs the tree's tests/run.sh as a person would: outside this test runner (a node --test
// started under another reports to it instead of printing its counts).
function runSuite(tree, ...runners) {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return spawnSync('bash', [path.join(tree, 'tests/run.sh'), ...runners], { encoding: 'utf8', env, timeout: 60000 });
}

test('tests/run.sh: a suite that skipped every test is no success and says why', () => {
  const tree = runTree('browser', `import { test } from 'node:test';
test('needs a browser', { skip: 'no chromium at /nowhere' }, () => {});
test('needs it too', { skip: 'no chromium at /nowhere' }, () => {});
`);
  const r = runSuite(tree, 'browser');
  assert.notEqual(r.status, 0, r.stdout);
  assert.match(r.stdout, /^browser +0 passed, 1 failed \(all 2 skipped: no chromium at \/nowhere\)$/m);
  assert.match(r.stdout, /^0 passed, 1 failed$/m);
});

test('tests/run.sh: a suite that passes, some tests skipped, stays green; an unknown runner is refused', () => {
  const tree = runTree('web', `import { test } from 'node:test';
test('runs', () => {});
test('skipped', { skip: 'not here' }, () => {});
`);
  const r = runSuite(tree, 'web');
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^web +1 passed, 0 failed$/m);
  const bad = runSuite(tree, 'nosuch');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /no runner 'nosuch'/);
});

// A tree of sources for tools/check-layers.sh: { 'src/util/a.hpp': 'text', ... }.
function layerTree(files) {
  const tree = tmpDir('layers-');
  fs.mkdirSync(path.join(tree, 'tools'));
  fs.copyFileSync(path.join(ROOT, 'tools/check-layers.sh'), path.join(tree, 'tools/check-layers.sh'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(tree, name)), { recursive: true });
    fs.writeFileSync(path.join(tree, name), text);
  }
  return spawnSync('bash', [path.join(tree, 'tools/check-layers.sh')], { encoding: 'utf8' });
}

test('the layer check: the sources as they are point one way', () => {
  const r = spawnSync('bash', [path.join(ROOT, 'tools/check-layers.sh')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stdout, /^layers: \d+ passed, 0 failed$/m);
});

test('the layer check: an include of a layer above, between programs or of no layer fails, naming file and line', () => {
  const good = {
    'src/util/text.hpp': '#pragma once\n#include <string>\n',
    'src/model/tags.cpp': '#include "model/tags.hpp"\n#include "util/text.hpp"\n',
    'src/store/store.cpp': '#include "model/item.hpp"\n#include "util/utf8.hpp"\n',
    'src/api/server.cpp': '#include "http/http.hpp"\n#include "config/config.hpp"\n#include "store/store.hpp"\n',
    'src/tagwatch.hpp': '#include "api/server.hpp"\n',
    'src/main.cpp': '#include "tagwatch.hpp"\n',
    'src/admin/main.cpp': '#include "admin/admin.hpp"\n#include "store/store.hpp"\n',
    'examples/mine.cpp': '#include "tagwatch.hpp"\n',
  };
  const ok = layerTree(good);
  assert.equal(ok.status, 0, ok.stdout);
  assert.match(ok.stdout, /^layers: 8 passed, 0 failed$/m);

  const bad = layerTree({
    ...good,
    'src/util/clock.cpp': '#include "util/clock.hpp"\n\n#include "http/log.hpp"\n',     // up
    'src/store/store.hpp': '#pragma once\n#include "api/server.hpp"\n',                // up
    'src/auth/jwt.cpp': '#include "tagwatch.hpp"\n',                                   // up: the public header is api's
    'examples/other.cpp': '#include "tagwatch.hpp"\n#include "admin/admin.hpp"\n',     // a program into another
    'src/throttle/throttle.cpp': '#include "util/clock.hpp"\n',                        // a folder in no layer
    'src/model/item.cpp': '#include "nowhere/x.hpp"\n',                                // a layer that does not exist
  });
  assert.equal(bad.status, 1, bad.stdout);
  assert.match(bad.stdout, /^src\/util\/clock\.cpp:3: util includes "http\/log\.hpp", from http, a layer above it \(util → model → store → auth → config → http → api → programs\)$/m);
  assert.match(bad.stdout, /^src\/store\/store\.hpp:2: store includes "api\/server\.hpp", from api, a layer above it/m);
  assert.match(bad.stdout, /^src\/auth\/jwt\.cpp:1: auth includes "tagwatch\.hpp", from api, a layer above it/m);
  assert.match(bad.stdout, /^examples\/other\.cpp:2: examples includes "admin\/admin\.hpp", from the program admin: programs do not include each other$/m);
  assert.match(bad.stdout, /^src\/throttle\/throttle\.cpp: the folder 'throttle' is in no layer/m);
  assert.match(bad.stdout, /^src\/model\/item\.cpp:1: includes "nowhere\/x\.hpp", which is in no layer/m);
  assert.match(bad.stdout, /^layers: 8 passed, 6 failed$/m);
});
