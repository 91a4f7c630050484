// The lab's control endpoint: plain HTTP on 127.0.0.1 only, every request needs the random `X-Lab-Token`.
// Built-ins: POST /faults (a FaultSpec), POST /faults/clear, GET /state. Other parts of the lab add their own
// endpoints with `on()` (the simulated node adds POST /cli for pct/pveam).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ControlHandler = (body: any) => Promise<unknown> | unknown;

/** Throw this from a handler to answer with a specific status (default for other errors: 400). */
export class ControlError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface ControlServer {
  url: string;
  token: string;
  on(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, handler: ControlHandler): void;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

export async function startControlServer(opts: { port?: number } = {}): Promise<ControlServer> {
  const token = randomBytes(24).toString('hex');
  const handlers = new Map<string, ControlHandler>();

  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      const text = JSON.stringify(body ?? null);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    void (async () => {
      if (!tokenMatches(req.headers['x-lab-token'], token)) return reply(401, { error: 'missing or wrong X-Lab-Token' });
      const path = new URL(req.url ?? '/', 'http://lab').pathname;
      const handler = handlers.get(`${req.method} ${path}`);
      if (!handler) return reply(404, { error: `no control endpoint ${req.method} ${path}` });
      let body: unknown;
      try {
        body = await readJson(req);
      } catch (e) {
        return reply(400, { error: (e as Error).message });
      }
      try {
        const result = await handler(body);
        reply(200, result === undefined ? { ok: true } : result);
      } catch (e) {
        const status = e instanceof ControlError ? e.status : 400;
        reply(status, { error: e instanceof Error ? e.message : String(e) });
      }
    })().catch((e) => {
      if (!res.headersSent) reply(500, { error: String(e) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    on(method, path, handler) {
      const key = `${method} ${path}`;
      if (handlers.has(key)) throw new Error(`control endpoint registered twice: ${key}`);
      handlers.set(key, handler);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function tokenMatches(got: string | string[] | undefined, want: string): boolean {
  if (typeof got !== 'string') return false;
  const a = Buffer.from(got);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(c as Buffer);
  }
  if (size === 0) return {};
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('body must be JSON');
  }
}
