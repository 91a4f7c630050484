import { APP_HOST, APP_SCHEME } from '../../src-shared/contract/origins';
import { createStaticFileServer } from './static-files';

/** Privileges for app://. Must be registered before the app is ready. No bypassCSP, no CORS for others. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
} as const;

export interface AppProtocolOptions {
  /** Directory holding the built renderer (out/renderer). */
  rootDir: string;
  /** Current CSP; called per response so canvas origin changes apply to the next load. */
  contentSecurityPolicy: () => string;
}

/**
 * The app:// request handler: the static-file server (static-files.ts) on exactly the app host; a foreign host
 * is a 404. Every response carries the CSP and the hardening headers.
 */
export function createAppProtocolHandler(opts: AppProtocolOptions): (request: Request) => Promise<Response> {
  const serve = createStaticFileServer(opts.rootDir);
  const respond = (status: number, body: Uint8Array | string | null, type: string, allow?: string): Response => {
    const headers = new Headers({
      'Content-Security-Policy': opts.contentSecurityPolicy(),
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
      'Content-Type': type,
    });
    if (allow) headers.set('Allow', allow);
    return new Response(body, { status, headers });
  };

  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return respond(404, 'Not found', 'text/plain; charset=utf-8');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return respond(404, 'Not found', 'text/plain; charset=utf-8');
    const r = await serve(request.method, url.pathname);
    return respond(r.status, r.body, r.type, r.allow);
  };
}
