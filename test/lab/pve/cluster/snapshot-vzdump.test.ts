import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Lab, createParams, startLab, withTemplate } from './test-kit';

describe('snapshots and backups', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await withTemplate(lab);
    expect(await lab.task('POST', '/nodes/pve/lxc', createParams(100, { memory: 512 }))).toBe('OK');
  });
  afterAll(() => lab?.close());

  it('lists only `current` at first, then snapshots with parents', async () => {
    expect(await lab.api('GET', '/nodes/pve/lxc/100/snapshot')).toEqual([
      expect.objectContaining({ name: 'current', description: 'You are here!', running: 0 }),
    ]);
    expect(await lab.task('POST', '/nodes/pve/lxc/100/snapshot', { snapname: 'before_update', description: 'v1' })).toBe('OK');
    await lab.api('PUT', '/nodes/pve/lxc/100/config', { memory: 2048 });
    expect(await lab.task('POST', '/nodes/pve/lxc/100/snapshot', { snapname: 'second' })).toBe('OK');
    const list = await lab.api('GET', '/nodes/pve/lxc/100/snapshot');
    const byName = Object.fromEntries(list.map((s: any) => [s.name, s]));
    expect(byName.before_update).toMatchObject({ description: 'v1', snaptime: expect.any(Number) });
    expect(byName.before_update.parent).toBeUndefined();
    expect(byName.second.parent).toBe('before_update');
    expect(byName.current.parent).toBe('second');
    expect((await lab.api('GET', '/nodes/pve/lxc/100/config')).parent).toBe('second');
    expect(await lab.task('POST', '/nodes/pve/lxc/100/snapshot', { snapname: 'second' })).toBe("snapshot name 'second' already used");
    expect((await lab.fail('POST', '/nodes/pve/lxc/100/snapshot', { snapname: 'current' })).message).toBe("unable to use snapshot name 'current' (reserved name)");
  });

  it('reads and edits a snapshot config', async () => {
    expect(await lab.api('GET', '/nodes/pve/lxc/100/snapshot/before_update/config')).toMatchObject({ memory: 512, description: 'v1', hostname: 'ct100' });
    expect(await lab.api('PUT', '/nodes/pve/lxc/100/snapshot/before_update/config', { description: 'v1 (good)' })).toBeNull();
    expect((await lab.api('GET', '/nodes/pve/lxc/100/config', { snapshot: 'before_update' })).description).toBe('v1 (good)');
    expect((await lab.fail('GET', '/nodes/pve/lxc/100/snapshot/nope/config')).message).toBe("snapshot 'nope' does not exist");
  });

  it('rolls back (restoring the config and stopping the CT) and deletes snapshots', async () => {
    expect(await lab.task('POST', '/nodes/pve/lxc/100/status/start')).toBe('OK');
    const upid = await lab.api('POST', '/nodes/pve/lxc/100/snapshot/before_update/rollback');
    expect(upid).toContain(':vzrollback:100:');
    expect((await lab.api('GET', '/nodes/pve/lxc/100/config')).lock).toBe('rollback');
    expect(await lab.emu.waitTask(upid)).toBe('OK');
    const cfg = await lab.api('GET', '/nodes/pve/lxc/100/config');
    expect(cfg).toMatchObject({ memory: 512, parent: 'before_update' });
    expect(cfg.lock).toBeUndefined();
    expect((await lab.api('GET', '/nodes/pve/lxc/100/status/current')).status).toBe('stopped');
    expect(await lab.task('POST', '/nodes/pve/lxc/100/snapshot/second/rollback', { start: 1 })).toBe('OK');
    expect(await lab.started(100)).toBe('OK');
    expect((await lab.api('GET', '/nodes/pve/lxc/100/status/current')).status).toBe('running');

    expect(await lab.task('DELETE', '/nodes/pve/lxc/100/snapshot/before_update')).toBe('OK');
    const list = await lab.api('GET', '/nodes/pve/lxc/100/snapshot');
    expect(list.map((s: any) => s.name).sort()).toEqual(['current', 'second']);
    expect(list.find((s: any) => s.name === 'second').parent).toBeUndefined();
    expect(await lab.task('DELETE', '/nodes/pve/lxc/100/snapshot/nope')).toBe("snapshot 'nope' does not exist");
  });

  it('refuses snapshots of a rootfs on a dir storage', async () => {
    lab.state.nodes.get('pve')!.storages.get('local')!.content.push('rootdir');
    expect(await lab.task('POST', '/nodes/pve/lxc', createParams(101, { rootfs: 'local:2' }))).toBe('OK');
    expect((await lab.api('GET', '/nodes/pve/lxc/101/config')).rootfs).toBe('local:101/vm-101-disk-0.raw,size=2G');
    expect(await lab.task('POST', '/nodes/pve/lxc/101/snapshot', { snapname: 's1' })).toBe('snapshot feature is not available');
  });

  it('backs up into storage content with notes; full storage fails the job', async () => {
    const upid = await lab.api('POST', '/nodes/pve/vzdump', { vmid: '100', storage: 'local', mode: 'snapshot', compress: 'zstd', 'notes-template': '{{guestname}} on {{node}}' });
    expect(upid).toContain(':vzdump:100:root@pam:');
    expect(await lab.emu.waitTask(upid)).toBe('OK');
    expect(lab.taskLog(upid)).toContain('INFO: Backup job finished successfully');
    const backups = await lab.api('GET', '/nodes/pve/storage/local/content', { content: 'backup' });
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({ content: 'backup', format: 'tar.zst', vmid: 100, notes: 'ct100 on pve', subtype: 'lxc', protected: 0 });
    expect(backups[0].volid).toMatch(/^local:backup\/vzdump-lxc-100-\d{4}_\d{2}_\d{2}-\d{2}_\d{2}_\d{2}\.tar\.zst$/);
    expect(backups[0].size).toBeGreaterThan(0);
    expect(Math.abs(backups[0].ctime - Date.now() / 1000)).toBeLessThan(60);

    lab.emu.faults.fillStorage('pve', 'local', true);
    try {
      const failed = await lab.api('POST', '/nodes/pve/vzdump', { vmid: '100', storage: 'local', compress: 'zstd' });
      expect(await lab.emu.waitTask(failed)).toBe('job errors');
      expect(lab.taskLog(failed).join('\n')).toMatch(/ERROR: Backup of VM 100 failed - .*not enough free space/);
    } finally {
      lab.emu.faults.fillStorage('pve', 'local', false);
    }
    expect(await lab.api('GET', '/nodes/pve/storage/local/content', { content: 'backup' })).toHaveLength(1);
    expect((await lab.fail('POST', '/nodes/pve/vzdump', { vmid: '100', storage: 'local-lvm' })).message).toBe("storage 'local-lvm' does not support vzdump backups");
    expect((await lab.fail('POST', '/nodes/pve/vzdump', { storage: 'local' })).errors).toEqual({ vmid: 'property is missing' });
    expect((await lab.fail('POST', '/nodes/pve/vzdump', { all: 1, vmid: '100' })).errors).toEqual({ all: "option conflicts with option 'vmid'" });
    expect(await lab.task('POST', '/nodes/pve/vzdump', { vmid: '100,999', storage: 'local' })).toBe('job errors');
  });

  it('holds lock: backup during the job; stop mode restarts a running CT', async () => {
    const lab2 = await startLab({ taskSeconds: 0.2 });
    try {
      await withTemplate(lab2);
      expect(await lab2.task('POST', '/nodes/pve/lxc', createParams(100, { start: 1 }))).toBe('OK');
      expect(await lab2.started(100)).toBe('OK');
      const upid = await lab2.api('POST', '/nodes/pve/vzdump', { vmid: '100', storage: 'local', mode: 'stop', compress: 'gzip' });
      expect((await lab2.api('GET', '/nodes/pve/lxc/100/config')).lock).toBe('backup');
      expect(await lab2.fail('PUT', '/nodes/pve/lxc/100/config', { memory: 1024 })).toMatchObject({ message: 'CT is locked (backup)' });
      expect(await lab2.emu.waitTask(upid)).toBe('OK');
      expect(lab2.taskLog(upid)).toEqual(expect.arrayContaining(['INFO: stopping virtual guest', 'INFO: restarting vm']));
      expect((await lab2.api('GET', '/nodes/pve/lxc/100/config')).lock).toBeUndefined();
      expect((await lab2.api('GET', '/nodes/pve/lxc/100/status/current')).status).toBe('running');
      const [b] = await lab2.api('GET', '/nodes/pve/storage/local/content', { content: 'backup' });
      expect(b.format).toBe('tar.gz');
    } finally {
      await lab2.close();
    }
  });
});
