import { mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as mock from '../../fakes/electron-mock';
import { clampToDisplays, loadWindowState, parseWindowState, saveWindowState } from '../../../src-main/platform/window-state';
import { createMainWindow, focusWindow } from '../../../src-main/platform/main-window';
import type { BrowserWindow } from 'electron';

const wide = { x: 0, y: 0, width: 1920, height: 1040 };
const second = { x: 1920, y: 0, width: 1280, height: 1024 };
let dir: string;

beforeEach(() => {
  mock.__reset();
  dir = mkdtempSync(join(tmpdir(), 'proximity-window-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('window state', () => {
  it('round-trips through the JSON file', () => {
    const file = join(dir, 'window-state.json');
    saveWindowState(file, { bounds: { x: 100, y: 50, width: 1200, height: 700 }, maximized: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadWindowState(file, [wide])).toEqual({ bounds: { x: 100, y: 50, width: 1200, height: 700 }, maximized: true });
  });

  it('ignores missing, corrupt and ill-typed files and centres a default window', () => {
    const file = join(dir, 'window-state.json');
    const centred = { bounds: { x: 320, y: 120, width: 1280, height: 800 }, maximized: false };
    expect(loadWindowState(file, [wide])).toEqual(centred);
    writeFileSync(file, '{not json');
    expect(loadWindowState(file, [wide])).toEqual(centred);
    for (const bad of [null, [], { bounds: { x: 1, y: 1, width: 10, height: 10 } }, { bounds: { x: '1', y: 1, width: 10, height: 10 }, maximized: false }, { bounds: { x: 1, y: 1, width: -5, height: 10 }, maximized: false }, { bounds: { x: 1.5, y: 1, width: 10, height: 10 }, maximized: false }]) {
      expect(parseWindowState(bad), JSON.stringify(bad)).toBeNull();
    }
  });

  it('keeps a window on a display where it is, shrinking it to fit', () => {
    expect(clampToDisplays({ x: 2000, y: 100, width: 1000, height: 700 }, [wide, second])).toEqual({ x: 2000, y: 100, width: 1000, height: 700 });
    expect(clampToDisplays({ x: 100, y: 100, width: 3000, height: 2000 }, [wide])).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
  });

  it('moves a window from an unplugged monitor back onto a visible display, centred', () => {
    // Saved on the second monitor, which is gone now.
    expect(clampToDisplays({ x: 2000, y: 100, width: 1000, height: 700 }, [wide])).toEqual({ x: 460, y: 170, width: 1000, height: 700 });
    // Title bar above the top of the screen is unreachable.
    expect(clampToDisplays({ x: 100, y: -500, width: 1000, height: 700 }, [wide]).y).toBeGreaterThanOrEqual(0);
  });
});

describe('main window', () => {
  const open = (file: string) =>
    createMainWindow({ preloadPath: '/repo/out/preload/index.js', entryUrl: 'app://proximity/index.html', windowStateFile: file }) as unknown as mock.BrowserWindow;

  it('opens hidden with secure preferences at the remembered place and saves on close', async () => {
    const file = join(dir, 'window-state.json');
    saveWindowState(file, { bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true });
    const win = open(file);
    expect(win.options).toMatchObject({ x: 10, y: 20, width: 1000, height: 700, show: false });
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, webSecurity: true, preload: '/repo/out/preload/index.js' });
    expect(win.isMaximized()).toBe(true);
    expect(win.loadedUrls).toEqual(['app://proximity/index.html']);
    expect(win.webContents.windowOpenHandler).not.toBeNull();
    expect(win.webContents.listenersOf('will-navigate')).toHaveLength(1);
    win.__emit('ready-to-show');
    expect(win.isVisible()).toBe(true);
    win.setBounds({ x: 300, y: 200 });
    win.unmaximize();
    win.close();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ bounds: { x: 300, y: 200, width: 1000, height: 700 }, maximized: false });
  });

  it('focus restores a minimised window and ignores a destroyed one', () => {
    const win = open(join(dir, 'w.json'));
    win.minimize();
    focusWindow(win as unknown as BrowserWindow);
    expect(win.isMinimized()).toBe(false);
    expect(win.focusCalls).toBe(1);
    win.destroy();
    focusWindow(win as unknown as BrowserWindow);
    expect(win.focusCalls).toBe(1);
    focusWindow(null);
  });
});
