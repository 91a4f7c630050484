// The `virtual` lab backend: runs anywhere (no root, no namespaces). A started container "gets" a deterministic
// DHCP-style address on each bridge it is attached to and reports it through `interfaces`, exactly in the
// shape PVE's GET .../interfaces returns; nothing touches the OS.
import type { LabBackend, LabBridgeSpec, LabContainerSpec, LabInterfaceInfo, LabNetSpec } from '../backend';

/** Address plan: vmbr0 is the node LAN (198.18.0.0/24); bridges without a host address are Proximity's LAN. */
const VMBR0_PREFIX = '198.18.0';
const ISOLATED_PREFIX = '10.20.0';

function lastOctet(vmid: number): number {
  return 100 + (vmid % 100);
}

/** `a.b.c.d/nn` => the first three octets of its /24 (the lab only uses /24s). */
function prefixOf(cidr: string): string {
  return cidr.split('/')[0].split('.').slice(0, 3).join('.');
}

/** fe80::/64 link-local address from a MAC (EUI-64), as the kernel assigns it. */
export function linkLocal(mac: string): string {
  const b = mac.split(':').map((h) => parseInt(h, 16));
  b[0] ^= 0x02;
  const words = [(b[0] << 8) | b[1], (b[2] << 8) | 0xff, (0xfe << 8) | b[3], (b[4] << 8) | b[5]];
  return `fe80::${words.map((w) => w.toString(16)).join(':')}`;
}

interface Running {
  spec: LabContainerSpec;
}

export interface VirtualBackend extends LabBackend {
  /** what the backend currently believes (for tests) */
  readonly bridges: Map<string, LabBridgeSpec[]>;
  isRunning(node: string, vmid: number): boolean;
}

export function createVirtualBackend(): VirtualBackend {
  const bridges = new Map<string, LabBridgeSpec[]>();
  const created = new Set<string>();
  const running = new Map<string, Running>();
  const key = (node: string, vmid: number) => `${node}/${vmid}`;

  function ipv4For(node: string, vmid: number, net: LabNetSpec): { ip: string; prefix: number } | undefined {
    if (!net.ip || net.ip === 'manual') return undefined;
    if (net.ip !== 'dhcp') {
      const [ip, prefix] = net.ip.split('/');
      return { ip, prefix: Number(prefix ?? 32) };
    }
    if (net.bridge === 'vmbr0') return { ip: `${VMBR0_PREFIX}.${lastOctet(vmid)}`, prefix: 24 };
    const bridge = bridges.get(node)?.find((b) => b.iface === net.bridge);
    const base = bridge?.cidr ? prefixOf(bridge.cidr) : ISOLATED_PREFIX;
    return { ip: `${base}.${lastOctet(vmid)}`, prefix: 24 };
  }

  return {
    kind: 'virtual',
    bridges,
    isRunning: (node, vmid) => running.has(key(node, vmid)),
    async init(nodes) {
      for (const n of nodes) bridges.set(n, [{ node: n, iface: 'vmbr0', cidr: `${VMBR0_PREFIX}.2/24`, bridgePorts: 'eth0' }]);
    },
    async applyBridges(node, list) {
      bridges.set(node, list.map((b) => ({ ...b })));
    },
    async createContainer(spec) {
      created.add(key(spec.node, spec.vmid));
    },
    async startContainer(spec) {
      running.set(key(spec.node, spec.vmid), { spec: structuredClone(spec) });
    },
    async stopContainer(node, vmid) {
      running.delete(key(node, vmid));
    },
    async destroyContainer(node, vmid) {
      running.delete(key(node, vmid));
      created.delete(key(node, vmid));
    },
    async interfaces(node, vmid) {
      const r = running.get(key(node, vmid));
      if (!r) return null;
      const out: LabInterfaceInfo[] = [
        {
          name: 'lo',
          hwaddr: '00:00:00:00:00:00',
          'hardware-address': '00:00:00:00:00:00',
          inet: '127.0.0.1/8',
          inet6: '::1/128',
          'ip-addresses': [
            { 'ip-address': '127.0.0.1', 'ip-address-type': 'inet', prefix: 8 },
            { 'ip-address': '::1', 'ip-address-type': 'inet6', prefix: 128 },
          ],
        },
      ];
      for (const net of r.spec.nets) {
        const mac = net.hwaddr.toLowerCase();
        const v4 = ipv4For(node, vmid, net);
        const ll = linkLocal(mac);
        const info: LabInterfaceInfo = {
          name: net.name,
          hwaddr: mac,
          'hardware-address': mac,
          inet6: `${ll}/64`,
          'ip-addresses': [],
        };
        if (v4) {
          info.inet = `${v4.ip}/${v4.prefix}`;
          info['ip-addresses'].push({ 'ip-address': v4.ip, 'ip-address-type': 'inet', prefix: v4.prefix });
        }
        info['ip-addresses'].push({ 'ip-address': ll, 'ip-address-type': 'inet6', prefix: 64 });
        out.push(info);
      }
      return out;
    },
    async close() {
      running.clear();
      created.clear();
      bridges.clear();
    },
  };
}
