import { describe, expect, it } from 'vitest';
import { ApplianceDeployNetwork, FallbackDeployNetwork, type ApplianceOrchestrator } from '../../../src-main/core/deploy/deploy-network';
import type { NetworkApplianceOrchestrator } from '../../../src-main/core/appliance/network-appliance-orchestrator';
import type { ProxyRoute } from '../../../src-main/core/proxy/proxy-route';

// The real orchestrator satisfies the interface the adapter is written against (checked by the compiler).
export type OrchestratorFits = NetworkApplianceOrchestrator extends ApplianceOrchestrator ? true : never;
const fits: OrchestratorFits = true;

const app = { appId: 'a1', hostname: 'homer', mac: 'bc:24:11:00:00:01', ip: '10.20.0.100', containerPort: 8080, ports: { public: 30001, internal: 40001 } };

describe('FallbackDeployNetwork', () => {
  const net = new FallbackDeployNetwork();
  it('puts containers on vmbr0 with DHCP and publishes nothing: reached directly', async () => {
    expect(net.netDevice()).toBe('name=eth0,bridge=vmbr0,ip=dhcp');
    expect(new FallbackDeployNetwork({ bridge: 'lan0' }).netDevice()).toBe('name=eth0,bridge=lan0,ip=dhcp');
    await expect(net.attach('pve', app)).resolves.toEqual({ ip: '10.20.0.100' });
    const pub = await net.publish('pve', app);
    expect(pub).toEqual({ healthBase: 'http://10.20.0.100:8080', urls: { mode: 'fallback', public: null, canvas: null, dns: null, direct: 'http://10.20.0.100:8080' } });
    await expect(net.publicOrigin('pve', app)).resolves.toBe('http://10.20.0.100:8080');
    await expect(net.detach()).resolves.toBeUndefined();
    await expect(net.unpublish()).resolves.toBeUndefined();
    await expect(net.health()).resolves.toBeNull();
  });
  it('refuses a bridge name PVE would refuse, and hostile member facts', async () => {
    expect(() => new FallbackDeployNetwork({ bridge: 'vmbr0,firewall=1' })).toThrow();
    await expect(net.attach('pve', { ...app, hostname: 'a;b' })).rejects.toMatchObject({ code: 'NETWORK_CONFIG_INVALID' });
    await expect(net.publish('pve', { ...app, ip: '10.0.0.1\nx' })).rejects.toMatchObject({ code: 'NETWORK_CONFIG_INVALID' });
  });
});

describe('ApplianceDeployNetwork', () => {
  /** Records the calls the adapter makes on the orchestrator's interface (its real implementation lives in core/appliance). */
  function recorder() {
    const calls: unknown[][] = [];
    const orchestrator: ApplianceOrchestrator = {
      registerApp: (node, a) => (calls.push(['registerApp', node, a]), Promise.resolve()),
      unregisterApp: (node, id) => (calls.push(['unregisterApp', node, id]), Promise.resolve()),
      applyRoutes: (node, routes) => (calls.push(['applyRoutes', node, routes]), Promise.resolve()),
      status: (node) => (calls.push(['status', node]), Promise.resolve({ mode: 'fallback' as const, reason: 'caddy is not running' })),
      wanAddress: (node) => (calls.push(['wanAddress', node]), Promise.resolve('198.18.0.50')),
    };
    return { calls, orchestrator };
  }
  const other: ProxyRoute = { hostname: 'other', containerIp: '10.20.0.101', containerPort: 80, publicPort: 30002, internalPort: 40002 };

  it('registers name and lease, applies the whole route list, and answers through the public port', async () => {
    expect(fits).toBe(true);
    const { calls, orchestrator } = recorder();
    const net = new ApplianceDeployNetwork(orchestrator, () => [{ appId: 'a2', route: other }]);
    expect(net.netDevice()).toBe('name=eth0,bridge=proxlan,ip=dhcp');
    await net.attach('pve', app);
    const pub = await net.publish('pve', app);
    expect(pub.healthBase).toBe('http://198.18.0.50:30001');
    expect(pub.urls).toEqual({ mode: 'appliance', public: 'http://198.18.0.50:30001', canvas: 'http://198.18.0.50:40001', dns: 'http://homer.prox.local:8080', direct: 'http://10.20.0.100:8080' });
    await net.unpublish('pve', 'a1');
    await net.detach('pve', 'a1');
    expect(await net.health('pve')).toBe('The network appliance on pve is not ready: caddy is not running');
    expect(calls).toEqual([
      ['registerApp', 'pve', { appId: 'a1', hostname: 'homer', mac: 'bc:24:11:00:00:01', ip: '10.20.0.100' }],
      ['applyRoutes', 'pve', [other, { hostname: 'homer', containerIp: '10.20.0.100', containerPort: 8080, publicPort: 30001, internalPort: 40001 }]],
      ['wanAddress', 'pve'],
      ['applyRoutes', 'pve', [other]],
      ['unregisterApp', 'pve', 'a1'],
      ['status', 'pve'],
    ]);
  });
});
