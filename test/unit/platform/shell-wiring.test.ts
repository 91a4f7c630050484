import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import * as mock from '../../fakes/electron-mock';
import { startShell } from '../../../src-main/index';
import type { Shell } from '../../../src-main/index';
import { CHANNEL_NAMES, IPC_EVENT_CHANNEL, IPC_SUBSCRIBE_CHANNEL, ipcChannelFor } from '../../../src-shared/contract/names';
import { BASIC_TEXT_WARNING } from '../../../src-main/platform/safe-storage-cipher';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';

// The whole shell, started against the electron mock with a real SQLite data dir.
let dataDir: string;
let userData: string;
let shell: Shell | null = null;
let logs: string[];

async function start(): Promise<Shell> {
  const s = await startShell({ argv: ['electron', '.', `--data-dir=${dataDir}`], env: {}, log: (l) => logs.push(l) });
  if (!s) throw new Error('shell did not start');
  shell = s;
  return s;
}
const trayTemplate = () => (mock.Tray.instances[0].contextMenu as { template: MenuItemConstructorOptions[] }).template;
const trayItem = (id: string): MenuItemConstructorOptions => {
  for (const i of trayTemplate()) {
    if (i.id === id) return i;
    const found = Array.isArray(i.submenu) ? i.submenu.find((s) => s.id === id) : undefined;
    if (found) return found;
  }
  throw new Error(`no tray item ${id}`);
};
const clickTray = (id: string) => (trayItem(id).click as () => void)();
/** What the renderer (the mock's ipcRenderer side) receives for `event` after subscribing like the preload does. */
async function rendererEvents(event: string): Promise<unknown[]> {
  const got: unknown[] = [];
  mock.ipcRenderer.on(IPC_EVENT_CHANNEL, (_e: unknown, name: string, payload: unknown) => {
    if (name === event) got.push(payload);
  });
  expect(await mock.ipcRenderer.invoke(IPC_SUBSCRIBE_CHANNEL, { event })).toMatchObject({ ok: true });
  return got;
}

beforeEach(() => {
  mock.__reset();
  logs = [];
  dataDir = mkdtempSync(join(tmpdir(), 'proximity-shell-data-'));
  userData = mkdtempSync(join(tmpdir(), 'proximity-shell-userdata-'));
  mock.app.setPath('userData', userData);
});
afterEach(() => {
  shell?.shutdown();
  shell = null;
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(userData, { recursive: true, force: true });
});

describe('startShell', () => {
  it('quits without touching anything when another instance holds the lock', async () => {
    mock.app.__setSingleInstanceLock(false);
    expect(await startShell({ argv: [], env: {}, log: () => {} })).toBeNull();
    expect(mock.app.quitCalls).toBe(1);
    expect(mock.protocol.privilegedSchemes).toEqual([]);
    expect(mock.BrowserWindow.instances).toHaveLength(0);
    expect(mock.ipcMain.handlers.size).toBe(0);
  });

  it('registers app:// (privileged before ready), IPC per contract channel, and opens one secure window', async () => {
    await start();
    expect(mock.protocol.privilegedSchemes).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    expect(mock.protocol.handlers.has('app')).toBe(true);
    expect(mock.app.appUserModelId).toBe('dev.proximity.desktop');
    expect([...mock.ipcMain.handlers.keys()].sort()).toEqual([...CHANNEL_NAMES.map(ipcChannelFor), IPC_SUBSCRIBE_CHANNEL].sort());

    expect(mock.BrowserWindow.instances).toHaveLength(1);
    const win = mock.BrowserWindow.instances[0];
    const prefs = win.options.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(prefs.preload).toBe(join(mock.app.getAppPath(), 'out', 'preload', 'index.js'));
    expect(win.loadedUrls).toEqual(['app://proximity/index.html']);
    expect(win.webContents.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
  });

  it('denies permissions on the default session and on sessions created after start', async () => {
    await start();
    const later = mock.session.fromPartition('persist:later');
    for (const s of [mock.session.defaultSession, later]) {
      let granted: boolean | undefined;
      s.permissionRequestHandler!(null, 'geolocation', (g: boolean) => (granted = g));
      expect(granted).toBe(false);
      expect(s.permissionCheckHandler!(null, 'media')).toBe(false);
    }
  });

  it('answers the app top frame through the real preload and refuses an embedded canvas', async () => {
    await start();
    // The preload registers its listeners when imported, so it is imported here, after beforeEach's reset
    // (and only by this test; vi.resetModules would also give it a fresh copy of the mock).
    await import('../../../src-preload/index');
    const api = mock.contextBridge.exposed.proximity as DesktopApi;
    const info = await api.system.getInfo();
    expect(info).toMatchObject({ ok: true, value: { runtime: 'electron', dataDir } });
    const snapshots: unknown[] = [];
    api.onAppsChanged((apps) => snapshots.push(apps));
    await vi.waitFor(() => expect(snapshots).toEqual([[]])); // latest snapshot replayed on subscribe
    expect(await api.links.openExternal({ url: 'https://pve.example.org:8006/' })).toMatchObject({ ok: true });
    expect(await api.links.openExternal({ url: 'file:///etc/passwd' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(mock.shell.openedExternal).toEqual(['https://pve.example.org:8006/']);
    mock.ipcRenderer.__setSenderFrame({ url: 'http://10.20.0.2:40001/', top: false });
    expect(await api.system.getInfo()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    mock.ipcRenderer.__setSenderFrame({ url: 'https://evil.example/', top: true });
    expect(await mock.ipcRenderer.invoke(ipcChannelFor('system.getInfo'), {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('serves the UI with a CSP that frames only registered canvas origins', async () => {
    const s = await start();
    const handler = mock.protocol.handlers.get('app')!;
    const before = (await handler(new Request('app://proximity/index.html'))) as Response;
    expect(before.headers.get('content-security-policy')).toContain("frame-src 'none'");
    s.canvasOrigins.replaceAll(['http://10.20.0.2:40001/', 'http://10.20.0.2:45001/']);
    const after = (await handler(new Request('app://proximity/index.html'))) as Response;
    expect(after.headers.get('content-security-policy')).toContain('frame-src http://10.20.0.2:40001;');
    // The canvas range is the internal range in settings: moving it moves what may be framed.
    s.core.settings.setPortRanges({ internal: { start: 45000, end: 45999 } }, 'operator');
    const moved = (await handler(new Request('app://proximity/index.html'))) as Response;
    expect(moved.headers.get('content-security-policy')).toContain('frame-src http://10.20.0.2:45001;');
  });

  it('a port allocated through core (no IPC call) reaches a subscribed renderer and the tray', async () => {
    const s = await start();
    const apps = (await rendererEvents('apps.changed')) as Array<Array<{ id: string; ports: unknown }>>;
    expect(apps).toEqual([[]]); // the replayed snapshot
    const app = s.core.apps.insert({ catalogId: 'gitea', name: 'Gitea', hostname: 'gitea', status: 'running' });
    expect(trayTemplate().map((i) => i.label)).toContain('Gitea (running)');
    s.core.ports.allocate(app.id);
    expect(apps.at(-1)).toEqual([expect.objectContaining({ id: app.id, ports: { public: 30000, internal: 40000 } })]);
    s.core.apps.updateStatus(app.id, 'stopped');
    expect(apps.at(-1)).toEqual([expect.objectContaining({ id: app.id, status: 'stopped' })]);
    expect(trayTemplate().map((i) => i.label)).toContain('Gitea (stopped)');
  });

  it('keeps secrets with safeStorage and warns about the basic_text backend', async () => {
    mock.safeStorage.__configure({ backend: 'basic_text' });
    const s = await start();
    expect(s.secretStorage.weak).toBe(process.platform === 'linux');
    if (process.platform === 'linux') {
      expect(logs.some((l) => l.includes('[secrets] WARNING (basic_text)'))).toBe(true);
      expect(mock.Notification.shown).toEqual([expect.objectContaining({ title: expect.stringMatching(/keyring/) })]);
    }
    // The renderer learns it through system.getInfo and shows its banner from that.
    const info = await mock.ipcRenderer.invoke(ipcChannelFor('system.getInfo'), {});
    const expected =
      process.platform === 'linux'
        ? { backend: 'basic_text', encrypted: false, warning: BASIC_TEXT_WARNING }
        : { backend: 'os', encrypted: true, warning: null };
    expect(info).toMatchObject({ ok: true, value: { secretStorage: expected } });
    const enc = s.core.secretCipher!.encrypt('token-secret');
    expect(enc.toString('utf8')).not.toContain('token-secret');
    expect(s.core.secretCipher!.decrypt(enc)).toBe('token-secret');
  });

  it('shows no secrets warning with a real keyring', async () => {
    const s = await start();
    expect(s.secretStorage).toMatchObject({ weak: false, warning: null });
    expect(mock.Notification.shown).toEqual([]);
    expect(await mock.ipcRenderer.invoke(ipcChannelFor('system.getInfo'), {})).toMatchObject({
      ok: true,
      value: { secretStorage: { encrypted: true, warning: null } },
    });
  });

  it('reports unavailable encryption as not encrypted, with its own warning', async () => {
    mock.safeStorage.__configure({ available: false });
    await start();
    expect(await mock.ipcRenderer.invoke(ipcChannelFor('system.getInfo'), {})).toMatchObject({
      ok: true,
      value: { secretStorage: { encrypted: false, warning: expect.stringMatching(/unavailable/) } },
    });
  });

  it('tray Deploy / Infrastructure / Open canvas send the renderer there (ui.navigate) and focus the window', async () => {
    const s = await start();
    const win = mock.BrowserWindow.instances[0];
    const navigations = await rendererEvents('ui.navigate');
    win.minimize();
    const focusBefore = win.focusCalls;
    clickTray('deploy');
    expect(navigations).toEqual([{ view: 'deploy' }]);
    expect(win.isMinimized()).toBe(false);
    expect(win.focusCalls).toBe(focusBefore + 1);
    clickTray('infrastructure');
    // Open canvas is enabled only with a canvas URL, which needs infrastructure; the action itself is wired now.
    const app = s.core.apps.insert({ catalogId: 'gitea', name: 'Gitea', hostname: 'gitea', status: 'running' });
    clickTray(`app:${app.id}:open`);
    expect(navigations).toEqual([{ view: 'deploy' }, { view: 'infrastructure' }, { view: 'canvas', appId: app.id }]);
    expect(mock.BrowserWindow.instances).toHaveLength(1); // the existing window, not a new one
  });

  it('a tray navigation with the window closed opens one that lands there; plain reopening does not', async () => {
    const s = await start();
    mock.BrowserWindow.instances[0].close();
    clickTray('deploy');
    expect(mock.BrowserWindow.instances).toHaveLength(2);
    expect(s.hub.latest('ui.navigate')).toEqual({ view: 'deploy' }); // replayed when the new window subscribes
    mock.BrowserWindow.instances[1].close();
    clickTray('open');
    expect(mock.BrowserWindow.instances).toHaveLength(3);
    expect(s.hub.latest('ui.navigate')).toBeUndefined(); // no stale "deploy" for a window the operator just opened
  });

  it('rebuilds the tray from app state; start reaches the same core action as the UI (which refuses an app that is not deployed)', async () => {
    const s = await start();
    expect(trayTemplate().map((i) => i.label)).toContain('No apps deployed');
    const app = s.core.apps.insert({ catalogId: 'gitea', name: 'Gitea', hostname: 'gitea', status: 'stopped' });
    const sub = trayTemplate().find((i) => i.id === `app:${app.id}`)!;
    expect(sub.label).toBe('Gitea (stopped)');
    const start_ = (sub.submenu as MenuItemConstructorOptions[]).find((i) => i.label === 'Start')!;
    expect(start_.enabled).toBe(true);
    (start_.click as () => void)();
    await new Promise((r) => setImmediate(r));
    expect(mock.Notification.shown).toEqual([expect.objectContaining({ title: 'Cannot start Gitea', body: expect.stringMatching(/has no container yet/) })]);
  });

  it('keeps following app state after one tray update failed', async () => {
    const s = await start();
    const tray = mock.Tray.instances[0];
    const setContextMenu = tray.setContextMenu.bind(tray);
    tray.setContextMenu = () => {
      throw new Error('menu backend hiccup');
    };
    s.core.apps.insert({ catalogId: 'gitea', name: 'Gitea', hostname: 'gitea', status: 'running' });
    expect(logs.some((l) => l.includes('menu backend hiccup'))).toBe(true);
    tray.setContextMenu = setContextMenu;
    s.core.apps.insert({ catalogId: 'whoami', name: 'Whoami', hostname: 'whoami', status: 'stopped' });
    expect(trayTemplate().map((i) => i.label)).toEqual(expect.arrayContaining(['Gitea (running)', 'Whoami (stopped)']));
  });

  it('focuses the existing window on a second launch and shuts down cleanly on quit', async () => {
    await start();
    const win = mock.BrowserWindow.instances[0];
    win.minimize();
    mock.app.__emit('second-instance', {}, ['electron', '.'], process.cwd());
    expect(win.isMinimized()).toBe(false);
    expect(win.focusCalls).toBeGreaterThanOrEqual(2);
    // Closing the window keeps the tray app running; quitting releases IPC, tray and database.
    mock.app.__emit('window-all-closed');
    expect(mock.app.quitCalls).toBe(0);
    mock.app.__emit('will-quit');
    expect(mock.ipcMain.handlers.size).toBe(0);
    expect(mock.Tray.instances[0].destroyed).toBe(true);
    expect(() => shell!.core.apps.list()).toThrow();
  });

  it('reopens the window on a second launch after the operator closed it (Proximity kept running in the tray)', async () => {
    await start();
    mock.BrowserWindow.instances[0].close();
    mock.app.__emit('window-all-closed');
    expect(mock.app.quitCalls).toBe(0);
    mock.app.__emit('second-instance', {}, ['electron', '.'], process.cwd());
    expect(mock.BrowserWindow.instances).toHaveLength(2);
    const reopened = mock.BrowserWindow.instances[1];
    expect(reopened.isDestroyed()).toBe(false);
    expect(reopened.loadedUrls).toEqual(['app://proximity/index.html']);
  });
});
