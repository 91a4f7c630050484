// The `netns` LabBackend: real network namespaces, veths, bridges and processes (Linux, root). See
// node-network.ts for the topology and containers.ts for what a container is. Everything this backend makes
// carries its prefix (`pxl<slot>`): namespaces `<prefix>-*`, the host veth `<prefix>h`, the run directory
// `/run/proximity-lab/<prefix>` and the command lines of its processes; close() removes all of it.
import fs from 'node:fs';
import path from 'node:path';
import type { LabBackend, LabBridgeSpec, LabContainerSpec, LabInterfaceInfo } from '../backend';
import { cleanupPrefix, removeRunDir, RUN_DIR_MARKER } from './cleanup';
import type { ExecOptions } from './container-runtime';
import { Containers } from './containers';
import { ManagementRelays, type ManagementTarget } from './management';
import { NetworkFaults } from './network-faults';
import { NodeNetwork } from './node-network';
import { acquireSlot, type LabSubnet, type SlotLease } from './slots';

export type { LabSubnet } from './slots';
export type { ExecOptions } from './container-runtime';
export type { ManagementTarget } from './management';

export interface NetnsBackendOptions {
  /** take exactly this slot (throws if a live process holds it); default: the first free one */
  slot?: number;
  /** directory bound read-only onto /usr/local/bin in every container (the lab userland) */
  userlandBinDir: string;
  /** directory this backend owns entirely (created, deleted on close); default /run/proximity-lab/<prefix> */
  runDir?: string;
  /** tree copied over each new container's root at createContainer (the "template"); default: none */
  templateDir?: string;
}

export interface NetnsBackend extends LabBackend {
  readonly kind: 'netns';
  readonly slot: number;
  /** e.g. `pxl0` */
  readonly prefix: string;
  readonly subnet: LabSubnet;
  readonly runDir: string;
  /** The node's management address on vmbr0 answers on `port`, relaying to a host loopback TCP port. */
  exposeOnManagement(port: number, target: ManagementTarget, node?: string): Promise<void>;
  /** 198.18.S.2 for the first node, .3 for the second, ... */
  managementAddress(node?: string): string;
  /** argv to spawn on the host (as root) that runs `argv` inside the running container. */
  containerExecArgv(node: string, vmid: number, argv: string[], opts?: ExecOptions): string[];
  /** Host path of `insidePath` in the container's private tree (for pct push/pull). */
  containerPath(node: string, vmid: number, insidePath: string): string;
  isRunning(node: string, vmid: number): boolean;
  /** Resolves when the container's DHCP clients and /usr/local/bin/lab-boot (if any) have finished. */
  waitBooted(node: string, vmid: number, timeoutMs?: number): Promise<void>;
  /** Network namespace names, for tests and tools (`ip netns exec <ns> ...`). */
  nodeNetns(node?: string): string;
  containerNetns(node: string, vmid: number): string | null;
  readonly upstreamNetns: string;
  /** LAN failures (upstream DNS down, internet down, stale resolv.conf) applied for real; see network-faults.ts */
  readonly networkFaults: NetworkFaults;
}

class NetnsLab implements NetnsBackend {
  readonly kind = 'netns' as const;
  readonly slot: number;
  readonly prefix: string;
  readonly subnet: LabSubnet;
  readonly runDir: string;
  private readonly lease: SlotLease;
  private readonly network: NodeNetwork;
  private readonly containers: Containers;
  private readonly relays: ManagementRelays;
  /** failures of the LAN (upstream DNS, internet, stale resolv.conf): issue 12, failure 4 */
  readonly networkFaults: NetworkFaults;
  private closed: Promise<void> | null = null;
  private initialised = false;

  constructor(opts: NetnsBackendOptions) {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) {
      throw new Error('the netns lab backend needs Linux and root');
    }
    if (!opts.userlandBinDir || !fs.statSync(opts.userlandBinDir, { throwIfNoEntry: false })?.isDirectory()) {
      throw new Error(`userlandBinDir '${opts.userlandBinDir}' is not a directory`);
    }
    const runDir = opts.runDir ? path.resolve(opts.runDir) : undefined;
    if (runDir && fs.existsSync(runDir) && fs.readdirSync(runDir).length > 0 && !fs.existsSync(path.join(runDir, RUN_DIR_MARKER))) {
      throw new Error(`runDir '${runDir}' is not empty and was not made by the lab; refusing to use it`);
    }
    this.lease = acquireSlot({ slot: opts.slot, runDir });
    this.slot = this.lease.slot;
    this.prefix = this.lease.prefix;
    this.subnet = this.lease.subnet;
    this.runDir = this.lease.runDir;
    this.network = new NodeNetwork(this.prefix, this.subnet, this.runDir);
    const lanBase = this.subnet.gateway.split('.').slice(0, 3).join('.');
    this.networkFaults = new NetworkFaults(() => this.network.names.upstream, this.subnet.gateway, `${lanBase}.53`);
    this.containers = new Containers(
      {
        prefix: this.prefix,
        runDir: this.runDir,
        userlandBinDir: path.resolve(opts.userlandBinDir),
        templateDir: opts.templateDir ? path.resolve(opts.templateDir) : undefined,
        gateway: this.subnet.gateway,
        staleResolver: () => this.networkFaults.staleResolver(),
      },
      this.network,
    );
    this.relays = new ManagementRelays(this.prefix, this.runDir);
  }

  get upstreamNetns(): string {
    return this.network.names.upstream;
  }

  async init(nodes: string[]): Promise<void> {
    if (this.closed) throw new Error('lab backend is closed');
    if (this.initialised) throw new Error('lab backend already initialised');
    this.initialised = true;
    // Whatever a crashed run with this prefix left behind goes first.
    for (const dir of this.lease.leftoverRunDirs) await cleanupPrefix(this.prefix, dir);
    await cleanupPrefix(this.prefix, this.runDir);
    fs.mkdirSync(this.runDir, { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(this.runDir, RUN_DIR_MARKER), `${process.pid}\n`);
    await this.network.init(nodes);
  }

  applyBridges(node: string, bridges: LabBridgeSpec[]): Promise<void> {
    return this.network.applyBridges(node, bridges);
  }

  createContainer(spec: LabContainerSpec): Promise<void> {
    return this.containers.create(spec);
  }

  startContainer(spec: LabContainerSpec): Promise<void> {
    return this.containers.start(spec);
  }

  stopContainer(node: string, vmid: number): Promise<void> {
    return this.containers.stop(node, vmid);
  }

  destroyContainer(node: string, vmid: number): Promise<void> {
    return this.containers.destroy(node, vmid);
  }

  interfaces(node: string, vmid: number): Promise<LabInterfaceInfo[] | null> {
    return this.containers.interfaces(node, vmid);
  }

  private firstNode(node?: string): string {
    const n = node ?? this.network.nodeNames()[0];
    if (!n) throw new Error('lab backend is not initialised');
    return n;
  }

  managementAddress(node?: string): string {
    return this.network.managementAddress(this.firstNode(node));
  }

  nodeNetns(node?: string): string {
    return this.network.nodeNs(this.firstNode(node));
  }

  containerNetns(node: string, vmid: number): string | null {
    return this.containers.netns(node, vmid);
  }

  exposeOnManagement(port: number, target: ManagementTarget, node?: string): Promise<void> {
    const n = this.firstNode(node);
    return this.relays.expose(this.network.nodeNs(n), this.network.nodeIndex(n), this.network.managementAddress(n), port, target);
  }

  containerExecArgv(node: string, vmid: number, argv: string[], opts?: ExecOptions): string[] {
    return this.containers.execArgv(node, vmid, argv, opts);
  }

  containerPath(node: string, vmid: number, insidePath: string): string {
    return this.containers.path(node, vmid, insidePath);
  }

  isRunning(node: string, vmid: number): boolean {
    return this.containers.isRunning(node, vmid);
  }

  waitBooted(node: string, vmid: number, timeoutMs?: number): Promise<void> {
    return this.containers.waitBooted(node, vmid, timeoutMs);
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      try {
        await this.containers.stopAll();
        await this.relays.close();
        await this.network.close();
        await cleanupPrefix(this.prefix, this.runDir);
        removeRunDir(this.runDir);
      } finally {
        this.lease.release();
      }
    })();
    return this.closed;
  }
}

export function createNetnsBackend(opts: NetnsBackendOptions): NetnsBackend {
  return new NetnsLab(opts);
}
