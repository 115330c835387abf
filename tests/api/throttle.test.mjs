// Login throttling under parallel guesses (docs/api.md, "Bootstrapping a first webtoken"): an
// attempt is counted and the limits checked in one step, so however many processes answer
// at once (FastCGI workers, Apache's CGI processes, mod_fcgid), no more guesses are checked
// than the limits allow: 5 per user name, 20 per address (the example configs give every
// login the proxy's address, 127.0.0.1) within the window. Runs through every frontend.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertError, assertJson } from '../lib/apitest.mjs';
import { credentials, login, startServer } from '../lib/harness.mjs';

// Sends all logins at once; answers the statuses, counted.
async function inParallel(server, bodies) {
  const answers = await Promise.all(bodies.map((b) => login(server, { method: 'usernamepassword', ...b })));
  const counts = {};
  for (const a of answers) counts[a.status] = (counts[a.status] || 0) + 1;
  return { answers, counts };
}

test('10 parallel wrong guesses for one user: exactly 5 are checked, the others answer 429', async () => {
  const server = await startServer({ workers: 4, env: { TAGWATCH_CREDENTIALS: credentials({ victim: 'the-right-one' }) } });
  try {
    const guesses = Array.from({ length: 10 }, (_, i) => ({ username: 'victim', password: `guess-${i}` }));
    const { answers, counts } = await inParallel(server, guesses);
    assert.deepEqual(counts, { 403: 5, 429: 5 }, answers.map((a) => `${a.status} ${a.text}`).join('\n'));
    for (const a of answers) {
      if (a.status === 403) assertError(a, 403, { exact: 'Invalid credentials' });
      else {
        assertError(a, 429, { prefix: 'too many requests:' });
        assert.ok(Number(a.headers['retry-after']) > 0, `Retry-After: ${a.headers['retry-after']}`);
      }
    }
    // The right password is not checked either while the user is blocked.
    assertError(await login(server, { method: 'usernamepassword', username: 'victim', password: 'the-right-one' }), 429,
      { prefix: 'too many requests:' });
  } finally {
    await server.stop();
  }
});

test('40 parallel wrong guesses from one address for 40 users: exactly 20 are checked', async () => {
  const users = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`user${i}`, `pw-${i}`]));
  const server = await startServer({ workers: 4, env: { TAGWATCH_CREDENTIALS: credentials(users) } });
  try {
    const guesses = Object.keys(users).map((u) => ({ username: u, password: 'wrong' }));
    const { answers, counts } = await inParallel(server, guesses);
    assert.deepEqual(counts, { 403: 20, 429: 20 }, answers.map((a) => `${a.status} ${a.text}`).join('\n'));
    // A user whose own count is clean is refused as well: the address is at its limit.
    assertError(await login(server, { method: 'usernamepassword', username: 'user0', password: 'pw-0' }), 429,
      { prefix: 'too many requests:' });
  } finally {
    await server.stop();
  }
});

test('parallel right passwords all log in, and leave no failure behind', async () => {
  const server = await startServer({ workers: 4, env: { TAGWATCH_CREDENTIALS: credentials({ busy: 'busy-pass' }) } });
  try {
    // Four at once stay under the limit of five that each pending attempt counts against.
    for (let round = 0; round < 3; round++) {
      const { answers, counts } = await inParallel(server, Array.from({ length: 4 }, () => ({ username: 'busy', password: 'busy-pass' })));
      assert.deepEqual(counts, { 200: 4 }, answers.map((a) => `${a.status} ${a.text}`).join('\n'));
      for (const a of answers) assertJson(a);
    }
  } finally {
    await server.stop();
  }
});
