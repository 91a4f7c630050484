// Thin factory for a `proxmox-api` client that talks to one PVE node over a pinned TLS connection.
// Auth is either an API token (preferred: no CSRF, no ticket expiry) or user + password (ticket login).
import proxmoxApi, { ProxmoxEngine, type Proxmox } from 'proxmox-api';
import type { Agent } from 'undici';
import { createPinnedAgent, pinnedFetch } from './pinned-fetch';

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
    fetch: pinnedFetch(agent) as any,
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
