// The installed-package database (/etc/apk/installed in the lab, apk's own P:/V: record format) and /etc/apk/world.
import { BASE, CATALOG, baseServiceFiles } from './apk-catalog.mjs';
import { createOnce, exists, mkdirp, readText, writeText } from './fsroot.mjs';

// apk keeps this in /lib/apk/db/installed; /lib is the host's read-only /usr/lib in lab containers
const DB = '/etc/apk/installed';
const WORLD = '/etc/apk/world';

/** A fresh container has only the base system; set it up on first use. */
export function ensureBase() {
  if (exists(DB) && exists(WORLD)) return;
  // directories alpine-baselayout ships (pct push does not create parent directories)
  for (const d of ['/etc/apk', '/etc/conf.d', '/etc/init.d', '/etc/local.d', '/etc/sysctl.d', '/etc/network', '/etc/runlevels/sysinit',
    '/etc/runlevels/boot', '/etc/runlevels/default', '/etc/runlevels/shutdown', '/var/lib/misc', '/var/log', '/run/openrc']) mkdirp(d);
  // create-once: never overwrite what a concurrent apk (or lab-boot) has written meanwhile
  createOnce(WORLD, 'alpine-base\n');
  createOnce(DB, serializeDb(new Map(Object.entries(BASE))));
  for (const f of baseServiceFiles()) if (!exists(f.path)) writeText(f.path, f.text, f.mode);
  if (!exists('/etc/sysctl.conf')) writeText('/etc/sysctl.conf', '# content of this file will override /etc/sysctl.d/*\n');
  if (!exists('/etc/alpine-release')) writeText('/etc/alpine-release', '3.20.3\n');
}

export function readDb() {
  const text = readText(DB, '') ?? '';
  const out = new Map();
  for (const rec of text.split(/\n\n+/)) {
    const name = /^P:(.+)$/m.exec(rec)?.[1];
    const ver = /^V:(.+)$/m.exec(rec)?.[1];
    if (name) out.set(name, ver ?? CATALOG[name]?.version ?? '0');
  }
  return out;
}

function serializeDb(map) {
  const recs = [...map].sort(([a], [b]) => a.localeCompare(b)).map(([n, v]) => `P:${n}\nV:${v}\n`);
  return recs.join('\n') + (recs.length ? '\n' : '');
}

export function writeDb(map) {
  writeText(DB, serializeDb(map));
}


export function readWorld() {
  return (readText(WORLD, '') ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
}

export function writeWorld(names) {
  writeText(WORLD, [...new Set(names)].sort().join('\n') + '\n');
}

export function isInstalled(name) {
  return readDb().has(name);
}
