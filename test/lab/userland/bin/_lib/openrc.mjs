// OpenRC of the Alpine stand-in: rc-service, rc-update, rc-status, openrc and lab-boot (one module, the
// executable's name picks the tool). Service state lives where OpenRC keeps it: /run/openrc/started/<svc>;
// runlevels are symlinks in /etc/runlevels/<level>/.
import fs from 'node:fs';
import { ensureBase } from './apk-db.mjs';
import { alive } from './daemon.mjs';
import { exists, finish, list, mkdirp, readText, remove, rp, ROOT, writeText } from './fsroot.mjs';
import { BOOT_ORDER, SERVICES } from './services.mjs';

const LEVELS = ['sysinit', 'boot', 'default', 'shutdown'];
// With LAB_ROOT (unit tests on the host) never touch the host's firewall, sysctls or daemons.
const HOST_SAFE = new Set(['docker', 'networking', 'local']);

const out = { text: '', err: '' };
const say = (s) => (out.text += `${s}\n`);
const ewarn = (s) => (out.err += ` * ${s}\n`);

const started = (svc) => exists(`/run/openrc/started/${svc}`);
const markStarted = (svc) => writeText(`/run/openrc/started/${svc}`, `${new Date().toISOString()}\n`);
const markStopped = (svc) => remove(`/run/openrc/started/${svc}`);
const installed = (svc) => exists(`/etc/init.d/${svc}`);

function impl(svc) {
  const s = SERVICES[svc];
  if (!s) return { async start() { return { ok: false, msg: `${svc}: no lab implementation for this service` }; }, async stop() { return { ok: true }; } };
  if (ROOT && !HOST_SAFE.has(svc)) return { ...s, async start() { return { ok: true }; }, async stop() { return { ok: true }; }, running: undefined };
  return s;
}

/** started / stopped / crashed, as `rc-service <svc> status` reports it. */
function state(svc) {
  if (!started(svc)) return 'stopped';
  const s = impl(svc);
  if (s.running && !s.running()) return 'crashed';
  return 'started';
}

async function start(svc) {
  if (state(svc) === 'started') {
    ewarn(`WARNING: ${svc} has already been started`);
    return 0;
  }
  const s = impl(svc);
  const r = await s.start();
  if (!r.ok) {
    say(` * ${s.startMsg ?? `Starting ${svc}`} ...`);
    for (const l of String(r.msg ?? '').split('\n').filter(Boolean)) ewarn(l.replace(/^ \* /, ''));
    say(' [ !! ]');
    ewarn(`ERROR: ${svc} failed to start`);
    markStopped(svc);
    return 1;
  }
  markStarted(svc);
  say(` * ${s.startMsg ?? `Starting ${svc}`} ... [ ok ]`);
  return 0;
}

async function stop(svc) {
  if (!started(svc)) {
    ewarn(`WARNING: ${svc} is already stopped`);
    return 0;
  }
  const s = impl(svc);
  const r = await s.stop();
  r.cleanup?.();
  markStopped(svc);
  say(` * ${s.stopMsg ?? `Stopping ${svc}`} ... ${r.ok ? '[ ok ]' : '[ !! ]'}`);
  return r.ok ? 0 : 1;
}

async function rcService(args) {
  const a = args.filter((x) => !/^-(q|v|-quiet|-verbose|-ifexists|i|-nodeps|N)$/.test(x) || x === '-i' || x === '--ifexists');
  const ifExists = a.includes('-i') || a.includes('--ifexists');
  const [svc, cmd, ...rest] = a.filter((x) => x !== '-i' && x !== '--ifexists');
  if (svc === '-l' || svc === '--list') return list('/etc/init.d').forEach((s) => say(s)), 0;
  if (svc === '-e' || svc === '--exists') return installed(cmd) ? 0 : 1;
  if (!svc) {
    out.err += 'Usage: rc-service [options] [-i] <service> <cmd>...\n';
    return 1;
  }
  if (!installed(svc)) {
    if (ifExists) return 0;
    ewarn(`rc-service: service \`${svc}' does not exist`);
    return 1;
  }
  void rest;
  switch (cmd) {
    case 'start':
      return start(svc);
    case 'stop':
      return stop(svc);
    case 'restart':
      if (started(svc)) await stop(svc);
      return start(svc);
    case 'status': {
      const st = state(svc);
      say(` * status: ${st}`);
      return st === 'started' ? 0 : st === 'crashed' ? 32 : 3;
    }
    case 'zap':
      markStopped(svc);
      say(` * Manually resetting ${svc} to stopped state`);
      return 0;
    case 'reload': {
      const s = impl(svc);
      if (!s.reload) {
        ewarn(`ERROR: ${svc} does not support reload`);
        return 1;
      }
      if (!started(svc)) {
        ewarn(`ERROR: ${svc} is not running`);
        return 1;
      }
      const r = await s.reload();
      say(` * Reloading ${svc} ... ${r.ok ? '[ ok ]' : '[ !! ]'}`);
      if (!r.ok && r.msg) ewarn(r.msg);
      return r.ok ? 0 : 1;
    }
    default: {
      const s = impl(svc);
      if (cmd && s.extra?.[cmd]) {
        const r = await s[cmd]();
        say(` * ${s.extra[cmd]} ... ${r.ok ? '[ ok ]' : '[ !! ]'}`);
        if (!r.ok && r.msg) ewarn(r.msg);
        return r.ok ? 0 : 1;
      }
      const cmds = ['start', 'stop', 'restart', 'status', 'zap', ...(s.reload ? ['reload'] : []), ...Object.keys(s.extra ?? {})];
      ewarn(`${svc}: unknown function \`${cmd ?? ''}'`);
      out.err += ` * Usage: ${svc} [ ${cmds.join(' | ')} ]\n`;
      return 1;
    }
  }
}

function rcUpdate(args) {
  const a = args.filter((x) => !/^-/.test(x) || x === '-s');
  const [cmd, svc, level = 'default'] = a;
  if (!cmd || cmd === 'show' || cmd === '-s') {
    const levels = cmd === 'show' && svc ? [svc] : LEVELS;
    const rows = new Map();
    for (const l of levels) for (const s of list(`/etc/runlevels/${l}`)) rows.set(s, [...(rows.get(s) ?? []), l]);
    for (const [s, ls] of [...rows].sort()) say(`${s.padStart(20)} | ${ls.join(' ')}`);
    return 0;
  }
  if (!LEVELS.includes(level)) {
    ewarn(`rc-update: \`${level}' is not a valid runlevel`);
    return 1;
  }
  const link = `/etc/runlevels/${level}/${svc}`;
  if (cmd === 'add') {
    if (!svc || !installed(svc)) {
      ewarn(`rc-update: service \`${svc ?? ''}' does not exist`);
      return 1;
    }
    if (exists(link)) {
      ewarn(`rc-update: ${svc} already installed in runlevel \`${level}'; skipping`);
      return 0;
    }
    mkdirp(`/etc/runlevels/${level}`);
    fs.symlinkSync(`/etc/init.d/${svc}`, rp(link));
    say(` * service ${svc} added to runlevel ${level}`);
    return 0;
  }
  if (cmd === 'del' || cmd === 'delete') {
    if (!exists(link) && !isLink(link)) {
      ewarn(`rc-update: service \`${svc}' is not in the runlevel \`${level}'`);
      return 1;
    }
    remove(link);
    say(` * service ${svc} removed from runlevel ${level}`);
    return 0;
  }
  out.err += 'Usage: rc-update [options] add <service> [<runlevel>...]\n   or: rc-update [options] del <service> [<runlevel>...]\n   or: rc-update [options] [show [<runlevel>...]]\n';
  return 1;
}

function isLink(p) {
  try {
    return fs.lstatSync(rp(p)).isSymbolicLink();
  } catch {
    return false;
  }
}

function rcStatus(args) {
  const all = args.includes('-a') || args.includes('--all');
  const row = (svc) => say(` ${svc.padEnd(58)} [  ${state(svc).padEnd(7)}  ]`);
  const levels = all ? LEVELS : args.filter((x) => !x.startsWith('-')).length ? args.filter((x) => !x.startsWith('-')) : ['default'];
  const inLevels = new Set();
  for (const l of levels) {
    say(`Runlevel: ${l}`);
    for (const s of list(`/etc/runlevels/${l}`)) {
      inLevels.add(s);
      row(s);
    }
  }
  for (const l of LEVELS) for (const s of list(`/etc/runlevels/${l}`)) inLevels.add(s);
  say('Dynamic Runlevel: hotplugged');
  say('Dynamic Runlevel: needed/wanted');
  say('Dynamic Runlevel: manual');
  for (const s of list('/run/openrc/started')) if (!inLevels.has(s)) row(s);
  return 0;
}

/** Starts the services of the given runlevels in boot order (openrc <level>, lab-boot). */
async function bootLevels(levels) {
  let rc = 0;
  const want = new Set();
  for (const l of levels) for (const s of list(`/etc/runlevels/${l}`)) if (installed(s)) want.add(s);
  const ordered = [...BOOT_ORDER.filter((s) => want.has(s)), ...[...want].filter((s) => !BOOT_ORDER.includes(s)).sort()];
  for (const s of ordered) if ((await start(s)) !== 0) rc = 1;
  return rc;
}

async function labBoot() {
  ensureBase();
  // a fresh boot: whatever /run says about earlier processes is stale
  remove('/run/openrc/started');
  for (const s of Object.values(SERVICES)) if (s.pidFile) remove(s.pidFile);
  mkdirp('/run/openrc/started');
  writeText('/run/openrc/softlevel', 'default\n');
  const rc = await bootLevels(['sysinit', 'boot', 'default']);
  const log = `${new Date().toISOString()} lab-boot (exit ${rc})\n${out.text}${out.err}`;
  fs.appendFileSync(rp('/var/log/lab-boot.log'), log);
  out.text = '';
  out.err = '';
  return rc;
}

/**
 * One OpenRC operation at a time per container (OpenRC serialises with its own lock files): lab-boot runs
 * detached right after start, and an early `rc-service x start` over pct exec must wait for it, not race it.
 */
async function withLock(fn) {
  const dir = '/run/openrc/.lab-lock';
  mkdirp('/run/openrc');
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      fs.mkdirSync(rp(dir));
      fs.writeFileSync(rp(`${dir}/pid`), `${process.pid}\n`);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const holder = Number((readText(`${dir}/pid`) ?? '').trim());
      // a holder that died (or has not written its pid for a while) leaves a stale lock
      let stale = holder > 0 && !alive(holder);
      if (!holder) {
        try {
          stale = Date.now() - fs.statSync(rp(dir)).mtimeMs > 2000;
        } catch {
          stale = false;
        }
      }
      if (stale) remove(dir);
      else if (Date.now() > deadline) throw new Error('timed out waiting for another OpenRC operation', { cause: err });
      else await new Promise((r) => setTimeout(r, 25));
    }
  }
  try {
    return await fn();
  } finally {
    remove(dir);
  }
}

const tool = process.argv[2];
const args = process.argv.slice(3);
ensureBase();
let code = 1;
if (tool === 'rc-service') code = await withLock(() => rcService(args));
else if (tool === 'rc-update') code = rcUpdate(args);
else if (tool === 'rc-status') code = rcStatus(args);
else if (tool === 'openrc') code = await withLock(() => bootLevels(args.filter((x) => !x.startsWith('-')).length ? args.filter((x) => !x.startsWith('-')) : ['default']));
else if (tool === 'lab-boot') {
  mkdirp('/var/log');
  code = await withLock(labBoot);
}
finish(code, out.text, out.err);
