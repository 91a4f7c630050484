// Thin factory for a `proxmox-api` client that talks to one PVE node over a pinned TLS connection.
// Auth is either an API token (preferred: no CSRF, no ticket expiry) or user + password (ticket login).
import proxmoxApi, { ProxmoxEngine, type Proxmox, type ProxmoxEngineOptions } from 'proxmox-api';
import type { Agent } from 'undici';
import { ProximityError } from '../errors';
import { createPinnedAgent, findProximityError, pinnedFetch } from './pinned-fetch';

export type PveAuth = { tokenId: string; tokenSecret: string } | { username: string; password: string };

export interface PveClientOptions {
  host: string;
  port?: number;
  /** SHA-256 fingerprint of the node's certificate (as PVE shows it: AB:CD:...) */
  fingerprint: string;
  auth: PveAuth;
  /** per-request timeout (proxmox-api default 60 s) */
  queryTimeoutMs?: number;
}

export interface PveConnection {
  api: Proxmox.Api;
  /** proxmox-api's engine; `engine.ticket = undefined` forces a fresh login on the next call */
  engine: ProxmoxEngine;
  /** closes the pinned connection pool */
  close(): Promise<void>;
}

export function createPveConnection(opts: PveClientOptions): PveConnection {
  const agent: Agent = createPinnedAgent({ fingerprint: opts.fingerprint });
  const common = {
    host: opts.host,
    port: opts.port ?? 8006,
    schema: 'https' as const,
    queryTimeout: opts.queryTimeoutMs,
    // proxmox-api's FetchInterface is typed against its own copy of undici's types; both are undici 6
    fetch: pinnedFetch(agent) as unknown as ProxmoxEngineOptions['fetch'],
  };
  const engine =
    'tokenId' in opts.auth
      ? new ProxmoxEngine({ ...common, tokenID: opts.auth.tokenId, tokenSecret: opts.auth.tokenSecret })
      : new ProxmoxEngine({ ...common, username: opts.auth.username, password: opts.auth.password });
  return { api: proxmoxApi(engine), engine, close: () => agent.close() };
}

/** The `proxmox-api` proxy (`api.nodes.$(node).lxc.$get()` ...) over a pinned connection. */
export function createPveClient(opts: PveClientOptions): Proxmox.Api {
  return createPveConnection(opts).api;
}

/** The three error shapes proxmox-api 1.1.1 produces for an HTTP answer other than 200. */
const HTTP_ERROR_PATTERNS = [
  /return Error (\d{3}) (.*?): (\{.*\})$/s,
  /connection failed with (\d{3}) (.*?) return: (.*)$/s,
  /login failed with (\d{3}): (.*?) ?(\{.*\})?$/s,
];

function parseHttpError(e: unknown): { status: number; reason: string; body?: string } | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 8; cur = (cur as { cause?: unknown }).cause, depth++) {
    const msg = cur instanceof Error ? cur.message : typeof cur === 'string' ? cur : '';
    for (const re of HTTP_ERROR_PATTERNS) {
      const m = re.exec(msg);
      if (m) return { status: Number(m[1]), reason: m[2].trim(), body: m[3] };
    }
  }
  return undefined;
}

/**
 * proxmox-api throws plain Errors whose message holds the HTTP status, reason and JSON body. This turns any of
 * them into a ProximityError with a stable code and `details: {status, reason, errors?}`.
 */
export function toPveProximityError(e: unknown): ProximityError {
  const pinned = findProximityError(e);
  if (pinned) return pinned;
  const http = parseHttpError(e);
  if (!http) {
    const message = e instanceof Error ? e.message : String(e);
    return new ProximityError('PVE_UNREACHABLE', `Cannot reach the Proxmox VE API: ${message}`, { cause: e });
  }
  const { status, reason } = http;
  let errors: Record<string, string> | undefined;
  try {
    const body = http.body ? JSON.parse(http.body) : undefined;
    if (body?.errors && typeof body.errors === 'object') errors = body.errors;
  } catch {
    // the body is informational only
  }
  const details = { status, reason, ...(errors ? { errors } : {}) };
  if (status === 401) return new ProximityError('PVE_AUTH_FAILED', `Proxmox VE refused the credentials: ${reason}`, { details, cause: e });
  if (status >= 595) {
    return new ProximityError('PVE_UNREACHABLE', `The Proxmox VE node could not be reached: ${reason}`, { details, cause: e });
  }
  const detail = errors ? ` (${Object.entries(errors).map(([k, v]) => `${k}: ${String(v).trim()}`).join('; ')})` : '';
  return new ProximityError('PVE_API_ERROR', `Proxmox VE answered ${status} ${reason}${detail}`, { details, cause: e });
}
