import { z } from 'zod';
import { DEFAULT_INTERNAL_RANGE, DEFAULT_PUBLIC_RANGE, type PortRange } from '../ports/port-range';
import { GENERATED_HEADER } from './dnsmasq-config';
import type { LanPlan } from './network-settings';
import { ipv4Schema, parseStrict, tcpPortSchema } from './strict-values';

export const firewallOptionsSchema = z
  .object({
    // Every address of the Proxmox node(s) (API 8006, SSH 22, ...): LAN containers get a reject for all of them.
    managementAddresses: z.array(ipv4Schema).max(64),
    publicRange: z.object({ start: tcpPortSchema, end: tcpPortSchema }).strict().default(DEFAULT_PUBLIC_RANGE),
    internalRange: z.object({ start: tcpPortSchema, end: tcpPortSchema }).strict().default(DEFAULT_INTERNAL_RANGE),
  })
  .strict();
export type FirewallOptions = z.input<typeof firewallOptionsSchema>;

/**
 * The appliance's IPv4 rules in `iptables-restore` format (what Alpine's `/etc/init.d/iptables` loads from
 * `/etc/iptables/rules-save` at boot):
 * - nat: MASQUERADE of the LAN subnet out of the WAN interface (the seed's NAT rule, limited to our subnet);
 * - FORWARD policy DROP: established/related pass, LAN -> WAN new connections pass, LAN -> the node's management
 *   addresses are rejected first, so nothing new from the WAN reaches a container except through Caddy;
 * - INPUT from the LAN: only DHCP, DNS, ICMP and the Caddy port ranges (Caddy's admin API is bound to localhost
 *   anyway); INPUT from the WAN: only the Caddy port ranges, ICMP and DHCP-client replies.
 * Throws `ProximityError('NETWORK_CONFIG_INVALID')` if an option fails its strict pattern.
 */
export function generateFirewallRules(plan: LanPlan, options: FirewallOptions): string {
  const o = parseStrict(firewallOptionsSchema, options, 'NETWORK_CONFIG_INVALID', 'Firewall options');
  const wan = plan.settings.wanInterface;
  const lan = plan.settings.lanInterface;
  const ranges = [o.publicRange, o.internalRange].map((r: PortRange) => `${r.start}:${r.end}`);
  const mgmt = [...new Set(o.managementAddresses)].sort();
  return [
    `# ${GENERATED_HEADER}`,
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    `-A POSTROUTING -s ${plan.subnet} -o ${wan} -j MASQUERADE`,
    'COMMIT',
    '*filter',
    ':INPUT ACCEPT [0:0]',
    ':FORWARD DROP [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    '-A INPUT -i lo -j ACCEPT',
    '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    '-A INPUT -p icmp -j ACCEPT',
    `-A INPUT -i ${lan} -p udp --dport 67 -j ACCEPT`,
    `-A INPUT -i ${lan} -p udp --dport 53 -j ACCEPT`,
    `-A INPUT -i ${lan} -p tcp --dport 53 -j ACCEPT`,
    ...ranges.map((r) => `-A INPUT -i ${lan} -p tcp --dport ${r} -j ACCEPT`),
    `-A INPUT -i ${lan} -j REJECT --reject-with icmp-port-unreachable`,
    `-A INPUT -i ${wan} -p udp --sport 67 --dport 68 -j ACCEPT`,
    ...ranges.map((r) => `-A INPUT -i ${wan} -p tcp --dport ${r} -j ACCEPT`),
    `-A INPUT -i ${wan} -j DROP`,
    '-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    ...mgmt.map((ip) => `-A FORWARD -i ${lan} -d ${ip}/32 -j REJECT --reject-with icmp-port-unreachable`),
    `-A FORWARD -i ${lan} -o ${wan} -s ${plan.subnet} -j ACCEPT`,
    'COMMIT',
    '',
  ].join('\n');
}

/** `/etc/sysctl.d/99-proximity.conf`: IPv4 forwarding on, persisted (Alpine's `sysctl` service applies it at boot). */
export function generateSysctlConf(): string {
  return `# ${GENERATED_HEADER}\nnet.ipv4.ip_forward = 1\n`;
}
