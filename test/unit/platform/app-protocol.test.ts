import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from '../../../src-main/platform/app-protocol';
import { mimeTypeFor } from '../../../src-main/platform/static-files';
import { buildContentSecurityPolicy } from '../../../src-main/platform/content-security-policy';

// Real files on disk, real fetch Request/Response objects: the handler is exactly what protocol.handle gets.
let base: string;
let root: string;
let handler: (r: Request) => Promise<Response>;
const csp = buildContentSecurityPolicy({ frameOrigins: ['http://10.20.0.2:40001'] });

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'proximity-app-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Proximity</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(base, 'secret.txt'), 'TOP SECRET');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'escape.txt'));
  handler = createAppProtocolHandler({ rootDir: root, contentSecurityPolicy: () => csp });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

describe('app:// protocol handler', () => {
  it('registers app as a standard, secure scheme without bypassing CSP', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP');
  });

  it('serves index.html for / and files with the right MIME type and the CSP on every response', async () => {
    const index = await get('app://proximity/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await index.text()).toContain('<title>Proximity</title>');
    for (const [path, type] of [
      ['/assets/index-abc.js', 'text/javascript; charset=utf-8'],
      ['/assets/index-abc.css', 'text/css; charset=utf-8'],
      ['/assets/logo.svg', 'image/svg+xml'],
    ]) {
      const r = await get(`app://proximity${path}`);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type')).toBe(type);
      expect(r.headers.get('content-security-policy')).toBe(csp);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const missing = await get('app://proximity/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(csp);
  });

  it('refuses every way out of the renderer directory', async () => {
    for (const url of [
      'app://proximity/../secret.txt',
      'app://proximity/%2e%2e/secret.txt',
      'app://proximity/assets/%2e%2e/%2e%2e/secret.txt',
      'app://proximity/..%2fsecret.txt',
      'app://proximity/..%5csecret.txt',
      'app://proximity/assets/escape.txt', // symlink pointing outside
      'app://proximity/%00index.html',
      'app://proximity/%E0%A4%A', // malformed escape
      'app://proximity/assets', // a directory
    ]) {
      const r = await get(url);
      expect(r.status, url).toBe(404);
      expect(await r.text()).not.toContain('TOP SECRET');
    }
  });

  it('refuses other hosts and methods', async () => {
    expect((await get('app://evil/index.html')).status).toBe(404);
    expect((await get('app://proximity/index.html', 'POST')).status).toBe(405);
    const head = await get('app://proximity/index.html', 'HEAD');
    expect(head.status).toBe(200);
  });

  it('knows common MIME types and falls back to octet-stream', () => {
    expect(mimeTypeFor('a.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('A.PNG')).toBe('image/png');
    expect(mimeTypeFor('a.exe')).toBe('application/octet-stream');
  });
});
