// Helpers of the tagwatch-admin tests: run the real build/tagwatch-admin (with a clean
// environment), on data folders under build/tmp/; a terminal for the no-echo prompts
// (util-linux's `script`). Not a test file itself (no .test.mjs).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { databaseEnv, ROOT, tmpDir } from '../lib/harness.mjs';

export const ADMIN = path.join(ROOT, 'build/tagwatch-admin');

export function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(TAGWATCH|TIMETAGGER)_/.test(k)) env[k] = v;
  return { ...env, ...extra };
}

// Runs tagwatch-admin with args; {input, env, datadir}. Returns {code, stdout, stderr}. The
// data folder of a server on PostgreSQL (the API suite with TAGWATCH_TEST_DATABASE=pg) means
// that server's database.
export function admin(args, { input, env = {}, datadir } = {}) {
  if (!fs.existsSync(ADMIN)) throw new Error(`${ADMIN} is missing: run make first`);
  const full = datadir ? ['--datadir', datadir, ...args] : args;
  const r = spawnSync(ADMIN, full, {
    input: input ?? '', env: cleanEnv({ ...databaseEnv(datadir), ...env }), cwd: ROOT, encoding: 'utf8', timeout: 60000,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

// A new, empty data folder path (not created) in a new temp dir.
export function newDatadir() {
  return path.join(tmpDir('admin-'), 'data');
}

// Runs tagwatch-admin on a pseudo-terminal and answers its prompts in turn: `answers` is a
// list of [promptRegExp, text]. Returns {code, output} with everything the terminal showed.
export function adminOnTerminal(args, answers, { timeout = 20000 } = {}) {
  const command = [ADMIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      env: cleanEnv({ TERM: 'dumb' }), cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let next = 0;
    let seen = 0;  // answer only to prompts shown after the previous answer
    const onData = (chunk) => {
      output += chunk.toString('utf8');
      while (next < answers.length) {
        const [prompt, text] = answers[next];
        const m = prompt.exec(output.slice(seen));
        if (!m) break;
        seen += m.index + m[0].length;
        child.stdin.write(`${text}\n`);
        next++;
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no end after ${timeout} ms; terminal showed: ${JSON.stringify(output)}`));
    }, timeout);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
