/**
 * The UI is served from a custom privileged scheme instead of file:// (Electron security checklist): it gets a
 * real origin for CSP 'self', and nothing outside out/renderer is reachable.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'proximity';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True only for URLs on exactly the app origin (scheme and host), never a look-alike. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}
