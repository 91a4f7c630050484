import type { App } from 'electron';

/**
 * One Proximity per user: two would race on the same SQLite file and tray. Returns false when another
 * instance holds the lock (the caller quits); otherwise a later launch focuses our window.
 */
export function acquireSingleInstance(app: App, focusExistingWindow: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => focusExistingWindow());
  return true;
}
