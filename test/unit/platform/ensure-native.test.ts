import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const script = join(root, 'scripts', 'ensure-native.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

function electronBinaryInstalled(): boolean {
  const r = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], { cwd: root, encoding: 'utf8' });
  return r.status === 0 && existsSync(r.stdout.trim());
}

describe('scripts/ensure-native.mjs', () => {
  it('node mode confirms better-sqlite3 loads in this Node', () => {
    const r = run('node');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`loads in Node ${process.version} (ABI ${process.versions.modules})`);
  });

  it.skipIf(electronBinaryInstalled())('electron mode explains a missing Electron binary and fails', () => {
    const r = run('electron');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Electron [\d.]+ binary is not installed/);
    expect(r.stderr).toContain('node node_modules/electron/install.js');
  });

  it('rejects an unknown mode with usage', () => {
    const r = run('python');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('usage: node scripts/ensure-native.mjs <node|electron>');
  });
});
