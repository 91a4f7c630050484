// Network failures of the LAN a PVE node sits on (issue 12, failure 4), applied for real: rules in the
// upstream namespace's own firewall (the host's is never touched) and what containers get in resolv.conf.
//   upstreamDns     the LAN router's DNS stops answering (UDP/TCP 53 to it dropped): lookups time out
//   internetDown    "the internet" (package mirror, internet endpoint) does not answer (TCP 80/443 dropped)
//   staleResolvConf containers started from now on keep the resolv.conf PVE wrote from the node's settings,
//                   naming a resolver that never answers; DHCP's DNS option is ignored (as with RESOLV_CONF=no)
import { run } from './run';

export type NetworkFaultSpec =
  | { kind: 'upstreamDns'; on: boolean }
  | { kind: 'internetDown'; on: boolean }
  | { kind: 'staleResolvConf'; on: boolean; nameserver?: string };

export const NETWORK_FAULT_KINDS = new Set(['upstreamDns', 'internetDown', 'staleResolvConf']);

const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export class NetworkFaults {
  private active = new Set<string>();
  private stale: string | null = null;

  constructor(
    private readonly upstreamNs: () => string,
    private readonly gateway: string,
    /** default resolver of staleResolvConf: an address on the LAN where nothing answers */
    private readonly deadResolver: string,
  ) {}

  /** Apply a spec; resolves once the rules are in place. Throws on a malformed spec. */
  async apply(spec: NetworkFaultSpec): Promise<void> {
    const s = spec as any;
    if (typeof s?.on !== 'boolean') throw new Error("network fault field 'on' must be a boolean");
    switch (s.kind) {
      case 'upstreamDns':
        return this.rule('dns', s.on, [
          ['-p', 'udp', '-d', this.gateway, '--dport', '53', '-j', 'DROP'],
          ['-p', 'tcp', '-d', this.gateway, '--dport', '53', '-j', 'DROP'],
        ]);
      case 'internetDown':
        return this.rule('internet', s.on, [['-p', 'tcp', '-d', this.gateway, '-m', 'multiport', '--dports', '80,443', '-j', 'DROP']]);
      case 'staleResolvConf': {
        const ns = s.nameserver ?? this.deadResolver;
        if (typeof ns !== 'string' || !IPV4_RE.test(ns)) throw new Error("network fault field 'nameserver' must be an IPv4 address");
        this.stale = s.on ? ns : null;
        return;
      }
      default:
        throw new Error(`unknown network fault kind: ${JSON.stringify(s.kind)}`);
    }
  }

  /** The resolver a container started now must keep in resolv.conf instead of DHCP's (null: normal). */
  staleResolver(): string | null {
    return this.stale;
  }

  async clear(): Promise<void> {
    this.stale = null;
    for (const name of [...this.active]) {
      if (name === 'dns') await this.apply({ kind: 'upstreamDns', on: false });
      if (name === 'internet') await this.apply({ kind: 'internetDown', on: false });
    }
  }

  summary(): Record<string, unknown> {
    return { upstreamDnsDown: this.active.has('dns'), internetDown: this.active.has('internet'), staleResolvConf: this.stale };
  }

  private async rule(name: string, on: boolean, rules: string[][]): Promise<void> {
    if (on === this.active.has(name)) return;
    for (const r of rules) {
      await run(['ip', 'netns', 'exec', this.upstreamNs(), 'iptables', '-w', on ? '-I' : '-D', 'INPUT', ...r]);
    }
    if (on) this.active.add(name);
    else this.active.delete(name);
  }
}
