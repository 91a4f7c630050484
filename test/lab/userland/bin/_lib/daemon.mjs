// Starting and stopping long-lived processes so they outlive the `pct exec` that started them: new session
// (setsid), stdio to a log file (an inherited SSH pipe would keep the session open), pid files under /run.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { mkdirp, readText, rp, writeText } from './fsroot.mjs';

export function readPid(pidFile) {
  const n = Number((readText(pidFile) ?? '').trim());
  return Number.isInteger(n) && n > 0 ? n : null;
}

export function alive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // a zombie still answers kill(0); treat it as dead
  const stat = readText(`/proc/${pid}/stat`) ?? '';
  return !/^\d+ \(.*\) Z/.test(stat);
}

export function openLog(logFile) {
  mkdirp(logFile.replace(/\/[^/]+$/, '') || '/');
  return fs.openSync(rp(logFile), 'a');
}

/** Runs a self-daemonizing program (dnsmasq, `caddy start`) and waits for its foreground part to exit. */
export function runDaemonizer(argv, { logFile, env, timeoutMs = 15000 }) {
  const fd = openLog(logFile);
  const before = fs.fstatSync(fd).size;
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', fd, fd], env: { ...process.env, ...env }, timeout: timeoutMs });
  fs.closeSync(fd);
  const log = (readText(logFile) ?? '').slice(before);
  return { code: r.status ?? (r.error ? 127 : 1), log, error: r.error };
}

/** Spawns a foreground program as a daemon and records its pid. */
export function spawnDaemon(argv, { pidFile, logFile, env, cwd }) {
  const fd = openLog(logFile);
  const child = spawn(argv[0], argv.slice(1), {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...env },
    cwd: cwd ? rp(cwd) : undefined,
  });
  fs.closeSync(fd);
  child.unref();
  writeText(pidFile, `${child.pid}\n`);
  return child.pid;
}

export async function stopPid(pid, timeoutMs = 5000) {
  if (!alive(pid)) return true;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return true;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await sleep(25);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
  return !alive(pid);
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

export async function waitFor(fn, timeoutMs = 5000, stepMs = 25) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return true;
    await sleep(stepMs);
  }
  return false;
}
