// A private Apache (Debian's apache2) on 127.0.0.1 for the deploy tests, configured from
// the files a person deploys: apache.conf.example (mod_fcgid, a virtual host) or
// deploy/htaccess (shared hosting: the release uploaded into public_html/timetagger/, run
// as plain CGI or through mod_fcgid). Everything lives in a new folder under build/tmp/;
// as root, Apache's children run as www-data (Apache refuses to run them as root), so the
// folder and the data folder are handed to that user.
//
//   startApache({mode, datadir, env, program, fcgidMaxRequestLen, root})
//     mode: 'fcgid' (apache.conf.example), 'htaccess-cgi' or 'htaccess-fcgid' (deploy/htaccess)
//     env: program settings {TAGWATCH_X: value} (FcgidInitialEnv lines, or SetEnv in .htaccess)
//     root: where www/, apache.conf.example and deploy/ come from (the checkout, or an unpacked release)
//     -> {baseUrl, prefix, apiUrl, datadir, dir, port, pid, stop(), errorLog(), programPids()}
//     (the same fields as tests/lib/harness.mjs's startServer, so api() and the API tests'
//     helpers work on it)
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { childPids, freePort, PROGRAM, request, ROOT, sleep, tmpDir, track } from '../../lib/harness.mjs';

export const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';
export const RUN_AS = process.getuid() === 0 ? 'www-data' : null;


// Hands a path (recursively) to the user Apache's children run as.
// Its parents up to build/tmp/ itself (temp folders are 0700, and so is build/tmp when the
// program's data-folder code made it first) become passable (o+x, not readable).
export function giveToApache(p) {
  if (!RUN_AS) return;
  execFileSync('chown', ['-R', `${RUN_AS}:${RUN_AS}`, p]);
  const top = path.join(ROOT, 'build/tmp');
  for (let dir = path.dirname(path.resolve(p)); dir.startsWith(top); dir = path.dirname(dir)) {
    fs.chmodSync(dir, fs.statSync(dir).mode | 0o001);
  }
}

function fillExample(text, values) {
  let out = text;
  for (const [k, v] of Object.entries(values)) out = out.split(`@${k}@`).join(v);
  const left = out.match(/@[A-Z_]+@/);
  if (left) throw new Error(`placeholder ${left[0]} left unfilled`);
  return out;
}

function quote(v) {
  return `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

// The main-context lines a private Apache needs (the part /etc/apache2/apache2.conf has).
function mainConfig({ dir, port, fcgid, cgi }) {
  const mod = (name, file) => `LoadModule ${name}_module ${MODULES}/mod_${file || name}.so`;
  return [
    `ServerRoot ${quote(dir)}`,
    `Listen 127.0.0.1:${port}`,
    `PidFile ${quote(path.join(dir, 'httpd.pid'))}`,
    `DefaultRuntimeDir ${quote(dir)}`,
    `Mutex file:${dir} default`,
    `ErrorLog ${quote(path.join(dir, 'error.log'))}`,
    'LogLevel warn',
    `LogFormat "%h %l %u %t \\"%r\\" %>s %b" common`,
    `CustomLog ${quote(path.join(dir, 'access.log'))} common`,
    'ServerName 127.0.0.1',
    mod('mpm_prefork'),
    'StartServers 2',
    'MinSpareServers 2',
    'MaxSpareServers 4',
    'MaxRequestWorkers 20',
    mod('authz_core'), mod('authz_user'), mod('authn_core'), mod('authn_file'), mod('auth_basic'),
    mod('mime'), `TypesConfig /etc/mime.types`,
    mod('dir'), mod('alias'), mod('headers'), mod('rewrite'), mod('env'), mod('setenvif'),
    ...(fcgid ? [mod('fcgid'), `FcgidIPCDir ${quote(path.join(dir, 'fcgid'))}`,
      `FcgidProcessTableFile ${quote(path.join(dir, 'fcgid_shm'))}`] : []),
    ...(cgi ? [mod('cgi')] : []),
    ...(RUN_AS ? [`User ${RUN_AS}`, `Group ${RUN_AS}`] : []),
    // Nothing outside the folders the site config names.
    '<Directory />', '    AllowOverride None', '    Require all denied', '</Directory>',
    '',
  ].join('\n');
}

export async function startApache({ mode = 'fcgid', datadir, env = {}, program = PROGRAM, fcgidMaxRequestLen,
  prefix = '/timetagger/', extraSite = '', root = ROOT } = {}) {
  if (!fs.existsSync(APACHE)) throw new Error(`${APACHE} is missing (Debian package apache2)`);
  const dir = tmpDir('apache-');
  fs.chmodSync(dir, 0o755);
  datadir = datadir || path.join(dir, 'data');
  fs.mkdirSync(datadir, { recursive: true, mode: 0o700 });
  const fcgid = mode !== 'htaccess-cgi';
  const cgi = mode === 'htaccess-cgi';
  const port = '__PORT__'; // filled in at each start attempt below
  const settings = { TAGWATCH_DATADIR: datadir, ...env };
  let site;
  if (mode === 'fcgid') {
    // The program and www/ as `make install` lays them out: the program alone in its folder.
    const bin = path.join(dir, 'cgi-bin');
    fs.mkdirSync(bin);
    fs.copyFileSync(program, path.join(bin, 'tagwatch.fcgi'));
    fs.chmodSync(path.join(bin, 'tagwatch.fcgi'), 0o755);
    let text = fillExample(fs.readFileSync(path.join(root, 'apache.conf.example'), 'utf8'), {
      LISTEN: `127.0.0.1:${port}`, SERVER_NAME: '127.0.0.1', ROOT: root, PROGRAM: path.join(bin, 'tagwatch.fcgi'),
      PROGRAM_DIR: bin, DATADIR: datadir, PREFIX: prefix,
    });
    const envLines = Object.entries(env).map(([k, v]) => `    FcgidInitialEnv ${k} ${quote(v)}`).join('\n');
    if (fcgidMaxRequestLen) text = text.replace(/FcgidMaxRequestLen \d+/, `FcgidMaxRequestLen ${fcgidMaxRequestLen}`);
    site = text.replace('</VirtualHost>', `${envLines}\n${extraSite}\n</VirtualHost>`);
  } else {
    // Shared hosting: the release uploaded into public_html/timetagger/ with deploy/htaccess.
    const web = path.join(dir, 'public_html');
    const app = path.join(web, prefix.replace(/^\/|\/$/g, ''));
    fs.mkdirSync(web, { recursive: true });
    fs.cpSync(path.join(root, 'www'), app, { recursive: true });
    fs.copyFileSync(program, path.join(app, 'tagwatch.fcgi'));
    fs.chmodSync(path.join(app, 'tagwatch.fcgi'), 0o755);
    let htaccess = fs.readFileSync(path.join(root, 'deploy/htaccess'), 'utf8');
    if (!htaccess.includes('SetEnv TAGWATCH_DATADIR /home/USER/tagwatch-data\n')) throw new Error('deploy/htaccess changed: update this harness');
    htaccess = htaccess.replace('SetEnv TAGWATCH_DATADIR /home/USER/tagwatch-data\n',
      Object.entries(settings).map(([k, v]) => `SetEnv ${k} ${quote(v)}\n`).join(''));
    // The folder's name is the prefix: the prefix line says the same.
    if (!htaccess.includes('SetEnv TAGWATCH_PATH_PREFIX /timetagger/\n')) throw new Error('deploy/htaccess changed: update this harness');
    htaccess = htaccess.replace('SetEnv TAGWATCH_PATH_PREFIX /timetagger/\n', `SetEnv TAGWATCH_PATH_PREFIX ${prefix}\n`);
    const wrapper = 'FcgidWrapper "/home/USER/public_html/timetagger/tagwatch.fcgi --datadir=/home/USER/tagwatch-data" .fcgi';
    if (!htaccess.includes(wrapper)) throw new Error('deploy/htaccess changed: update this harness');
    const flags = Object.entries(settings).map(([k, v]) => `--${k.replace(/^TAGWATCH_/, '').toLowerCase()}=${v}`).join(' ');
    htaccess = htaccess.replace(wrapper, `FcgidWrapper "${path.join(app, 'tagwatch.fcgi')} ${flags}" .fcgi`);
    fs.writeFileSync(path.join(app, '.htaccess'), htaccess);
    // What a typical host allows in .htaccess files (cPanel's default list).
    site = [
      `DocumentRoot ${quote(web)}`,
      `<Directory ${quote(web)}>`,
      '    AllowOverride AuthConfig FileInfo Indexes Limit Options=ExecCGI,Includes,IncludesNOEXEC,Indexes,MultiViews,SymLinksIfOwnerMatch',
      '    Options SymLinksIfOwnerMatch',
      '    Require all granted',
      '</Directory>',
      ...(fcgid && fcgidMaxRequestLen ? [`FcgidMaxRequestLen ${fcgidMaxRequestLen}`] : []),
      extraSite,
    ].join('\n');
  }
  const conf = path.join(dir, 'httpd.conf');
  const template = `${mainConfig({ dir, port, fcgid, cgi })}\n${site}\n`;
  if (fcgid) {
    // mod_fcgid's children bind their sockets here, as the user they run as.
    fs.mkdirSync(path.join(dir, 'fcgid'));
    giveToApache(path.join(dir, 'fcgid'));
  }
  giveToApache(datadir);
  const server = {
    mode, dir, datadir, prefix,
    errorLog: () => (fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : ''),
    errorTail: () => server.errorLog().slice(-3000),
    accessLog: () => (fs.existsSync(path.join(dir, 'access.log')) ? fs.readFileSync(path.join(dir, 'access.log'), 'utf8') : ''),
  };
  // The port was free when asked, but another process may take it before Apache does: retry.
  let child;
  let exited;
  for (let attempt = 0; ; attempt++) {
    const free = await freePort();
    fs.writeFileSync(conf, template.split('__PORT__').join(String(free)));
    // Apache checks its config before it starts: a clear message instead of a dead server.
    execFileSync(APACHE, ['-t', '-f', conf], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const out = fs.openSync(path.join(dir, 'apache.out'), 'a');
    // Its own process group: on shutdown Apache signals its whole group, which must not be ours.
    child = spawn(APACHE, ['-f', conf, '-DFOREGROUND'], { stdio: ['ignore', out, out], env: { PATH: process.env.PATH }, detached: true });
    fs.closeSync(out);
    exited = track(child).exited;
    Object.assign(server, {
      port: free, pid: child.pid, baseUrl: `http://127.0.0.1:${free}`, apiUrl: `http://127.0.0.1:${free}${prefix}api/v2/`,
    });
    const end = Date.now() + 15000;
    let up = false;
    while (!up) {
      if (child.exitCode !== null) break;
      try {
        up = (await request(`${server.baseUrl}${prefix}status`, { timeout: 2000 })).status === 200;
      } catch {
        /* not yet */
      }
      if (!up && Date.now() > end) {
        child.kill('SIGKILL');
        throw new Error(`apache did not answer ${prefix}status: ${server.errorTail()}`);
      }
      if (!up) await sleep(50);
    }
    if (up) break;
    const said = `${fs.readFileSync(path.join(dir, 'apache.out'), 'utf8')}\n${server.errorTail()}`;
    if (attempt >= 2 || !/Address already in use/.test(said)) throw new Error(`apache exited: ${said}`);
  }
  // Every process under Apache's parent that runs our program.
  server.programPids = () => {
    const all = [];
    const walk = (pid) => {
      for (const c of childPids(pid)) {
        all.push(c);
        walk(c);
      }
    };
    walk(child.pid);
    return all.filter((pid) => {
      try {
        return fs.readlinkSync(`/proc/${pid}/exe`).includes('tagwatch');
      } catch {
        return false;
      }
    });
  };
  let stopped = false;
  server.stop = async () => {
    if (stopped) return;
    stopped = true;
    const programs = server.programPids();
    // SIGTERM: Apache stops its children (and mod_fcgid the program) and removes its pid file.
    try {
      process.kill(child.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(timer);
    for (const pid of programs) {
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await sleep(20);
      }
    }
  };
  return server;
}
