// The network of an app: chosen per node (after node selection) and recorded; teardown always goes through the
// recorded one, whatever the node's appliance looks like now. Real SQLite store; the appliance orchestrator is
// a recorder of the interface the adapter is written against (its real implementation is tested on the lab).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, type CoreContext } from '../../../src-main/core/core-context';
import { teardownApp } from '../../../src-main/core/deploy/app-teardown';
import { ApplianceDeployNetwork, FallbackDeployNetwork, singleNetwork, type ApplianceOrchestrator, type DeployNetworks } from '../../../src-main/core/deploy/deploy-network';
import { teardownTargetOf } from '../../../src-main/core/deploy/deployment-engine';
import type { JournalDeployment } from '../../../src-main/core/deploy/deploy-journal';
import { deployCoreOf, type DeployConnection, type DeployPlan } from '../../../src-main/core/deploy/deploy-types';
import { NodeSlots } from '../../../src-main/core/deploy/node-slots';
import type { PveClient } from '../../../src-main/core/pve/pve-client';

const A1 = '6f1c2a4e-1b7d-4c3e-9a51-0d2f3b4c5e61';
const A2 = '7a2d3b5f-2c8e-4d4f-8b62-1e3a4c5d6f72';
let dataDir: string;
let core: CoreContext;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'network-per-node-'));
  core = openCore({ dataDir, appVersion: 'test' });
});
afterEach(() => {
  core.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function recorder() {
  const calls: string[] = [];
  const orchestrator: ApplianceOrchestrator = {
    registerApp: (node, a) => (calls.push(`register ${node} ${a.appId}`), Promise.resolve()),
    unregisterApp: (node, id) => (calls.push(`unregister ${node} ${id}`), Promise.resolve()),
    applyRoutes: (node, routes) => (calls.push(`routes ${node} ${routes.length}`), Promise.resolve()),
    // the appliance looks down now (the connection "looks like fallback")
    status: () => Promise.resolve({ mode: 'fallback' as const, reason: 'caddy is not running' }),
    wanAddress: () => Promise.resolve(null),
  };
  return { calls, orchestrator };
}

/** A connection's networks as the runtime builds them: per-node choice from a table of node modes. */
function networksOf(orchestrator: ApplianceOrchestrator, modes: Record<string, 'appliance' | 'fallback'>): DeployNetworks {
  const appliance = new ApplianceDeployNetwork(orchestrator, () => []);
  const fallback = new FallbackDeployNetwork();
  return { choose: (node) => Promise.resolve(modes[node] === 'appliance' ? appliance : fallback), of: (m) => (m === 'appliance' ? appliance : fallback) };
}

function deployment(steps: Array<{ step: string; detail: Record<string, unknown> }>): JournalDeployment<DeployPlan> {
  return {
    id: 'd1', appId: 'a1', kind: 'deploy', status: 'running', ownerPid: null, operationId: null, startedAt: '', finishedAt: null, error: null,
    plan: { appId: 'a1', name: 'Tools', catalogVersion: '1', resources: { cores: 1, memory: 512, disk: 2 }, request: { connectionId: 'c1', catalogId: 'it-tools', hostname: 'tools', params: {} } },
    steps: steps.map((s, i) => ({ seq: i + 1, status: 'done', startedAt: '', finishedAt: null, ...s })),
  };
}

describe('the network of an app', () => {
  it('the journal records the mode chosen for the node; teardownTargetOf reads it back (absent in older journals)', () => {
    const t = teardownTargetOf(deployment([{ step: 'ports', detail: {} }, { step: 'template', detail: { node: 'pve2', mode: 'appliance' } }, { step: 'create', detail: { node: 'pve2', vmid: 120 } }, { step: 'start', detail: {} }, { step: 'register', detail: {} }]));
    expect(t).toEqual({ appId: 'a1', node: 'pve2', vmid: 120, mode: 'appliance', registered: true, published: false });
    expect(teardownTargetOf(deployment([{ step: 'template', detail: { node: 'pve' } }])).mode).toBeUndefined();
    expect(teardownTargetOf(deployment([{ step: 'template', detail: { node: 'pve', mode: 'bogus' } }])).mode).toBeUndefined();
  });

  it('teardown of an app recorded in appliance mode removes its route, name and lease from the appliance even while its node now chooses fallback', async () => {
    const { calls, orchestrator } = recorder();
    const networks = networksOf(orchestrator, { pve: 'fallback' });
    expect((await networks.choose('pve')).mode).toBe('fallback');
    core.apps.insert({ id: A1, catalogId: 'it-tools', name: 'Tools', hostname: 'tools', node: 'pve', connectionId: 'c1', status: 'running' });
    core.ports.allocate(A1, 'test');
    const conn: DeployConnection = { id: 'c1', pve: {} as PveClient, ssh: () => ({ exec: () => Promise.reject(new Error('no ssh here')) }), networks, tokenAuth: true };
    const o = { core: deployCoreOf(core), conn, slots: new NodeSlots(() => 1), actor: 'test', log: () => {} };
    await teardownApp({ appId: A1, node: 'pve', registered: true, published: true, mode: 'appliance' }, o);
    expect(calls).toEqual(['routes pve 0', `unregister pve ${A1}`]);
    expect(core.apps.get(A1)).toBeUndefined();
    expect(core.ports.get(A1)).toBeUndefined();

    // recorded fallback: nothing goes to the appliance, even on a node whose appliance serves now
    calls.length = 0;
    core.apps.insert({ id: A2, catalogId: 'it-tools', name: 'Tools', hostname: 'tools2', node: 'pve', connectionId: 'c1', status: 'running' });
    await teardownApp({ appId: A2, node: 'pve', registered: true, published: true, mode: 'fallback' }, { ...o, conn: { ...conn, networks: networksOf(orchestrator, { pve: 'appliance' }) } });
    expect(calls).toEqual([]);
    expect(core.apps.get(A2)).toBeUndefined();
  });

  it('singleNetwork answers its network for every node and refuses the other mode', async () => {
    const n = singleNetwork(new FallbackDeployNetwork());
    expect((await n.choose('any')).mode).toBe('fallback');
    expect(n.of('fallback').mode).toBe('fallback');
    expect(() => n.of('appliance')).toThrow(expect.objectContaining({ code: 'NOT_SUPPORTED' }) as Error);
  });
});
