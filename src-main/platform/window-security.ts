import type { WebContents, WebPreferences } from 'electron';
import { isAppUrl } from './app-origin';

/**
 * Every security-relevant webPreference written out, even where it equals Electron's default, so a reader (and
 * a test) sees the whole policy in one place and a future default change cannot loosen it silently.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
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
  };
}

/** Only plain web links may leave the app for the system browser: never file:, javascript:, custom schemes. */
export function isSafeExternalUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  if (u.username || u.password) return false; // credentials in links are a phishing trick, not a feature
  return u.hostname.length > 0;
}

function webOriginOf(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : '';
  } catch {
    return '';
  }
}

export interface HardenOptions {
  /** Extra origins top-level navigation may stay on (the electron-vite dev server in `npm run dev`). */
  allowedOrigins?: readonly string[];
  /** Opens a vetted http(s) URL in the system browser (shell.openExternal in production). */
  openExternal: (url: string) => unknown;
  log?: (line: string) => void;
}

/**
 * Locks a window's contents down: top-level navigation only within the app origin, no new windows (http(s)
 * links go to the system browser instead), no <webview>.
 */
export function hardenWebContents(contents: WebContents, opts: HardenOptions): void {
  const log = opts.log ?? (() => {});
  const allowed = new Set((opts.allowedOrigins ?? []).map((o) => new URL(o).origin));
  const guard = (kind: string) => (event: { preventDefault(): void }, url: string) => {
    if (isAppUrl(url) || allowed.has(webOriginOf(url))) return;
    event.preventDefault();
    log(`[security] blocked ${kind} to ${url}`);
  };
  contents.on('will-navigate', guard('navigation'));
  // Unlike will-navigate, will-redirect also fires for subframes: a canvas iframe's own redirects (e.g. an app's
  // 302 to /login) are its business and are bound by the CSP's frame-src; only the top frame is held here.
  const redirectGuard = guard('redirect');
  contents.on('will-redirect', (event: { preventDefault(): void; isMainFrame?: boolean }, url: string, _isInPlace?: boolean, isMainFrame?: boolean) => {
    if ((event.isMainFrame ?? isMainFrame) === false) return;
    redirectGuard(event, url);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('[security] blocked <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) {
      void Promise.resolve(opts.openExternal(url)).catch((e: unknown) => log(`[security] openExternal failed: ${String(e)}`));
    } else {
      log(`[security] refused to open ${url}`);
    }
    return { action: 'deny' };
  });
}
