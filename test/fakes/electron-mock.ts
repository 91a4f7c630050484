/**
 * A small, inspectable stand-in for the `electron` module. vitest aliases `electron` to this file because the
 * Electron binary cannot run here. It records what the code under test registers so tests can assert on it,
 * and it keeps the few rules of real Electron that catch real bugs (privileged schemes only before ready,
 * `protocol.handle`/`ipcMain.handle` once per name, IPC payloads structured-cloned, safeStorage ciphertext
 * never equal to the plain text).
 *
 * Inspect it by importing THIS file (`import * as mock from '../../fakes/electron-mock'`); the code under test
 * imports `electron` and gets the same module instance. Call `__reset()` in `beforeEach`. A module that
 * registers listeners when imported (the preload) must be imported after the reset; `vi.resetModules()` would
 * hand it a second, separate copy of this mock.
 *
 * API (beyond Electron's own names):
 * - app: getPath(name) -> `<tmp>/proximity-electron-mock-<pid>/<name>` (created), getVersion() -> package.json
 *   version, getName() -> productName, isPackaged=false, getAppPath() -> repo root (`__setAppPath(p)`), isReady(), whenReady()
 *   (resolves and marks ready), requestSingleInstanceLock() -> `app.__setSingleInstanceLock(bool)` (default
 *   true), on/once -> `app.listenersOf(event)`, `app.__emit(event, ...args)`, quit()/exit(code) -> `app.quitCalls`,
 *   `app.exitCalls`, setAppUserModelId -> `app.appUserModelId`.
 * - ipcMain: handle/handleOnce/removeHandler -> `ipcMain.handlers: Map<channel, fn>`; on/removeListener ->
 *   `ipcMain.listeners: Map<channel, fn[]>`.
 * - ipcRenderer: invoke(channel, ...args) calls the ipcMain handler with a fake event `{ sender, senderFrame,
 *   frameId, processId }` (sender = `ipcRenderer.__sender`, a fake webContents with id/mainFrame/send);
 *   `ipcRenderer.__setSenderFrame({ url, top })` picks the calling frame (default app://proximity/index.html,
 *   top). on/once/removeListener/removeAllListeners; every `webContents.send` from main is delivered to them.
 *   send(channel, ...args) goes to `ipcMain.on` listeners.
 * - contextBridge.exposeInMainWorld(key, api) -> `contextBridge.exposed[key]` (throws on a duplicate key).
 * - BrowserWindow: `win.options` (constructor options), `win.loadedUrls`, `win.listenersOf(e)`, `win.__emit(e)`,
 *   `win.webContents` (FakeWebContents: `windowOpenHandler`, `listenersOf(e)`, `__emit(e, ...args)`, `sent`,
 *   `session`, `mainFrame`), static `BrowserWindow.instances`, getAllWindows(), fromWebContents(),
 *   getFocusedWindow().
 * - protocol: `protocol.privilegedSchemes` (throws if registered after ready), `protocol.handlers: Map<scheme,
 *   fn>` (handle throws before ready and on duplicates).
 * - session: `defaultSession`, fromPartition(p) (emits app 'session-created' for a new one), `session.__all()`;
 *   each FakeSession records `permissionRequestHandler`, `permissionCheckHandler`, `webRequest.headersReceived`
 *   (array of { filter, listener }).
 * - safeStorage: isEncryptionAvailable(), encryptString (XOR + "mock-safe:" prefix), decryptString,
 *   getSelectedStorageBackend(); `safeStorage.__configure({ available?, backend? })`.
 * - Tray: `Tray.instances`, each with `image`, `tooltip`, `contextMenu`, `destroyed`, `listenersOf(e)`, `__emit(e)`.
 * - Menu.buildFromTemplate(t) -> `{ template, items }`; Menu.setApplicationMenu -> `Menu.applicationMenu`.
 * - nativeImage.createFromPath(p) -> `{ path, isEmpty() }` (empty when the file is missing), createEmpty().
 * - shell.openExternal(url) -> `shell.openedExternal: string[]`.
 * - Notification: `Notification.instances` (options), `Notification.shown` (options of shown ones).
 * - dialog: showErrorBox -> `dialog.errorBoxes`; showMessageBox -> `{ response: dialog.__messageBoxResponse }`.
 * - screen: getAllDisplays() (one 1920x1080 display by default), getPrimaryDisplay(), getDisplayMatching(rect);
 *   `screen.__setDisplays(displays)`.
 */
import { app, protocol, resetCore, session, FakeSession } from './electron-mock-core';
import { BrowserWindow, FakeWebContents, contextBridge, ipcMain, ipcRenderer, resetWeb } from './electron-mock-web';
import { FakeNativeImage, Menu, Notification, Tray, dialog, nativeImage, resetDesktop, safeStorage, screen, shell } from './electron-mock-desktop';

export type { FakeFrame, Rect } from './electron-mock-web';
export type { FakeDisplay } from './electron-mock-desktop';
export {
  app,
  protocol,
  session,
  FakeSession,
  BrowserWindow,
  FakeWebContents,
  contextBridge,
  ipcMain,
  ipcRenderer,
  FakeNativeImage,
  Menu,
  Notification,
  Tray,
  dialog,
  nativeImage,
  safeStorage,
  screen,
  shell,
};

/** Clears every record and restores every default (call in beforeEach). */
export function __reset(): void {
  resetCore();
  resetWeb();
  resetDesktop();
}

const electronMock = {
  app,
  ipcMain,
  ipcRenderer,
  contextBridge,
  BrowserWindow,
  protocol,
  session,
  safeStorage,
  Tray,
  Menu,
  nativeImage,
  shell,
  Notification,
  dialog,
  screen,
  __reset,
};
export default electronMock;
