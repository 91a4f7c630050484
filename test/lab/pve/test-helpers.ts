// Shared helpers for the emulator's own tests: a no-op backend, raw HTTPS requests (verified against the
// emulator's self-signed certificate as CA, not with verification switched off), and login.
import { request } from 'node:https';
import type { LabBackend } from '../backend';
import { createEmulator, type Emulator, type EmulatorOptions } from './emulator';

export function noopBackend(): LabBackend & { calls: string[] } {
  const calls: string[] = [];
  const rec = (name: string) => async (...args: unknown[]) => void calls.push(`${name} ${JSON.stringify(args)}`);
  return {
    kind: 'virtual',
    calls,
    init: rec('init'),
    applyBridges: rec('applyBridges'),
    createContainer: rec('createContainer'),
    startContainer: rec('startContainer'),
    stopContainer: rec('stopContainer'),
    destroyContainer: rec('destroyContainer'),
    interfaces: async () => null,
    close: rec('close'),
  };
}

export function startTestEmulator(opts: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return createEmulator({ backend: noopBackend(), taskSeconds: 0, registerRoutes: () => {}, ...opts });
}

export interface RawResponse {
  status: number;
  reason: string;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
  elapsedMs: number;
}

export interface RawOptions {
  headers?: Record<string, string>;
  /** form body (string) or JSON body (object) */
  body?: string | Record<string, unknown>;
  ticket?: { ticket: string; CSRFPreventionToken?: string };
  /** true: the emulator's default token; or a specific token (e.g. one with limited ACLs) */
  token?: boolean | { id: string; secret: string };
}

export function raw(emu: Emulator, method: string, path: string, o: RawOptions = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { ...o.headers };
  let payload: string | undefined;
  if (typeof o.body === 'string') {
    payload = o.body;
    headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
  } else if (o.body) {
    payload = JSON.stringify(o.body);
    headers['Content-Type'] ??= 'application/json';
  }
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
  if (o.ticket) {
    headers.Cookie = `PVEAuthCookie=${encodeURIComponent(o.ticket.ticket)}`;
    if (o.ticket.CSRFPreventionToken) headers.CSRFPreventionToken = o.ticket.CSRFPreventionToken;
  }
  if (o.token === true) headers.Authorization = `PVEAPIToken=${emu.tokenId}=${emu.tokenSecret}`;
  else if (o.token) headers.Authorization = `PVEAPIToken=${o.token.id}=${o.token.secret}`;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: emu.port, method, path: path.startsWith('/api2') ? path : `/api2/json${path}`, headers, ca: emu.certificatePem, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode!, reason: res.statusMessage!, headers: res.headers, text, json, elapsedMs: Date.now() - started });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export async function login(emu: Emulator, password = emu.password): Promise<{ ticket: string; CSRFPreventionToken: string }> {
  const r = await raw(emu, 'POST', '/access/ticket', { body: new URLSearchParams({ username: 'root@pam', password }).toString() });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.reason}`);
  return r.json.data;
}

export async function pollUntil<T>(fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000, stepMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('pollUntil: timed out');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
