import type { App, Session } from 'electron';

/**
 * Proximity needs no browser permission (camera, notifications, geolocation, clipboard, HID...). Canvases are
 * third-party apps in iframes, so every request and check is refused on every session, including sessions
 * created later (e.g. a partition an iframe ends up in).
 */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

export function denyPermissionsOnEverySession(app: App, defaultSession: Session): void {
  denyAllPermissions(defaultSession);
  app.on('session-created', (session) => denyAllPermissions(session));
}
