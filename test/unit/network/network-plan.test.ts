import { describe, expect, it } from 'vitest';
import { LinuxBridgeAppNetwork } from '../../../src-main/core/network/app-network';
import { generateDnsmasqConfig } from '../../../src-main/core/network/dnsmasq-config';
import { DEFAULT_NETWORK_SETTINGS, planLan } from '../../../src-main/core/network/network-settings';
import { accessUrlsFor } from '../../../src-main/core/proxy/access-urls';

describe('planLan', () => {
  it('defaults: bridge proxlan, 10.20.0.0/24, appliance .1, DHCP .100-.250, prox.local', () => {
    expect(DEFAULT_NETWORK_SETTINGS.bridge).toBe('proxlan');
    expect(planLan()).toMatchObject({
      bridge: 'proxlan', subnet: '10.20.0.0/24', netmask: '255.255.255.0', broadcast: '10.20.0.255',
      applianceAddress: '10.20.0.1', applianceCidr: '10.20.0.1/24', dhcpStart: '10.20.0.100', dhcpEnd: '10.20.0.250', domain: 'prox.local',
    });
  });

  it('another /24 shifts the appliance address and the DHCP range', () => {
    expect(planLan({ subnet: '172.31.9.0/24' })).toMatchObject({ applianceAddress: '172.31.9.1', dhcpStart: '172.31.9.100', dhcpEnd: '172.31.9.250' });
  });

  it('a /16 keeps the host offsets; custom offsets move them', () => {
    expect(planLan({ subnet: '10.64.0.0/16' })).toMatchObject({ netmask: '255.255.0.0', broadcast: '10.64.255.255', dhcpStart: '10.64.0.100' });
    expect(planLan({ subnet: '10.64.0.0/16', dhcpFirstHost: 256, dhcpLastHost: 1000 })).toMatchObject({ dhcpStart: '10.64.1.0', dhcpEnd: '10.64.3.232' });
  });

  it("refuses the seed's bridge name and impossible ranges with NETWORK_CONFIG_INVALID", () => {
    for (const bad of [
      { bridge: 'proximity-lan' },
      { subnet: '10.20.0.0/25' }, // .250 lies outside a /25
      { dhcpFirstHost: 200, dhcpLastHost: 150 },
      { applianceHost: 120 },
      { extra: true },
    ]) {
      expect(() => planLan(bad as never), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'NETWORK_CONFIG_INVALID' }));
    }
    expect(() => planLan({ bridge: 'proximity-lan' })).toThrow(/no "-"/);
  });
});

describe('LinuxBridgeAppNetwork', () => {
  const plan = planLan();

  it('attaches apps on every node to the same bridge and builds their net0', () => {
    const net = new LinuxBridgeAppNetwork(plan);
    const l = net.reserve({ appId: 'a1', hostname: 'whoami' });
    expect(net.bridgeFor('pve')).toBe('proxlan');
    expect(net.bridgeFor('pve2')).toBe('proxlan');
    expect(net.netDevice('pve', l)).toBe(`name=eth0,bridge=proxlan,hwaddr=${l.mac},ip=dhcp`);
    expect(() => net.bridgeFor('pve;rm')).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
  });

  it('gives stable leases: lowest free address, a MAC derived from the app id, the same lease again on re-reserve', () => {
    const net = new LinuxBridgeAppNetwork(plan);
    const a = net.reserve({ appId: 'a1', hostname: 'alpha' });
    const b = net.reserve({ appId: 'b2', hostname: 'beta' });
    expect([a.ip, b.ip]).toEqual(['10.20.0.100', '10.20.0.101']);
    expect(a.mac).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    expect(a.mac).not.toBe(b.mac);
    expect(net.reserve({ appId: 'a1', hostname: 'alpha' })).toEqual(a);
    // a second instance built from the stored leases (as after a restart) gives the same answers
    const again = new LinuxBridgeAppNetwork(plan, net.leases());
    expect(again.reserve({ appId: 'b2', hostname: 'beta' })).toEqual(b);
    // the MAC depends on the app id only
    expect(new LinuxBridgeAppNetwork(plan).reserve({ appId: 'a1', hostname: 'other' }).mac).toBe(a.mac);
  });

  it('reuses a released address, refuses a hostname held by another app, and reports exhaustion', () => {
    const net = new LinuxBridgeAppNetwork(plan);
    net.reserve({ appId: 'a1', hostname: 'alpha' });
    net.reserve({ appId: 'b2', hostname: 'beta' });
    expect(net.release('a1')?.ip).toBe('10.20.0.100');
    expect(net.release('a1')).toBeNull();
    expect(net.reserve({ appId: 'c3', hostname: 'gamma' }).ip).toBe('10.20.0.100');
    expect(() => net.reserve({ appId: 'd4', hostname: 'beta' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    const small = new LinuxBridgeAppNetwork(planLan({ dhcpFirstHost: 100, dhcpLastHost: 101 }));
    small.reserve({ appId: 'a', hostname: 'a' });
    small.reserve({ appId: 'b', hostname: 'b' });
    expect(() => small.reserve({ appId: 'c', hostname: 'c' })).toThrow(expect.objectContaining({ code: 'NETWORK_ADDRESS_EXHAUSTED' }));
  });

  it('its leases become the dnsmasq static leases and names, sorted by hostname', () => {
    const net = new LinuxBridgeAppNetwork(plan);
    const z = net.reserve({ appId: 'z', hostname: 'zulu' });
    const a = net.reserve({ appId: 'a', hostname: 'alpha' });
    const conf = generateDnsmasqConfig(plan, net.leases());
    expect(conf).toContain(`dhcp-host=${a.mac},10.20.0.101,alpha\nhost-record=alpha.prox.local,10.20.0.101\ndhcp-host=${z.mac},10.20.0.100,zulu\n`);
    expect(conf).toContain('interface=eth1\nbind-interfaces\n');
    expect(conf).toContain('domain=prox.local\nlocal=/prox.local/\n');
    expect(conf).toContain('dhcp-range=10.20.0.100,10.20.0.250,255.255.255.0,12h\n');
    expect(conf).toContain('dhcp-option=option:router,10.20.0.1\ndhcp-option=option:dns-server,10.20.0.1\n');
    expect(conf).not.toContain('appId');
    expect(() => generateDnsmasqConfig(plan, [...net.leases(), { ...a, appId: 'x', hostname: 'dup' }])).toThrow(expect.objectContaining({ code: 'NETWORK_CONFIG_INVALID' }));
  });
});

describe('accessUrlsFor', () => {
  const app = { hostname: 'whoami', containerIp: '10.20.0.100', containerPort: 80, ports: { public: 30001, internal: 40001 } };

  it('lists the four ways in with an appliance', () => {
    expect(accessUrlsFor(app, { wanIp: '198.18.0.50', domain: 'prox.local' })).toEqual({
      mode: 'appliance', public: 'http://198.18.0.50:30001', canvas: 'http://198.18.0.50:40001', dns: 'http://whoami.prox.local', direct: 'http://10.20.0.100:80',
    });
    expect(accessUrlsFor({ ...app, containerPort: 8080 }, { wanIp: '198.18.0.50', domain: 'prox.local' }).dns).toBe('http://whoami.prox.local:8080');
  });

  it('has only the direct URL in fallback mode', () => {
    expect(accessUrlsFor({ ...app, containerIp: '192.168.1.23', ports: null }, null)).toEqual({ mode: 'fallback', public: null, canvas: null, dns: null, direct: 'http://192.168.1.23:80' });
    expect(accessUrlsFor({ ...app, containerIp: null, ports: null }, null).direct).toBeNull();
  });
});
