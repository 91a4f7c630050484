// The seam between the PVE API emulator (which keeps state) and what a running container *is*.
// `virtual` (any OS, no root) invents deterministic addresses; `netns` (Linux + root) makes real network
// namespaces, veths, bridges and processes. The emulator calls these hooks; it never touches the OS itself.

export interface LabNetSpec {
  /** index N of netN */
  index: number;
  /** interface name inside the container (net0 name=eth0) */
  name: string;
  bridge: string;
  /** "dhcp", "manual", or a CIDR such as 10.20.0.1/24 (undefined = unconfigured) */
  ip?: string;
  gw?: string;
  hwaddr: string;
  mtu?: number;
}

export interface LabContainerSpec {
  node: string;
  vmid: number;
  hostname: string;
  nets: LabNetSpec[];
  nameserver?: string;
  searchdomain?: string;
  /** Raw container config (as GET .../config returns it), for backends that need more. */
  config: Record<string, unknown>;
  /** What the node is (package versions, storage of the root disk): the userland's docker stand-in reads it. */
  host?: LabHostFacts;
}

/**
 * Facts about the PVE node a container runs on that decide how Docker behaves inside it (issue 12): the
 * netns backend writes them to `/run/lab/host.json` in the container at every start.
 */
export interface LabHostFacts {
  /** installed lxc-pve, e.g. `6.0.5-2` (older: AppArmor blocks runc >= 1.3.3, CVE-2025-52881) */
  lxcPveVersion: string;
  /** installed zfsutils-linux, e.g. `2.2.8-pve1` */
  zfsVersion: string;
  /** storage type of the root disk: dir, lvmthin, zfspool */
  rootfsStorageType: string;
  /** 1 for an unprivileged container */
  unprivileged: 0 | 1;
  /** the config's `features` string (`nesting=1,keyctl=1`) */
  features: string;
}

export interface LabBridgeSpec {
  node: string;
  iface: string;
  cidr?: string;
  bridgePorts?: string;
}

export interface LabInterfaceInfo {
  name: string;
  hwaddr: string;
  'hardware-address': string;
  inet?: string;
  inet6?: string;
  'ip-addresses': { 'ip-address': string; 'ip-address-type': 'inet' | 'inet6'; prefix: number }[];
}

export interface LabBackend {
  readonly kind: 'virtual' | 'netns';
  /** Prepare node-level resources (for netns: remove leftovers, create the node namespace, vmbr0, upstream). */
  init(nodes: string[]): Promise<void>;
  /** Bridges that exist on a node after a network change was applied (PUT /nodes/{node}/network). */
  applyBridges(node: string, bridges: LabBridgeSpec[]): Promise<void>;
  /** Called by the vzcreate task; the backend may prepare a private root directory. */
  createContainer(spec: LabContainerSpec): Promise<void>;
  startContainer(spec: LabContainerSpec): Promise<void>;
  stopContainer(node: string, vmid: number): Promise<void>;
  destroyContainer(node: string, vmid: number): Promise<void>;
  /** null while stopped, as PVE returns it. Includes `lo`. */
  interfaces(node: string, vmid: number): Promise<LabInterfaceInfo[] | null>;
  /** Remove everything the backend made. */
  close(): Promise<void>;
}
