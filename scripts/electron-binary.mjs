// Finds, and on request fetches, the Electron binary of node_modules/electron.
//
// Since Electron 45 the `electron` package has no postinstall step: `npm install` never downloads the binary (so
// it works where Electron's download host is unreachable), and `require('electron')` in Node downloads it on
// first use. This module looks for the binary exactly where electron's index.js does, WITHOUT triggering that
// download, and fetches it explicitly (node_modules/electron/install.js, which honours ELECTRON_MIRROR,
// electron_config_cache and .npmrc `electron_mirror`) only where a command really needs it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the Electron binary is (or would be) under `root`/node_modules/electron.
 * @param {string} root repository root
 * @returns {{ version: string, bin: string | null, reason: string | null }} `bin` when the binary is installed;
 *   otherwise null and `reason`, a sentence saying why and how to install it.
 */
export function locateElectron(root) {
  const dir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(dir, 'package.json'))) {
    return { version: '', bin: null, reason: 'node_modules/electron is missing: run `npm install` first.' };
  }
  const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  const pathFile = join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(dir, 'dist');
  const bin = relative ? join(dist, relative) : null;
  if (bin && existsSync(bin)) return { version, bin, reason: null };
  return {
    version,
    bin: null,
    reason:
      `the Electron ${version} binary is not installed (npm install does not download it). ` +
      '`npm start` and `npm run dev` fetch it on first use; to fetch it now run `node node_modules/electron/install.js` ' +
      "(needs Electron's download host, github.com, or a mirror in ELECTRON_MIRROR).",
  };
}

/**
 * Downloads and unpacks the Electron binary with electron's own installer (checksums verified against the
 * package's checksums.json). Output streams to the terminal. Gives up after `timeoutMs` (default 20 min).
 * @param {string} root repository root
 * @returns {{ ok: boolean, detail: string }} `detail`: the installer's last error line when it failed
 */
export function installElectron(root, timeoutMs = 20 * 60_000) {
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  if (r.status === 0) return { ok: true, detail: '' };
  const stderr = (r.stderr ?? '').trim();
  const firstLine = stderr.split('\n').find((l) => l.trim() !== '') ?? '';
  const detail = r.error ? r.error.message : r.signal ? `stopped by ${r.signal} after ${timeoutMs} ms` : firstLine;
  return { ok: false, detail: detail || `exit status ${r.status}` };
}
