// The generated dnsmasq config against the real `dnsmasq --test`, and the generated firewall rules against the
// real `iptables-restore --test` (in a throwaway network namespace, so the host's firewall is never touched).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LinuxBridgeAppNetwork } from '../../../src-main/core/network/app-network';
import { generateDnsmasqConfig } from '../../../src-main/core/network/dnsmasq-config';
import { generateFirewallRules, generateSysctlConf } from '../../../src-main/core/network/firewall-rules';
import { planLan } from '../../../src-main/core/network/network-settings';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-netconf-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const hasDnsmasq = spawnSync('dnsmasq', ['--version']).status === 0;
const canTestIptables = process.getuid?.() === 0 && spawnSync('unshare', ['-n', 'iptables-restore', '--version']).status === 0;

function dnsmasqTest(text: string, name: string) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return spawnSync('dnsmasq', ['--test', '-C', file], { encoding: 'utf8', timeout: 20_000 });
}

function iptablesTest(text: string) {
  return spawnSync('unshare', ['-n', 'iptables-restore', '--test'], { input: text, encoding: 'utf8', timeout: 20_000 });
}

function leases(n: number, plan = planLan()) {
  const net = new LinuxBridgeAppNetwork(plan);
  return Array.from({ length: n }, (_, i) => net.reserve({ appId: `app-${i}`, hostname: `app-${i}` }));
}

describe.skipIf(!hasDnsmasq)('generated dnsmasq config with the real dnsmasq', () => {
  it.each([0, 1, 151])('passes `dnsmasq --test` with %i static leases', (n) => {
    const r = dnsmasqTest(generateDnsmasqConfig(planLan(), leases(n)), `dnsmasq-${n}.conf`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('syntax check OK');
  });

  it('passes with upstream servers and another /24', () => {
    const plan = planLan({ subnet: '192.168.77.0/24', upstreamDns: ['9.9.9.9', '1.1.1.1'], leaseTime: '1h', domain: 'apps.internal' });
    const text = generateDnsmasqConfig(plan, leases(3, plan));
    expect(text).toContain('dhcp-range=192.168.77.100,192.168.77.250,255.255.255.0,1h');
    expect(text).toContain('no-resolv\nserver=9.9.9.9\nserver=1.1.1.1\n');
    expect(text).toContain('host-record=app-0.apps.internal,192.168.77.100');
    const r = dnsmasqTest(text, 'dnsmasq-other.conf');
    expect(r.status, r.stderr).toBe(0);
  });

  it('a broken line fails the same check (so the checks above can fail)', () => {
    const r = dnsmasqTest(`${generateDnsmasqConfig(planLan(), leases(1))}dhcp-range=10.20.0.100,banana\n`, 'dnsmasq-broken.conf');
    expect(r.status).not.toBe(0);
  });
});

describe.skipIf(!canTestIptables)('generated firewall rules with the real iptables-restore', () => {
  it('pass `iptables-restore --test`', () => {
    const rules = generateFirewallRules(planLan(), { managementAddresses: ['198.18.0.2', '192.0.2.10'] });
    const r = iptablesTest(rules);
    expect(r.status, r.stderr).toBe(0);
    expect(rules).toContain('-A POSTROUTING -s 10.20.0.0/24 -o eth0 -j MASQUERADE');
    expect(rules).toContain(':FORWARD DROP [0:0]');
    expect(rules).toContain('-A FORWARD -i eth1 -d 192.0.2.10/32 -j REJECT');
  });

  it('a broken rule fails the same check', () => {
    const rules = generateFirewallRules(planLan(), { managementAddresses: [] }).replace('COMMIT\n*filter', '-A POSTROUTING -o eth0 -j MASQUERADE --no-such-option\nCOMMIT\n*filter');
    expect(iptablesTest(rules).status).not.toBe(0);
  });

  it('the sysctl file turns on IPv4 forwarding', () => {
    expect(generateSysctlConf()).toMatch(/^net\.ipv4\.ip_forward = 1$/m);
    const file = path.join(dir, '99-proximity.conf');
    fs.writeFileSync(file, generateSysctlConf());
    // in a fresh namespace, so the host's forwarding setting is never changed
    const r = spawnSync('unshare', ['-n', 'sh', '-c', 'sysctl -p "$1" >/dev/null && cat /proc/sys/net/ipv4/ip_forward', 'sh', file], { encoding: 'utf8' });
    expect([r.status, r.stdout.trim()], r.stderr).toEqual([0, '1']);
  });
});
