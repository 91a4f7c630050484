// How Proximity recognises its own appliance container and what it asks PVE for when creating one.
import type { LanPlan } from '../network/network-settings';

/** PVE tag on the appliance (PVE tags: `[a-z0-9_][a-z0-9_\-+.]*`). */
export const APPLIANCE_TAG = 'proximity-appliance';
/** First line of the appliance's PVE description; together with the tag it marks the guest as ours. */
export const APPLIANCE_DESCRIPTION_MARKER = 'Proximity network appliance (managed by Proximity; do not edit).';
/** The appliance's hostname inside its container. */
export const APPLIANCE_HOSTNAME = 'proximity-appliance';
/** What the appliance installs with apk (Alpine package names); curl probes the proxy's upstreams. */
export const APPLIANCE_PACKAGES = ['dnsmasq', 'caddy', 'iptables', 'curl'] as const;

/**
 * True when a container config is Proximity's appliance: its `tags` list holds `APPLIANCE_TAG` and its
 * description starts with `APPLIANCE_DESCRIPTION_MARKER` (PVE stores descriptions URL-decoded; a trailing
 * newline or more text after the marker is fine). Anything else at the appliance VMID is a foreign guest.
 */
export function isProximityAppliance(config: Record<string, unknown>): boolean {
  const tags = typeof config.tags === 'string' ? config.tags.split(/[;, ]+/) : [];
  const description = typeof config.description === 'string' ? config.description : '';
  return tags.includes(APPLIANCE_TAG) && description.trimStart().startsWith(APPLIANCE_DESCRIPTION_MARKER);
}

/** The appliance's NICs as PVE property strings: eth0 on vmbr0 by DHCP (WAN), eth1 on the LAN bridge with its static address. */
export function applianceNets(plan: LanPlan, wanBridge: string): [string, string] {
  return [
    `name=${plan.settings.wanInterface},bridge=${wanBridge},ip=dhcp`,
    `name=${plan.settings.lanInterface},bridge=${plan.bridge},ip=${plan.applianceCidr}`,
  ];
}

/** The parts of a PVE `netN` property string Proximity decides on (name, bridge, ip); PVE adds hwaddr and type. */
export function netEssentials(value: unknown): string {
  if (typeof value !== 'string') return '';
  const kv = new Map(value.split(',').map((p) => p.split('=', 2) as [string, string]));
  return ['name', 'bridge', 'ip'].map((k) => `${k}=${kv.get(k) ?? ''}`).join(',');
}

/**
 * The newest Alpine template of the appliance index (`GET /nodes/{node}/aplinfo`): the highest `version`
 * (compared numerically, part by part) among `os: alpine` system templates. Undefined when there is none.
 */
export function newestAlpine<T extends { os: string; version: string; template: string }>(index: readonly T[]): T | undefined {
  const parts = (v: string) => v.split(/[.-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : 0));
  const cmp = (a: T, b: T) => {
    const pa = parts(a.version);
    const pb = parts(b.version);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
    return a.template < b.template ? -1 : a.template > b.template ? 1 : 0;
  };
  return index.filter((a) => a.os === 'alpine' && a.template.startsWith('alpine-')).sort(cmp).at(-1);
}
