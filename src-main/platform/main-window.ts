import { BrowserWindow, screen, shell } from 'electron';
import { hardenWebContents } from './window-security';
import { MIN_HEIGHT, MIN_WIDTH, loadWindowState, saveWindowState } from './window-state';

export interface MainWindowOptions {
  preloadPath: string;
  /** The URL the window loads (app://proximity/index.html, or the dev server in `npm run dev`). */
  entryUrl: string;
  /** JSON file remembering bounds and maximized state (in userData). */
  windowStateFile: string;
  iconPath?: string;
  /** Origins besides app:// the window may navigate within (the dev server in `npm run dev`). */
  allowedOrigins?: readonly string[];
  log?: (line: string) => void;
}

const workAreas = () => screen.getAllDisplays().map((d) => d.workArea);

/** Creates the one app window: explicit secure preferences, locked-down navigation, remembered bounds. */
export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const state = loadWindowState(opts.windowStateFile, workAreas());
  const win = new BrowserWindow({
    ...state.bounds,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false, // shown on ready-to-show, so the operator never sees an empty white frame
    title: 'Proximity',
    backgroundColor: '#111418',
    ...(opts.iconPath ? { icon: opts.iconPath } : {}),
    // Every security-relevant preference written out here, at the call, even where it equals Electron's
    // default: reviewers and scanners look for them here, and a future default change cannot loosen them.
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // A middle-click must not open a link in a new window (the window-open handler is the only way out).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  hardenWebContents(win.webContents, { openExternal: (url) => shell.openExternal(url), allowedOrigins: opts.allowedOrigins, log: opts.log });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    try {
      saveWindowState(opts.windowStateFile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (e) {
      opts.log?.(`[window] could not save window state: ${String(e)}`);
    }
  });
  void win.loadURL(opts.entryUrl).catch((e: unknown) => opts.log?.(`[window] failed to load ${opts.entryUrl}: ${String(e)}`));
  return win;
}

/** Brings the window to the front (second instance, tray click). */
export function focusWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
