import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin';

/** Privileges for app://. Must be registered before the app is ready. No bypassCSP, no CORS for others. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
} as const;

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function mimeTypeFor(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export interface AppProtocolOptions {
  /** Directory holding the built renderer (out/renderer). */
  rootDir: string;
  /** Current CSP; called per response so canvas origin changes apply to the next load. */
  contentSecurityPolicy: () => string;
}

/**
 * The app:// request handler: serves files below rootDir only. Anything that resolves outside it (../, encoded
 * separators, symlinks) is a 404, as is a foreign host, a non-GET method or a directory.
 */
export function createAppProtocolHandler(opts: AppProtocolOptions): (request: Request) => Promise<Response> {
  const rootPromise = realpath(resolve(opts.rootDir)).catch(() => resolve(opts.rootDir));

  const respond = (status: number, body: Uint8Array | string | null, type?: string): Response => {
    const headers = new Headers({
      'Content-Security-Policy': opts.contentSecurityPolicy(),
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    });
    if (type) headers.set('Content-Type', type);
    return new Response(body, { status, headers });
  };
  const notFound = () => respond(404, 'Not found', 'text/plain; charset=utf-8');

  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return notFound();
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return notFound();
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'Method not allowed', 'text/plain; charset=utf-8');

    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      return notFound();
    }
    // Encoded separators/NULs have no business in an asset path; refuse rather than normalise them.
    if (rel.includes('\0') || rel.includes('\\')) return notFound();
    if (rel === '/' || rel === '') rel = '/index.html';

    const root = await rootPromise;
    const candidate = resolve(join(root, rel));
    if (candidate !== root && !candidate.startsWith(root + sep)) return notFound();
    try {
      const real = await realpath(candidate);
      if (!real.startsWith(root + sep)) return notFound(); // a symlink pointing out of the root
      if (!(await stat(real)).isFile()) return notFound();
      const body = request.method === 'HEAD' ? null : await readFile(real);
      return respond(200, body, mimeTypeFor(real));
    } catch {
      return notFound();
    }
  };
}
