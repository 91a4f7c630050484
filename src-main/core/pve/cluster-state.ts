// Live state of one Proxmox VE connection: nodes, guests and storage from ONE `GET /cluster/resources` per tick,
// the way the PVE web UI keeps its resource tree (pve-manager www/manager6/data/ResourceStore.js), never a call
// per guest. It ticks faster while operations run, slower when idle, not at all while no window shows it, and
// publishes only what changed (a "significant" projection: status, lock, name, sizes, and load in 1 % steps, so
// numbers jittering below that do not wake the UI every tick).
//
// An offline node is data, not a failure: corosync reports it `status: offline` (its guests and storage then read
// `unknown`), and when the node we talk to cannot reach the cluster the request fails with 595/596.
import { ProximityError } from '../errors';
import { clusterResources, type ClusterResource } from './nodes';
import type { PveClient } from './pve-client';

/** A node as corosync sees it (`unknown`: no data yet). */
export type NodeHealth = 'online' | 'offline' | 'unknown';

/** A node's row of /cluster/resources. */
export interface NodeSnapshot {
  node: string;
  status: NodeHealth;
  /** CPU load 0..1 of `maxcpu` cores */
  cpu: number;
  maxcpu: number;
  /** bytes */
  mem: number;
  maxmem: number;
  /** root filesystem, bytes */
  disk: number;
  maxdisk: number;
  /** seconds */
  uptime: number;
}

/** A guest's row of /cluster/resources (bytes, cpu 0..1 of `maxcpu`, uptime s). */
export interface GuestSnapshot {
  vmid: number;
  type: 'lxc' | 'qemu';
  node: string;
  name: string;
  /** running / stopped, or `unknown` while its node is offline */
  status: string;
  /** the config lock (create, backup, snapshot, ...) while an operation holds it */
  lock?: string;
  template: boolean;
  tags: string[];
  cpu: number;
  maxcpu: number;
  mem: number;
  maxmem: number;
  disk: number;
  maxdisk: number;
  uptime: number;
}

/** A storage's row of /cluster/resources, per node. */
export interface StorageSnapshot {
  /** `<node>/<storage>` */
  key: string;
  node: string;
  storage: string;
  status: string;
  plugintype?: string;
  content: string[];
  shared: boolean;
  /** bytes */
  used: number;
  total: number;
}

/** What changed since the previous tick. Guests are keyed by vmid (unique in a cluster). */
export interface ClusterDelta {
  nodes: { upserted: NodeSnapshot[]; removed: string[] };
  guests: { upserted: GuestSnapshot[]; removed: number[] };
  storage: { upserted: StorageSnapshot[]; removed: string[] };
}

/** Whether the connection's API answers: `ok`, or why not (the last known state stays as it was). */
export interface ClusterHealth {
  status: 'ok' | 'unreachable' | 'auth-failed' | 'error';
  error?: { code: string; message: string };
}

/** What ClusterState publishes: a delta of the cluster, or a change of the API's health. */
export type ClusterStateChange = { kind: 'delta'; delta: ClusterDelta; atMs: number } | { kind: 'health'; health: ClusterHealth; atMs: number };

/** Where a container could go: a node's free capacity. */
export interface NodePlacement {
  node: string;
  /** cores not in use: maxcpu * (1 - cpu) */
  freeCpu: number;
  maxcpu: number;
  /** bytes */
  freeMem: number;
  storages: { storage: string; content: string[]; shared: boolean; free: number; total: number }[];
}

/** Construction options of ClusterState. */
export interface ClusterStateOptions {
  client: PveClient;
  /** receives each change (wired to the core event emitter by the caller) */
  publish: (change: ClusterStateChange) => void;
  /** tick while operations run (default 1000 ms) */
  busyIntervalMs?: number;
  /** tick when idle (default 5000 ms) */
  idleIntervalMs?: number;
}

const pct = (v: number, of: number) => (of > 0 ? Math.round((v / of) * 100) : 0);

function nodeOf(r: ClusterResource): NodeSnapshot {
  const status: NodeHealth = r.status === 'online' ? 'online' : r.status === 'offline' ? 'offline' : 'unknown';
  return { node: r.node ?? r.id.slice(5), status, cpu: r.cpu ?? 0, maxcpu: r.maxcpu ?? 0, mem: r.mem ?? 0, maxmem: r.maxmem ?? 0, disk: r.disk ?? 0, maxdisk: r.maxdisk ?? 0, uptime: r.uptime ?? 0 };
}

function guestOf(r: ClusterResource): GuestSnapshot {
  const g: GuestSnapshot = {
    vmid: r.vmid ?? Number(r.id.split('/')[1]),
    type: r.type === 'qemu' ? 'qemu' : 'lxc',
    node: r.node ?? '',
    name: r.name ?? '',
    status: r.status ?? 'unknown',
    template: r.template === 1,
    tags: r.tags ? r.tags.split(/[;,\s]+/).filter(Boolean) : [],
    cpu: r.cpu ?? 0,
    maxcpu: r.maxcpu ?? 0,
    mem: r.mem ?? 0,
    maxmem: r.maxmem ?? 0,
    disk: r.disk ?? 0,
    maxdisk: r.maxdisk ?? 0,
    uptime: r.uptime ?? 0,
  };
  if (r.lock) g.lock = r.lock;
  return g;
}

function storageOf(r: ClusterResource): StorageSnapshot {
  const node = r.node ?? '';
  const storage = r.storage ?? r.id.split('/').pop()!;
  return { key: `${node}/${storage}`, node, storage, status: r.status ?? 'unknown', plugintype: r.plugintype, content: r.content ? r.content.split(',') : [], shared: r.shared === 1, used: r.disk ?? 0, total: r.maxdisk ?? 0 };
}

const sameLoad = (a: number, b: number) => Math.round(a * 100) === Math.round(b * 100);
const sameShare = (a: number, ofA: number, b: number, ofB: number) => pct(a, ofA) === pct(b, ofB);

const sameNode = (a: NodeSnapshot, b: NodeSnapshot) =>
  a.status === b.status && a.maxcpu === b.maxcpu && a.maxmem === b.maxmem && a.maxdisk === b.maxdisk &&
  sameLoad(a.cpu, b.cpu) && sameShare(a.mem, a.maxmem, b.mem, b.maxmem) && sameShare(a.disk, a.maxdisk, b.disk, b.maxdisk);

const sameGuest = (a: GuestSnapshot, b: GuestSnapshot) =>
  a.node === b.node && a.name === b.name && a.status === b.status && a.lock === b.lock && a.template === b.template &&
  a.tags.length === b.tags.length && a.tags.every((t, i) => t === b.tags[i]) &&
  a.maxcpu === b.maxcpu && a.maxmem === b.maxmem && a.maxdisk === b.maxdisk && sameLoad(a.cpu, b.cpu) &&
  sameShare(a.mem, a.maxmem, b.mem, b.maxmem) && sameShare(a.disk, a.maxdisk, b.disk, b.maxdisk) && a.uptime > 0 === b.uptime > 0;

const sameStorage = (a: StorageSnapshot, b: StorageSnapshot) =>
  a.status === b.status && a.shared === b.shared && a.total === b.total && a.content.join(',') === b.content.join(',') &&
  sameShare(a.used, a.total, b.used, b.total);

/**
 * A keyed table that reports upserts/removals against the previous tick. Two rows are "the same" when they
 * agree on what an operator would notice (`same`), so sub-percent jitter publishes nothing; the stored row is
 * always the latest.
 */
class Table<K, V> {
  readonly rows = new Map<K, V>();
  constructor(private readonly same: (a: V, b: V) => boolean) {}
  update(next: Map<K, V>): { upserted: V[]; removed: K[] } {
    const upserted: V[] = [];
    const removed: K[] = [];
    for (const [k, v] of next) {
      const prev = this.rows.get(k);
      if (!prev || !this.same(prev, v)) upserted.push(v);
      this.rows.set(k, v);
    }
    for (const k of this.rows.keys()) {
      if (!next.has(k)) {
        removed.push(k);
        this.rows.delete(k);
      }
    }
    return { upserted, removed };
  }
  values(): V[] {
    return [...this.rows.values()];
  }
}

/** The live state of one connection. Call `start()`, then `setActive(true)` while a window shows it. */
export class ClusterState {
  private readonly nodeTable = new Table<string, NodeSnapshot>(sameNode);
  private readonly guestTable = new Table<number, GuestSnapshot>(sameGuest);
  private readonly storageTable = new Table<string, StorageSnapshot>(sameStorage);
  private healthNow: ClusterHealth = { status: 'ok' };
  private running = false;
  private active = false;
  private busy = 0;
  private timer?: NodeJS.Timeout;
  private nextAt = 0;
  private inflight?: Promise<void>;
  private readonly busyMs: number;
  private readonly idleMs: number;
  /** ticks done (the bench and tests read it) */
  ticks = 0;

  constructor(private readonly opts: ClusterStateOptions) {
    this.busyMs = opts.busyIntervalMs ?? 1000;
    this.idleMs = opts.idleIntervalMs ?? 5000;
  }

  /** Starts ticking (only while active). */
  start(): void {
    this.running = true;
    this.schedule(0);
  }

  /** Stops ticking; a tick in flight still finishes and publishes. */
  stop(): void {
    this.running = false;
    this.clearTimer();
  }

  /** Whether a window shows this connection: inactive pauses the ticks; becoming active ticks at once. */
  setActive(active: boolean): void {
    if (this.active === active) return;
    this.active = active;
    if (active) this.schedule(0);
    else this.clearTimer();
  }

  /**
   * Marks an operation as running (faster ticks) until the returned function is called. Nested calls count.
   */
  beginBusy(): () => void {
    this.busy++;
    this.schedule(this.busyMs);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      // setBusy(false) may have cleared the count already: never below zero
      this.busy = Math.max(0, this.busy - 1);
    };
  }

  /** `setBusy(true/false)` for callers that track one flag themselves. */
  setBusy(busy: boolean): void {
    if (busy && this.busy === 0) this.beginBusy();
    else if (!busy && this.busy > 0) this.busy = 0;
  }

  get interval(): number {
    return this.busy > 0 ? this.busyMs : this.idleMs;
  }

  /** ms until the next scheduled tick, undefined while paused (stopped or inactive). */
  nextTickInMs(): number | undefined {
    return this.timer ? Math.max(0, this.nextAt - Date.now()) : undefined;
  }

  get health(): ClusterHealth {
    return this.healthNow;
  }

  nodes(): NodeSnapshot[] {
    return this.nodeTable.values();
  }

  guests(): GuestSnapshot[] {
    return this.guestTable.values();
  }

  guest(vmid: number): GuestSnapshot | undefined {
    return this.guestTable.rows.get(vmid);
  }

  storage(): StorageSnapshot[] {
    return this.storageTable.values();
  }

  /**
   * Online nodes with free CPU (cores), memory (bytes) and storage (bytes) per enabled storage, most free memory
   * first: the input of container placement.
   */
  placement(): NodePlacement[] {
    const storages = this.storage();
    return this.nodes()
      .filter((n) => n.status === 'online')
      .map((n) => ({
        node: n.node,
        freeCpu: Math.max(0, n.maxcpu * (1 - n.cpu)),
        maxcpu: n.maxcpu,
        freeMem: Math.max(0, n.maxmem - n.mem),
        storages: storages
          .filter((s) => s.node === n.node && s.status === 'available')
          .map((s) => ({ storage: s.storage, content: s.content, shared: s.shared, free: Math.max(0, s.total - s.used), total: s.total })),
      }))
      .sort((a, b) => b.freeMem - a.freeMem);
  }

  /**
   * One tick now (also between scheduled ones, e.g. right after an operation changed something): ONE
   * `GET /cluster/resources`, then publish what changed. Never throws: a failure becomes a health change.
   */
  refresh(): Promise<void> {
    this.inflight ??= this.tick().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async tick(): Promise<void> {
    let rows: ClusterResource[];
    try {
      rows = await clusterResources(this.opts.client);
    } catch (e) {
      this.setHealth(healthOf(e));
      return;
    } finally {
      this.ticks++;
      if (this.running && this.active) this.schedule(this.interval);
    }
    this.setHealth({ status: 'ok' });
    this.apply(rows);
  }

  /** Applies one /cluster/resources answer and publishes the delta (exposed for tests of the diff). */
  apply(rows: ClusterResource[]): ClusterDelta | undefined {
    const nodes = new Map<string, NodeSnapshot>();
    const guests = new Map<number, GuestSnapshot>();
    const storage = new Map<string, StorageSnapshot>();
    for (const r of rows) {
      if (r.type === 'node') {
        const n = nodeOf(r);
        nodes.set(n.node, n);
      } else if (r.type === 'lxc' || r.type === 'qemu') {
        const g = guestOf(r);
        guests.set(g.vmid, g);
      } else if (r.type === 'storage') {
        const s = storageOf(r);
        storage.set(s.key, s);
      }
    }
    const delta: ClusterDelta = { nodes: this.nodeTable.update(nodes), guests: this.guestTable.update(guests), storage: this.storageTable.update(storage) };
    const empty = [delta.nodes, delta.guests, delta.storage].every((d) => d.upserted.length === 0 && d.removed.length === 0);
    if (empty) return undefined;
    this.opts.publish({ kind: 'delta', delta, atMs: Date.now() });
    return delta;
  }

  private setHealth(h: ClusterHealth): void {
    if (h.status === this.healthNow.status && h.error?.code === this.healthNow.error?.code) return;
    this.healthNow = h;
    this.opts.publish({ kind: 'health', health: h, atMs: Date.now() });
  }

  /** Ticks in `ms` unless one is already due sooner. */
  private schedule(ms: number): void {
    if (!this.running || !this.active) return;
    const at = Date.now() + ms;
    if (this.timer && this.nextAt <= at) return;
    this.clearTimer();
    this.nextAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, ms);
    this.timer.unref?.();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function healthOf(e: unknown): ClusterHealth {
  const pe = e instanceof ProximityError ? e : new ProximityError('INTERNAL', String((e as Error)?.message ?? e), { cause: e });
  const error = { code: pe.code, message: pe.message };
  if (pe.code === 'PVE_AUTH_FAILED' || pe.code === 'PVE_PERMISSION_DENIED') return { status: 'auth-failed', error };
  if (pe.code === 'PVE_UNREACHABLE' || pe.code === 'PVE_NODE_OFFLINE' || pe.code === 'PVE_TIMEOUT' || pe.code === 'TLS_FINGERPRINT_MISMATCH') return { status: 'unreachable', error };
  return { status: 'error', error };
}
