import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
// The same MIME map as app:// (the file is Electron-free), so the browser and Electron get identical types.
import { mimeTypeFor } from '../platform/app-protocol';

/**
 * Serves the built renderer (read-only, GET/HEAD only). The request path is resolved inside `root` and
 * anything that escapes it (`..`, encoded slashes, NUL) is a 404, never a read outside the folder.
 */
export function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  const file = resolveInside(root, req.url ?? '/');
  if (!file) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
    return;
  }
  const type = mimeTypeFor(file);
  let body: Buffer;
  try {
    body = fs.readFileSync(file);
  } catch {
    // E.g. the file vanished while `electron-vite build` rewrites the folder: an error page, never a crash
    // (a throw here would escape the request listener and end the whole bridge process).
    res.writeHead(500, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Could not read the file');
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function resolveInside(root: string, rawUrl: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(rawUrl, 'http://localhost').pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const rootAbs = path.resolve(root);
  let candidate = path.resolve(rootAbs, `.${pathname}`);
  if (candidate !== rootAbs && !candidate.startsWith(rootAbs + path.sep)) return null;
  try {
    if (fs.statSync(candidate).isDirectory()) candidate = path.join(candidate, 'index.html');
    // realpath: a symlink inside the folder must not lead outside it either.
    const real = fs.realpathSync(candidate);
    const realRoot = fs.realpathSync(rootAbs);
    if (!real.startsWith(realRoot + path.sep)) return null;
    return fs.statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}
