// Commands inside the appliance (`pct exec <vmid> -- <argv>` over the node's SSH): the CommandExecutor the
// config swaps and the reverse proxy use, and the OpenRC facts the provisioner and the health checks read.
import type { CommandExecutor, CommandResult } from '../network/command-executor';
import { pctExec, type RemoteExec } from '../ssh/pct-commands';

/** The appliance's OpenRC services Proximity manages, with the runlevel each is enabled in. */
export const APPLIANCE_SERVICES = [
  { name: 'sysctl', runlevel: 'boot' },
  { name: 'iptables', runlevel: 'default' },
  { name: 'dnsmasq', runlevel: 'default' },
  { name: 'caddy', runlevel: 'default' },
] as const;

/** Services that run as daemons (their state is watched by the health monitor and can be restarted). */
export const DAEMONS = ['dnsmasq', 'caddy'] as const;
export type ApplianceDaemon = (typeof DAEMONS)[number];

/** `rc-service <svc> status` as OpenRC reports it (exit 0 started, 3 stopped, 32 crashed); `unknown` otherwise. */
export type ServiceState = 'started' | 'stopped' | 'crashed' | 'unknown';

/** Where each daemon's log lives inside the appliance (the OpenRC scripts' `output_log`). */
export const SERVICE_LOGS: Record<ApplianceDaemon, string> = { dnsmasq: '/var/log/dnsmasq.log', caddy: '/var/log/caddy.log' };

/** dnsmasq's lease database on Alpine. */
export const LEASE_FILE = '/var/lib/misc/dnsmasq.leases';

/**
 * A CommandExecutor that runs argv inside container `vmid` through `pctExec` (never throws on a non-zero exit:
 * the code comes back in the result). `signal` aborts the remote command (SSH layer: the run is TERMed).
 * SSH failures (unreachable, auth, timeout) are thrown as the SSH layer's ProximityErrors.
 */
export function applianceExecutor(ssh: RemoteExec, vmid: number, signal?: AbortSignal): CommandExecutor {
  return {
    async exec(argv, opts = {}): Promise<CommandResult> {
      const r = await pctExec(ssh, vmid, argv, { check: false, stdin: opts.stdin, timeoutMs: opts.timeoutMs ?? 60_000, signal });
      return { code: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
  };
}

// Fixed script; service names arrive as "$@". Prints `<svc> <state> <runlevel-or-none>` per service, then
// `ip_forward <0|1>` and `nat <0|1>` (whether a MASQUERADE rule is loaded).
const FACTS_SCRIPT = [
  'for s in "$@"; do',
  '  rc-service "$s" status >/dev/null 2>&1; c=$?',
  '  case $c in 0) st=started;; 3) st=stopped;; 32) st=crashed;; *) st=unknown;; esac',
  '  lv=none; for l in sysinit boot default; do [ -e "/etc/runlevels/$l/$s" ] && lv=$l; done',
  '  echo "$s $st $lv"',
  'done',
  'echo "ip_forward $(cat /proc/sys/net/ipv4/ip_forward 2>/dev/null || echo 0)"',
  'if iptables -t nat -S POSTROUTING 2>/dev/null | grep -q MASQUERADE; then echo "nat 1"; else echo "nat 0"; fi',
].join('\n');

/** What FACTS_SCRIPT reports. */
export interface ApplianceFacts {
  services: Record<string, { state: ServiceState; runlevel: string | null }>;
  ipForward: boolean;
  natRule: boolean;
}

/** Reads every managed service's state and runlevel, ip_forward and the NAT rule in one round trip. */
export async function readApplianceFacts(exec: CommandExecutor): Promise<ApplianceFacts> {
  const r = await exec.exec(['sh', '-c', FACTS_SCRIPT, 'facts', ...APPLIANCE_SERVICES.map((s) => s.name)], { timeoutMs: 30_000 });
  const facts: ApplianceFacts = { services: {}, ipForward: false, natRule: false };
  for (const line of r.stdout.split('\n')) {
    const [k, a, b] = line.trim().split(/\s+/);
    if (k === 'ip_forward') facts.ipForward = a === '1';
    else if (k === 'nat') facts.natRule = a === '1';
    else if (k && a) facts.services[k] = { state: (['started', 'stopped', 'crashed'].includes(a) ? a : 'unknown') as ServiceState, runlevel: b && b !== 'none' ? b : null };
  }
  return facts;
}

/** One active lease of dnsmasq's lease file (`<expiry> <mac> <ip> <hostname> <client-id>`). */
export interface ActiveLease {
  mac: string;
  ip: string;
  hostname: string | null;
  /** seconds since the epoch; 0 = infinite */
  expires: number;
}

/** Parses dnsmasq's lease file; malformed lines are skipped. */
export function parseLeaseFile(text: string): ActiveLease[] {
  const out: ActiveLease[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+) ([0-9a-f:]{17}) (\d{1,3}(?:\.\d{1,3}){3}) (\S+)/i.exec(line.trim());
    if (m) out.push({ expires: Number(m[1]), mac: m[2]!.toLowerCase(), ip: m[3]!, hostname: m[4] === '*' ? null : m[4]! });
  }
  return out;
}
