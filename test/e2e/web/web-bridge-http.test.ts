import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openCore, type CoreContext } from '../../../src-main/core/core-context';
import { startWebBridge, type WebBridge } from '../../../src-main/web-bridge';

// The bridge server over real HTTP and WebSocket from Node (no browser): static serving stays inside its
// folder, the Host guard holds, and the socket protocol answers through the real dispatcher and core.
describe('web bridge server (HTTP + WebSocket)', () => {
  let tmp: string;
  let core: CoreContext;
  let bridge: WebBridge;
  const warnings: string[] = [];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-web-http-'));
    const staticDir = path.join(tmp, 'renderer');
    fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    fs.writeFileSync(path.join(staticDir, 'assets', 'a.js'), 'console.log(1)');
    fs.writeFileSync(path.join(staticDir, 'assets', 'f.woff'), 'wOFF');
    fs.writeFileSync(path.join(staticDir, 'assets', 'i.webp'), 'RIFF');
    fs.writeFileSync(path.join(tmp, 'secret.txt'), 'do not serve');
    fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(staticDir, 'leak.txt'));
    fs.mkdirSync(path.join(tmp, 'data'));
    core = openCore({ dataDir: path.join(tmp, 'data'), appVersion: '1.2.3' });
    bridge = await startWebBridge({ core, staticDir, logger: { error: () => {}, warn: (m) => void warnings.push(m) } });
  });
  afterAll(async () => {
    await bridge?.close();
    core?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const port = () => Number(new URL(bridge.origin).port);
  function get(rawPath: string, opts: { host?: string; method?: string } = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: port(), path: rawPath, method: opts.method ?? 'GET', headers: { Host: opts.host ?? `127.0.0.1:${port()}` } },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  it('binds to loopback and serves the renderer with security headers', async () => {
    expect(bridge.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bridge.url).toBe(`${bridge.origin}/?token=${bridge.token}`);
    expect(bridge.token.length).toBeGreaterThanOrEqual(40);
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>t</title>');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect((await get('/assets/a.js')).headers['content-type']).toMatch(/^text\/javascript/);
    // The same types as app:// in Electron: with nosniff, a wrong type would make the browser refuse the asset.
    expect((await get('/assets/f.woff')).headers['content-type']).toBe('font/woff');
    expect((await get('/assets/i.webp')).headers['content-type']).toBe('image/webp');
  });

  it('never serves anything outside its folder', async () => {
    for (const p of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/leak.txt', '/nope.js', '/%00']) {
      const res = await get(p);
      expect(res.status, p).toBe(404);
      expect(res.body).not.toContain('do not serve');
    }
    expect((await get('/', { method: 'POST' })).status).toBe(405);
  });

  it('answers a file it cannot read with an error page and keeps serving', async () => {
    // A real read failure: a sparse file too large for one read (Node refuses files over 2 GiB).
    const huge = path.join(tmp, 'renderer', 'assets', 'huge.bin');
    fs.closeSync(fs.openSync(huge, 'w'));
    fs.truncateSync(huge, 3 * 2 ** 30);
    try {
      expect((await get('/assets/huge.bin')).status).toBe(500);
      expect((await get('/assets/a.js')).status).toBe(200);
    } finally {
      fs.rmSync(huge);
    }
  });

  it('tells a tab whether its token is the current one (why a socket could not open), and nothing else', async () => {
    expect((await get(`/bridge?token=${encodeURIComponent(bridge.token)}`)).status).toBe(204);
    const wrong = await get('/bridge?token=wrong');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toBe('Authentication failed');
    expect((await get('/bridge')).status).toBe(401);
    expect((await get(`/bridge?token=${encodeURIComponent(bridge.token)}`, { host: 'evil.example' })).status).toBe(421);
  });

  it('refuses requests whose Host is not this server (DNS rebinding)', async () => {
    expect((await get('/', { host: 'evil.example' })).status).toBe(421);
    expect((await get('/', { host: `localhost:${port()}` })).status).toBe(421);
  });

  it('answers contract calls over the socket through the real dispatcher, and closes on malformed messages', async () => {
    const ws = new WebSocket(`${bridge.origin.replace('http', 'ws')}/bridge?token=${bridge.token}`, { origin: bridge.origin });
    const messages: unknown[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ t: 'invoke', id: 1, channel: 'system.getInfo', input: {} }));
    ws.send(JSON.stringify({ t: 'invoke', id: 2, channel: 'app.quit', input: {} }));
    ws.send(JSON.stringify({ t: 'invoke', id: 3, channel: 'audit.list', input: { limit: -1 } }));
    ws.send(JSON.stringify({ t: 'subscribe', event: 'database.statusChanged' }));
    await expect.poll(() => messages.length).toBe(4);
    expect(messages).toEqual(
      expect.arrayContaining([
        { t: 'result', id: 1, result: { ok: true, value: expect.objectContaining({ version: '1.2.3', runtime: 'web-bridge' }) } },
        { t: 'result', id: 2, result: { ok: false, error: expect.objectContaining({ code: 'UNKNOWN_CHANNEL' }) } },
        { t: 'result', id: 3, result: { ok: false, error: expect.objectContaining({ code: 'VALIDATION' }) } },
        { t: 'event', event: 'database.statusChanged', payload: expect.objectContaining({ integrity: 'ok' }) },
      ]),
    );
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send('{"t":"invoke","id":"x"}');
    expect(await closed).toBe(1008);
  });

  it('refuses to start without a built renderer', async () => {
    await expect(startWebBridge({ core, staticDir: path.join(tmp, 'missing') })).rejects.toThrow(/index\.html missing/);
  });
});
