// Over real HTTPS with form encoding (as proxmox-api sends it): JSON shapes and PVE's error statuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createVirtualBackend } from '../../backends/virtual-backend';
import { createEmulator, type Emulator } from '../emulator';
import { raw } from '../test-helpers';
import { ALPINE, ALPINE_VOLID, lastStartTask } from './test-kit';

describe('cluster routes over HTTPS', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await createEmulator({ backend: createVirtualBackend(), taskSeconds: 0 });
  });
  afterAll(() => emu?.close());

  const waitOk = async (res: { json: any }) => expect(await emu.waitTask(res.json.data)).toBe('OK');

  it('serves nextid as a JSON string and the 400 errors map for a taken id', async () => {
    const next = await raw(emu, 'GET', '/api2/json/cluster/nextid', { token: true });
    expect(next.text).toBe('{"data":"100"}');
    await waitOk(await raw(emu, 'POST', `/api2/json/nodes/pve/aplinfo`, { token: true, body: `storage=local&template=${ALPINE}` }));
    const body = `vmid=100&ostemplate=${encodeURIComponent(ALPINE_VOLID)}&rootfs=local-lvm%3A4&unprivileged=1&net0=${encodeURIComponent('name=eth0,bridge=vmbr0,ip=dhcp')}`;
    await waitOk(await raw(emu, 'POST', '/api2/json/nodes/pve/lxc', { token: true, body: `${body}&features=nesting%3D1&start=1` }));
    expect(await emu.waitTask(lastStartTask(emu, 100)!)).toBe('OK');
    const taken = await raw(emu, 'GET', '/api2/json/cluster/nextid?vmid=100', { token: true });
    expect(taken.status).toBe(400);
    expect(taken.json.errors).toEqual({ vmid: 'VM 100 already exists' });
  });

  it('answers 403 for keyctl with a token and 500 for a collision, as reason phrases', async () => {
    const body = `vmid=101&ostemplate=${encodeURIComponent(ALPINE_VOLID)}&rootfs=local-lvm%3A4&unprivileged=1&features=${encodeURIComponent('keyctl=1,nesting=1')}`;
    const denied = await raw(emu, 'POST', '/api2/json/nodes/pve/lxc', { token: true, body });
    expect(denied.status).toBe(403);
    expect(denied.reason).toBe('Permission check failed (changing feature flags (except nesting) is only allowed for root@pam)');
    const dup = await raw(emu, 'POST', '/api2/json/nodes/pve/lxc', { token: true, body: body.replace('vmid=101', 'vmid=100').replace(/&features=[^&]+/, '') });
    expect(dup.status).toBe(500);
    expect(dup.reason).toBe("CT 100 already exists on node 'pve'");
  });

  it('returns interfaces of a running CT and `changes` at top level of the network list', async () => {
    const ifs = await raw(emu, 'GET', '/api2/json/nodes/pve/lxc/100/interfaces', { token: true });
    expect(ifs.json.data.map((i: any) => i.name)).toEqual(['lo', 'eth0']);
    expect(ifs.json.data[1].inet).toBe('198.18.0.100/24');
    const created = await raw(emu, 'POST', '/api2/json/nodes/pve/network', { token: true, body: 'iface=vmbr1&type=bridge&autostart=1' });
    expect(created.text).toBe('{"data":null}');
    const list = await raw(emu, 'GET', '/api2/json/nodes/pve/network', { token: true });
    expect(list.json.changes).toContain('+iface vmbr1 inet manual');
    const status = await raw(emu, 'GET', '/api2/json/nodes/pve/lxc/100/status/current', { token: true });
    expect(status.json.data).toMatchObject({ status: 'running', vmid: 100, ha: { managed: 0 } });
  });
});
