// The emulated nodes' networks. Topology (S = slot, p = prefix):
//
//   host ns: p+"h" 198.18.S.254/24 ──┐
//                                     │   p-up (upstream ns): bridge "lan" 198.18.S.1/24 = the LAN switch,
//   p-n0 (node ns): vmbr0 198.18.S.2 ─┤   gateway, DHCP/DNS (dnsmasq), "internet" HTTP on :80
//     port eno1 (veth to the switch)  │
//   p-n1 (node ns): vmbr0 198.18.S.3 ─┘   (one node namespace per emulated node, all on the same L2 LAN)
//
// Each node namespace holds that node's bridges: vmbr0 (always; the node's management address lives on it) and
// the bridges created through the API, which exist only after applyBridges (as after `ifreload` on PVE). The
// host namespace gains only the one veth and its connected /24 route; nothing else in it changes.
import fs from 'node:fs';
import type { LabBridgeSpec } from '../backend';
import { ip, ipBatch, run } from './run';
import type { LabSubnet } from './slots';
import { Upstream } from './upstream';

export const MAX_NODES = 50;
/** Linux interface names are at most 15 bytes (IFNAMSIZ 16 with the NUL). */
const IFACE_RE = /^[A-Za-z][A-Za-z0-9_.-]{0,14}$/;
const NODE_RE = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function labNames(prefix: string) {
  return {
    upstream: `${prefix}-up`,
    node: (index: number) => `${prefix}-n${index}`,
    container: (vmid: number) => `${prefix}-ct${vmid}`,
    hostVeth: `${prefix}h`,
  };
}

/** Linux copies the init namespace's ip_forward into new namespaces; a lab namespace must start with it off. */
export async function ensureNoForwarding(netns: string): Promise<void> {
  if (fs.readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim() === '0') return;
  await run(['ip', 'netns', 'exec', netns, 'sysctl', '-qw', 'net.ipv4.ip_forward=0']);
}

export function validateIfaceName(name: string, what: string): void {
  if (!IFACE_RE.test(name)) {
    throw new Error(`${what} '${name}' is not a valid Linux interface name (letters, digits, _ . -, at most 15)`);
  }
}

export class NodeNetwork {
  private readonly nodes = new Map<string, number>();
  private upstream: Upstream | null = null;
  readonly names: ReturnType<typeof labNames>;

  constructor(
    private readonly prefix: string,
    private readonly subnet: LabSubnet,
    private readonly runDir: string,
  ) {
    this.names = labNames(prefix);
  }

  private base(): string {
    return this.subnet.gateway.split('.').slice(0, 3).join('.');
  }

  managementAddress(node: string): string {
    return `${this.base()}.${2 + this.nodeIndex(node)}`;
  }

  nodeIndex(node: string): number {
    const i = this.nodes.get(node);
    if (i === undefined) throw new Error(`node '${node}' does not exist in this lab`);
    return i;
  }

  nodeNs(node: string): string {
    return this.names.node(this.nodeIndex(node));
  }

  nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  async init(nodes: string[]): Promise<void> {
    if (this.nodes.size > 0) throw new Error('lab network already initialised');
    if (nodes.length === 0 || nodes.length > MAX_NODES) throw new Error(`a lab needs 1..${MAX_NODES} nodes`);
    for (const n of nodes) {
      if (!NODE_RE.test(n)) throw new Error(`invalid node name '${n}'`);
      if (this.nodes.has(n)) throw new Error(`duplicate node name '${n}'`);
      this.nodes.set(n, this.nodes.size);
    }
    const { upstream, hostVeth } = this.names;
    const base = this.base();
    await run(['ip', 'netns', 'add', upstream]);
    await ensureNoForwarding(upstream);
    await ipBatch(upstream, [
      ['link', 'set', 'lo', 'up'],
      ['link', 'add', 'lan', 'type', 'bridge'],
      ['link', 'set', 'lan', 'up'],
      ['addr', 'add', `${this.subnet.gateway}/24`, 'dev', 'lan'],
    ]);
    await ip(null, ['link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', 'host', 'netns', upstream]);
    await ipBatch(upstream, [
      ['link', 'set', 'host', 'master', 'lan'],
      ['link', 'set', 'host', 'up'],
    ]);
    await ipBatch(null, [
      ['addr', 'add', `${this.subnet.host}/24`, 'dev', hostVeth],
      ['link', 'set', hostVeth, 'up'],
    ]);
    await Promise.all(nodes.map((n, i) => this.initNode(n, i)));
    const hosts = Object.fromEntries(nodes.map((n, i) => [`${n}.lab`, `${base}.${2 + i}`]));
    this.upstream = await Upstream.start({
      prefix: this.prefix,
      netns: upstream,
      iface: 'lan',
      subnet: this.subnet,
      runDir: this.runDir,
      hosts,
    });
  }

  private async initNode(node: string, index: number): Promise<void> {
    const ns = this.names.node(index);
    await run(['ip', 'netns', 'add', ns]);
    await ensureNoForwarding(ns);
    await ipBatch(ns, [
      ['link', 'set', 'lo', 'up'],
      ['link', 'add', 'vmbr0', 'type', 'bridge'],
      ['link', 'set', 'vmbr0', 'up'],
      ['addr', 'add', `${this.managementAddress(node)}/24`, 'dev', 'vmbr0'],
      ['link', 'add', 'eno1', 'type', 'veth', 'peer', 'name', `n${index}`, 'netns', this.names.upstream],
      ['link', 'set', 'eno1', 'master', 'vmbr0'],
      ['link', 'set', 'eno1', 'up'],
      ['route', 'add', 'default', 'via', this.subnet.gateway],
    ]);
    await ipBatch(this.names.upstream, [
      ['link', 'set', `n${index}`, 'master', 'lan'],
      ['link', 'set', `n${index}`, 'up'],
    ]);
  }

  async bridges(node: string): Promise<Map<string, string[]>> {
    const { stdout } = await ip(this.nodeNs(node), ['-j', 'addr', 'show', 'type', 'bridge']);
    const list = JSON.parse(stdout || '[]') as {
      ifname: string;
      addr_info?: { family: string; local: string; prefixlen: number }[];
    }[];
    return new Map(
      list.map((l) => [
        l.ifname,
        (l.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`),
      ]),
    );
  }

  async bridgeExists(node: string, bridge: string): Promise<boolean> {
    return (await this.bridges(node)).has(bridge);
  }

  /**
   * Make the node's bridges match `specs` (vmbr0 always stays, with its management address). A bridge's
   * `cidr` becomes the node's address on it, as /etc/network/interfaces would configure. bridge_ports are not
   * emulated (the lab has no physical NICs besides vmbr0's uplink).
   */
  async applyBridges(node: string, specs: LabBridgeSpec[]): Promise<void> {
    const ns = this.nodeNs(node);
    const wanted = new Map<string, string | undefined>();
    for (const s of specs) {
      if (s.node !== node) throw new Error(`bridge ${s.iface} belongs to node ${s.node}, not ${node}`);
      if (s.iface === 'vmbr0') continue;
      validateIfaceName(s.iface, 'bridge');
      if (s.iface === 'eno1' || s.iface === 'lo' || /^veth\d/.test(s.iface)) {
        throw new Error(`bridge name '${s.iface}' is reserved on the lab node`);
      }
      if (s.cidr !== undefined && !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(s.cidr)) {
        throw new Error(`bridge ${s.iface}: invalid cidr '${s.cidr}'`);
      }
      wanted.set(s.iface, s.cidr);
    }
    const current = await this.bridges(node);
    const lines: string[][] = [];
    for (const name of current.keys()) {
      if (name !== 'vmbr0' && !wanted.has(name)) lines.push(['link', 'del', name]);
    }
    for (const [name, cidr] of wanted) {
      const have = current.get(name);
      if (!have) lines.push(['link', 'add', name, 'type', 'bridge'], ['link', 'set', name, 'up']);
      const stale = (have ?? []).filter((a) => a !== cidr);
      for (const a of stale) lines.push(['addr', 'del', a, 'dev', name]);
      if (cidr && !(have ?? []).includes(cidr)) lines.push(['addr', 'add', cidr, 'dev', name]);
    }
    await ipBatch(ns, lines);
  }

  async close(): Promise<void> {
    const up = this.upstream;
    this.upstream = null;
    if (up) await up.stop();
  }
}
