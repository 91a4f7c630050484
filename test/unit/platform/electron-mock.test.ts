import { beforeEach, describe, expect, it } from 'vitest';
import * as electron from 'electron';
import * as mock from '../../fakes/electron-mock';

// The shell tests trust the mock; these pin the few real-Electron rules it keeps.
describe('electron mock', () => {
  beforeEach(() => mock.__reset());

  it('is the module `electron` resolves to', () => {
    expect(electron.ipcMain).toBe(mock.ipcMain);
    expect((electron as unknown as { default: typeof mock.default }).default.app).toBe(mock.app);
  });

  it('routes ipcRenderer.invoke to the ipcMain handler with the chosen sender frame', async () => {
    mock.ipcMain.handle('x:echo', (event, arg) => ({ url: event.senderFrame.url, top: event.senderFrame === event.sender.mainFrame, arg }));
    expect(await mock.ipcRenderer.invoke('x:echo', { a: 1 })).toEqual({ url: 'app://proximity/index.html', top: true, arg: { a: 1 } });
    mock.ipcRenderer.__setSenderFrame({ url: 'http://evil.example:40001/', top: false });
    expect(await mock.ipcRenderer.invoke('x:echo', 2)).toEqual({ url: 'http://evil.example:40001/', top: false, arg: 2 });
    expect(() => mock.ipcMain.handle('x:echo', () => 1)).toThrow(/second handler/);
    await expect(mock.ipcRenderer.invoke('nope')).rejects.toThrow(/No handler/);
  });

  it('loses thrown error fields at the bridge and refuses non-cloneable payloads', async () => {
    mock.ipcMain.handle('x:throw', () => {
      throw Object.assign(new Error('boom'), { code: 'X' });
    });
    await expect(mock.ipcRenderer.invoke('x:throw')).rejects.toThrow(/boom/);
    mock.ipcMain.handle('x:fn', () => ({ f: () => 1 }));
    await expect(mock.ipcRenderer.invoke('x:fn')).rejects.toThrow();
  });

  it('delivers webContents.send to renderer listeners', () => {
    const got: unknown[] = [];
    mock.ipcRenderer.on('evt', (_e: unknown, p: unknown) => got.push(p));
    const win = new mock.BrowserWindow({});
    win.webContents.send('evt', { n: 1 });
    expect(got).toEqual([{ n: 1 }]);
    expect(win.webContents.sent).toEqual([{ channel: 'evt', args: [{ n: 1 }] }]);
  });

  it('enforces privileged schemes before ready and protocol.handle after', async () => {
    expect(() => mock.protocol.handle('app', () => null)).toThrow();
    mock.protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true } }]);
    await mock.app.whenReady();
    expect(() => mock.protocol.registerSchemesAsPrivileged([{ scheme: 'late' }])).toThrow(/before app is ready/);
    mock.protocol.handle('app', () => null);
    expect(mock.protocol.handlers.has('app')).toBe(true);
  });

  it('safeStorage ciphertext is not the plain text and round-trips', () => {
    const enc = mock.safeStorage.encryptString('hunter2');
    expect(enc.includes(Buffer.from('hunter2'))).toBe(false);
    expect(mock.safeStorage.decryptString(enc)).toBe('hunter2');
    expect(() => mock.safeStorage.decryptString(Buffer.from('hunter2'))).toThrow();
    mock.safeStorage.__configure({ available: false });
    expect(() => mock.safeStorage.encryptString('x')).toThrow(/not available/);
  });

  it('emits session-created for new partitions and reset clears records', () => {
    const created: unknown[] = [];
    mock.app.on('session-created', (s) => created.push(s));
    const s = mock.session.fromPartition('persist:canvas');
    expect(created).toEqual([s]);
    mock.session.fromPartition('persist:canvas');
    expect(created).toHaveLength(1);
    mock.__reset();
    expect(mock.app.listenersOf('session-created')).toHaveLength(0);
    expect(mock.session.__all()).toHaveLength(1);
  });
});
