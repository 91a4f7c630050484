/**
 * The Electron main process: lifecycle and wiring only. Security rules, the tray, window state and secrets
 * live in small `platform/` files; product logic lives in `core/` and is reached through `ipc/`.
 *
 * Started automatically inside Electron (bottom of this file); tests import `startShell` and run it against
 * the electron mock.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import type { BrowserWindow } from 'electron';
import type { Navigation } from '../src-shared/contract/schemas';
import { openCore } from './core/core-context';
import type { CoreContext } from './core/core-context';
import { resolveDataDir } from './core/data-dir';
import { createCoreFeatures } from './core/runtime/core-features';
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME, isExternalWebUrl } from '../src-shared/contract/origins';
import { bindElectronIpc, createIpcRuntime } from './ipc';
import type { EventHub } from './ipc';
import { listAppSummaries } from './ipc/handlers/mappers';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './platform/app-protocol';
import { createLifecycleActions, createNavigationActions } from './platform/app-actions';
import { followCanvasRange } from './platform/canvas-origins';
import type { CanvasOrigins } from './platform/canvas-origins';
import { buildContentSecurityPolicy } from './platform/content-security-policy';
import { createMainWindow, focusWindow } from './platform/main-window';
import { notifyDesktop } from './platform/notifications';
import { createSafeStorageCipher, describeSecretStorage } from './platform/safe-storage-cipher';
import type { SecretStorageStatus } from './platform/safe-storage-cipher';
import { denyPermissionsOnEverySession } from './platform/session-permissions';
import { shellStateFromApps } from './platform/shell-state';
import type { ShellAppView } from './platform/shell-state';
import { electronNativeBindingPath, shellPaths } from './platform/shell-paths';
import { acquireSingleInstance } from './platform/single-instance';
import { ProximityError } from './core/errors';
import { createTray } from './platform/tray';
import type { ProximityTray } from './platform/tray';

export const APP_USER_MODEL_ID = 'dev.proximity.desktop';

export interface ShellOptions {
  argv?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  log?: (line: string) => void;
}

export interface Shell {
  core: CoreContext;
  canvasOrigins: CanvasOrigins;
  secretStorage: SecretStorageStatus;
  hub: EventHub;
  tray: ProximityTray | null;
  window(): BrowserWindow | null;
  /** What quitting does: unbinds IPC, closes the database, removes the tray. Idempotent. */
  shutdown(): void;
}

/** Starts Proximity; resolves to null when another instance already runs (that one gets focused instead). */
export async function startShell(opts: ShellOptions = {}): Promise<Shell | null> {
  const argv = opts.argv ?? process.argv;
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => console.log(line));
  let mainWindow: BrowserWindow | null = null;
  // A second launch shows the window, recreating it when the operator had closed it (Proximity lives on in
  // the tray). Until the shell is wired there is no window to recreate, only one to focus.
  let showWindow = () => focusWindow(mainWindow);

  if (!acquireSingleInstance(app, () => showWindow())) {
    log('[shell] another Proximity is running; focusing it');
    app.quit();
    return null;
  }
  // Both must happen before 'ready'.
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  app.setAppUserModelId(APP_USER_MODEL_ID);

  await app.whenReady();
  denyPermissionsOnEverySession(app, session.defaultSession);

  const paths = shellPaths(app.getAppPath());
  const secretStorage = describeSecretStorage(safeStorage);
  if (secretStorage.warning) {
    // A desktop notification now; the renderer also shows it (system.getInfo carries it) until acknowledged.
    log(`[secrets] WARNING (${secretStorage.backend}): ${secretStorage.warning}`);
    notifyDesktop('Proximity: secrets are not protected by a keyring', secretStorage.warning, log);
  }

  const dataDir = resolveDataDir({ argv, env, defaultDir: app.getPath('userData') });
  const core = openCore({
    dataDir,
    appVersion: app.getVersion(),
    secretCipher: createSafeStorageCipher(safeStorage),
    ...nativeBindingOption(),
  });

  // Appliances, deploy connections and the apps feature, wired as the web bridge wires them. Without a readable
  // built-in catalog (a broken install) the rest still starts; the apps/catalog/appliance channels then answer
  // NOT_SUPPORTED and the cause is logged.
  const coreFeatures = await createCoreFeatures(core, { catalogDir: paths.catalogDir, logger: { error: (m, e) => log(`${m}: ${String(e)}`) } }).catch(
    (e: unknown) => {
      log(`[apps] the built-in catalog (${paths.catalogDir}) could not be loaded; apps are unavailable: ${String(e)}`);
      return null;
    },
  );

  // The canvas ports are the internal range in settings; the CSP follows it when the operator moves it.
  const canvas = followCanvasRange(core, log);
  const canvasOrigins = canvas.origins;
  protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler({
      rootDir: paths.rendererDir,
      contentSecurityPolicy: () => buildContentSecurityPolicy({ frameOrigins: canvasOrigins.list() }),
    }),
  );

  const devServerUrl = !app.isPackaged ? env.ELECTRON_RENDERER_URL : undefined;
  if (devServerUrl) applyDevServerCsp(devServerUrl, () => canvasOrigins.list());
  const ipc = createIpcRuntime(core, {
    runtime: 'electron',
    appName: app.getName(),
    secretStorage: {
      backend: secretStorage.backend,
      encrypted: secretStorage.available && !secretStorage.weak,
      warning: secretStorage.warning,
    },
    // The contract already limits this to http(s); checked again here so no other path can reach the OS.
    openExternal: async (url) => {
      if (!isExternalWebUrl(url)) throw new ProximityError('VALIDATION', 'Only http(s) links can be opened.');
      await shell.openExternal(url);
    },
    allowedOrigins: [APP_ORIGIN, ...(devServerUrl ? [devServerUrl] : [])],
    ...coreFeatures?.deps,
  });
  coreFeatures?.start(); // reconcile + recover each saved connection in the background
  const hub = ipc.hub;
  const unbindIpc = bindElectronIpc(ipcMain, ipc.dispatcher, hub); // before the window loads

  /** Shows the window, creating it if needed. `navigation`: the view a tray action just sent it to. */
  const openWindow = (navigation?: Navigation) => {
    if (!mainWindow || mainWindow.isDestroyed()) {
      // A new window is replayed the latest `ui.navigate`; that is only wanted when this call asked for it,
      // not when the operator merely reopens the window after having moved on.
      if (!navigation) hub.forget('ui.navigate');
      mainWindow = createMainWindow({
        preloadPath: paths.preload,
        entryUrl: devServerUrl ?? APP_ENTRY_URL,
        allowedOrigins: devServerUrl ? [devServerUrl] : [],
        windowStateFile: join(app.getPath('userData'), 'window-state.json'),
        iconPath: paths.appIcon,
        log,
      });
    }
    focusWindow(mainWindow);
  };
  showWindow = () => openWindow();

  const appNames = new Map<string, string>();
  // Start/stop/restart from the tray reach the same core action as the UI's buttons.
  const lifecycle = createLifecycleActions(coreFeatures?.deps.apps, (title, body) => notifyDesktop(title, body, log), (id) => appNames.get(id) ?? id);
  const navigate = createNavigationActions((n) => hub.publish('ui.navigate', n), openWindow, log);
  let tray: ProximityTray | null = null;
  try {
    tray = createTray(
      paths.trayIcon,
      {
        openWindow: () => openWindow(),
        openCanvas: navigate.openCanvas,
        deployApp: navigate.deployApp,
        showInfrastructure: navigate.showInfrastructure,
        startApp: lifecycle.startApp,
        stopApp: lifecycle.stopApp,
        restartApp: lifecycle.restartApp,
        quit: () => app.quit(),
      },
      shellStateFromApps([]).tray,
    );
  } catch (e) {
    log(`[tray] no system tray available: ${String(e)}`); // the window alone still works
  }

  // The tray and the CSP's frame-src follow core's own announcements (the renderer hears the same changes
  // through the IPC runtime); nothing here depends on a window being subscribed.
  const followApps = () => {
    let apps: ShellAppView[];
    try {
      apps = listAppSummaries(core);
    } catch (e) {
      log(`[tray] could not read the apps: ${String(e)}`);
      return;
    }
    for (const a of apps) appNames.set(a.id, a.name);
    const state = shellStateFromApps(apps);
    const { rejected } = canvasOrigins.replaceAll(state.canvasUrls);
    if (rejected.length) log(`[csp] ignored canvas URLs outside the canvas range: ${rejected.join(', ')}`);
    try {
      tray?.update(state.tray);
    } catch (e) {
      log(`[tray] could not update the tray menu: ${String(e)}`);
    }
  };
  const stopFollowing = [core.events.on('apps.changed', followApps), core.events.on('ports.changed', followApps), canvas.stop];
  followApps();

  let stopped = false;
  const shutdown = () => {
    if (stopped) return;
    stopped = true;
    for (const stop of stopFollowing) stop();
    unbindIpc();
    ipc.close();
    tray?.destroy();
    void coreFeatures?.close().catch((e: unknown) => log(`[appliance] stopping the health monitors: ${String(e)}`));
    core.close();
  };
  // Closing the window keeps Proximity in the tray; without a tray there is nothing left, so quit.
  app.on('window-all-closed', () => {
    // nobody sees the cluster any more: stop polling Proxmox until a window says it is visible again
    core.proxmox.setVisible(false);
    if (!tray) app.quit();
  });
  app.on('activate', () => openWindow()); // macOS dock click
  app.on('will-quit', shutdown);

  openWindow();
  return { core, canvasOrigins, secretStorage, hub, tray, window: () => mainWindow, shutdown };

  /** Unpackaged Electron loads the Electron-ABI copy built by `scripts/ensure-native.mjs electron`. */
  function nativeBindingOption(): { nativeBinding?: string } {
    const electronVersion = process.versions.electron;
    if (app.isPackaged || !electronVersion) return {};
    const file = electronNativeBindingPath(app.getAppPath(), electronVersion);
    if (!existsSync(file)) {
      throw new Error(`better-sqlite3 is not built for Electron ${electronVersion} (${file} is missing). Start Proximity with \`npm start\`, which builds it.`);
    }
    return { nativeBinding: file };
  }
}

/**
 * `npm run dev`: the renderer comes from the electron-vite dev server, not app://, so the same CSP is added to
 * its responses here, relaxed only as React Fast Refresh and Vite's injected styles and HMR socket need.
 */
function applyDevServerCsp(devServerUrl: string, frameOrigins: () => readonly string[]): void {
  const origin = new URL(devServerUrl).origin;
  session.defaultSession.webRequest.onHeadersReceived({ urls: [`${origin}/*`] }, (details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    headers['Content-Security-Policy'] = [buildContentSecurityPolicy({ frameOrigins: frameOrigins(), devServer: true })];
    callback({ responseHeaders: headers });
  });
}

function fail(e: unknown): void {
  const message = e instanceof Error ? e.message : String(e);
  console.error('[shell] Proximity could not start:', e);
  dialog.showErrorBox('Proximity could not start', message);
  app.exit(1);
}

// Only inside a real Electron main process; importing this file from a test must not start anything.
if (process.versions.electron && process.type === 'browser') {
  startShell().catch(fail);
}
