// `apk` of the Alpine stand-in: add / del / update / info / list with apk-like output. Installing records the
// package (world + installed db) and lays down its OpenRC service scripts and default config files.
import { BASE, CATALOG, serviceFiles } from './apk-catalog.mjs';
import { ensureBase, readDb, readWorld, writeDb, writeWorld } from './apk-db.mjs';
import { exists, finish, mkdirp, remove, writeText } from './fsroot.mjs';

const REPOS = ['https://dl-cdn.alpinelinux.org/alpine/v3.20/main', 'https://dl-cdn.alpinelinux.org/alpine/v3.20/community'];
const FLAGS_WITH_VALUE = new Set(['--virtual', '-t', '--repository', '-X', '--root', '-p', '--arch', '--keys-dir', '--cache-dir', '--repositories-file']);

function parse(argv) {
  const flags = new Set();
  const words = [];
  let virtual = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (FLAGS_WITH_VALUE.has(a)) {
      if (a === '--virtual' || a === '-t') virtual = argv[i + 1];
      i++;
    } else if (a.startsWith('--')) flags.add(a.replace(/=.*$/, ''));
    else if (/^-[a-zA-Z]+$/.test(a)) for (const c of a.slice(1)) flags.add(`-${c}`);
    else words.push(a);
  }
  return { flags, words, virtual };
}

function fetchLines() {
  return REPOS.map((r) => `fetch ${r}/x86_64/APKINDEX.tar.gz\n`).join('');
}

function okLine(db) {
  return `OK: ${8 + db.size * 3} MiB in ${db.size} packages\n`;
}

/** Package name without a version constraint (`dnsmasq=2.90-r3`, `curl>8`, `bash~5`). */
const bare = (spec) => spec.replace(/[=<>~].*$/, '');

function closure(names) {
  const out = [];
  const seen = new Set();
  const visit = (n) => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const d of CATALOG[n]?.deps ?? []) visit(d);
    out.push(n);
  };
  names.forEach(visit);
  return out;
}

function installFiles(name) {
  const pkg = CATALOG[name];
  for (const d of pkg.dirs ?? []) mkdirp(d);
  for (const f of [...(pkg.files ?? []), ...serviceFiles(name)]) {
    if (f.keep && exists(f.path)) continue; // apk keeps an admin's config (writes .apk-new instead)
    writeText(f.path, f.text, f.mode);
  }
}

function add(args) {
  const { flags, words, virtual } = parse(args);
  const quiet = flags.has('-q') || flags.has('--quiet');
  let out = flags.has('-U') || flags.has('--update-cache') ? fetchLines() : '';
  const names = words.map(bare);
  if (names.length === 0 && !virtual) return finish(1, '', 'ERROR: no packages specified\n');
  const unknown = names.filter((n) => !CATALOG[n]);
  if (unknown.length > 0) {
    const err = 'ERROR: unable to select packages:\n' +
      unknown.map((n) => `  ${n} (no such package):\n    required by: world[${n}]\n`).join('');
    return finish(unknown.length > 255 ? 255 : unknown.length, quiet ? '' : out, err);
  }
  const db = readDb();
  const todo = closure(names).filter((n) => !db.has(n));
  todo.forEach((n, i) => {
    if (!quiet) out += `(${i + 1}/${todo.length}) Installing ${n} (${CATALOG[n].version})\n`;
    installFiles(n);
    db.set(n, CATALOG[n].version);
  });
  if (virtual) db.set(virtual, '20240101.000000');
  writeDb(db);
  writeWorld([...readWorld(), ...(virtual ? [virtual] : names)]);
  if (!quiet && todo.some((n) => CATALOG[n].services)) out += 'Executing busybox-1.36.1-r29.trigger\n';
  finish(0, quiet ? '' : out + okLine(db));
}

function del(args) {
  const { flags, words } = parse(args);
  const quiet = flags.has('-q') || flags.has('--quiet');
  const names = words.map(bare);
  const world = readWorld().filter((n) => !names.includes(n));
  // keep what the remaining world (and the base system) still needs
  const keep = new Set([...closure(world.filter((n) => CATALOG[n])), ...Object.keys(BASE)]);
  const db = readDb();
  const wanted = new Set(closure(names.filter((n) => CATALOG[n])));
  const purge = [...db.keys()].filter((n) => !keep.has(n) && wanted.has(n));
  let out = '';
  purge.forEach((n, i) => {
    if (!quiet) out += `(${i + 1}/${purge.length}) Purging ${n} (${db.get(n)})\n`;
    for (const f of serviceFiles(n)) {
      remove(f.path);
      for (const lvl of ['boot', 'default', 'sysinit', 'shutdown']) remove(`/etc/runlevels/${lvl}/${f.path.split('/').pop()}`);
    }
    db.delete(n);
  });
  writeDb(db);
  writeWorld(world);
  finish(0, quiet ? '' : out + okLine(db));
}

function info(args) {
  const { flags, words } = parse(args);
  const db = readDb();
  if (flags.has('-e') || flags.has('--installed')) {
    const present = words.filter((w) => db.has(bare(w)));
    return finish(present.length === words.length && words.length > 0 ? 0 : 1, present.map((w) => `${bare(w)}\n`).join(''));
  }
  if (words.length === 0) return finish(0, [...db.keys()].map((n) => `${n}\n`).join(''));
  let out = '';
  for (const w of words) {
    const n = bare(w);
    const ver = db.get(n) ?? CATALOG[n]?.version;
    if (!ver) continue;
    out += `${n}-${ver} description:\n${n} (lab stand-in package; the program is the host's)\n\n`;
  }
  finish(0, out);
}

function listCmd(args) {
  const { flags, words } = parse(args);
  const db = readDb();
  const installedOnly = flags.has('-I') || flags.has('--installed');
  const names = installedOnly ? [...db.keys()] : Object.keys(CATALOG);
  const out = names
    .filter((n) => words.length === 0 || words.some((w) => n.includes(w.replace(/\*/g, ''))))
    .sort()
    .map((n) => `${n}-${db.get(n) ?? CATALOG[n].version} x86_64 {${n}} (lab)${db.has(n) ? ' [installed]' : ''}\n`)
    .join('');
  finish(0, out);
}

const [cmd, ...rest] = process.argv.slice(2);
ensureBase();
switch (cmd) {
  case 'add':
    add(rest);
    break;
  case 'del':
  case 'delete':
    del(rest);
    break;
  case 'update':
    finish(0, `${fetchLines()}v3.20.3-${'0'.repeat(3)} [${REPOS[0]}]\nv3.20.3-000 [${REPOS[1]}]\nOK: 24161 distinct packages available\n`);
    break;
  case 'upgrade':
    finish(0, `${parse(rest).flags.has('-U') ? fetchLines() : ''}${okLine(readDb())}`);
    break;
  case 'info':
    info(rest);
    break;
  case 'list':
    listCmd(rest);
    break;
  case '--version':
  case '-V':
    finish(0, 'apk-tools 2.14.4, compiled for x86_64.\n');
    break;
  default:
    finish(1, '', `apk-tools 2.14.4, compiled for x86_64.\n\nusage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]\n\n${cmd ? `ERROR: unknown command '${cmd}'\n` : ''}`);
}
