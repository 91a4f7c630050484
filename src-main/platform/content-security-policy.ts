import { canvasOriginOf } from '../../src-shared/contract/origins';

export interface ContentSecurityPolicyOptions {
  /** Canvas origins the UI may frame (from CanvasOrigins); anything else is dropped. */
  frameOrigins: readonly string[];
  /** Extra connect-src sources besides 'self' (the `npm run web` bridge's `ws://127.0.0.1:PORT`). */
  connectSources?: readonly string[];
  /**
   * Only for the electron-vite dev server: React Fast Refresh needs an inline preamble and Vite injects CSS
   * as <style>, so script-src/style-src add 'unsafe-inline' and connect-src allows the HMR socket.
   */
  devServer?: boolean;
}

const ANY_PORT = { start: 1, end: 65535 };
const CONNECT_SOURCE = /^(wss?|https?):\/\/[a-z0-9.-]+(:\d{1,5})?$/;

/**
 * The UI's one Content-Security-Policy: sent as a header on every app:// response and by the web bridge, and
 * injected by the dev server (with `devServer`). Everything is same-origin; the only exceptions are framing the
 * registered canvas origins and the bridge's socket. React's `style` props go through CSSOM, which CSP does not
 * restrict, so production needs no 'unsafe-inline'.
 */
export function buildContentSecurityPolicy(options: ContentSecurityPolicyOptions): string {
  // Re-validate: a CSP source list must never receive arbitrary text (a ';' would start a new directive).
  const frames = options.frameOrigins.filter((o) => canvasOriginOf(o, ANY_PORT) === o);
  const connect = (options.connectSources ?? []).filter((s) => CONNECT_SOURCE.test(s));
  const inline = options.devServer ? " 'unsafe-inline'" : '';
  if (options.devServer) connect.push('ws:');
  return [
    "default-src 'none'",
    `script-src 'self'${inline}`,
    `style-src 'self'${inline}`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${connect.map((s) => ` ${s}`).join('')}`,
    `frame-src ${frames.length ? frames.join(' ') : "'none'"}`,
    "worker-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
