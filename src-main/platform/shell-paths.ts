import { join } from 'node:path';

/**
 * Where the shell's files are, relative to the app path (the repo root when unpackaged, `resources/app.asar`
 * when packaged; both contain out/ and resources/).
 */
export function shellPaths(appPath: string) {
  return {
    rendererDir: join(appPath, 'out', 'renderer'),
    preload: join(appPath, 'out', 'preload', 'index.js'),
    appIcon: join(appPath, 'resources', 'icon.png'),
    trayIcon: join(appPath, 'resources', process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png'),
    /** the built-in app catalog (one folder per app) */
    catalogDir: join(appPath, 'resources', 'catalog'),
  };
}

/**
 * better-sqlite3 compiled for this Electron's ABI, built by `scripts/ensure-native.mjs electron` next to (not
 * over) Node's copy. Only used unpackaged; packaged builds carry an Electron build in node_modules.
 */
export function electronNativeBindingPath(appPath: string, electronVersion: string): string {
  return join(appPath, '.cache', 'native', `electron-${electronVersion}`, 'better_sqlite3.node');
}
