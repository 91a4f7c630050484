import { generateDnsmasqConfig, type StaticLease } from './dnsmasq-config';
import { generateFirewallRules, generateSysctlConf, type FirewallOptions } from './firewall-rules';
import type { LanPlan } from './network-settings';

/** Where each generated file lives inside the Alpine appliance (the paths its OpenRC services read). */
export const APPLIANCE_PATHS = {
  dnsmasqConf: '/etc/dnsmasq.conf',
  // Alpine's /etc/init.d/iptables restores this at boot (IPTABLES_SAVE in /etc/conf.d/iptables)
  iptablesRules: '/etc/iptables/rules-save',
  sysctlConf: '/etc/sysctl.d/99-proximity.conf',
} as const;

/** One file to put into the appliance: absolute path, content, octal mode string as `pct push --perms` takes it. */
export interface ApplianceFile {
  path: string;
  content: string;
  mode: '0644' | '0600';
}

/**
 * Every generated network file of the appliance for `plan` and the apps' `leases`: dnsmasq.conf, the iptables
 * rules (mode 0600, as `rc-service iptables save` writes them) and the ip_forward sysctl. Throws
 * `NETWORK_CONFIG_INVALID` (see the generators) before anything is returned.
 */
export function applianceNetworkFiles(plan: LanPlan, leases: readonly StaticLease[], firewall: FirewallOptions): ApplianceFile[] {
  return [
    { path: APPLIANCE_PATHS.dnsmasqConf, content: generateDnsmasqConfig(plan, leases), mode: '0644' },
    { path: APPLIANCE_PATHS.iptablesRules, content: generateFirewallRules(plan, firewall), mode: '0600' },
    { path: APPLIANCE_PATHS.sysctlConf, content: generateSysctlConf(), mode: '0644' },
  ];
}
