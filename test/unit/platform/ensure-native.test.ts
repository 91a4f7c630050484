import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { locateElectron } from '../../../scripts/electron-binary.mjs';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const script = join(root, 'scripts', 'ensure-native.mjs');
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });

describe('scripts/ensure-native.mjs', () => {
  it('node mode confirms better-sqlite3 loads in this Node', () => {
    const r = run(['node']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`loads in Node ${process.version} (ABI ${process.versions.modules})`);
  });

  it.skipIf(locateElectron(root).bin !== null)('electron mode tries to fetch a missing Electron binary and explains why it cannot', () => {
    // Electron's real installer against a mirror that refuses connections (loopback port 9, discard) and an
    // empty download cache: the fetch fails at once on any machine, online or not, and downloads nothing.
    const cache = mkdtempSync(join(tmpdir(), 'proximity-electron-cache-'));
    try {
      const r = run(['electron'], { ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: cache });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stdout).toMatch(/the Electron [\d.]+ binary is not installed yet; downloading it once/);
      expect(r.stderr).toMatch(/could not download the Electron [\d.]+ binary \(.+\)/);
      expect(r.stderr).toContain('ELECTRON_MIRROR');
      expect(r.stderr).toContain('node node_modules/electron/install.js');
      expect(r.stderr).toContain('`npm run web`');
      expect(locateElectron(root).bin).toBeNull();
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('rejects an unknown mode with usage', () => {
    const r = run(['python']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('usage: node scripts/ensure-native.mjs <node|electron>');
  });
});
