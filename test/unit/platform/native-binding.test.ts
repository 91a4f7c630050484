import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as mock from '../../fakes/electron-mock';
import { startShell } from '../../../src-main/index';
import { electronNativeBindingPath } from '../../../src-main/platform/shell-paths';

// Unpackaged Electron must load better-sqlite3 from .cache/native/electron-<version>/, never Node's build.
// Here "Electron" is simulated by process.versions.electron, and the cached file is Node's own build (so it
// loads under vitest); a broken file there proves that path, and only that path, is used.
const require = createRequire(import.meta.url);
const nodeBuild = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
const FAKE_ELECTRON = '99.0.0-test';
let appPath: string;
let dataDir: string;

beforeEach(() => {
  mock.__reset();
  appPath = mkdtempSync(join(tmpdir(), 'proximity-apppath-'));
  dataDir = mkdtempSync(join(tmpdir(), 'proximity-native-data-'));
  mock.app.__setAppPath(appPath);
  mock.app.setPath('userData', dataDir);
  Object.defineProperty(process.versions, 'electron', { value: FAKE_ELECTRON, configurable: true, enumerable: true });
});
afterEach(() => {
  delete (process.versions as Record<string, string | undefined>).electron;
  rmSync(appPath, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

const start = () => startShell({ argv: [`--data-dir=${dataDir}`], env: {}, log: () => {} });

describe('Electron native binding', () => {
  it('lives in .cache/native/electron-<version>/', () => {
    expect(electronNativeBindingPath('/repo', '38.8.6')).toBe('/repo/.cache/native/electron-38.8.6/better_sqlite3.node');
  });

  it('refuses to start with a clear message when the Electron build is missing', async () => {
    await expect(start()).rejects.toThrow(/not built for Electron 99\.0\.0-test.*npm start/);
  });

  it('opens the database through the cached build', async () => {
    const file = electronNativeBindingPath(appPath, FAKE_ELECTRON);
    mkdirSync(dirname(file), { recursive: true });
    copyFileSync(nodeBuild, file);
    const shell = await start();
    expect(shell!.core.db.status().integrity).toBe('ok');
    shell!.shutdown();
  });

  it('really loads that file (a corrupt one fails)', async () => {
    const file = electronNativeBindingPath(appPath, FAKE_ELECTRON);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, 'not an ELF file');
    await expect(start()).rejects.toMatchObject({ code: 'DB_ERROR' });
  });
});
