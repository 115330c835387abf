// Share links (docs/api.md, "Extensions of ours: shares and teams"): making, listing and revoking them with a webtoken,
// and what a link's token may do: GET records and GET settings of what it shares, and
// nothing else (403 on every other path and method, 401 once revoked or expired).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jwtKey, now, request, signJwt, decodeJwt } from '../lib/harness.mjs';
import { assertError, assertJson, serverFixture } from '../lib/apitest.mjs';

const users = { sara: 'pw-sara', otto: 'pw-otto' };
const S = serverFixture({ users });

const DAY = 86400;
const rec = (key, t1, t2, ds) => ({ key, t1, t2, ds, mt: 100, st: 0 });

// Sara's records: #acme work in two months, a hidden one, other clients, a combination.
const T0 = Date.UTC(2024, 2, 4, 9) / 1000; // Monday 4 March 2024, 09:00 UTC
const RECORDS = [
  rec('a1', T0, T0 + 3600, 'design #acme'),
  rec('a2', T0 + DAY, T0 + DAY + 1800, 'call #acme #travel'),
  rec('a3', T0 - 30 * DAY, T0 - 30 * DAY + 600, 'february #acme'),
  rec('h1', T0 + 2 * DAY, T0 + 2 * DAY + 600, 'HIDDEN #acme deleted'),
  rec('o1', T0 + 3 * DAY, T0 + 3 * DAY + 600, 'other client #globex'),
  rec('u1', T0 + 4 * DAY, T0 + 4 * DAY + 600, 'no tags at all'),
];
const SETTINGS = [
  { key: 'taginfo #acme', value: { color: '#ff0000' }, mt: 1, st: 0 },
  { key: 'taginfo #globex', value: { color: '#00ff00' }, mt: 1, st: 0 },
  { key: 'taginfo #acme #travel', value: { color: '#0000ff' }, mt: 1, st: 0 },
  { key: 'tagwatch_rates', value: { '#acme': 80, '#acme #travel': 40, '#globex': 120 }, mt: 1, st: 0 },
  { key: 'tagwatch_currency', value: 'EUR', mt: 1, st: 0 },
  { key: 'date_repr', value: 'yyyy-mm-dd', mt: 1, st: 0 },
];
const MARCH = `${Date.UTC(2024, 2, 1) / 1000}-${Date.UTC(2024, 3, 1) / 1000 - 1}`;

let seeded = false;
async function sara() {
  const c = S.api(await S.token('sara'));
  if (!seeded) {
    assertJson(await c.put('records', RECORDS));
    assertJson(await c.put('settings', SETTINGS));
    seeded = true;
  }
  return c;
}
async function makeShare(body) {
  const c = await sara();
  return assertJson(await c.post('shares', { title: 'Acme, March', tags: ['#acme'], timerange: MARCH, ...body }));
}
const keys = (records) => records.map((r) => r.key).sort();
const ALL = '0-9999999999';

test('POST shares makes a link; GET shares lists it with its token', async () => {
  const made = await makeShare({ expires: null });
  assert.deepEqual(Object.keys(made).sort(), ['id', 'token']);
  assert.ok(made.id.length >= 20, 'the id holds 16 random bytes');
  const claims = decodeJwt(made.token);
  assert.equal(claims.username, 'sara');
  assert.equal(claims.share, made.id);
  const list = assertJson(await (await sara()).get('shares')).shares;
  const mine = list.find((s) => s.id === made.id);
  assert.ok(mine, 'the new link is listed');
  assert.equal(mine.title, 'Acme, March');
  assert.deepEqual(mine.tags, ['#acme']);
  assert.equal(mine.timerange, MARCH);
  assert.equal(mine.expires, null);
  assert.ok(Math.abs(mine.created - now()) < 120);
  assert.equal(mine.token, made.token);
  assert.equal(mine.period, undefined);
});

test('two links never share an id or a token', async () => {
  const a = await makeShare({});
  const b = await makeShare({});
  assert.notEqual(a.id, b.id);
  assert.notEqual(a.token, b.token);
  assert.notEqual(decodeJwt(a.token).seed, decodeJwt(b.token).seed);
});

test("a link's token reads the records of its tags and period, never hidden ones", async () => {
  const { token } = await makeShare({});
  const link = S.api(token);
  const body = assertJson(await link.get(`records?timerange=${ALL}`));
  assert.deepEqual(keys(body.records), ['a1', 'a2']);
  assert.equal(body.share.title, 'Acme, March');
  assert.equal(body.share.owner, 'sara');
  assert.equal(body.share.t1, Date.UTC(2024, 2, 1) / 1000);
  // the asked range narrows it further
  const narrow = assertJson(await link.get(`records?timerange=${T0 + DAY}-${T0 + DAY + 60}`));
  assert.deepEqual(keys(narrow.records), ['a2']);
  // a range outside the link's period: nothing
  assert.deepEqual(assertJson(await link.get(`records?timerange=0-${T0 - 20 * DAY}`)).records, []);
  // hidden records, even when asked for
  assert.deepEqual(assertJson(await link.get(`records?timerange=${ALL}&hidden=1`)).records, []);
  // the records come back as stored
  assert.equal(body.records.find((r) => r.key === 'a1').ds, 'design #acme');
  // bad queries are still 400
  assertError(await link.get('records'), 400, { prefix: 'bad request:' });
  assertError(await link.get('records?timerange=x'), 400, { prefix: 'bad request:' });
});

test('a link with several tags shares only records that carry all of them', async () => {
  const { token } = await makeShare({ tags: ['acme', '#Travel'] });
  assert.deepEqual(keys(assertJson(await S.api(token).get(`records?timerange=${ALL}`)).records), ['a2']);
});

test('a link without tags shares every record of its period that is not hidden', async () => {
  const { token } = await makeShare({ tags: [] });
  assert.deepEqual(keys(assertJson(await S.api(token).get(`records?timerange=${ALL}`)).records), ['a1', 'a2', 'o1', 'u1']);
  // its settings: the colours of the tags of those records
  const settings = assertJson(await S.api(token).get('settings')).settings.map((s) => s.key).sort();
  assert.deepEqual(settings, ['taginfo #acme', 'taginfo #acme #travel', 'taginfo #globex']);
});

test("GET settings with a link's token answers only its tags' taginfo; rates only with amounts", async () => {
  const { token } = await makeShare({});
  const plain = assertJson(await S.api(token).get('settings')).settings;
  assert.deepEqual(plain.map((s) => s.key), ['taginfo #acme']);
  assert.deepEqual(plain[0].value, { color: '#ff0000' });

  const withAmounts = await makeShare({ amounts: true });
  const settings = assertJson(await S.api(withAmounts.token).get('settings')).settings;
  const byKey = Object.fromEntries(settings.map((s) => [s.key, s.value]));
  assert.deepEqual(Object.keys(byKey).sort(), ['taginfo #acme', 'tagwatch_currency', 'tagwatch_rates']);
  assert.equal(byKey.tagwatch_currency, 'EUR');
  // the rates of its records' tags, not another client's
  assert.deepEqual(byKey.tagwatch_rates, { '#acme': 80, '#acme #travel': 40 });
});

test('a rolling period follows the calendar in the time zone of the link', async () => {
  const c = await sara();
  const d = new Date();
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
  const lastMonthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1) / 1000;
  assertJson(await c.put('records', [
    rec('this-month', monthStart + 60, monthStart + 120, 'now #rolling'),
    rec('last-month', lastMonthStart + 60, lastMonthStart + 120, 'before #rolling'),
  ]));
  const thisMonth = await makeShare({ tags: ['rolling'], timerange: undefined, period: 'thismonth', timezone: 'UTC' });
  const a = assertJson(await S.api(thisMonth.token).get(`records?timerange=${ALL}`));
  assert.deepEqual(keys(a.records), ['this-month']);
  assert.equal(a.share.period, 'thismonth');
  assert.equal(a.share.t1, monthStart);
  const lastMonth = await makeShare({ tags: ['rolling'], timerange: undefined, period: 'lastmonth', timezone: 'UTC' });
  const b = assertJson(await S.api(lastMonth.token).get(`records?timerange=${ALL}`));
  assert.deepEqual(keys(b.records), ['last-month']);
  assert.equal(b.share.t1, lastMonthStart);
  assert.equal(b.share.t2, monthStart - 1);
  // weeks start where the link says, midnight where the link says
  const week = await makeShare({ tags: ['rolling'], timerange: undefined, period: 'thisweek', timezone: 'Asia/Tokyo', week_start: 0 });
  const w = assertJson(await S.api(week.token).get(`records?timerange=${ALL}`)).share;
  const tokyo = new Date((w.t1 + 9 * 3600) * 1000);
  assert.equal(tokyo.getUTCDay(), 0, 'a Sunday in Tokyo');
  assert.equal(tokyo.getUTCHours() + tokyo.getUTCMinutes(), 0, 'at midnight in Tokyo');
  assert.equal(w.t2 - w.t1 + 1, 7 * DAY);
  assert.ok(w.t1 <= now() && now() <= w.t2);
});

// Every token path and method but GET records and GET settings.
const OTHER_PATHS = [
  ['GET', 'version'], ['GET', 'updates?since=0'], ['PUT', 'records'], ['PUT', 'settings'],
  ['PUT', 'forcereset'], ['GET', 'webtoken'], ['GET', 'apitoken'], ['GET', 'webtoken?reset=1'],
  ['GET', 'shares'], ['POST', 'shares'], ['DELETE', 'shares?id=x'], ['GET', 'teams'],
  ['GET', 'teams/records?team=x&timerange=0-1'], ['POST', 'records'], ['DELETE', 'records'],
  ['PATCH', 'settings'], ['POST', 'settings'], ['HEAD', 'records?timerange=0-1'], ['GET', 'nosuchpath'],
  ['POST', ''], ['PUT', 'version'],
];

test("a link's token is refused with 403 on every other path and method, and writes nothing", async () => {
  const { token } = await makeShare({});
  const link = S.api(token);
  for (const [method, path] of OTHER_PATHS) {
    const body = ['PUT', 'POST', 'PATCH'].includes(method) ? JSON.stringify([rec('evil', 1, 2, 'x #acme')]) : undefined;
    const a = await link.request(method, path, { body });
    if (method === 'HEAD') {
      assert.equal(a.status, 403, `HEAD ${path}`);
      continue;
    }
    assertError(a, 403, { prefix: 'forbidden:' });
  }
  // nothing was written or reset: sara's own view
  const c = await sara();
  const all = assertJson(await c.get(`records?timerange=${ALL}`)).records;
  assert.ok(!all.some((r) => r.key === 'evil'));
  assert.ok(all.some((r) => r.key === 'a1'));
  assertJson(await c.get('updates?since=0'));
});

test('an apitoken can neither make, list nor revoke links (403)', async () => {
  const c = await sara();
  const apiToken = assertJson(await c.get('apitoken')).token;
  const api = S.api(apiToken);
  assertError(await api.get('shares'), 403, { prefix: 'forbidden:' });
  assertError(await api.post('shares', { title: 't', tags: [], timerange: MARCH }), 403, { prefix: 'forbidden:' });
  const { id } = await makeShare({});
  assertError(await api.request('DELETE', `shares?id=${id}`), 403, { prefix: 'forbidden:' });
  assert.ok(assertJson(await c.get('shares')).shares.some((s) => s.id === id), 'still there');
});

test('DELETE shares revokes one link at once; the others keep working', async () => {
  const keep = await makeShare({});
  const gone = await makeShare({});
  const c = await sara();
  assertJson(await S.api(gone.token).get(`records?timerange=${ALL}`));
  assert.deepEqual(assertJson(await c.request('DELETE', `shares?id=${gone.id}`)), { status: 'ok' });
  assertError(await S.api(gone.token).get(`records?timerange=${ALL}`), 401, { prefix: 'unauthorized:', includes: 'revoked' });
  assertError(await S.api(gone.token).get('settings'), 401, { prefix: 'unauthorized:', includes: 'revoked' });
  assertError(await S.api(gone.token).get('version'), 401, { prefix: 'unauthorized:' });
  assertJson(await S.api(keep.token).get(`records?timerange=${ALL}`));
  assert.ok(!assertJson(await c.get('shares')).shares.some((s) => s.id === gone.id));
  // again: not found
  assertError(await c.request('DELETE', `shares?id=${gone.id}`), 404, { prefix: 'not found:' });
  assertError(await c.request('DELETE', 'shares'), 400, { prefix: 'bad request:' });
});

test("another user can neither see, revoke nor borrow someone's link", async () => {
  const mine = await makeShare({});
  const otto = S.api(await S.token('otto'));
  assert.ok(!assertJson(await otto.get('shares')).shares.some((s) => s.id === mine.id));
  assertError(await otto.request('DELETE', `shares?id=${mine.id}`), 404, { prefix: 'not found:' });
  assertJson(await S.api(mine.token).get(`records?timerange=${ALL}`));
  // the same share id and secret under otto's name (signed with the server's key): refused
  const claims = decodeJwt(mine.token);
  const forged = signJwt({ ...claims, username: 'otto' }, jwtKey(S.server.datadir));
  assertError(await S.api(forged).get(`records?timerange=${ALL}`), 401, { prefix: 'unauthorized:' });
  // a link token with another secret for sara's share: refused
  const wrongSecret = signJwt({ ...claims, seed: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, jwtKey(S.server.datadir));
  assertError(await S.api(wrongSecret).get(`records?timerange=${ALL}`), 401, { prefix: 'unauthorized:', includes: 'revoked' });
  // a share claim that is not a string, or names no share of hers: refused
  for (const share of [5, null, 'no-such-share']) {
    const bad = signJwt({ ...claims, share }, jwtKey(S.server.datadir));
    assertError(await S.api(bad).get(`records?timerange=${ALL}`), 401, { prefix: 'unauthorized:' });
  }
  // and a link token never passes as sara's webtoken
  const asWebtoken = signJwt({ username: 'sara', expires: claims.expires, seed: claims.seed }, jwtKey(S.server.datadir));
  assertError(await S.api(asWebtoken).get('version'), 401, { prefix: 'unauthorized:' });
});

test('an expired link is refused with 401 saying so', async () => {
  const { token, id } = await makeShare({ expires: Math.ceil(now()) + 2 });
  assertJson(await S.api(token).get(`records?timerange=${ALL}`));
  // wait for what can be seen: the answer turning into 401
  let a;
  const deadline = Date.now() + 15000;
  do a = await S.api(token).get(`records?timerange=${ALL}`); while (a.status === 200 && Date.now() < deadline);
  assertError(a, 401, { prefix: 'unauthorized:', includes: 'expired' });
  assertError(await S.api(token).get('settings'), 401, { prefix: 'unauthorized:', includes: 'expired' });
  // still listed for its owner, with its expiry, until revoked
  const listed = assertJson(await (await sara()).get('shares')).shares.find((s) => s.id === id);
  assert.ok(listed.expires < now());
});

test('POST shares refuses bad bodies with 400 saying what is wrong', async () => {
  const c = await sara();
  const cases = [
    ['[]', 'object'],
    ['not json', 'JSON'],
    [{ tags: [], timerange: MARCH }, 'title'],
    [{ title: 5, timerange: MARCH }, 'title'],
    [{ title: 'x'.repeat(256), timerange: MARCH }, 'title'],
    [{ title: 't', tags: 'acme', timerange: MARCH }, 'tags'],
    [{ title: 't', tags: ['two words'], timerange: MARCH }, 'not a tag'],
    [{ title: 't', tags: [] }, 'timerange'],
    [{ title: 't', timerange: MARCH, period: 'thismonth' }, 'either'],
    [{ title: 't', period: 'nextweek' }, 'period'],
    [{ title: 't', timerange: '5-1' }, 'timerange'],
    [{ title: 't', timerange: 'a-b' }, 'timerange'],
    [{ title: 't', timerange: MARCH, expires: 'soon' }, 'expires'],
    [{ title: 't', timerange: MARCH, expires: 1000 }, 'past'],
    [{ title: 't', period: 'thisweek', timezone: 'Mars/Olympus' }, 'timezone'],
    [{ title: 't', period: 'thisweek', timezone: '../../etc/passwd' }, 'timezone'],
    [{ title: 't', period: 'thisweek', week_start: 7 }, 'week_start'],
    [{ title: 't', timerange: MARCH, amounts: 'yes' }, 'amounts'],
  ];
  for (const [body, word] of cases) {
    assertError(await c.post('shares', body), 400, { prefix: 'bad request:', includes: word });
  }
  assertError(await c.request('PUT', 'shares', { body: '{}' }), 405, { exact: 'method not allowed: /shares can only be used with GET, POST and DELETE' });
});

test('share paths need a token like every other (401 without)', async () => {
  const anon = S.api();
  assertError(await anon.get('shares'), 401, { prefix: 'unauthorized:' });
  assertError(await anon.post('shares', {}), 401, { prefix: 'unauthorized:' });
});

test("the link's page is served at P share, as a page of its own", async () => {
  const a = await request(S.server.baseUrl + S.server.prefix + 'share');
  assert.equal(a.status, 200);
  assert.match(a.contentType, /^text\/html/);
  assert.match(a.text, /<title>Shared report/);
  assert.match(a.text, /app\/pages\/share\.js/);
});
