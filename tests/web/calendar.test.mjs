// The app's one calendar in several time zones: runs tests/web/calendar-cases.mjs in one
// process per zone (TZ set for that process), across every DST change of each zone.
// Midnight DST changes (America/Santiago, America/Havana), Europe/Amsterdam, America/New_York,
// a half-hour offset without DST (Asia/Kolkata) and a 30-minute DST (Australia/Lord_Howe).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CASES = fileURLToPath(new URL('./calendar-cases.mjs', import.meta.url));
const ZONES = ['America/Santiago', 'America/Havana', 'Europe/Amsterdam', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe'];

function runIn(zone) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, TZ: zone };
    delete env.NODE_TEST_CONTEXT; // a test run of its own, not a part of this one
    const child = spawn(process.execPath, ['--test', '--test-reporter=spec', CASES], { env });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

for (const zone of ZONES) {
  test(`the calendar in ${zone}`, async () => {
    const { code, out } = await runIn(zone);
    assert.equal(code, 0, out);
    assert.match(out, /ℹ fail 0/, out);
    assert.doesNotMatch(out, /ℹ pass 0\b/, out);
  });
}
