import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Lab, createParams, startLab, withTemplate } from './test-kit';

describe('PVE 9.1 flavour', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ schema: '9.1' });
    await withTemplate(lab);
  });
  afterAll(() => lab?.close());

  it('reports 9.1 versions and pressure fields, and answers match the 9.1 schema', async () => {
    expect((await lab.api('GET', '/version')).release).toBe('9.1');
    expect((await lab.api('GET', '/nodes/pve/status')).pveversion).toMatch(/^pve-manager\/9\.1\./);
    expect(await lab.task('POST', '/nodes/pve/lxc', createParams(100, { start: 1 }))).toBe('OK');
    expect(await lab.started(100)).toBe('OK');
    const st = await lab.api('GET', '/nodes/pve/lxc/100/status/current');
    expect(st).toMatchObject({ status: 'running', pressurecpusome: 0 });
    await lab.api('GET', '/nodes/pve/lxc');
    await lab.api('GET', '/nodes/pve/lxc/100/config');
    await lab.api('GET', '/nodes/pve/network');
    await lab.api('GET', '/cluster/resources');
    await lab.api('GET', '/nodes/pve/storage/local-lvm/content');
  });

  it('creates unprivileged by default and reports a missing template from the worker', async () => {
    const { unprivileged: _u, ...params } = createParams(101);
    expect(await lab.task('POST', '/nodes/pve/lxc', params)).toBe('OK');
    expect((await lab.api('GET', '/nodes/pve/lxc/101/config')).unprivileged).toBe(1);
    const missing = 'local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst';
    expect(await lab.task('POST', '/nodes/pve/lxc', createParams(102, { ostemplate: missing })))
      .toBe(`unable to create CT 102 - can't find file '${missing}'`);
    expect(lab.state.containers.has(102)).toBe(false);
    expect(await lab.api('GET', '/nodes/pve/storage/local-lvm/content', { vmid: 102 })).toEqual([]);
  });
});
