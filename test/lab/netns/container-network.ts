// A container's NICs: one veth per netN, host side `veth<vmid>i<N>` (PVE's name) on the named bridge in the
// node namespace, container side named by `name=` with `hwaddr` and `mtu`. Static `ip=`/`gw=` are configured
// directly; `ip=dhcp` is answered by whatever DHCP server really serves that bridge, through busybox udhcpc
// running inside the container (kept running for renewals) with the event script below.
import type { LabInterfaceInfo, LabNetSpec } from '../backend';
import { validateIfaceName } from './node-network';
import { ip, ipBatch } from './run';

const MAC_RE = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/;
const CIDR4_RE = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;
const IP4_RE = /^(\d{1,3}\.){3}\d{1,3}$/;

export function hostVethName(vmid: number, index: number): string {
  return `veth${vmid}i${index}`;
}

export function validateNets(vmid: number, nets: LabNetSpec[]): void {
  const seen = new Set<string>();
  for (const n of nets) {
    const label = `net${n.index}`;
    if (!Number.isInteger(n.index) || n.index < 0 || n.index > 31) throw new Error(`invalid NIC index ${n.index}`);
    validateIfaceName(n.name, `${label} name`);
    if (n.name === 'lo' || seen.has(n.name)) throw new Error(`${label}: interface name '${n.name}' is already used`);
    seen.add(n.name);
    validateIfaceName(n.bridge, `${label} bridge`);
    if (hostVethName(vmid, n.index).length > 15) throw new Error(`${label}: vmid ${vmid} too large for a veth name`);
    if (!MAC_RE.test(n.hwaddr)) throw new Error(`${label}: invalid hwaddr '${n.hwaddr}'`);
    if (n.mtu !== undefined && (!Number.isInteger(n.mtu) || n.mtu < 576 || n.mtu > 65535)) {
      throw new Error(`${label}: invalid mtu ${n.mtu}`);
    }
    if (n.ip !== undefined && n.ip !== 'dhcp' && n.ip !== 'manual' && !CIDR4_RE.test(n.ip)) {
      throw new Error(`${label}: invalid ip '${n.ip}'`);
    }
    if (n.gw !== undefined && !IP4_RE.test(n.gw)) throw new Error(`${label}: invalid gw '${n.gw}'`);
  }
}

/** Create the veths and configure static addresses. The container namespace must exist. */
export async function setupLinks(nodeNs: string, ctNs: string, vmid: number, nets: LabNetSpec[]): Promise<void> {
  const nodeLines: string[][] = [];
  const ctLines: string[][] = [['link', 'set', 'lo', 'up']];
  for (const n of nets) {
    const host = hostVethName(vmid, n.index);
    const mtu = n.mtu ? ['mtu', String(n.mtu)] : [];
    nodeLines.push(
      ['link', 'add', host, ...mtu, 'type', 'veth', 'peer', 'name', n.name, 'address', n.hwaddr, ...mtu, 'netns', ctNs],
      ['link', 'set', host, 'master', n.bridge],
      ['link', 'set', host, 'up'],
    );
    ctLines.push(['link', 'set', n.name, 'up']);
    if (n.ip && CIDR4_RE.test(n.ip)) {
      ctLines.push(['addr', 'add', n.ip, 'dev', n.name]);
      if (n.gw) ctLines.push(['route', 'add', 'default', 'via', n.gw, 'dev', n.name, 'onlink']);
    }
  }
  await ipBatch(nodeNs, nodeLines);
  await ipBatch(ctNs, ctLines);
}

/** Remove the veths explicitly: a namespace's devices vanish only when the kernel gets round to freeing it. */
export async function teardownLinks(nodeNs: string, vmid: number, nets: LabNetSpec[]): Promise<void> {
  for (const n of nets) await ip(nodeNs, ['link', 'del', hostVethName(vmid, n.index)], { allowFail: true });
}

/**
 * udhcpc event script (like Alpine's /usr/share/udhcpc/default.script). `keepResolv` is set when the config has
 * nameserver/searchdomain: PVE then owns /etc/resolv.conf and DHCP's DNS option is ignored.
 */
export function udhcpcScript(keepResolv: boolean): string {
  return `#!/bin/sh
# udhcpc event script written by the proximity lab at container start.
KEEP_RESOLV=${keepResolv ? 1 : 0}
state=/run/udhcpc.$interface.addr
case "$1" in
  deconfig)
    ip -4 addr flush dev "$interface"
    ip link set "$interface" up
    rm -f "$state"
    ;;
  bound|renew)
    # The address goes on last: whoever sees the lease (GET .../interfaces, ip addr) can rely on the route and
    # resolv.conf being in place already.
    if [ "$KEEP_RESOLV" = 0 ] && [ -n "$dns" ]; then
      {
        [ -n "$domain" ] && echo "search $domain"
        for d in $dns; do echo "nameserver $d"; done
      } > /etc/resolv.conf.udhcpc && mv -f /etc/resolv.conf.udhcpc /etc/resolv.conf
    fi
    new="$ip/\${mask:-24}"
    [ "$(cat "$state" 2>/dev/null)" = "$new" ] || ip -4 addr flush dev "$interface"
    if [ -n "$router" ]; then
      for r in $router; do ip route replace default via "$r" dev "$interface" onlink && break; done
    fi
    ip addr replace "$new" \${broadcast:+broadcast $broadcast} dev "$interface"
    echo "$new" > "$state"
    ;;
esac
exit 0
`;
}

export function udhcpcArgv(iface: string, script: string, hostname: string): string[] {
  return [
    '/usr/bin/busybox', 'udhcpc',
    '-i', iface,
    '-s', script,
    '-p', `/run/udhcpc.${iface}.pid`,
    '-x', `hostname:${hostname}`,
    // Foreground for up to ~5 s (5 discovers, 1 s apart); then keep trying in the background, as Alpine's
    // ifup does (`udhcpc -b`). After a lease it forks into the background for renewals.
    '-t', '5', '-T', '1', '-A', '3', '-b',
  ];
}

interface IpJsonLink {
  ifname: string;
  address?: string;
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

/** The container's interfaces in the shape of GET /nodes/{node}/lxc/{vmid}/interfaces. */
export async function readInterfaces(ctNs: string): Promise<LabInterfaceInfo[]> {
  const { stdout } = await ip(ctNs, ['-j', 'addr', 'show']);
  const links = JSON.parse(stdout || '[]') as IpJsonLink[];
  return links.map((l) => {
    const hw = l.address ?? '00:00:00:00:00:00';
    const addrs = (l.addr_info ?? [])
      .filter((a) => a.family === 'inet' || a.family === 'inet6')
      .map((a) => ({
        'ip-address': a.local,
        'ip-address-type': a.family as 'inet' | 'inet6',
        prefix: a.prefixlen,
      }));
    const info: LabInterfaceInfo = { name: l.ifname, hwaddr: hw, 'hardware-address': hw, 'ip-addresses': addrs };
    const v4 = addrs.find((a) => a['ip-address-type'] === 'inet');
    const v6 = addrs.find((a) => a['ip-address-type'] === 'inet6');
    if (v4) info.inet = `${v4['ip-address']}/${v4.prefix}`;
    if (v6) info.inet6 = `${v6['ip-address']}/${v6.prefix}`;
    return info;
  });
}
