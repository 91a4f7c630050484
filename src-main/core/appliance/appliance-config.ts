// The appliance's generated files, written through swapConfigFile (validate, then an atomic rename; a re-run
// with the same content changes nothing) and the service reload each change needs.
import type { CommandExecutor } from '../network/command-executor';
import { swapConfigFile } from '../network/config-file-swap';
import { APPLIANCE_PATHS, applianceNetworkFiles } from '../network/appliance-files';
import type { StaticLease } from '../network/dnsmasq-config';
import type { FirewallOptions } from '../network/firewall-rules';
import type { LanPlan } from '../network/network-settings';
import type { ProxyRoute } from '../proxy/proxy-route';
import { CADDYFILE_PATH, ReverseProxyManager } from '../proxy/reverse-proxy-manager';
import { ProximityError } from '../errors';

/** Which generated files changed on the last write (so only those services reload). */
export interface ConfigChanges {
  dnsmasq: boolean;
  iptables: boolean;
  sysctl: boolean;
  caddy: boolean;
}

/** The validator of each generated file, run on the candidate inside the appliance before it goes live. */
function validatorFor(path: string): (candidate: string) => string[] {
  if (path === APPLIANCE_PATHS.dnsmasqConf) return (c) => ['dnsmasq', '--test', `--conf-file=${c}`];
  if (path === APPLIANCE_PATHS.iptablesRules) return (c) => ['iptables-restore', '--test', c];
  return (c) => ['test', '-s', c];
}

/**
 * Writes the network files (dnsmasq.conf, iptables rules, sysctl) generated from `plan`, `leases` and
 * `firewall`, without reloading anything. Generation runs first: a hostile value throws
 * `NETWORK_CONFIG_INVALID` before any command runs; the appliance's own validator refusing a file also throws
 * `NETWORK_CONFIG_INVALID` (the live file is unchanged); a failed write or rename throws `COMMAND_FAILED`.
 * Returns which files changed.
 */
export async function writeNetworkFiles(exec: CommandExecutor, plan: LanPlan, leases: readonly StaticLease[], firewall: FirewallOptions): Promise<Omit<ConfigChanges, 'caddy'>> {
  const files = applianceNetworkFiles(plan, leases, firewall);
  const changed = { dnsmasq: false, iptables: false, sysctl: false };
  for (const f of files) {
    const r = await swapConfigFile(exec, {
      what: f.path,
      path: f.path,
      content: f.content,
      validateArgv: validatorFor(f.path),
      reloadArgv: null,
      invalidCode: 'NETWORK_CONFIG_INVALID',
      applyCode: 'COMMAND_FAILED',
    });
    if (f.path === APPLIANCE_PATHS.iptablesRules) {
      changed.iptables = r.changed;
      // iptables-save writes its file 0600; the swap's umask leaves 0644
      if (r.changed) await mustRun(exec, ['chmod', '0600', f.path]);
    } else if (f.path === APPLIANCE_PATHS.dnsmasqConf) changed.dnsmasq = r.changed;
    else changed.sysctl = r.changed;
  }
  return changed;
}

/**
 * Writes the Caddyfile for `routes` without reloading (Caddy may not run yet): validated by the appliance's Caddy
 * (`caddy validate --adapter caddyfile`) first. Throws PROXY_CONFIG_INVALID for a hostile value or a file Caddy
 * refuses (live file unchanged).
 */
export async function writeCaddyfile(exec: CommandExecutor, proxy: ReverseProxyManager, routes: readonly ProxyRoute[]): Promise<boolean> {
  const content = proxy.generate(routes);
  const r = await swapConfigFile(exec, {
    what: 'Caddyfile',
    path: CADDYFILE_PATH,
    content,
    validateArgv: (c) => ['caddy', 'validate', '--config', c, '--adapter', 'caddyfile'],
    reloadArgv: null,
    invalidCode: 'PROXY_CONFIG_INVALID',
    applyCode: 'PROXY_APPLY_FAILED',
  });
  return r.changed;
}

/** Runs argv; throws COMMAND_FAILED with its output unless it exits 0. */
export async function mustRun(exec: CommandExecutor, argv: string[], timeoutMs = 60_000): Promise<string> {
  const r = await exec.exec(argv, { timeoutMs });
  if (r.code !== 0) {
    throw new ProximityError('COMMAND_FAILED', `\`${argv.join(' ')}\` in the appliance exited ${r.code}: ${(r.stderr || r.stdout).trim().slice(-600)}`, {
      details: { argv, exitCode: r.code, stderr: r.stderr.slice(-2000), stdout: r.stdout.slice(-2000) },
    });
  }
  return r.stdout;
}
