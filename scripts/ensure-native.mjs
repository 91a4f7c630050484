#!/usr/bin/env node
// Makes better-sqlite3's native module loadable by the runtime about to use it.
//
//   node scripts/ensure-native.mjs node      tests, bench, the web bridge: plain Node
//   node scripts/ensure-native.mjs electron  `npm start` / `npm run dev`: the Electron main process (downloads the
//                                            Electron binary first if it is not installed yet)
//
// Node and Electron have different native ABIs, so one .node file cannot serve both. Node's build stays where
// `npm install` puts it (node_modules/better-sqlite3/build). Electron gets a SEPARATE copy in
// .cache/native/electron-<version>/better_sqlite3.node, built once, which the main process hands to
// better-sqlite3 through its `nativeBinding` option when running unpackaged. So both work, in either order,
// after a fresh clone, and neither mode ever overwrites the other's file. Packaged builds are different:
// electron-builder (npmRebuild) rebuilds node_modules for Electron; `node` mode repairs Node's copy afterwards.
//
// Deliberately not a postinstall step: installs stay side-effect free and work offline.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installElectron, locateElectron } from './electron-binary.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = join(root, 'node_modules', 'better-sqlite3');
const isWindows = process.platform === 'win32';

function log(msg) {
  console.log(`[ensure-native] ${msg}`);
}
function fail(msg) {
  console.error(`[ensure-native] ERROR: ${msg}`);
  process.exit(1);
}
/** Runs argv (never a shell string) with inherited output; returns the exit status. */
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: false, ...opts });
  if (r.error) console.error(`[ensure-native] could not run ${cmd}: ${r.error.message}`);
  return r.status ?? 1;
}

/** Loads better-sqlite3 in a fresh child process, so a broken binary cannot take this script down. */
function loadsWith(execPath, env, nativeBinding) {
  const probe =
    "const D=require('better-sqlite3');" +
    'const o=process.env.PROBE_BINDING?{nativeBinding:process.env.PROBE_BINDING}:{};' +
    "const db=new D(':memory:',o);db.prepare('select 1').get();db.close();";
  const r = spawnSync(execPath, ['-e', probe], {
    cwd: root,
    env: { ...process.env, ...env, PROBE_BINDING: nativeBinding ?? '' },
    encoding: 'utf8',
  });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

function ensureNode() {
  if (!existsSync(pkgDir)) fail('node_modules/better-sqlite3 is missing: run `npm install` first.');
  const first = loadsWith(process.execPath, {});
  if (first.ok) {
    log(`better-sqlite3 loads in Node ${process.version} (ABI ${process.versions.modules}).`);
    return;
  }
  log(`better-sqlite3 does not load in Node ${process.version}; rebuilding it for Node.\n${first.output.split('\n').slice(0, 3).join('\n')}`);
  const npm = isWindows ? 'npm.cmd' : 'npm';
  run(npm, ['rebuild', 'better-sqlite3'], { cwd: root, shell: isWindows });
  const second = loadsWith(process.execPath, {});
  if (!second.ok) {
    fail(
      `better-sqlite3 still does not load in Node after \`npm rebuild better-sqlite3\`.\n${second.output}\n` +
        'Install a C++ toolchain (Debian/Ubuntu: `apt-get install build-essential python3`) and try again.',
    );
  }
  log('better-sqlite3 rebuilt for Node and loads.');
}

/**
 * The Electron binary, fetched on first use: `npm install` never downloads it (Electron >= 45 has no postinstall
 * step), so the first `npm start` / `npm run dev` does, once. Exits with a clear message when it cannot.
 */
function electronBinary() {
  const found = locateElectron(root);
  if (found.bin) return found;
  if (!found.version) fail(found.reason);
  log(`the Electron ${found.version} binary is not installed yet; downloading it once (about 100 MB)...`);
  const fetched = installElectron(root);
  const again = locateElectron(root);
  if (fetched.ok && again.bin) {
    log(`Electron ${found.version} installed: ${again.bin}`);
    return again;
  }
  fail(
    `could not download the Electron ${found.version} binary (${fetched.detail || 'the installer reported success but left no binary'}).\n` +
      "  `npm start` and `npm run dev` need it. It comes from Electron's download host (github.com/electron/electron/releases);\n" +
      '  where that is unreachable, set ELECTRON_MIRROR (or `electron_mirror=` in .npmrc) to a mirror you can reach,\n' +
      '  then run `node node_modules/electron/install.js` or `npm start` again.\n' +
      '  Everything else works without it: `npm test`, `npm run web` (the UI in a browser tab), `npm run lab`, `npm run build`.',
  );
}

function buildForElectron(version, dest) {
  const work = mkdtempSync(join(tmpdir(), 'proximity-native-'));
  try {
    const copy = join(work, 'better-sqlite3');
    // Copy the sources, not the Node build, so Node's binary in node_modules is never touched.
    cpSync(pkgDir, copy, { recursive: true, filter: (src) => !src.startsWith(join(pkgDir, 'build')) });
    const node = process.execPath;
    const prebuilt = join(root, 'node_modules', 'prebuild-install', 'bin.js');
    const gyp = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    let status = 1;
    if (existsSync(prebuilt)) {
      log(`trying a prebuilt better-sqlite3 for Electron ${version}...`);
      status = run(node, [prebuilt, '--runtime=electron', `--target=${version}`, '--verbose'], { cwd: copy });
    }
    if (status !== 0) {
      if (!existsSync(gyp)) fail('node-gyp is not installed (node_modules/node-gyp); run `npm install`.');
      log(`compiling better-sqlite3 against Electron ${version} headers (needs electronjs.org and a C++ toolchain)...`);
      // A configured nodedir (npm's `nodedir`, e.g. /usr for distro Node) points at Node's headers; building
      // against those would silently produce a Node-ABI binary, so drop it and use Electron's headers.
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.toLowerCase() !== 'npm_config_nodedir'));
      status = run(node, [gyp, 'rebuild', '--release', '--runtime=electron', `--target=${version}`, '--dist-url=https://electronjs.org/headers'], { cwd: copy, env });
    }
    const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
    if (status !== 0 || !existsSync(built)) {
      fail(`could not build better-sqlite3 for Electron ${version}. Check network access and build tools (build-essential, python3).`);
    }
    mkdirSync(dirname(dest), { recursive: true });
    const tmp = `${dest}.${process.pid}.tmp`;
    cpSync(built, tmp);
    renameSync(tmp, dest); // atomic: a half-copied binary never sits at the final path
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function ensureElectron() {
  if (!existsSync(pkgDir)) fail('node_modules/better-sqlite3 is missing: run `npm install` first.');
  const e = electronBinary();
  const dest = join(root, '.cache', 'native', `electron-${e.version}`, 'better_sqlite3.node');
  const env = { ELECTRON_RUN_AS_NODE: '1' };
  if (existsSync(dest)) {
    if (loadsWith(e.bin, env, dest).ok) {
      log(`better-sqlite3 for Electron ${e.version} is ready: ${dest}`);
      return;
    }
    log(`the cached Electron build at ${dest} does not load; rebuilding it.`);
    rmSync(dest, { force: true });
  }
  buildForElectron(e.version, dest);
  const check = loadsWith(e.bin, env, dest);
  if (!check.ok) fail(`the Electron build of better-sqlite3 does not load:\n${check.output}`);
  log(`built better-sqlite3 for Electron ${e.version}: ${dest}`);
}

const mode = process.argv[2];
if (mode === 'node') ensureNode();
else if (mode === 'electron') ensureElectron();
else fail(`usage: node scripts/ensure-native.mjs <node|electron> (got ${JSON.stringify(mode ?? '')})`);
