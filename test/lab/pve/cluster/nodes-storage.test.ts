import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ALPINE, ALPINE_VOLID, type Lab, createParams, startLab, withTemplate } from './test-kit';

describe('nodes, cluster and storage', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ nodes: 2 });
  });
  afterAll(() => lab?.close());

  it('lists nodes with status and the fingerprint the emulator sets', async () => {
    lab.state.setSslFingerprint('AB:CD:EF');
    const nodes = await lab.api('GET', '/nodes');
    expect(nodes.map((n: any) => n.node)).toEqual(['pve1', 'pve2']);
    expect(nodes[0]).toMatchObject({ status: 'online', maxcpu: 8, level: '', ssl_fingerprint: 'AB:CD:EF' });
    expect(nodes[0].mem).toBeGreaterThan(0);
    expect(nodes[0].mem).toBeLessThan(nodes[0].maxmem);
  });

  it('reports node status, version and rrddata', async () => {
    const st = await lab.api('GET', '/nodes/pve1/status');
    expect(st.pveversion).toMatch(/^pve-manager\/8\.4\.\d+\/[0-9a-f]{16}$/);
    expect(st.loadavg).toHaveLength(3);
    expect(typeof st.loadavg[0]).toBe('string');
    expect(st.memory.total).toBe(st.memory.used + st.memory.free);
    expect(st['current-kernel'].release).toMatch(/-pve$/);
    const v = await lab.api('GET', '/version');
    expect(v.release).toBe('8.4');
    expect(await lab.api('GET', '/nodes/pve2/version')).toMatchObject({ version: v.version, repoid: v.repoid });
    const hour = await lab.api('GET', '/nodes/pve1/rrddata', { timeframe: 'hour' });
    expect(hour).toHaveLength(70);
    expect(hour[69].time - hour[68].time).toBe(60);
    const max = await lab.api('GET', '/nodes/pve1/rrddata', { timeframe: 'day', cf: 'MAX' });
    const avg = await lab.api('GET', '/nodes/pve1/rrddata', { timeframe: 'day', cf: 'AVERAGE' });
    expect(max[69].time - max[68].time).toBe(1800);
    expect(max[10].cpu).toBeGreaterThanOrEqual(avg[10].cpu);
    expect(new Set(hour.map((r: any) => r.cpu)).size).toBeGreaterThan(10);
  });

  it('answers 595 for an offline node and a lookup error for an unknown one', async () => {
    lab.emu.faults.nodeOffline('pve2', true);
    try {
      const nodes = await lab.api('GET', '/nodes');
      expect(nodes[1]).toEqual({ node: 'pve2', id: 'node/pve2', type: 'node', status: 'offline' });
      const e = await lab.fail('GET', '/nodes/pve2/status');
      expect(e.status).toBe(595);
      const st = await lab.api('GET', '/cluster/status');
      expect(st[0]).toMatchObject({ type: 'cluster', name: 'lab-cluster', nodes: 2, quorate: 0 });
      expect(st.find((r: any) => r.name === 'pve2').online).toBe(0);
    } finally {
      lab.emu.faults.nodeOffline('pve2', false);
    }
    const e = await lab.fail('GET', '/nodes/nope/status');
    expect(e).toMatchObject({ status: 500 });
    expect(e.message).toMatch(/^hostname lookup 'nope' failed/);
  });

  it('hands out the next id as a string and refuses a taken one', async () => {
    await withTemplate(lab, 'pve1');
    expect(await lab.api('GET', '/cluster/nextid')).toBe('100');
    expect(await lab.task('POST', '/nodes/pve1/lxc', createParams(100))).toBe('OK');
    expect(await lab.api('GET', '/cluster/nextid')).toBe('101');
    expect(await lab.api('GET', '/cluster/nextid', { vmid: 200 })).toBe('200');
    const e = await lab.fail('GET', '/cluster/nextid', { vmid: 100 });
    expect(e).toMatchObject({ status: 400, errors: { vmid: 'VM 100 already exists' } });
  });

  it('lists cluster resources by type', async () => {
    const vms = await lab.api('GET', '/cluster/resources', { type: 'vm' });
    expect(vms).toEqual([expect.objectContaining({ id: 'lxc/100', type: 'lxc', vmid: 100, node: 'pve1', status: 'stopped', name: 'ct100' })]);
    const nodes = await lab.api('GET', '/cluster/resources', { type: 'node' });
    expect(nodes.map((r: any) => r.id)).toEqual(['node/pve1', 'node/pve2']);
    const storage = await lab.api('GET', '/cluster/resources', { type: 'storage' });
    expect(storage.map((r: any) => r.id)).toContain('storage/pve2/local-lvm');
    expect((await lab.api('GET', '/cluster/resources')).length).toBe(1 + 2 + 4);
  });

  it('accounts disk space per storage and lists content by type', async () => {
    const lvm = await lab.api('GET', '/nodes/pve1/storage/local-lvm/status');
    expect(lvm).toMatchObject({ type: 'lvmthin', active: 1, used: 8 * 2 ** 30 });
    expect(lvm.avail).toBe(lvm.total - lvm.used);
    const other = await lab.api('GET', '/nodes/pve2/storage/local-lvm/status');
    expect(other.used).toBe(0);
    const rootdirCapable = await lab.api('GET', '/nodes/pve1/storage', { content: 'rootdir' });
    expect(rootdirCapable.map((s: any) => s.storage)).toEqual(['local-lvm']);
    const tmpl = await lab.api('GET', '/nodes/pve1/storage/local/content', { content: 'vztmpl' });
    expect(tmpl).toEqual([expect.objectContaining({ volid: ALPINE_VOLID, content: 'vztmpl', format: 'txz' })]);
    const disks = await lab.api('GET', '/nodes/pve1/storage/local-lvm/content', { vmid: 100 });
    expect(disks).toEqual([expect.objectContaining({ volid: 'local-lvm:vm-100-disk-0', content: 'rootdir', format: 'raw', size: 8 * 2 ** 30, vmid: 100 })]);
    const e = await lab.fail('GET', '/nodes/pve1/storage/nfs/status');
    expect(e.message).toBe("storage 'nfs' does not exist");
  });

  it('deletes volumes (imgdel) but not a disk of an existing guest', async () => {
    const e = await lab.fail('DELETE', '/nodes/pve1/storage/local-lvm/content/local-lvm:vm-100-disk-0');
    expect(e.message).toBe("Cannot remove image, a guest with VMID '100' exists!");
    expect(await lab.task('DELETE', `/nodes/pve1/storage/local/content/${ALPINE_VOLID}`)).toBe('OK');
    expect(await lab.api('GET', '/nodes/pve1/storage/local/content')).toEqual([]);
  });

  it('lists appliances and downloads one; unknown, checksum and full-storage failures', async () => {
    const list = await lab.api('GET', '/nodes/pve2/aplinfo');
    const alpine = list.find((a: any) => a.template === ALPINE);
    expect(alpine).toMatchObject({ os: 'alpine', section: 'system', type: 'lxc', package: 'alpine-3.22-default' });
    expect(alpine.sha512sum).toMatch(/^[0-9a-f]{128}$/);
    expect(list.some((a: any) => a.template === 'debian-12-standard_12.7-1_amd64.tar.zst')).toBe(true);

    const unknown = await lab.fail('POST', '/nodes/pve2/aplinfo', { storage: 'local', template: 'nope.tar.zst' });
    expect(unknown).toMatchObject({ status: 400, errors: { template: 'no such template' } });

    lab.emu.faults.failTemplateDownload(ALPINE);
    const upid = await lab.api('POST', '/nodes/pve2/aplinfo', { storage: 'local', template: ALPINE });
    expect(upid).toContain(`:download:${ALPINE}:root@pam:`);
    expect(await lab.emu.waitTask(upid)).toBe(`checksum mismatch: got '${'0'.repeat(128)}' != expect '${alpine.sha512sum}'`);
    expect(await lab.api('GET', '/nodes/pve2/storage/local/content')).toEqual([]);

    lab.emu.faults.fillStorage('pve2', 'local', true);
    expect(await lab.task('POST', '/nodes/pve2/aplinfo', { storage: 'local', template: ALPINE })).toMatch(/not enough free space/);
    lab.emu.faults.fillStorage('pve2', 'local', false);
    expect(await lab.task('POST', '/nodes/pve2/aplinfo', { storage: 'local', template: ALPINE })).toBe('OK');
    expect((await lab.api('GET', '/nodes/pve2/storage/local/content')).map((v: any) => v.volid)).toEqual([`local:vztmpl/${ALPINE}`]);
    const noTemplates = await lab.fail('POST', '/nodes/pve2/aplinfo', { storage: 'local-lvm', template: ALPINE });
    expect(noTemplates.message).toBe("storage 'local-lvm' does not support templates");
  });
});
