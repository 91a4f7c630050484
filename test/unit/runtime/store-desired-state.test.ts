// The appliance's desired state comes from the app rows the deployment engine writes (real SQLite store).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore, type CoreContext } from '../../../src-main/core/core-context';
import { storeDesiredState } from '../../../src-main/core/runtime/store-desired-state';

let dataDir: string;
let core: CoreContext;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'desired-state-'));
  core = openCore({ dataDir, appVersion: 'test' });
});
afterEach(() => {
  core.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function app(o: { hostname: string; connectionId: string; node: string; mode: 'appliance' | 'fallback'; ip?: string | null; mac?: string | null; vmid: number }) {
  const id = randomUUID();
  core.apps.insert({ id, catalogId: 'it-tools', name: o.hostname, hostname: o.hostname, node: o.node, vmid: o.vmid, connectionId: o.connectionId, status: 'running' });
  const spec = { v: 1, appId: id, catalogId: 'it-tools', hostname: o.hostname, ports: { public: 20000 + o.vmid, internal: 30000 + o.vmid }, containerPort: 80, healthPath: '/', mode: o.mode };
  core.apps.place(id, { ip: o.ip === undefined ? `10.0.0.${o.vmid - 100}` : o.ip, mac: o.mac === undefined ? `BC:24:11:00:00:${(o.vmid - 100).toString(16).padStart(2, '0')}` : o.mac, spec });
  return id;
}

describe('storeDesiredState', () => {
  it('lists the leases and routes of the appliance-mode apps of one connection and node only', () => {
    const a = app({ hostname: 'tools', connectionId: 'c1', node: 'pve', mode: 'appliance', vmid: 110 });
    app({ hostname: 'direct', connectionId: 'c1', node: 'pve', mode: 'fallback', vmid: 111 });
    app({ hostname: 'other-node', connectionId: 'c1', node: 'pve2', mode: 'appliance', vmid: 112 });
    app({ hostname: 'other-conn', connectionId: 'c2', node: 'pve', mode: 'appliance', vmid: 113 });
    app({ hostname: 'no-lease', connectionId: 'c1', node: 'pve', mode: 'appliance', vmid: 114, ip: null, mac: null });
    const desired = storeDesiredState(() => core.apps.list(), 'c1');
    expect(desired.leases('pve')).toEqual([{ appId: a, hostname: 'tools', mac: 'BC:24:11:00:00:0a', ip: '10.0.0.10' }]);
    const route = { hostname: 'tools', containerIp: '10.0.0.10', containerPort: 80, publicPort: 20110, internalPort: 30110 };
    expect(desired.routes('pve')).toEqual([route]);
    expect(desired.routeSource('pve')).toEqual([{ appId: a, route }]);
    expect(desired.leases('pve3')).toEqual([]);
  });

  it('reads the store on every call (a deleted app is gone at once)', () => {
    const a = app({ hostname: 'tools', connectionId: 'c1', node: 'pve', mode: 'appliance', vmid: 110 });
    const desired = storeDesiredState(() => core.apps.list(), 'c1');
    expect(desired.leases('pve')).toHaveLength(1);
    core.apps.delete(a);
    expect(desired.leases('pve')).toEqual([]);
  });
});
