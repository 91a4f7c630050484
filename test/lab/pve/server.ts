// The emulator's HTTPS front (pveproxy): wire format of pve-http-server (APIServer/AnyEvent.pm,
// Formatter/Standard.pm) — `{"data":..}` with `Content-Type: application/json;charset=UTF-8`, the error message
// as HTTP reason phrase (first line) and in the body, 401 without body after a delay, 501 for unknown methods.
// Order as in PVE: authenticate, find the method, check token permission, proxy (offline node => 595), verify
// params, run the handler.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { resolveRoute, runRoute, toPveError, type ApiCoreDeps, type Encoding } from './api-core';
import { tokenNotAllowedError, type LabAuth } from './auth';
import { NODE_OFFLINE_MESSAGE, NODE_OFFLINE_STATUS, type FaultInjector } from './faults';
import type { LabCertificate } from './tls-cert';
import { PveHttpError, type PveIdentity, type RouteResult } from './types';

export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';
const BASE = '/api2/json';
/** pve-http-server's $limit_max_post */
const MAX_POST = 64 * 1024;

export interface RequestLogEntry {
  time: number;
  source: 'http' | 'in-process';
  method: string;
  /** path with /api2/json prefix, no query (params hold the query) */
  path: string;
  /** schema template when the path resolved */
  template?: string;
  /** query + body parameters as received (no URI variables) */
  params: Record<string, unknown>;
  encoding: Encoding;
  /** authid, undefined when unauthenticated */
  identity?: string;
  status: number;
  message?: string;
}

export interface ServerDeps extends ApiCoreDeps {
  auth: LabAuth;
  faults: FaultInjector;
  certificate: LabCertificate;
  /** node names of the lab cluster (proxyto to anything else fails like a failed hostname lookup) */
  nodes: string[];
  /** records one handled request (the emulator keeps a bounded log) */
  logRequest: (entry: RequestLogEntry) => void;
  /** delay of every 401 (PVE: 3 s) */
  authFailureDelayMs: number;
}

interface Reply {
  status: number;
  message: string;
  /** undefined => no body and no content type (401, proxy pseudo statuses) */
  body?: Record<string, unknown>;
  delayMs?: number;
}

export async function startApiServer(deps: ServerDeps, port = 0): Promise<{ server: Server; port: number }> {
  const server = createServer({ key: deps.certificate.key, cert: deps.certificate.cert }, (req, res) => {
    handle(deps, req, res).catch((e) => {
      deps.logger?.(`lab: internal error: ${e instanceof Error ? e.stack : String(e)}`);
      if (!res.headersSent) send(req, res, { status: 500, message: 'internal lab error', body: { data: null } });
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'https://lab');
  let relUri: string;
  try {
    relUri = decodeURIComponent(url.pathname);
  } catch {
    return send(req, res, { status: 400, message: 'bad request' });
  }
  const entry: RequestLogEntry = {
    time: started, source: 'http', method, path: relUri, params: {}, encoding: 'form', status: 0,
  };
  const finish = (reply: Reply) => {
    entry.status = reply.status;
    entry.message = reply.message;
    deps.logRequest(entry);
    send(req, res, reply);
  };

  if (!['GET', 'POST', 'PUT', 'DELETE'].includes(method)) {
    return finish({ status: 501, message: `method '${method}' not available` });
  }
  if (!relUri.startsWith(`${BASE}/`) && relUri !== BASE) {
    return finish({ status: 501, message: 'no such uri' });
  }
  relUri = relUri.slice(BASE.length) || '/';

  // 1. authentication (before anything about the method or its parameters)
  let identity: PveIdentity | undefined;
  try {
    identity = deps.auth.authenticate({
      method,
      relUri,
      cookie: header(req, 'cookie'),
      authorization: header(req, 'authorization'),
      csrfToken: header(req, 'csrfpreventiontoken'),
    });
  } catch (e) {
    const err = toPveError(e);
    return finish({ status: err.status, message: err.message, delayMs: authDelay(deps, started) });
  }
  entry.identity = identity?.authid;

  // 2. body / query
  const parsed = await readParams(req, url, method);
  if ('error' in parsed) return finish(parsed.error);
  entry.params = parsed.params;
  entry.encoding = parsed.encoding;

  // 3. injected faults at the HTTP layer
  const delay = deps.faults.delayFor(method, relUri);
  if (delay > 0) await sleep(delay);
  const injected = deps.faults.takeHttpError(method, relUri);
  if (injected) return finish(errorReply(new PveHttpError(injected.status, injected.message)));

  // 4. method lookup, token permission, proxying, then verification + handler
  let route;
  try {
    route = resolveRoute(deps, method, relUri);
    entry.template = route.template;
    if (identity?.tokenId !== undefined && !route.info.allowtoken) throw tokenNotAllowedError(method, relUri);
    if (route.info.proxyto === 'node' && typeof route.pathParams.node === 'string') checkProxyTarget(deps, route.pathParams.node);
  } catch (e) {
    return finish(errorReply(toPveError(e)));
  }
  const outcome = await runRoute(deps, route, {
    method, relUri, params: parsed.params, encoding: parsed.encoding,
    identity: identity ?? { user: '', authid: '' },
  });
  if (!outcome.ok) {
    const reply = errorReply(outcome.error);
    if (outcome.error.status === 401) reply.delayMs = authDelay(deps, started);
    return finish(reply);
  }
  return finish({ status: 200, message: 'OK', body: successBody(outcome.result) });
}

/** pveproxy cannot reach an offline node (AnyEvent::HTTP pseudo status) nor resolve an unknown one. */
function checkProxyTarget(deps: ServerDeps, node: string): void {
  if (!deps.nodes.includes(node)) {
    throw new PveHttpError(500, `hostname lookup '${node}' failed - failed to get address info for: ${node}: Name or service not known`);
  }
  if (deps.faults.isNodeOffline(node)) throw new PveHttpError(NODE_OFFLINE_STATUS, NODE_OFFLINE_MESSAGE);
}

function authDelay(deps: ServerDeps, started: number): number {
  return Math.max(0, deps.authFailureDelayMs - (Date.now() - started));
}

/** Formatter/Standard.pm prepare_response_data: `total` / `changes` only when truthy (0 and '' are left out). */
function successBody(r: RouteResult): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (r.changes) body.changes = r.changes;
  body.data = r.data === undefined ? null : r.data;
  if (r.total) body.total = r.total;
  return body;
}

/** Error replies carry `{data:null, errors?, message:"...\n"}`; pseudo statuses (595-599) have no body. */
export function errorReply(err: PveHttpError): Reply {
  if (err.status >= 595) return { status: err.status, message: err.message };
  const body: Record<string, unknown> = { data: null };
  if (err.errors && Object.keys(err.errors).length > 0) body.errors = err.errors;
  body.message = err.message.endsWith('\n') ? err.message : `${err.message}\n`;
  return { status: err.status, message: err.message, body };
}

type Parsed = { params: Record<string, unknown>; encoding: Encoding } | { error: Reply };

async function readParams(req: IncomingMessage, url: URL, method: string): Promise<Parsed> {
  const params: Record<string, unknown> = formToParams(url.searchParams);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_POST) return { error: { status: 501, message: 'for data too large' } };
    chunks.push(c as Buffer);
  }
  if (size === 0) return { params, encoding: 'form' };
  if (method !== 'POST' && method !== 'PUT') {
    return { error: { status: 501, message: `Unexpected content for method '${method}'` } };
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const ct = (header(req, 'content-type') ?? '').split(/\s*[;,]\s*/)[0].toLowerCase();
  if (ct === 'application/json') {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      return { error: errorReply(new PveHttpError(400, `unable to parse JSON body - ${(e as Error).message}`)) };
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return { error: errorReply(new PveHttpError(400, 'JSON body must be an object')) };
    }
    return { params: { ...params, ...(body as Record<string, unknown>) }, encoding: 'json' };
  }
  if (ct === '' || ct === 'application/x-www-form-urlencoded') {
    return { params: { ...params, ...formToParams(new URLSearchParams(text)) }, encoding: 'form' };
  }
  return { error: { status: 506, message: `upload 'Content-Type '${ct}' not implemented` } };
}

/** Repeated keys become arrays (PVE joins them and splits them again for array/-list parameters). */
export function formToParams(sp: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of sp) {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[k] = [prev as string, v];
  }
  return out;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join('; ') : v;
}

/** HTTP reason phrase as PVE makes it: first line only, and only characters HTTP allows. */
export function reasonPhrase(message: string): string {
  const first = message.split(/\r?\n/)[0] ?? '';
  return first.replace(/[^\t\x20-\x7e]/g, '?').trim() || 'Error';
}

function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  const write = () => {
    if (res.destroyed) return;
    res.statusCode = reply.status;
    res.statusMessage = reasonPhrase(reply.message);
    res.setHeader('Server', 'pve-api-daemon/3.0');
    res.setHeader('Cache-Control', 'max-age=0');
    res.setHeader('Pragma', 'no-cache');
    res.setHeader('Expires', new Date().toUTCString());
    // pve-http-server drops keep-alive after an error
    if (reply.status >= 400) res.setHeader('Connection', 'close');
    if (reply.body === undefined) {
      res.end();
      return;
    }
    let payload = Buffer.from(JSON.stringify(reply.body), 'utf8');
    res.setHeader('Content-Type', JSON_CONTENT_TYPE);
    if (payload.length > 1024 && /gzip/.test(String(req.headers['accept-encoding'] ?? ''))) {
      payload = gzipSync(payload);
      res.setHeader('Content-Encoding', 'gzip');
    }
    res.setHeader('Content-Length', payload.length);
    res.end(payload);
  };
  if (reply.delayMs && reply.delayMs > 0) setTimeout(write, reply.delayMs).unref();
  else write();
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
