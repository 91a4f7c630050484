/**
 * The one origin and URL policy: which URLs are the app itself, which may leave the app for the system browser,
 * and which may be framed as a canvas. Zod-free pure functions, used by main's sender check, window hardening,
 * app:// protocol, CSP and by the contract's `externalUrlSchema`.
 */

/** The UI is served from a custom privileged scheme instead of file:// (Electron security checklist). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'proximity';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * `scheme://host[:port]` of a URL (lower case), or null. Computed by hand because WHATWG `URL.origin` is the
 * string "null" for custom schemes such as `app://`, which would make every custom-scheme URL look the same.
 */
export function originOf(url: string): string | null {
  const u = parse(url);
  if (!u || u.host === '') return null;
  return `${u.protocol}//${u.host}`.toLowerCase();
}

/** True only for URLs on exactly the app origin (scheme and host), never a look-alike. */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
}

/**
 * Only plain web pages may be opened outside the app: http(s) with a host and without credentials (credentials
 * in links are a phishing trick), never file:, javascript: or custom schemes.
 */
export function isExternalWebUrl(url: string): boolean {
  const u = parse(url);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return false;
  return u.username === '' && u.password === '' && u.hostname.length > 0;
}

// A DNS name or IPv4 address; IPv6 and anything with userinfo/paths are refused on purpose (CSP source syntax).
const CANVAS_HOST_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * The canonical origin `http(s)://host:port` of a canvas URL whose port lies in `portRange` (the internal port
 * range from settings, inclusive), or null when the URL may not be framed.
 */
export function canvasOriginOf(url: string, portRange: { start: number; end: number }): string | null {
  const u = parse(url);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return null;
  if (u.username || u.password) return null;
  if (!CANVAS_HOST_PATTERN.test(u.hostname)) return null;
  const port = Number(u.port);
  if (!Number.isInteger(port) || port < portRange.start || port > portRange.end) return null;
  return `${u.protocol}//${u.hostname}:${port}`;
}
