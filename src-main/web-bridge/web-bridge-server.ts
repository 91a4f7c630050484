import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ProximityError } from '../core/errors';
import { BRIDGE_PATH, BRIDGE_TOKEN_PARAM } from '../../src-shared/transport/web-bridge-protocol';
import type { BridgeServerMessage } from '../../src-shared/transport/web-bridge-protocol';
import type { SecretStorageInfo } from '../../src-shared/contract/schemas';
import { isEventName } from '../../src-shared/contract/names';
import type { EventHub, EventSink } from '../ipc/event-hub';
import type { CoreForIpc, HandlerDeps } from '../ipc/handler-types';
import { createIpcRuntime } from '../ipc/ipc-runtime';
import type { IpcRuntime } from '../ipc/ipc-runtime';
import { buildContentSecurityPolicy } from '../platform/content-security-policy';
import { createStaticFileServer } from '../platform/static-files';
import { parseClientMessage } from './bridge-messages';

export interface WebBridgeOptions {
  core: CoreForIpc;
  /** Folder with the built renderer (`out/renderer`). */
  staticDir: string;
  /** 0 or absent: a random free port. */
  port?: number;
  /**
   * The tab's access token; absent: a fresh random one. Restarting on the same port with the same token lets
   * open tabs reconnect (at least 32 characters).
   */
  token?: string;
  appName?: string;
  /**
   * What `system.getInfo` reports as `secretStorage`. The bridge has no safeStorage and keeps no secrets, so the
   * default is null; tests inject a status (e.g. a weak `basic_text` backend) to exercise the UI's warning.
   */
  secretStorage?: SecretStorageInfo | null;
  /** A browser tab cannot ask the Node process to open another browser; override to allow it. */
  openExternal?: (url: string) => Promise<void>;
  logger?: { error(message: string, error?: unknown): void; warn?(message: string): void; info?(message: string): void };
  /** The features wired on core (`createCoreFeatures(core).deps`); absent: their channels answer NOT_SUPPORTED. */
  features?: Pick<HandlerDeps, 'apps' | 'catalog' | 'appliances'>;
}

export interface WebBridge {
  /** Open this in a browser: `http://127.0.0.1:PORT/?token=...`. */
  url: string;
  /** `http://127.0.0.1:PORT`: the only Origin the WebSocket accepts. */
  origin: string;
  token: string;
  /** Publish events to every connected tab (the runtime publishes core's changes itself). */
  hub: EventHub;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Development bridge for `npm run web`: serves the built renderer over HTTP on loopback and answers the
 * renderer's contract calls over a WebSocket, through the SAME handlers and dispatcher as Electron IPC,
 * against the real core. A tab needs the random token (printed in the URL) and must come from this server's
 * own origin; the Host header must name this server too (DNS-rebinding guard).
 */
export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  const staticDir = path.resolve(options.staticDir);
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error(`No built renderer in ${staticDir} (index.html missing): run \`npx electron-vite build\` first.`);
  }
  const logger = options.logger ?? console;
  if (options.token !== undefined && options.token.length < 32) throw new Error('The web bridge token must have at least 32 characters.');
  const token = options.token ?? randomBytes(32).toString('base64url');
  let origin = '';
  const serveFile = createStaticFileServer(staticDir);

  const server = http.createServer((req, res) => {
    if (req.headers.host !== hostHeader()) {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Wrong Host');
      return;
    }
    let url: URL | null = null;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      // refused by the file server below as not found
    }
    if (url?.pathname === BRIDGE_PATH) {
      // A plain GET here tells a tab whose socket could not open WHY: a browser WebSocket never sees the
      // upgrade's status, so without this a wrong token and a stopped bridge would look the same.
      const status = tokenMatches(url.searchParams.get(BRIDGE_TOKEN_PARAM)) ? 204 : 401;
      res.writeHead(status, { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' }).end(status === 401 ? 'Authentication failed' : undefined);
      return;
    }
    const pathname = url ? url.pathname : '\0';
    void serveFile(req.method ?? 'GET', pathname).then((r) => {
      const headers: Record<string, string> = { ...securityHeaders(), 'Content-Type': r.type, ...(r.allow ? { Allow: r.allow } : {}) };
      if (r.body !== null) headers['Content-Length'] = String(Buffer.byteLength(r.body));
      res.writeHead(r.status, headers).end(r.body ?? undefined);
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${HOST}:${port}`;
  const hostHeader = () => `${HOST}:${port}`;
  const securityHeaders = (): Record<string, string> => ({
    // The same policy as app:// in Electron, plus this bridge's own socket. No canvas is framed here.
    'Content-Security-Policy': buildContentSecurityPolicy({ frameOrigins: [], connectSources: [`ws://${HOST}:${port}`] }),
    'X-Content-Type-Options': 'nosniff',
    // The page URL carries the token; never send it anywhere as a referrer.
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });

  const runtime: IpcRuntime = createIpcRuntime(options.core, {
    runtime: 'web-bridge',
    appName: options.appName ?? 'Proximity',
    secretStorage: options.secretStorage ?? null,
    openExternal:
      options.openExternal ??
      (async () => {
        throw new ProximityError('NOT_SUPPORTED', 'The web development bridge cannot open external links; open the URL yourself.');
      }),
    allowedOrigins: [origin],
    logger,
    ...options.features,
  });
  const { hub, dispatcher } = runtime;

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = checkUpgrade(req);
    if (refusal) {
      logger.warn?.(`[web-bridge] refused WebSocket: ${refusal.reason}`);
      socket.end(`HTTP/1.1 ${refusal.status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  function checkUpgrade(req: http.IncomingMessage): { status: string; reason: string } | null {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      return { status: '400 Bad Request', reason: 'bad URL' };
    }
    if (url.pathname !== BRIDGE_PATH) return { status: '404 Not Found', reason: `path ${url.pathname}` };
    if (req.headers.host !== hostHeader()) return { status: '403 Forbidden', reason: `host ${req.headers.host}` };
    if (req.headers.origin !== origin) return { status: '403 Forbidden', reason: `origin ${req.headers.origin}` };
    if (!tokenMatches(url.searchParams.get(BRIDGE_TOKEN_PARAM))) return { status: '401 Unauthorized', reason: 'bad token' };
    return null;
  }

  function tokenMatches(candidate: string | null): boolean {
    if (candidate === null) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  let nextSinkId = 1;
  function onConnection(ws: WebSocket): void {
    const send = (message: BridgeServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const sink: EventSink = {
      id: `web-bridge:${nextSinkId++}`,
      send: (event, payload) => {
        if (ws.readyState !== ws.OPEN) throw new Error('socket closed');
        ws.send(JSON.stringify({ t: 'event', event, payload } satisfies BridgeServerMessage));
      },
    };
    // The socket passed token + Origin checks, so it speaks for this server's own top-level page.
    const sender = { isTopFrame: true, url: `${origin}/` };
    // Handlers' ctx.signal: aborted when this tab's socket closes.
    const lifetime = new AbortController();
    ws.on('message', (data, isBinary) => {
      const message = isBinary ? null : parseClientMessage(data.toString());
      if (!message) {
        ws.close(1008, 'malformed message');
        return;
      }
      if (message.t === 'subscribe') {
        if (isEventName(message.event)) hub.subscribe(sink, message.event);
        return;
      }
      void dispatcher.dispatch(message.channel, message.input, sender, lifetime.signal).then((result) => send({ t: 'result', id: message.id, result }));
    });
    ws.on('close', () => {
      lifetime.abort();
      hub.removeSink(sink.id);
      // the last tab is gone: nobody sees the cluster, stop polling Proxmox until a tab says it is visible
      if (wss.clients.size === 0) options.core.proxmox.setVisible(false);
    });
    ws.on('error', (e) => logger.error('[web-bridge] socket error', e));
  }

  return {
    url: `${origin}/?${BRIDGE_TOKEN_PARAM}=${token}`,
    origin,
    token,
    hub,
    close: async () => {
      runtime.close();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
