import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

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

const TEXT = 'text/plain; charset=utf-8';

export function mimeTypeFor(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** What to answer; the transport (app:// or the web bridge's HTTP server) adds its headers. */
export interface StaticFileResponse {
  status: 200 | 404 | 405 | 500;
  type: string;
  /** null for HEAD. */
  body: Buffer | string | null;
  /** Set on 405. */
  allow?: string;
}

/**
 * The one static-file server for the built renderer, behind app:// (Electron) and the `npm run web` bridge.
 * Serves files below `rootDir` only, GET/HEAD only; `/` is index.html. Anything that resolves outside the root
 * (`..`, encoded separators, NUL, a symlink pointing out) or a directory is a 404, never a read outside the
 * folder. A file that exists but cannot be read (e.g. while `electron-vite build` rewrites the folder, or one
 * too large to read) is a 500. Never throws: a throw would escape the web bridge's request listener.
 */
export function createStaticFileServer(rootDir: string): (method: string, pathname: string) => Promise<StaticFileResponse> {
  const rootPromise = realpath(resolve(rootDir)).catch(() => resolve(rootDir));
  const notFound: StaticFileResponse = { status: 404, type: TEXT, body: 'Not found' };

  return async (method, pathname) => {
    if (method !== 'GET' && method !== 'HEAD') return { status: 405, type: TEXT, body: 'Method not allowed', allow: 'GET, HEAD' };
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return notFound;
    }
    // Encoded separators/NULs have no business in an asset path; refuse rather than normalise them.
    if (rel.includes('\0') || rel.includes('\\')) return notFound;
    if (rel === '/' || rel === '') rel = '/index.html';
    const root = await rootPromise;
    const candidate = resolve(join(root, rel));
    if (candidate !== root && !candidate.startsWith(root + sep)) return notFound;
    let real: string;
    try {
      real = await realpath(candidate);
      if (!real.startsWith(root + sep)) return notFound; // a symlink pointing out of the root
      if (!(await stat(real)).isFile()) return notFound;
    } catch {
      return notFound;
    }
    try {
      return { status: 200, type: mimeTypeFor(real), body: method === 'HEAD' ? null : await readFile(real) };
    } catch {
      return { status: 500, type: TEXT, body: 'Could not read the file' };
    }
  };
}
