import type { WebContents } from 'electron';
import { isAppUrl, isExternalWebUrl, originOf } from '../../src-shared/contract/origins';

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
  const allowed = new Set((opts.allowedOrigins ?? []).map((o) => originOf(o)));
  const guard = (kind: string) => (event: { preventDefault(): void }, url: string) => {
    const origin = originOf(url);
    if (isAppUrl(url) || (origin !== null && /^https?:/.test(origin) && allowed.has(origin))) return;
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
    if (isExternalWebUrl(url)) {
      void Promise.resolve(opts.openExternal(url)).catch((e: unknown) => log(`[security] openExternal failed: ${String(e)}`));
    } else {
      log(`[security] refused to open ${url}`);
    }
    return { action: 'deny' };
  });
}
