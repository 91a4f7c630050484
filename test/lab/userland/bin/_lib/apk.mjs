// `apk` of the Alpine stand-in: add / del / update / info / list with apk-like output. Installing records the
// package (world + installed db) and lays down its OpenRC service scripts and default config files.
// Inside a lab container, index and package downloads really go to the mirror (apk-fetch.mjs): with DNS or
// NAT broken, apk fails as apk-tools 2.14 does. Under LAB_ROOT (unit tests on the host) nothing is fetched.
import { BASE, CATALOG, serviceFiles } from './apk-catalog.mjs';
import { ensureBase, readDb, readWorld, writeDb, writeWorld } from './apk-db.mjs';
import { APK_ERROR_TEXT, fetchUrl } from './apk-fetch.mjs';
import { ROOT, exists, finish, mkdirp, readText, remove, writeText } from './fsroot.mjs';

const DEFAULT_REPOS = ['https://dl-cdn.alpinelinux.org/alpine/v3.20/main', 'https://dl-cdn.alpinelinux.org/alpine/v3.20/community'];
const FLAGS_WITH_VALUE = new Set(['--virtual', '-t', '--repository', '-X', '--root', '-p', '--arch', '--keys-dir', '--cache-dir', '--repositories-file', '--timeout']);
const CACHE = '/var/cache/apk';
const online = ROOT === '';

/** /etc/apk/repositories when present (comments and blank lines skipped), else Alpine 3.20's two. */
function repos() {
  const lines = (readText('/etc/apk/repositories', '') ?? '').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  return lines.length ? lines : DEFAULT_REPOS;
}
const REPOS = repos();

/** The index cache file apk keeps per repository (APKINDEX.<hash>.tar.gz). */
function cacheFile(repo) {
  let h = 0;
  for (const c of repo) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `${CACHE}/APKINDEX.${h.toString(16).padStart(8, '0')}.tar.gz`;
}

/**
 * Refresh the indexes as apk_db_add_repository does: `fetch <url>` on stdout, a WARNING on stderr per failed
 * repository. Returns how many repositories have no index (unavailable) or only an old one (stale).
 */
async function updateIndexes({ force, noCache, timeoutMs }, io) {
  let unavailable = 0;
  let stale = 0;
  for (const repo of REPOS) {
    const cached = exists(cacheFile(repo));
    // under LAB_ROOT there is no network and no index cache: only -U prints the fetch lines
    if (!online && !force) continue;
    if (!force && !noCache && cached) continue;
    io.out += `fetch ${repo}/x86_64/APKINDEX.tar.gz\n`;
    const err = online ? await fetchUrl(`${repo}/x86_64/APKINDEX.tar.gz`, timeoutMs) : null;
    if (!err) {
      if (!noCache) writeText(cacheFile(repo), `lab index of ${repo}\n`);
      continue;
    }
    const action = noCache ? 'fetching' : cached ? 'updating' : 'updating and opening';
    io.err += `WARNING: ${action} ${repo}: ${APK_ERROR_TEXT[err]}\n`;
    if (!cached || noCache) unavailable++;
    else stale++;
  }
  return { unavailable, stale };
}

function timeoutOf(args) {
  const i = args.indexOf('--timeout');
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v * 1000 : 3000;
}

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

async function add(args) {
  const { flags, words, virtual } = parse(args);
  const quiet = flags.has('-q') || flags.has('--quiet');
  const names = words.map(bare);
  if (names.length === 0 && !virtual) return finish(1, '', 'ERROR: no packages specified\n');
  const db = readDb();
  const io = { out: '', err: '' };
  const noCache = flags.has('--no-cache');
  const timeoutMs = timeoutOf(args);
  const { unavailable } = await updateIndexes({ force: flags.has('-U') || flags.has('--update-cache'), noCache, timeoutMs }, io);
  // without an index only what is installed can be selected
  const known = (n) => CATALOG[n] && (unavailable === 0 || db.has(n));
  const unknown = names.filter((n) => !known(n));
  if (unknown.length > 0) {
    const err = 'ERROR: unable to select packages:\n' +
      unknown.map((n) => `  ${n} (no such package):\n    required by: world[${n}]\n`).join('');
    return finish(unknown.length > 255 ? 255 : unknown.length, quiet ? '' : io.out, io.err + err);
  }
  let out = io.out;
  const todo = closure(names).filter((n) => !db.has(n));
  // every package is fetched from the mirror before anything is installed (apk's commit: download, then unpack)
  const fetchErr = online && todo.length > 0 ? await fetchUrl(`${REPOS[0]}/x86_64/${todo[0]}-${CATALOG[todo[0]].version}.apk`, timeoutMs) : null;
  if (fetchErr) {
    const errs = todo.map((n) => `ERROR: ${n}-${CATALOG[n].version}: ${APK_ERROR_TEXT[fetchErr]}\n`).join('');
    return finish(1, quiet ? '' : `${out}${todo.length} error${todo.length === 1 ? '' : 's'}; ${okLine(db).slice(4)}`, io.err + errs);
  }
  todo.forEach((n, i) => {
    if (!quiet) out += `(${i + 1}/${todo.length}) Installing ${n} (${CATALOG[n].version})\n`;
    installFiles(n);
    db.set(n, CATALOG[n].version);
  });
  if (virtual) db.set(virtual, '20240101.000000');
  writeDb(db);
  writeWorld([...readWorld(), ...(virtual ? [virtual] : names)]);
  if (!quiet && todo.some((n) => CATALOG[n].services)) out += 'Executing busybox-1.36.1-r29.trigger\n';
  finish(0, quiet ? '' : out + okLine(db), io.err);
}

/** `apk update`: `v3.20.3-... [repo]` per index, or the summary; exit code = unavailable + stale indexes. */
async function update(args) {
  const io = { out: '', err: '' };
  const { unavailable, stale } = await updateIndexes({ force: true, noCache: false, timeoutMs: timeoutOf(args) }, io);
  if (unavailable + stale === 0) {
    for (const r of REPOS) io.out += `v3.20.3-000 [${r}]\n`;
    return finish(0, `${io.out}OK: 24161 distinct packages available\n`, io.err);
  }
  finish(unavailable + stale, `${io.out}${unavailable} unavailable, ${stale} stale; ${readDb().size} distinct packages available\n`, io.err);
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
    await add(rest);
    break;
  case 'del':
  case 'delete':
    del(rest);
    break;
  case 'update':
    await update(rest);
    break;
  case 'upgrade': {
    const io = { out: '', err: '' };
    if (parse(rest).flags.has('-U')) await updateIndexes({ force: true, noCache: false, timeoutMs: timeoutOf(rest) }, io);
    finish(0, `${io.out}${okLine(readDb())}`, io.err);
    break;
  }
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
