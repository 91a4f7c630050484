/**
 * Starts the built app in real Electron with Playwright and checks what only a real Electron can show: the
 * sandboxed renderer has the preload API and nothing else, app:// serves the UI with its CSP, navigation and
 * popups are refused, IPC reaches the real core. Skipped, with the reason printed, where the Electron binary is not
 * installed (`npm install` does not download it; `npm start` or `node node_modules/electron/install.js` does).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { _electron } from 'playwright-core';
import { locateElectron } from '../../../scripts/electron-binary.mjs';
import type { ElectronApplication, Page } from 'playwright-core';

// Page functions run in the renderer; this file is compiled without the DOM lib, so declare what they touch.
declare const window: any;
declare const document: any;

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');

// Located without `require('electron')`, which would start a download on first use (Electron >= 45).
const electron = locateElectron(root);
const binary = electron.bin;
if (!binary) {
  // Say why, where the run's output shows it, rather than skip silently.
  console.warn(`[test:electron] skipping the real-Electron suite: ${electron.reason}`);
}

describe.skipIf(!binary)(binary ? 'Proximity in real Electron' : `Proximity in real Electron (skipped: ${electron.reason})`, () => {
  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    const step = (cmd: string, args: string[]) => {
      const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
    };
    step(process.execPath, ['scripts/ensure-native.mjs', 'electron']);
    if (!existsSync(join(root, 'out', 'main', 'index.js'))) step(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build']);
    dataDir = mkdtempSync(join(tmpdir(), 'proximity-e2e-electron-'));
    app = await _electron.launch({
      executablePath: binary!,
      args: [root, `--data-dir=${dataDir}`, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: { ...process.env, ELECTRON_RENDERER_URL: '', NODE_ENV: 'production' },
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads the UI from app:// with the preload API and no Node in the page', async () => {
    expect(page.url()).toBe('app://proximity/index.html');
    const globals = await page.evaluate(() => ({
      api: typeof window.proximity?.app?.getInfo,
      require: typeof window.require,
      process: typeof window.process,
    }));
    expect(globals).toEqual({ api: 'function', require: 'undefined', process: 'undefined' });
    const info = await page.evaluate(() => window.proximity.system.getInfo());
    expect(info).toMatchObject({ ok: true, value: { runtime: 'electron', dataDir } });
  });

  it('sends the CSP and blocks inline script', async () => {
    const csp = await page.evaluate(async () => (await fetch('app://proximity/index.html')).headers.get('content-security-policy'));
    expect(csp).toContain("default-src 'none'");
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.appendChild(s);
      return window.__inlineRan === true;
    });
    expect(ran).toBe(false);
  });

  it('refuses popups and navigation away from the app', async () => {
    expect(await page.evaluate(() => window.open('https://example.invalid/') === null)).toBe(true);
    await page.evaluate(() => {
      window.location.href = 'https://example.invalid/';
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(page.url()).toBe('app://proximity/index.html');
    expect(app.windows()).toHaveLength(1);
  });

  it('uses secure webPreferences in the real BrowserWindow', async () => {
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const wp = (BrowserWindow.getAllWindows()[0].webContents as any).getLastWebPreferences();
      return { contextIsolation: wp.contextIsolation, sandbox: wp.sandbox, nodeIntegration: wp.nodeIntegration, webviewTag: wp.webviewTag, webSecurity: wp.webSecurity };
    });
    expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, webSecurity: true });
  });
});
