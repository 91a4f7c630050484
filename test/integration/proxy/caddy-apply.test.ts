// ReverseProxyManager.apply against a REAL Caddy on loopback: a valid update reloads gracefully (an open
// streaming request through another app survives it), an unchanged config is not reloaded, and every failure
// (a hostile value, a file Caddy refuses, a reload Caddy refuses) leaves the last good config in place and serving.
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { swapConfigFile } from '../../../src-main/core/network/config-file-swap';
import { generateCaddyfile } from '../../../src-main/core/proxy/caddyfile';
import type { ProxyRoute } from '../../../src-main/core/proxy/proxy-route';
import { ReverseProxyManager } from '../../../src-main/core/proxy/reverse-proxy-manager';
import { DEFAULT_INTERNAL_RANGE, DEFAULT_PUBLIC_RANGE } from '../../../src-main/core/ports/port-range';
import { freePortIn, hasCaddy, startCaddy, startUpstream, tryGet, waitFor, type LocalCaddy, type UpstreamApp } from './caddy-kit';

describe.skipIf(!hasCaddy).each(['json', 'caddyfile'] as const)('ReverseProxyManager.apply (load: %s) with a real Caddy', (load) => {
  let caddy: LocalCaddy;
  let upA: UpstreamApp;
  let upB: UpstreamApp;
  let proxy: ReverseProxyManager;
  const used = new Set<number>();
  const route = async (hostname: string, up: UpstreamApp): Promise<ProxyRoute> => {
    const publicPort = await freePortIn(DEFAULT_PUBLIC_RANGE, used);
    const internalPort = await freePortIn(DEFAULT_INTERNAL_RANGE, used);
    used.add(publicPort).add(internalPort);
    return { hostname, containerIp: '127.0.0.1', containerPort: up.port, publicPort, internalPort };
  };
  let a: ProxyRoute;
  let b: ProxyRoute;

  beforeAll(async () => {
    [upA, upB] = await Promise.all([startUpstream('a'), startUpstream('b')]);
    caddy = await startCaddy((admin) => generateCaddyfile([], { adminAddress: admin, defaultBind: '127.0.0.1' }));
    proxy = new ReverseProxyManager(caddy.exec, { adminAddress: caddy.admin, defaultBind: '127.0.0.1', caddyfilePath: caddy.caddyfile, load });
    a = await route('app-a', upA);
    b = await route('app-b', upB);
  });
  afterAll(async () => {
    await caddy?.stop();
    await upA?.close();
    await upB?.close();
  });

  it('serves an app on its public port with its headers and on its canvas port without frame-busting ones', async () => {
    expect(await proxy.apply([a])).toMatchObject({ changed: true, routes: 1 });
    const pub = await waitFor('app A public port', () => tryGet(`http://127.0.0.1:${a.publicPort}/`));
    expect(await pub.text()).toBe('app a');
    expect(pub.headers.get('x-frame-options')).toBe('DENY');
    expect(pub.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(pub.headers.get('x-seen-host')).toBe(`127.0.0.1:${upA.port}`); // header_up Host {upstream_hostport}
    expect(pub.headers.get('x-seen-real-ip')).toBe('127.0.0.1'); // header_up X-Real-IP {remote_host}
    const canvas = (await tryGet(`http://127.0.0.1:${a.internalPort}/`))!;
    expect(await canvas.text()).toBe('app a');
    expect(canvas.headers.get('x-frame-options')).toBeNull();
    expect(canvas.headers.get('content-security-policy')).toBeNull();
    expect(fs.readFileSync(caddy.caddyfile, 'utf8')).toBe(proxy.generate([a]));
    expect(fs.readdirSync(caddy.dir).filter((f) => f.startsWith('Caddyfile')).sort()).toEqual(['Caddyfile', 'Caddyfile.previous']);
  });

  it('changes nothing when the config is the same', async () => {
    const before = await (await fetch(`http://${caddy.admin}/config/`)).text();
    expect(await proxy.apply([a])).toMatchObject({ changed: false });
    expect(await (await fetch(`http://${caddy.admin}/config/`)).text()).toBe(before);
  });

  it("adds app B while a streaming request through app A stays open", async () => {
    const res = await fetch(`http://127.0.0.1:${a.publicPort}/stream`);
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    const readSome = async () => dec.decode((await reader.read()).value);
    expect(await readSome()).toContain('tick');

    expect(await proxy.apply([b, a])).toMatchObject({ changed: true, routes: 2 });
    const pubB = await waitFor('app B public port', () => tryGet(`http://127.0.0.1:${b.publicPort}/`));
    expect(await pubB.text()).toBe('app b');
    expect(await (await tryGet(`http://127.0.0.1:${a.publicPort}/`))!.text()).toBe('app a');

    // the stream opened before the reload still delivers data after it, and ends normally
    let after = '';
    for (let i = 0; i < 3; i++) after += await readSome();
    expect(after).toContain('tick');
    upA.endStreams();
    let rest = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += dec.decode(value);
    }
    expect(rest).toContain('done');
  });

  it('refuses a hostile value before anything is written; the last good config keeps serving', async () => {
    const good = fs.readFileSync(caddy.caddyfile, 'utf8');
    const hostile = { ...b, hostname: 'evil\n}\nimport /etc/passwd\n:1 {' };
    await expect(proxy.apply([a, hostile])).rejects.toMatchObject({ code: 'PROXY_CONFIG_INVALID' });
    expect(fs.readFileSync(caddy.caddyfile, 'utf8')).toBe(good);
    expect(fs.readdirSync(caddy.dir).filter((f) => f.includes('proximity-new'))).toEqual([]);
    expect(await (await tryGet(`http://127.0.0.1:${b.publicPort}/`))!.text()).toBe('app b');
  });

  it('keeps the live file when Caddy refuses the candidate', async () => {
    const good = fs.readFileSync(caddy.caddyfile, 'utf8');
    const err = await swapConfigFile(caddy.exec, {
      what: 'Caddyfile', path: caddy.caddyfile, content: `${good}\n:${a.publicPort} {\n\tno_such_directive\n}\n`,
      validateArgv: (c) => ['caddy', 'validate', '--config', c, '--adapter', 'caddyfile'],
      reloadArgv: null, invalidCode: 'PROXY_CONFIG_INVALID', applyCode: 'PROXY_APPLY_FAILED',
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PROXY_CONFIG_INVALID', message: expect.stringContaining('no_such_directive') });
    expect(fs.readFileSync(caddy.caddyfile, 'utf8')).toBe(good);
    expect(fs.readdirSync(caddy.dir).filter((f) => f.includes('proximity-new'))).toEqual([]);
  });

  it('restores the previous file when Caddy refuses the reload (port taken); the old config keeps serving', async () => {
    const good = fs.readFileSync(caddy.caddyfile, 'utf8');
    const squatter = net.createServer();
    const taken = await freePortIn(DEFAULT_PUBLIC_RANGE, used);
    used.add(taken);
    await new Promise<void>((r) => squatter.listen(taken, '127.0.0.1', r));
    try {
      const c: ProxyRoute = { ...(await route('app-c', upB)), publicPort: taken };
      const err = await proxy.apply([a, b, c]).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'PROXY_APPLY_FAILED', message: expect.stringContaining('the previous file is back in place') });
      expect(fs.readFileSync(caddy.caddyfile, 'utf8')).toBe(good);
      const config = await (await fetch(`http://${caddy.admin}/config/`)).text();
      expect(config).not.toContain(`:${c.internalPort}`);
      expect(await (await tryGet(`http://127.0.0.1:${a.publicPort}/`))!.text()).toBe('app a');
      expect(await (await tryGet(`http://127.0.0.1:${b.internalPort}/`))!.text()).toBe('app b');
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });
});
