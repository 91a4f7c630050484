// Every value that reaches the Caddyfile or the dnsmasq/iptables config must match its strict pattern. A hostile
// corpus (newlines, braces, spaces, `#`, quotes, placeholders, shell syntax, unicode look-alikes, directives) is
// thrown at each field: each is refused with a stable code, and nothing is produced or run.
import { describe, expect, it } from 'vitest';
import { LinuxBridgeAppNetwork } from '../../../src-main/core/network/app-network';
import type { CommandExecutor } from '../../../src-main/core/network/command-executor';
import { generateDnsmasqConfig } from '../../../src-main/core/network/dnsmasq-config';
import { generateFirewallRules } from '../../../src-main/core/network/firewall-rules';
import { planLan } from '../../../src-main/core/network/network-settings';
import { accessUrlsFor } from '../../../src-main/core/proxy/access-urls';
import { generateCaddyfile } from '../../../src-main/core/proxy/caddyfile';
import { ReverseProxyManager } from '../../../src-main/core/proxy/reverse-proxy-manager';

const INJECTIONS = [
  '', ' ', '\n', 'app\n', 'app\r\n:1 {', 'app}', '}', '{', 'a{b', 'a b', 'app#x', '#', '"app"', "'app'", 'app\\', 'app\t',
  'import /etc/passwd', 'app\nimport /etc/passwd', '{$HOME}', '{env.SECRET}', '{http.request.host}', 'app;reboot', '$(reboot)', '`id`',
  'app\u0000', 'аpp' /* Cyrillic а */, 'app\u200b', 'ápp', '🙂', 'APP', '-app', 'app-', 'a.b', '../etc', 'x'.repeat(64),
];
const BAD_IPS = [
  ...INJECTIONS, '10.20.0.1 ', ' 10.20.0.1', '10.20.0.1\n', '10.20.0.1\n}', '10.20.0.256', '010.20.0.1', '10.20.0', '10.20.0.1.5',
  '::1', '10.20.0.1:80', '10.20.0.1/24', 'localhost', '１０.20.0.1', 167772161,
];
const BAD_PORTS: unknown[] = ['30001', '30001 {', 30001.5, -1, 0, 65536, Number.NaN, Number.POSITIVE_INFINITY, null, undefined, '', [30001], { p: 1 }];
const BAD_MACS = [...INJECTIONS, '02:00:00:00:00:0g', '02:00:00:00:00', '02:00:00:00:00:01:02', '01:00:00:00:00:01', '02-00-00-00-00-01', '02:00:00:00:00:01\n', '0200.0000.0001'];

const route = { hostname: 'whoami', containerIp: '10.20.0.100', containerPort: 8080, publicPort: 30001, internalPort: 40001 };
const plan = planLan();
const lease = { hostname: 'whoami', mac: '02:00:00:00:00:01', ip: '10.20.0.100' };

function refusal(fn: () => unknown): { code?: string; message?: string } {
  try {
    const out = fn();
    return { message: `produced output: ${JSON.stringify(out).slice(0, 200)}` };
  } catch (e) {
    return e as { code: string; message: string };
  }
}

describe('hostile values are refused with a stable code and produce nothing', () => {
  const cases: [string, readonly unknown[]][] = [
    ['hostname', INJECTIONS], ['containerIp', BAD_IPS], ['containerPort', BAD_PORTS], ['publicPort', [...BAD_PORTS, 29999, 31000, 40001]],
    ['internalPort', [...BAD_PORTS, 39999, 41000, 30001]],
  ];
  for (const [field, values] of cases) {
    it(`Caddyfile route.${field} (${values.length} values)`, () => {
      for (const v of values) {
        const r = refusal(() => generateCaddyfile([{ ...route, [field]: v }]));
        expect(r.code, `${field} = ${JSON.stringify(v)}: ${r.message}`).toBe('PROXY_CONFIG_INVALID');
        expect(r.message).toContain('refused');
      }
    });
  }

  it('Caddyfile routes: extra keys, non-objects, duplicates', () => {
    for (const routes of [[{ ...route, extra: '}' }], ['whoami'], [null], [route, { ...route, hostname: 'other' }], [route, { ...route, hostname: 'b', publicPort: 30002, internalPort: 40001 }], [route, { ...route, publicPort: 30002, internalPort: 40002 }]]) {
      expect(refusal(() => generateCaddyfile(routes)).code, JSON.stringify(routes)).toBe('PROXY_CONFIG_INVALID');
    }
  });

  it('Caddyfile options: the admin endpoint must be loopback, the bind address an IPv4', () => {
    for (const adminAddress of [...INJECTIONS, '0.0.0.0:2019', ':2019', '10.20.0.1:2019', 'localhost:2019\n}', 'localhost:99999', 'localhost', 'unix//run/caddy.sock']) {
      expect(refusal(() => generateCaddyfile([route], { adminAddress })).code, adminAddress).toBe('PROXY_CONFIG_INVALID');
    }
    for (const defaultBind of BAD_IPS) expect(refusal(() => generateCaddyfile([route], { defaultBind: defaultBind as string })).code).toBe('PROXY_CONFIG_INVALID');
  });

  it('the error message shows the offending value quoted, so a newline or a brace is visible', () => {
    expect(refusal(() => generateCaddyfile([{ ...route, hostname: 'evil\n}' }])).message).toContain('hostname "evil\\n}"');
  });

  it('dnsmasq static leases: hostname, MAC and address', () => {
    for (const [field, values] of [['hostname', INJECTIONS], ['mac', BAD_MACS], ['ip', [...BAD_IPS, '10.20.1.5', '10.20.0.1', '10.20.0.0', '10.20.0.255']]] as const) {
      for (const v of values) {
        const r = refusal(() => generateDnsmasqConfig(plan, [{ ...lease, [field]: v }]));
        expect(r.code, `${field} = ${JSON.stringify(v)}: ${r.message}`).toBe('NETWORK_CONFIG_INVALID');
      }
    }
  });

  it('network settings: bridge, subnet, domain, upstream DNS, lease time, interfaces', () => {
    const bad: [string, readonly unknown[]][] = [
      ['bridge', [...INJECTIONS, 'proximity-lan', 'vmbr0;reboot', 'a', 'x'.repeat(22)]],
      ['subnet', [...BAD_IPS, '10.20.0.0/33', '10.20.0.0/8', '10.20.0.0/29', '10.20.0.0 /24']],
      ['domain', [...INJECTIONS.filter((v) => v !== 'a.b'), 'prox.local\nserver=6.6.6.6', 'prox.local/', 'local', 'prox..local', 'PROX.local']],
      ['upstreamDns', [[...BAD_IPS.slice(0, 3)], ['1.1.1.1\nserver=6.6.6.6'], '1.1.1.1']],
      ['leaseTime', [...INJECTIONS.filter((v) => !/^[a-z]+$/.test(v)), '12h\ndhcp-range=0.0.0.0', '-1', '12x', 'forever']],
      ['wanInterface', [...INJECTIONS, 'eth0 -j ACCEPT', 'eth-0']],
      ['lanInterface', [...INJECTIONS, 'eth1\n-A INPUT -j ACCEPT']],
    ];
    for (const [key, values] of bad) {
      for (const v of values) expect(refusal(() => planLan({ [key]: v })).code, `${key} = ${JSON.stringify(v)}`).toBe('NETWORK_CONFIG_INVALID');
    }
  });

  it('firewall: management addresses', () => {
    for (const v of BAD_IPS) expect(refusal(() => generateFirewallRules(plan, { managementAddresses: [v as string] })).code, JSON.stringify(v)).toBe('NETWORK_CONFIG_INVALID');
  });

  it('app network members and access URLs', () => {
    const net = new LinuxBridgeAppNetwork(plan);
    for (const v of INJECTIONS) expect(refusal(() => net.reserve({ appId: 'a1', hostname: v })).code).toBe('NETWORK_CONFIG_INVALID');
    expect(net.leases()).toEqual([]);
    for (const v of BAD_IPS) {
      expect(refusal(() => accessUrlsFor({ hostname: 'whoami', containerIp: v as string, containerPort: 80, ports: null }, null)).code).toBe('VALIDATION');
      expect(refusal(() => accessUrlsFor({ hostname: 'whoami', containerIp: null, containerPort: 80, ports: null }, { wanIp: v as string, domain: 'prox.local' })).code).toBe('VALIDATION');
    }
  });

  it('ReverseProxyManager.apply runs no command at all for a hostile route', async () => {
    const calls: string[][] = [];
    const recorder: CommandExecutor = { exec: async (argv) => (calls.push([...argv]), { code: 0, stdout: '', stderr: '' }) };
    const proxy = new ReverseProxyManager(recorder);
    for (const hostname of INJECTIONS) {
      await expect(proxy.apply([{ ...route, hostname }])).rejects.toMatchObject({ code: 'PROXY_CONFIG_INVALID' });
    }
    expect(calls).toEqual([]);
    expect(() => new ReverseProxyManager(recorder, { caddyfilePath: '/etc/caddy/Caddyfile; reboot' })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
  });
});
