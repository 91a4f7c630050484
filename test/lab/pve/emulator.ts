// The Proxmox VE API emulator: HTTPS server (pveproxy), auth, tasks, faults, control endpoint, and the cluster
// routes (nodes, storage, LXC, network, ...) wired to a LabBackend. `callApi` runs a method in-process through
// the same verification and handlers, like `pct`/`pveam` call the API code directly on a real node.
import { randomUUID } from 'node:crypto';
import type { LabBackend } from '../backend';
import { AccessState } from './access/access-state';
import { registerAccessRoutes } from './access/access-routes';
import { type AccessSeed, seedAccess } from './access/access-seed';
import { resolveRoute, runRoute, type ApiCoreDeps } from './api-core';
import { LabAuth, ROOT_USER } from './auth';
import { createClusterState, registerClusterRoutes, type ClusterState } from './cluster';
import { startControlServer, type ControlHandler } from './control-server';
import { FaultInjector, type FaultSpec } from './faults';
import { Router } from './router';
import { loadSchema, type PveSchema, type SchemaVersion } from './schema';
import { formToParams, startApiServer, type RequestLogEntry } from './server';
import { LabTaskManager, registerTaskRoutes } from './tasks';
import { generateCertificate, sharedCertificate } from './tls-cert';
import type { PveIdentity, RouteResult, RouteTable } from './types';

export interface EmulatorOptions {
  /** node names, or a count (1 => ['pve'], N > 1 => pve1..pveN); more than one node => cluster 'lab-cluster' */
  nodes?: number | string[];
  backend: LabBackend;
  /** seconds a task stays running (default 1; 0 = resolves on the next event-loop turn) */
  taskSeconds?: number;
  schema?: SchemaVersion;
  /** pve-manager version reported by GET /version; decides the 401 texts (default 8.4.17 / 9.1.1) */
  pveVersion?: string;
  ticketLifetimeSeconds?: number;
  /**
   * How long a config lock_config waits for a held lock before `can't lock file ... - got timeout` (ms).
   * PVE: 10000 (the default); tests of lock timeouts set it short.
   */
  lockTimeoutMs?: number;
  /** delay of 401 answers (PVE: 3000; default 0) */
  authFailureDelayMs?: number;
  password?: string;
  tokenId?: string;
  tokenSecret?: string;
  port?: number;
  /** a certificate of its own instead of the per-process shared one */
  freshCertificate?: boolean;
  /** Replace the cluster routes (tests of the HTTP layer register their own routes here). */
  registerRoutes?: (routes: RouteTable, deps: { faults: FaultInjector; backend: LabBackend; nodes: string[] }) => void;
  logger?: (line: string) => void;
}

export interface Emulator {
  /** https://127.0.0.1:<port> (the API is below /api2/json) */
  url: string;
  host: string;
  port: number;
  /** SHA-256 of the server certificate, `AB:CD:..` */
  fingerprint: string;
  /** PEM of the server certificate (for clients that verify with a CA instead of a pin) */
  certificatePem: string;
  user: 'root@pam';
  password: string;
  /** full token id, `root@pam!proximity` */
  tokenId: string;
  tokenSecret: string;
  nodes: string[];
  clusterName?: string;
  pveVersion: string;
  schema: PveSchema;
  faults: FaultInjector;
  /** the cluster state (undefined when registerRoutes replaced the cluster routes) */
  state: ClusterState | undefined;
  requests: RequestLogEntry[];
  tasks: LabTaskManager;
  routes: Router;
  auth: LabAuth;
  /** users, API tokens and ACLs (add users/tokens with limited ACLs here, or through the API as root) */
  access: AccessState;
  control: { url: string; token: string; on(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, h: ControlHandler): void };
  /** More fault kinds for `POST /faults` (and `/faults/clear`), e.g. the netns backend's LAN failures. */
  extendFaults(ext: FaultExtension): void;
  /** In-process call (no HTTP, no auth, no HTTP-level faults); throws PveHttpError as the API would answer. */
  callApi(method: string, path: string, params?: Record<string, unknown>, identity?: PveIdentity): Promise<any>;
  /** Like callApi but returns `{data, total?, changes?}`. */
  callApiResult(method: string, path: string, params?: Record<string, unknown>, identity?: PveIdentity): Promise<RouteResult>;
  /** Resolves with the exit status ("OK" or the error text). */
  waitTask(upid: string): Promise<string>;
  close(): Promise<void>;
}

/** Fault kinds handled outside the FaultInjector (applied before `POST /faults` answers). */
export interface FaultExtension {
  /** key of its part in the faults summary */
  name: string;
  kinds: ReadonlySet<string>;
  apply(spec: unknown): Promise<void>;
  clear(): Promise<void>;
  summary(): Record<string, unknown>;
}

const MAX_LOGGED_REQUESTS = 20_000;

export function nodeNames(nodes: number | string[] | undefined): string[] {
  if (nodes === undefined) return ['pve'];
  if (Array.isArray(nodes)) {
    if (nodes.length === 0) throw new Error('at least one node is needed');
    return nodes;
  }
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 16) throw new Error(`node count must be 1..16, got ${nodes}`);
  return nodes === 1 ? ['pve'] : Array.from({ length: nodes }, (_, i) => `pve${i + 1}`);
}

export async function createEmulator(opts: EmulatorOptions): Promise<Emulator> {
  const nodes = nodeNames(opts.nodes);
  const clusterName = nodes.length > 1 ? 'lab-cluster' : undefined;
  const schemaVersion: SchemaVersion = opts.schema ?? '8.4';
  const pveVersion = opts.pveVersion ?? (schemaVersion === '9.1' ? '9.1.1' : '8.4.17');
  const password = opts.password ?? `lab-${randomUUID().slice(0, 8)}`;
  const tokenId = opts.tokenId ?? `${ROOT_USER}!proximity`;
  const tokenSecret = opts.tokenSecret ?? randomUUID();
  if (!/^root@pam![A-Za-z][A-Za-z0-9._-]*$/.test(tokenId)) throw new Error(`tokenId must look like root@pam!name, got '${tokenId}'`);
  // proxmox-api only accepts lower-case UUID secrets
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(tokenSecret)) throw new Error('tokenSecret must be a lower-case UUID');
  const logger = opts.logger;
  const faults = new FaultInjector();
  // root@pam with the lab password, and its default token without privilege separation (full privileges)
  const access = new AccessState(password);
  access.addToken('root@pam', tokenId.slice('root@pam!'.length), { privsep: 0, secret: tokenSecret, comment: 'lab default token' });

  const [schema, certificate, auth] = await Promise.all([
    Promise.resolve(loadSchema(schemaVersion)),
    opts.freshCertificate ? generateCertificate() : sharedCertificate(),
    LabAuth.create({
      password,
      tokens: { [tokenId]: tokenSecret },
      access,
      pveVersion,
      ticketLifetimeSeconds: opts.ticketLifetimeSeconds ?? 7200,
      faults,
      clusterName,
    }),
  ]);

  const routes = new Router();
  const tasks = new LabTaskManager({ taskSeconds: opts.taskSeconds ?? 1, faults });
  auth.registerRoutes(routes);
  registerAccessRoutes(routes, access);
  registerTaskRoutes(routes, tasks);

  let state: ClusterState | undefined;
  await opts.backend.init(nodes);
  if (opts.registerRoutes) {
    opts.registerRoutes(routes, { faults, backend: opts.backend, nodes });
  } else {
    state = createClusterState({ nodes, clusterName, schemaVersion, pveVersion });
    state.setSslFingerprint(certificate.fingerprint);
    registerClusterRoutes(routes, { state, backend: opts.backend, faults, lockTimeoutMs: opts.lockTimeoutMs, access });
  }
  if (!routes.has('GET', '/version')) {
    const [maj, min] = pveVersion.split('.');
    routes.on('GET', '/version', () => ({ version: pveVersion, release: `${maj}.${min}`, repoid: 'a1b2c3d4' }));
  }

  const requests: RequestLogEntry[] = [];
  // bounded, so a long `npm run lab` session does not grow without limit
  const logRequest = (e: RequestLogEntry) => {
    requests.push(e);
    if (requests.length > MAX_LOGGED_REQUESTS) requests.splice(0, requests.length - MAX_LOGGED_REQUESTS);
  };
  const core: ApiCoreDeps = { schema, router: routes, tasks, logger, access };
  const { server, port } = await startApiServer(
    { ...core, auth, faults, certificate, nodes, logRequest, authFailureDelayMs: opts.authFailureDelayMs ?? 0 },
    opts.port ?? 0,
  );

  const control = await startControlServer();
  const extensions: FaultExtension[] = [];
  const faultSummary = () => Object.assign(faults.summary(), ...extensions.map((x) => ({ [x.name]: x.summary() })));
  control.on('POST', '/faults', async (body) => {
    const ext = extensions.find((x) => x.kinds.has((body as { kind?: string } | null)?.kind ?? ''));
    if (ext) await ext.apply(body);
    else faults.apply(body as FaultSpec);
    return { ok: true, faults: faultSummary() };
  });
  // a user with limited ACLs and its tokens (access/access-seed.ts): `{userid, password?, acl?, tokens?}`
  control.on('POST', '/access', (body) => ({ ok: true, ...seedAccess(access, body as AccessSeed) }));
  control.on('POST', '/faults/clear', async () => {
    faults.clear();
    for (const x of extensions) await x.clear();
    return { ok: true };
  });
  control.on('GET', '/state', () => ({
    nodes,
    clusterName: clusterName ?? null,
    pveVersion,
    schema: schemaVersion,
    faults: faults.summary(),
    tasks: tasks.list().map((t) => ({ upid: t.upid, status: t.status, exitstatus: t.exitstatus ?? null })),
    requests: requests.length,
    cluster: typeof (state as any)?.summary === 'function' ? (state as any).summary() : undefined,
  }));

  const callApiResult = async (
    method: string,
    path: string,
    params: Record<string, unknown> = {},
    identity: PveIdentity = auth.rootIdentity(),
  ): Promise<RouteResult> => {
    const m = method.toUpperCase();
    const [rawPath, query] = path.split('?', 2);
    const relUri = rawPath.replace(/^\/api2\/json(?=\/|$)/, '') || '/';
    const all: Record<string, unknown> = { ...(query ? formToParams(new URLSearchParams(query)) : {}) };
    // like proxmox-api, absent values are not sent
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) all[k] = v;
    // CLI callers pass strings (form semantics); typed values mean JSON semantics
    const encoding = Object.values(all).every((v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')))
      ? 'form'
      : 'json';
    const entry: RequestLogEntry = {
      time: Date.now(), source: 'in-process', method: m, path: `/api2/json${relUri}`, params: all, encoding,
      identity: identity.authid, status: 0,
    };
    logRequest(entry);
    try {
      const route = resolveRoute(core, m, relUri);
      entry.template = route.template;
      const outcome = await runRoute(core, route, { method: m, relUri, params: all, encoding, identity });
      if (!outcome.ok) throw outcome.error;
      entry.status = 200;
      return outcome.result;
    } catch (e: any) {
      entry.status = typeof e?.status === 'number' ? e.status : 500;
      entry.message = e?.message;
      throw e;
    }
  };

  let closed = false;
  return {
    url: `https://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    fingerprint: certificate.fingerprint,
    certificatePem: certificate.cert,
    user: ROOT_USER,
    password,
    tokenId,
    tokenSecret,
    nodes,
    clusterName,
    pveVersion,
    schema,
    faults,
    state,
    requests,
    tasks,
    routes,
    auth,
    access,
    control: { url: control.url, token: control.token, on: control.on },
    extendFaults: (ext) => void extensions.push(ext),
    callApiResult,
    callApi: async (method, path, params, identity) => (await callApiResult(method, path, params, identity)).data,
    waitTask: (upid) => tasks.wait(upid),
    async close() {
      if (closed) return;
      closed = true;
      tasks.close();
      faults.clear();
      await Promise.all([
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
        control.close(),
      ]);
      await opts.backend.close();
    },
  };
}
