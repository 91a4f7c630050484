import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Lab, createParams, startLab, withTemplate } from './test-kit';

describe('node network: pending changes, apply, revert', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await withTemplate(lab);
  });
  afterAll(() => lab?.close());

  it('lists the applied interfaces without changes', async () => {
    const res = await lab.emu.callApiResult('GET', '/nodes/pve/network');
    expect(res.changes).toBeUndefined();
    const rows = res.data as any[];
    expect(rows.map((r) => r.iface)).toEqual(['eth0', 'vmbr0']);
    expect(rows[1]).toMatchObject({ type: 'bridge', active: 1, autostart: 1, bridge_ports: 'eth0', cidr: '198.18.0.2/24', address: '198.18.0.2', netmask: '24', gateway: '198.18.0.1', method: 'static' });
    expect(rows[0]).toMatchObject({ type: 'eth', active: 1, exists: 1, method: 'manual' });
    expect(await lab.api('GET', '/nodes/pve/network', { type: 'bridge' })).toHaveLength(1);
    expect(await lab.api('GET', '/nodes/pve/network/vmbr0')).toMatchObject({ iface: 'vmbr0', type: 'bridge', method: 'static' });
  });

  it('creates a bridge as a pending change reported in `changes`; a CT cannot use it yet', async () => {
    expect(await lab.api('POST', '/nodes/pve/network', { iface: 'vmbr1', type: 'bridge', autostart: 1, comments: 'proximity lan' })).toBeNull();
    const dup = await lab.fail('POST', '/nodes/pve/network', { iface: 'vmbr1', type: 'bridge' });
    expect(dup).toMatchObject({ status: 400, errors: { iface: 'interface already exists' } });
    const gw = await lab.fail('POST', '/nodes/pve/network', { iface: 'vmbr2', type: 'bridge', cidr: '10.9.0.1/24', gateway: '10.9.0.254' });
    expect(gw.errors).toEqual({ gateway: "Default gateway already exists on interface 'vmbr0'." });
    const res = await lab.emu.callApiResult('GET', '/nodes/pve/network');
    const vmbr1 = (res.data as any[]).find((r) => r.iface === 'vmbr1');
    expect(vmbr1).toMatchObject({ type: 'bridge', autostart: 1, method: 'manual', comments: 'proximity lan' });
    expect(vmbr1.active).toBeUndefined();
    expect(res.changes).toContain('--- /etc/network/interfaces\n+++ /etc/network/interfaces.new\n');
    expect(res.changes).toContain('+auto vmbr1\n+iface vmbr1 inet manual\n+\tbridge-ports none\n');

    expect(await lab.task('POST', '/nodes/pve/lxc', createParams(100, { net0: 'name=eth0,bridge=vmbr1,ip=dhcp' }))).toBe('OK');
    expect(await lab.task('POST', '/nodes/pve/lxc/100/status/start')).toBe("startup for container '100' failed");
  });

  it('reverts pending changes', async () => {
    expect(await lab.api('DELETE', '/nodes/pve/network')).toBeNull();
    const res = await lab.emu.callApiResult('GET', '/nodes/pve/network');
    expect(res.changes).toBeUndefined();
    expect((res.data as any[]).map((r) => r.iface)).toEqual(['eth0', 'vmbr0']);
  });

  it('applies pending changes in a srvreload task; the backend gets the bridges and CTs can start', async () => {
    await lab.api('POST', '/nodes/pve/network', { iface: 'vmbr1', type: 'bridge', autostart: 1 });
    await lab.api('POST', '/nodes/pve/network', { iface: 'vmbr2', type: 'bridge', cidr: '10.30.0.1/24' });
    const upid = await lab.api('PUT', '/nodes/pve/network');
    expect(upid).toContain(':srvreload:networking:root@pam:');
    expect(await lab.emu.waitTask(upid)).toBe('OK');
    expect(lab.backend.bridges.get('pve')!.map((b) => b.iface)).toEqual(['vmbr0', 'vmbr1']);
    const res = await lab.emu.callApiResult('GET', '/nodes/pve/network');
    expect(res.changes).toBeUndefined();
    const byName = Object.fromEntries((res.data as any[]).map((r) => [r.iface, r]));
    expect(byName.vmbr1.active).toBe(1);
    // without `autostart` ifreload -a does not bring the bridge up
    expect(byName.vmbr2.active).toBeUndefined();
    expect(await lab.task('POST', '/nodes/pve/lxc/100/status/start')).toBe('OK');
    const ifs = await lab.api('GET', '/nodes/pve/lxc/100/interfaces');
    expect(ifs.find((i: any) => i.name === 'eth0').inet).toBe('10.20.0.100/24');
  });

  it('updates and deletes an interface as pending changes', async () => {
    expect(await lab.api('PUT', '/nodes/pve/network/vmbr2', { type: 'bridge', autostart: 1, cidr: '10.40.0.1/24' })).toBeNull();
    expect(await lab.api('GET', '/nodes/pve/network/vmbr2')).toMatchObject({ cidr: '10.40.0.1/24', autostart: 1 });
    expect((await lab.emu.callApiResult('GET', '/nodes/pve/network')).changes).toContain('+\taddress 10.40.0.1/24');
    expect(await lab.fail('PUT', '/nodes/pve/network/vmbr7', { type: 'bridge' })).toMatchObject({ status: 400, errors: { iface: 'interface does not exist' } });
    expect(await lab.api('DELETE', '/nodes/pve/network/vmbr1')).toBeNull();
    expect(await lab.fail('DELETE', '/nodes/pve/network/vmbr1')).toMatchObject({ status: 400 });
    expect(await lab.task('PUT', '/nodes/pve/network')).toBe('OK');
    expect(lab.backend.bridges.get('pve')!).toEqual([
      { node: 'pve', iface: 'vmbr0', cidr: '198.18.0.2/24', bridgePorts: 'eth0' },
      { node: 'pve', iface: 'vmbr2', cidr: '10.40.0.1/24' },
    ]);
    expect(await lab.fail('GET', '/nodes/pve/network/vmbr1')).toMatchObject({ status: 400, message: 'Parameter verification failed.', errors: { iface: 'interface does not exist' } });
  });
});
