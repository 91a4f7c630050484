// The in-memory state of the emulated PVE cluster: nodes, their storages and network configuration, the LXC
// guests with their snapshots. Routes read and mutate it; nothing here knows about HTTP.
import { createHash } from 'node:crypto';

import type { HostFailures } from '../host-failures';
import { PveHttpError } from '../types';

export type SchemaVersion = '8.4' | '9.1';

/** The fault queries the cluster routes need (H5a's FaultInjector satisfies this structurally). */
export interface ClusterFaults {
  isGuestLockHeld(vmid: number): boolean;
  /** resolves true once the held lock is released, false after timeoutMs (true at once when not held) */
  waitGuestLockReleased(vmid: number, timeoutMs: number): Promise<boolean>;
  isStorageFull(node: string, storage: string): boolean;
  takeTemplateChecksumFailure(template: string): boolean;
  isNodeOffline(node: string): boolean;
  /** failures of the host itself (template index, corrupt templates, storages, packages, config drift) */
  readonly host: HostFailures;
}

export type ContentType = 'vztmpl' | 'backup' | 'iso' | 'rootdir' | 'images';

export interface Volume {
  volid: string;
  storage: string;
  content: ContentType;
  /** PVE's format identifier: raw, tzst, txz, tgz, tar.zst, ... */
  format: string;
  size: number;
  ctime: number;
  vmid?: number;
  notes?: string;
  protected?: 0 | 1;
  subtype?: 'lxc' | 'qemu';
}

export interface StorageDef {
  id: string;
  type: 'dir' | 'lvmthin' | 'zfspool';
  content: ContentType[];
  total: number;
  /** space used by things the emulator does not model (OS files, thin-pool metadata) */
  baseUsed: number;
  path?: string;
  /** `disable 1` in storage.cfg: listed with enabled 0, refused for new volumes */
  disabled?: boolean;
}

/** One stanza of /etc/network/interfaces, with the fields GET /nodes/{node}/network reports. */
export interface NetIface {
  iface: string;
  type: string;
  method: string;
  autostart?: 0 | 1;
  address?: string;
  netmask?: string;
  cidr?: string;
  gateway?: string;
  bridge_ports?: string;
  bridge_vlan_aware?: 0 | 1;
  bridge_vids?: string;
  mtu?: number;
  comments?: string;
  /** physical NIC (`exists: 1` in PVE's listing) */
  physical?: boolean;
}

export interface NodeNetwork {
  /** /etc/network/interfaces: what is applied */
  applied: Map<string, NetIface>;
  /** /etc/network/interfaces.new: null when nothing is pending */
  pending: Map<string, NetIface> | null;
  /** interfaces that are up (ifreload brings up the `auto` ones) */
  active: Set<string>;
}

export interface NodeState {
  name: string;
  nodeid: number;
  ip: string;
  bootTimeMs: number;
  sslFingerprint?: string;
  maxcpu: number;
  maxmem: number;
  storages: Map<string, StorageDef>;
  /** volumes of this node's (non-shared) storages, by volid */
  volumes: Map<string, Volume>;
  network: NodeNetwork;
}

/** Config values as GET .../config returns them: integers/booleans as numbers, everything else as strings. */
export type GuestConfig = Record<string, string | number>;

export interface Snapshot {
  name: string;
  description: string;
  snaptime: number;
  parent?: string;
  config: GuestConfig;
}

export interface Container {
  vmid: number;
  node: string;
  config: GuestConfig;
  snapshots: Map<string, Snapshot>;
  running: boolean;
  startedAtMs?: number;
  /** volid of the template it was created from (the lab's stand-in for inspecting the rootfs, e.g. systemd version) */
  ostemplate?: string;
  /** lxc-checkpoint -s left a checkpoint (status/suspend); resume restores it */
  checkpointed?: boolean;
}

export interface ClusterState {
  readonly version: SchemaVersion;
  /** pve-manager package version, e.g. 8.4.1 */
  readonly pveVersion: string;
  readonly clusterName?: string;
  readonly nodes: Map<string, NodeState>;
  readonly containers: Map<number, Container>;
  /** wall clock in ms (injectable for deterministic tests) */
  now(): number;
  /** Fill in the real certificate fingerprint (`AB:CD:...`) GET /nodes reports; all nodes when `node` is omitted. */
  setSslFingerprint(fingerprint: string, node?: string): void;
  /** JSON overview for the lab control endpoint's GET /state. */
  summary(): Record<string, unknown>;
}

export interface ClusterStateOptions {
  nodes: string[];
  clusterName?: string;
  schemaVersion: SchemaVersion;
  /** pve-manager version reported by /version (default: 8.4.1 or 9.1.1) */
  pveVersion?: string;
  clock?: () => number;
}

const GiB = 2 ** 30;

export function defaultNetwork(index: number): NodeNetwork {
  const ifaces: NetIface[] = [
    { iface: 'lo', type: 'loopback', method: 'loopback', autostart: 1 },
    { iface: 'eth0', type: 'eth', method: 'manual', physical: true },
    {
      iface: 'vmbr0',
      type: 'bridge',
      method: 'static',
      autostart: 1,
      address: `198.18.0.${2 + index}`,
      netmask: '24',
      cidr: `198.18.0.${2 + index}/24`,
      gateway: '198.18.0.1',
      bridge_ports: 'eth0',
    },
  ];
  return {
    applied: new Map(ifaces.map((i) => [i.iface, i])),
    pending: null,
    active: new Set(['lo', 'eth0', 'vmbr0']),
  };
}

function defaultStorages(): Map<string, StorageDef> {
  const list: StorageDef[] = [
    { id: 'local', type: 'dir', content: ['vztmpl', 'backup', 'iso'], total: 94 * GiB, baseUsed: 9 * GiB, path: '/var/lib/vz' },
    { id: 'local-lvm', type: 'lvmthin', content: ['rootdir', 'images'], total: 348 * GiB, baseUsed: 0 },
  ];
  return new Map(list.map((s) => [s.id, s]));
}

export function createClusterState(opts: ClusterStateOptions): ClusterState {
  if (opts.nodes.length === 0) throw new Error('a cluster needs at least one node');
  const clock = opts.clock ?? Date.now;
  const bootTimeMs = clock() - 3 * 86400_000 - 4242_000;
  const nodes = new Map<string, NodeState>();
  const containers = new Map<number, Container>();
  opts.nodes.forEach((name, i) => {
    nodes.set(name, {
      name,
      nodeid: i + 1,
      ip: `198.18.0.${2 + i}`,
      bootTimeMs: bootTimeMs + i * 61_000,
      maxcpu: 8,
      maxmem: 32 * GiB - 512 * 2 ** 20,
      storages: defaultStorages(),
      volumes: new Map(),
      network: defaultNetwork(i),
    });
  });
  return {
    version: opts.schemaVersion,
    pveVersion: opts.pveVersion ?? (opts.schemaVersion === '9.1' ? '9.1.1' : '8.4.1'),
    clusterName: opts.nodes.length > 1 ? (opts.clusterName ?? 'lab') : opts.clusterName,
    nodes,
    containers,
    now: clock,
    setSslFingerprint(fingerprint, node) {
      for (const n of nodes.values()) if (!node || n.name === node) n.sslFingerprint = fingerprint;
    },
    summary() {
      return {
        nodes: [...nodes.values()].map((n) => ({
          node: n.name,
          volumes: [...n.volumes.keys()].sort(),
          pendingNetwork: n.network.pending !== null,
          activeInterfaces: [...n.network.active].sort(),
        })),
        containers: [...containers.values()].map((c) => ({ vmid: c.vmid, node: c.node, running: c.running, lock: c.config.lock ?? null })),
      };
    },
  };
}

// ---- lookups with PVE's errors --------------------------------------------------------------------------

export function getNode(state: ClusterState, node: string): NodeState {
  const n = state.nodes.get(node);
  if (!n) {
    throw new PveHttpError(500, `hostname lookup '${node}' failed - failed to get address info for: ${node}: Name or service not known`);
  }
  return n;
}

/** PVE's load_config: the guest's config file must exist on *this* node. */
export function getContainer(state: ClusterState, node: string, vmid: number): Container {
  const ct = state.containers.get(vmid);
  if (!ct || ct.node !== node) {
    throw new PveHttpError(500, `Configuration file 'nodes/${node}/lxc/${vmid}.conf' does not exist`);
  }
  return ct;
}

export function getStorage(n: NodeState, storage: string): StorageDef {
  const s = n.storages.get(storage);
  if (!s) throw new PveHttpError(500, `storage '${storage}' does not exist`);
  return s;
}

/** PVE::AbstractConfig check_lock: `CT is locked (create)`. */
export function checkLock(ct: Container): void {
  const lock = ct.config.lock;
  if (lock !== undefined) throw new PveHttpError(500, `CT is locked (${lock})`);
}


// ---- storage accounting ---------------------------------------------------------------------------------

export function storageUsed(n: NodeState, s: StorageDef): number {
  let used = s.baseUsed;
  for (const v of n.volumes.values()) if (v.storage === s.id) used += v.size;
  return Math.min(used, s.total);
}

export function storageAvail(n: NodeState, s: StorageDef): number {
  return s.total - storageUsed(n, s);
}

// ---- config file text and digest ------------------------------------------------------------------------

/** Render like PVE's write_pct_config: description as `#` lines, keys sorted, then `[snapshot]` sections. */
export function configText(config: GuestConfig, snapshots?: Map<string, Snapshot>): string {
  const section = (c: GuestConfig) => {
    let out = '';
    if (c.description !== undefined) {
      for (const l of String(c.description).split('\n')) out += `#${encodeURIComponent(l).replace(/%20/g, ' ')}\n`;
    }
    for (const k of Object.keys(c).sort()) if (k !== 'description') out += `${k}: ${c[k]}\n`;
    return out;
  };
  let text = section(config);
  for (const s of snapshots?.values() ?? []) {
    text += `\n[${s.name}]\n` + section({ ...s.config, ...(s.parent ? { parent: s.parent } : {}), snaptime: s.snaptime });
  }
  return text;
}

/** sha1 of the config file, as PVE reports it in `digest`. */
export function configDigest(ct: Container): string {
  return createHash('sha1').update(configText(ct.config, ct.snapshots)).digest('hex');
}

/** Bytes from a rootfs `size=8G` value (0 when unknown). */
export function rootfsBytes(config: GuestConfig): number {
  const m = /(?:^|,)size=(\d+(?:\.\d+)?)([KMGT])/.exec(String(config.rootfs ?? ''));
  if (!m) return 0;
  return Math.round(parseFloat(m[1]) * { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[m[2] as 'G']);
}

/** Deterministic pseudo-random in [0,1) from a string, for believable but reproducible numbers. */
export function hashUnit(seed: string): number {
  const h = createHash('sha1').update(seed).digest();
  return h.readUInt32BE(0) / 2 ** 32;
}
