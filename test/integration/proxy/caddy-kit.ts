// A real Caddy (the host's Debian caddy 2.6) on loopback for the proxy tests and bench: its own temp dir for the
// Caddyfile and storage, its admin API on a free loopback port, every site bound to 127.0.0.1 (`default_bind`),
// and a small upstream app that answers like a typical self-hosted app (frame-busting headers, a streaming URL).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { LocalCommandExecutor } from '../../../src-main/core/network/command-executor';
import type { PortRange } from '../../../src-main/core/ports/port-range';

export const hasCaddy = spawnSync('caddy', ['version']).status === 0;

/** A port of `range` nobody listens on right now (random start, then upward), checked by binding 127.0.0.1. */
export async function freePortIn(range: PortRange, avoid: ReadonlySet<number> = new Set()): Promise<number> {
  const size = range.end - range.start + 1;
  const first = Math.floor(Math.random() * size);
  for (let i = 0; i < size; i++) {
    const port = range.start + ((first + i) % size);
    if (!avoid.has(port) && (await canBind(port))) return port;
  }
  throw new Error(`no free port in ${range.start}-${range.end}`);
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Polls `fn` every 50 ms until truthy or `timeoutMs` passes (then throws naming `what`). */
export async function waitFor<T>(what: string, fn: () => Promise<T | null | false | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface LocalCaddy {
  dir: string;
  caddyfile: string;
  admin: string;
  exec: LocalCommandExecutor;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Writes `initial` to `<tmp>/Caddyfile` and runs `caddy run` on it; resolves once the admin API answers.
 * `initial` must use `adminAddress` = the returned admin (pass `adminFor` a port first, see `startCaddy`).
 */
export async function startCaddy(makeInitial: (admin: string) => string): Promise<LocalCaddy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-caddy-'));
  const adminPort = await freePortIn({ start: 20000, end: 29999 });
  const admin = `127.0.0.1:${adminPort}`;
  const caddyfile = path.join(dir, 'Caddyfile');
  fs.writeFileSync(caddyfile, makeInitial(admin));
  const env = { HOME: dir, XDG_DATA_HOME: path.join(dir, 'data'), XDG_CONFIG_HOME: path.join(dir, 'config') };
  const child = spawn('caddy', ['run', '--config', caddyfile, '--adapter', 'caddyfile'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (b: Buffer) => (log = (log + b.toString()).slice(-4000)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(`caddy admin on ${admin} (log: ${log})`, async () => {
      if (child.exitCode !== null) throw new Error(`caddy exited ${child.exitCode}: ${log}`);
      return (await fetch(`http://${admin}/config/`, { signal: AbortSignal.timeout(1000) })).ok;
    }, 30_000);
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n${log}`, { cause: err });
  }
  return { dir, caddyfile, admin, exec: new LocalCommandExecutor(env), process: child, stop };
}

export interface UpstreamApp {
  port: number;
  /** open streaming responses (GET /stream): each sends a chunk every 20 ms until `endStreams` */
  endStreams(): void;
  close(): Promise<void>;
}

/** An app on 127.0.0.1: `X-Frame-Options: DENY` and a CSP on every response, body `app <name>`. */
export async function startUpstream(name: string): Promise<UpstreamApp> {
  const streams = new Set<http.ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
    res.setHeader('X-Seen-Host', String(req.headers.host));
    res.setHeader('X-Seen-Real-Ip', String(req.headers['x-real-ip']));
    if (req.url === '/stream') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      streams.add(res);
      const t = setInterval(() => res.write('tick\n'), 20);
      timers.add(t);
      res.on('close', () => {
        clearInterval(t);
        streams.delete(res);
      });
      return;
    }
    res.end(`app ${name}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    endStreams() {
      for (const t of timers) clearInterval(t);
      for (const s of streams) s.end('done\n');
    },
    close: () =>
      new Promise((r) => {
        for (const t of timers) clearInterval(t);
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** GET with a short deadline; resolves null when nothing answers. */
export async function tryGet(url: string): Promise<Response | null> {
  return fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => null);
}
