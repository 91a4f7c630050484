// The per-connection runtime that makes the Proxmox layer usable by the rest of the product: for each saved
// connection, built lazily on first use, a pinned PveClient, a NodeSshPool for its nodes (host key pins in the
// SshHostKeyRepository under `<connectionId>/<node>`), and a ClusterState that publishes `cluster.changed` core
// events. A session is dropped (and rebuilt on next use) when its connection is edited, re-pinned or removed.
import { z } from 'zod';
import type { ClusterSnapshot } from '../../../src-shared/contract/connection-schemas';
import { ProximityError } from '../errors';
import type { CoreEventListener, CoreEventName, CoreEventPublisher } from '../events/core-events';
import { ClusterState } from '../pve/cluster-state';
import { PveClient } from '../pve/pve-client';
import { hostKeyMismatchError, type HostKeyPinStore } from '../ssh/host-key-pins';
import { NodeSshPool } from '../ssh/node-ssh-pool';
import type { NodeSshClient, NodeSshOptions } from '../ssh/node-ssh-client';
import type { NodeSshAuth } from '../ssh/node-ssh-target';
import type { PveConnectionRecord, PveConnectionRepository } from './pve-connection-repository';
import { apiAuthOf, sshAuthOf } from './connection-credentials';

/** Construction options of ProxmoxSessions. */
export interface ProxmoxSessionsOptions {
  connections: PveConnectionRepository;
  /** SSH host key pins, keyed `<connectionId>/<node>` (the SshHostKeyRepository in the app) */
  hostKeys: HostKeyPinStore & { nodeIdsUnder(prefix: string): Promise<string[]> };
  events: CoreEventPublisher & { on<E extends CoreEventName>(event: E, listener: CoreEventListener<E>): () => void };
  /** ClusterState ticks (default 1000 ms busy, 5000 ms idle) */
  busyIntervalMs?: number;
  idleIntervalMs?: number;
  /** per PVE request (default 30 000 ms) */
  requestTimeoutMs?: number;
  /** options for the node SSH clients (timeouts, channel cap); pins and host key confirmation are set here */
  ssh?: Omit<NodeSshOptions, 'pins' | 'confirmHostKey'>;
  logger?: { error(message: string, error?: unknown): void };
}

interface Session {
  record: PveConnectionRecord;
  client: PveClient;
  state: ClusterState;
  pool: NodeSshPool;
  /** time of the last cluster change read from Proxmox (ms since the epoch) */
  updatedAtMs: number | null;
  /** `GET /cluster/status` node rows, read once per session (node -> SSH address) */
  nodeAddresses?: Promise<Map<string, { ip: string | null; local: boolean }>>;
}

const clusterStatusSchema = z.array(
  z.object({ type: z.string(), name: z.string().optional(), ip: z.string().optional(), local: z.coerce.number().optional() }).passthrough(),
);

/** Lazily built PVE client, node SSH and live cluster state per connection. `close()` ends them all. */
export class ProxmoxSessions {
  private readonly sessions = new Map<string, Session>();
  private visible = false;
  private closed = false;
  private readonly unsubscribe: () => void;
  /** operations running now: while there are any, cluster states tick at their busy interval */
  private readonly runningOperations = new Set<string>();

  constructor(private readonly o: ProxmoxSessionsOptions) {
    const offConnections = o.events.on('connections.changed', ({ connectionId, change }) => {
      // edited, re-pinned or removed: the session was built from the old settings
      void this.forget(connectionId);
      if (change !== 'deleted' && this.visible) this.activate(connectionId);
    });
    const offOperations = o.events.on('operations.changed', (op) => {
      const before = this.runningOperations.size > 0;
      if (op.state === 'running') this.runningOperations.add(op.id);
      else this.runningOperations.delete(op.id);
      const busy = this.runningOperations.size > 0;
      if (busy !== before) for (const s of this.sessions.values()) s.state.setBusy(busy);
    });
    this.unsubscribe = () => {
      offConnections();
      offOperations();
    };
  }

  /**
   * The connection's PVE client, pinned to its TLS fingerprint. Throws NOT_FOUND, VALIDATION (no pinned
   * fingerprint yet), SECRET_STORE_UNAVAILABLE.
   */
  client(connectionId: string): PveClient {
    return this.session(connectionId).client;
  }

  /** The connection's live cluster state (started; it ticks while a window is visible). */
  clusterState(connectionId: string): ClusterState {
    return this.session(connectionId).state;
  }

  /**
   * The SSH client of one node of the connection (one reused connection per node). The node the API answers
   * from (`local` in GET /cluster/status, or the only node) is reached at the profile's SSH host and port;
   * other nodes at their cluster address, port 22, with the same login. Throws NOT_FOUND (no such node),
   * VALIDATION (no SSH login saved), and what PveClient throws.
   */
  async ssh(connectionId: string, node: string): Promise<NodeSshClient> {
    const s = this.session(connectionId);
    const sshProfile = s.record.ssh;
    if (!sshProfile) throw new ProximityError('VALIDATION', `Connection "${s.record.name}" has no SSH login; add one in its settings.`);
    s.nodeAddresses ??= this.readNodeAddresses(s).catch((e: unknown) => {
      s.nodeAddresses = undefined;
      throw e;
    });
    const nodes = await s.nodeAddresses;
    const row = nodes.get(node);
    if (!row) throw new ProximityError('NOT_FOUND', `Node ${node} is not part of connection "${s.record.name}".`, { details: { node } });
    const atProfile = row.local || nodes.size === 1 || !row.ip;
    return s.pool.get({
      nodeId: `${connectionId}/${node}`,
      host: atProfile ? sshProfile.host : row.ip!,
      port: atProfile ? sshProfile.port : 22,
      user: sshProfile.user,
      auth: this.sshAuth(s.record),
    });
  }

  /**
   * The cluster snapshot for `cluster.get`. Reads Proxmox first (one `GET /cluster/resources`) when nothing was
   * read yet or the state is not ticking (no window visible), so the answer is never older than one tick.
   * A failure to read is the snapshot's `health`, not an error. Throws NOT_FOUND, VALIDATION (nothing pinned).
   */
  async snapshot(connectionId: string, opts: { refresh?: boolean } = {}): Promise<ClusterSnapshot> {
    const s = this.session(connectionId);
    if (opts.refresh || s.state.ticks === 0 || !this.visible) await s.state.refresh();
    return snapshotOf(connectionId, s);
  }

  /** The snapshot as it is now, without asking Proxmox (event publishing). */
  currentSnapshot(connectionId: string): ClusterSnapshot {
    return snapshotOf(connectionId, this.session(connectionId));
  }

  /** Whether a window shows Proximity: visible starts (and ticks) every connection's cluster state, hidden pauses them. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (!visible) {
      for (const s of this.sessions.values()) s.state.setActive(false);
      return;
    }
    for (const c of this.o.connections.list()) this.activate(c.id);
  }

  get isVisible(): boolean {
    return this.visible;
  }

  /** Drops the connection's session (client, SSH connections, cluster state); the next use rebuilds it. */
  async forget(connectionId: string): Promise<void> {
    const s = this.sessions.get(connectionId);
    if (!s) return;
    this.sessions.delete(connectionId);
    s.state.stop();
    await Promise.allSettled([s.client.close(), s.pool.closeAll()]);
  }

  /** Forgets every SSH host key pinned for the connection's nodes (after an SSH re-pin, or removal). */
  async unpinNodes(connectionId: string): Promise<void> {
    for (const nodeId of await this.o.hostKeys.nodeIdsUnder(`${connectionId}/`)) await this.o.hostKeys.delete(nodeId);
  }

  /** Stops every cluster state and closes every client and SSH connection. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    await Promise.allSettled([...this.sessions.keys()].map((id) => this.forget(id)));
  }

  private activate(connectionId: string): void {
    try {
      const s = this.session(connectionId);
      s.state.setActive(true);
    } catch (e) {
      // a connection without a pin or whose secret cannot be read shows up in `cluster.get` / Test connection
      if (!(e instanceof ProximityError)) this.o.logger?.error(`[proxmox] cannot start cluster state of ${connectionId}`, e);
    }
  }

  private session(connectionId: string): Session {
    if (this.closed) throw new ProximityError('INTERNAL', 'Proximity is shutting down.');
    const have = this.sessions.get(connectionId);
    if (have) return have;
    const record = this.o.connections.require(connectionId);
    if (!record.tlsFingerprint) {
      throw new ProximityError('VALIDATION', `Connection "${record.name}" has no pinned TLS fingerprint; probe it and confirm the fingerprint.`);
    }
    const client = new PveClient({
      host: record.host,
      port: record.port,
      fingerprint: record.tlsFingerprint,
      auth: apiAuthOf(record, this.o.connections.revealSecret(connectionId)),
      requestTimeoutMs: this.o.requestTimeoutMs,
    });
    const pool = new NodeSshPool({
      ...this.o.ssh,
      pins: this.o.hostKeys,
      // First contact with a node at the profile's SSH endpoint: the operator confirmed that endpoint's key when
      // adding (or re-pinning) the connection, so exactly that key is accepted and pinned for the node.
      confirmHostKey: async (offer) => {
        const ssh = record.ssh;
        if (!ssh?.hostKeyFingerprint || offer.host !== ssh.host || offer.port !== ssh.port) return false;
        if (offer.fingerprint === ssh.hostKeyFingerprint) return true;
        throw hostKeyMismatchError(offer, { fingerprint: ssh.hostKeyFingerprint, algorithm: 'confirmed', pinnedAt: record.updatedAt });
      },
    });
    const session: Session = { record, client, pool, updatedAtMs: null, state: undefined as unknown as ClusterState };
    session.state = new ClusterState({
      client,
      busyIntervalMs: this.o.busyIntervalMs,
      idleIntervalMs: this.o.idleIntervalMs,
      publish: (change) => {
        if (this.sessions.get(connectionId) !== session) return;
        if (change.kind === 'delta') session.updatedAtMs = change.atMs;
        this.o.events.emit('cluster.changed', { connectionId });
      },
    });
    session.state.start();
    if (this.runningOperations.size > 0) session.state.setBusy(true);
    this.sessions.set(connectionId, session);
    if (this.visible) session.state.setActive(true);
    return session;
  }

  private sshAuth(record: PveConnectionRecord): NodeSshAuth {
    const secret = this.o.connections.revealSshSecret(record.id);
    if (!secret || !record.ssh) throw new ProximityError('VALIDATION', `Connection "${record.name}" has no saved SSH key or password.`);
    return sshAuthOf(record.ssh.authKind, secret);
  }

  private async readNodeAddresses(s: Session): Promise<Map<string, { ip: string | null; local: boolean }>> {
    const rows = await s.client.get((api) => api.cluster.status.$get(), clusterStatusSchema);
    const out = new Map<string, { ip: string | null; local: boolean }>();
    for (const r of rows) if (r.type === 'node' && r.name) out.set(r.name, { ip: r.ip ?? null, local: r.local === 1 });
    return out;
  }
}

function snapshotOf(connectionId: string, s: Session): ClusterSnapshot {
  const st = s.state;
  const placement = new Map(st.placement().map((p) => [p.node, p]));
  const storages = st.storage();
  const h = st.health;
  return {
    connectionId,
    health: st.ticks === 0 ? { status: 'unknown', error: null } : { status: h.status, error: h.error ? { code: h.error.code, message: h.error.message } : null },
    nodes: st.nodes().map((n) => ({
      node: n.node,
      status: n.status,
      cpu: n.cpu,
      maxcpu: n.maxcpu,
      freeCpu: placement.get(n.node)?.freeCpu ?? 0,
      memBytes: n.mem,
      maxmemBytes: n.maxmem,
      freeMemBytes: placement.get(n.node)?.freeMem ?? 0,
      uptimeSeconds: n.uptime,
      storages: storages
        .filter((x) => x.node === n.node)
        .map((x) => ({ storage: x.storage, content: x.content, shared: x.shared, status: x.status, usedBytes: x.used, totalBytes: x.total, freeBytes: Math.max(0, x.total - x.used) })),
    })),
    guests: st.guests().map((g) => ({
      vmid: g.vmid,
      type: g.type,
      node: g.node,
      name: g.name,
      status: g.status,
      lock: g.lock ?? null,
      template: g.template,
      tags: g.tags,
      cpu: g.cpu,
      maxcpu: g.maxcpu,
      memBytes: g.mem,
      maxmemBytes: g.maxmem,
      uptimeSeconds: g.uptime,
    })),
    updatedAt: s.updatedAtMs === null ? null : new Date(s.updatedAtMs).toISOString(),
  };
}
