import { canvasOriginOf } from './canvas-origins';

/**
 * The UI's Content-Security-Policy, sent on every app:// response. Everything is same-origin; the only
 * exception is framing the registered canvas origins. React's `style` props go through CSSOM, which CSP does
 * not restrict, so no 'unsafe-inline' is needed.
 */
export function buildContentSecurityPolicy(canvasOrigins: readonly string[]): string {
  // Re-validate: a CSP source list must never receive arbitrary text (a ';' would start a new directive).
  const frames = canvasOrigins.filter((o) => canvasOriginOf(o) === o);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    `frame-src ${frames.length ? frames.join(' ') : "'none'"}`,
    "worker-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
