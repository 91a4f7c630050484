import { z } from 'zod';
import { ProximityError } from '../errors';
import { intToIp, ipToInt, parseCidr, prefixToNetmask } from './ipv4';
import { cidrSchema, domainSchema, ifaceNameSchema, ipv4Schema, leaseTimeSchema, parseStrict } from './strict-values';

/**
 * The appliance LAN an operator can configure. Host numbers are offsets inside the subnet (1 = the first usable
 * address), so a /24 other than 10.20.0.0 shifts the appliance address and the DHCP range with it.
 *
 * The bridge is `proxlan`, not the seed's `proximity-lan`: PVE's `pve-iface` format has no `-`
 * (`^[a-z][a-z0-9_]{1,20}([:.]\d+)?$`) and the network API answers 400 to that name.
 */
export const networkSettingsSchema = z
  .object({
    bridge: ifaceNameSchema.default('proxlan'),
    // /16../28: big enough for the appliance plus a DHCP range, small enough to be a LAN
    subnet: cidrSchema.refine((c) => { const p = Number(c.split('/')[1]); return p >= 16 && p <= 28; }, 'prefix must be between /16 and /28').default('10.20.0.0/24'),
    applianceHost: z.number().int().min(1).default(1),
    dhcpFirstHost: z.number().int().min(1).default(100),
    dhcpLastHost: z.number().int().min(1).default(250),
    domain: domainSchema.default('prox.local'),
    leaseTime: leaseTimeSchema.default('12h'),
    // Forwarders for names outside the domain; empty = those the appliance's WAN DHCP lease gave it (resolv.conf).
    upstreamDns: z.array(ipv4Schema).max(8).default([]),
    wanInterface: ifaceNameSchema.default('eth0'),
    lanInterface: ifaceNameSchema.default('eth1'),
  })
  .strict();

export type NetworkSettingsInput = z.input<typeof networkSettingsSchema>;
export type NetworkSettings = z.output<typeof networkSettingsSchema>;

/** Every derived address of the appliance LAN, as dotted quads (all inside `subnet`). */
export interface LanPlan {
  settings: NetworkSettings;
  bridge: string;
  /** `10.20.0.0/24` with host bits cleared */
  subnet: string;
  network: string;
  prefix: number;
  netmask: string;
  broadcast: string;
  /** the appliance's LAN address: the containers' gateway and DNS server */
  applianceAddress: string;
  /** `10.20.0.1/24`, as PVE's `net1: ip=` wants it */
  applianceCidr: string;
  dhcpStart: string;
  dhcpEnd: string;
  domain: string;
}

/** The defaults: bridge `proxlan`, 10.20.0.0/24, appliance .1, DHCP .100-.250, `prox.local`, 12 h leases. */
export const DEFAULT_NETWORK_SETTINGS: NetworkSettings = networkSettingsSchema.parse({});

/**
 * Validates `input` (missing keys take the defaults) and derives the LAN plan.
 * Throws `ProximityError('NETWORK_CONFIG_INVALID')` for a value that fails its strict pattern, a subnet with host
 * bits set (`10.20.0.1/24`), an appliance or
 * DHCP host number outside the subnet, a DHCP range that is reversed or contains the appliance address.
 */
export function planLan(input: NetworkSettingsInput = {}): LanPlan {
  const settings = parseStrict(networkSettingsSchema, input, 'NETWORK_CONFIG_INVALID', 'Network settings');
  const { network, prefix, size, broadcast } = parseCidr(settings.subnet);
  const lastHost = size - 2;
  const bad = (msg: string): never => {
    throw new ProximityError('NETWORK_CONFIG_INVALID', `Network settings refused: ${msg}`, { details: { settings } });
  };
  if (ipToInt(settings.subnet.split('/')[0]!) !== network) bad(`${settings.subnet} has host bits set; the network is ${intToIp(network)}/${prefix}`);
  for (const [k, v] of [['applianceHost', settings.applianceHost], ['dhcpFirstHost', settings.dhcpFirstHost], ['dhcpLastHost', settings.dhcpLastHost]] as const) {
    if (v > lastHost) bad(`${k} ${v} is outside ${settings.subnet} (hosts 1-${lastHost})`);
  }
  if (settings.dhcpFirstHost > settings.dhcpLastHost) bad(`the DHCP range starts (${settings.dhcpFirstHost}) after it ends (${settings.dhcpLastHost})`);
  if (settings.applianceHost >= settings.dhcpFirstHost && settings.applianceHost <= settings.dhcpLastHost) {
    bad(`the appliance address (host ${settings.applianceHost}) lies inside the DHCP range`);
  }
  const appliance = intToIp(network + settings.applianceHost);
  return {
    settings,
    bridge: settings.bridge,
    subnet: `${intToIp(network)}/${prefix}`,
    network: intToIp(network),
    prefix,
    netmask: prefixToNetmask(prefix),
    broadcast: intToIp(broadcast),
    applianceAddress: appliance,
    applianceCidr: `${appliance}/${prefix}`,
    dhcpStart: intToIp(network + settings.dhcpFirstHost),
    dhcpEnd: intToIp(network + settings.dhcpLastHost),
    domain: settings.domain,
  };
}

/** Every address of the plan's DHCP range, lowest first. */
export function dhcpRangeAddresses(plan: LanPlan): string[] {
  const first = ipToInt(plan.dhcpStart);
  return Array.from({ length: ipToInt(plan.dhcpEnd) - first + 1 }, (_, i) => intToIp(first + i));
}
