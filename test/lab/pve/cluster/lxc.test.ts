import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ALPINE_VOLID, type Lab, TOKEN, createParams, startLab, withTemplate } from './test-kit';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDr6nzsqkkI8fJ5zvGz4Bx5t1qo3l9E0Wc7Xc0a4N7KQ lab@test';

describe('LXC while a create task runs', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ taskSeconds: 0.3 });
    await withTemplate(lab);
  });
  afterAll(() => lab?.close());

  it('shows lock: create from the moment the UPID is returned and refuses other operations', async () => {
    const upid = await lab.api('POST', '/nodes/pve/lxc', createParams(100, { password: 'secret123', 'ssh-public-keys': KEY }));
    expect(upid).toMatch(/^UPID:pve:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:vzcreate:100:root@pam:$/);
    expect(await lab.api('GET', '/nodes/pve/lxc/100/config')).toEqual({ lock: 'create', digest: expect.stringMatching(/^[0-9a-f]{40}$/) });
    // PVE::LXC::vmstatus: no rootfs yet => maxdisk 4 GiB; a stopped CT has disk 0; `template` only for templates
    const creating = await lab.api('GET', '/nodes/pve/lxc/100/status/current');
    expect(creating).toMatchObject({ status: 'stopped', lock: 'create', vmid: 100, maxdisk: 4 * 2 ** 30, disk: 0 });
    expect(creating).not.toHaveProperty('template');
    expect((await lab.api('GET', '/nodes/pve/lxc'))[0]).toMatchObject({ vmid: 100, lock: 'create' });
    expect(await lab.fail('PUT', '/nodes/pve/lxc/100/config', { memory: 1024 })).toMatchObject({ status: 500, message: 'CT is locked (create)' });
    // check_lock comes before assert_if_modified
    expect(await lab.fail('PUT', '/nodes/pve/lxc/100/config', { memory: 1024, digest: '0'.repeat(40) })).toMatchObject({ status: 500, message: 'CT is locked (create)' });
    expect(await lab.fail('DELETE', '/nodes/pve/lxc/100')).toMatchObject({ status: 500, message: 'CT is locked (create)' });
    const start = await lab.api('POST', '/nodes/pve/lxc/100/status/start');
    expect(await lab.emu.waitTask(upid)).toBe('OK');
    expect(await lab.emu.waitTask(start)).toBe('CT is locked (create)');
    const cfg = await lab.api('GET', '/nodes/pve/lxc/100/config');
    expect(cfg.lock).toBeUndefined();
    expect(JSON.stringify(cfg)).not.toContain('secret123');
    expect(cfg).not.toHaveProperty('ssh-public-keys');
  });

  it('start=1 forks a separate vzstart task: the CT is not running yet when vzcreate ends', async () => {
    const create = await lab.api('POST', '/nodes/pve/lxc', createParams(101, { start: 1 }));
    expect(await lab.emu.waitTask(create)).toBe('OK');
    expect(lab.taskLog(create).join('\n')).not.toContain('startup');
    const start = await lab.api('GET', '/nodes/pve/tasks', { source: 'active', vmid: 101 });
    expect(start).toEqual([expect.objectContaining({ type: 'vzstart', id: '101', status: 'RUNNING' })]);
    expect((await lab.api('GET', '/nodes/pve/lxc/101/status/current')).status).toBe('stopped');
    expect(await lab.started(101)).toBe('OK');
    expect((await lab.api('GET', '/nodes/pve/lxc/101/status/current')).status).toBe('running');
  });
});

describe('LXC lifecycle', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await withTemplate(lab);
  });
  afterAll(() => lab?.close());

  it('creates a container with PVE-shaped config', async () => {
    expect(await lab.task('POST', '/nodes/pve/lxc', createParams(100, {
      memory: 1024, swap: 256, cores: 2, features: 'nesting=1', onboot: 1, nameserver: '10.20.0.1', searchdomain: 'prox.local',
      tags: 'proximity', description: 'an app', net1: 'name=eth1,bridge=vmbr0,ip=10.0.0.5/24,hwaddr=BC:24:11:00:00:01',
    }))).toBe('OK');
    const cfg = await lab.api('GET', '/nodes/pve/lxc/100/config');
    expect(cfg).toMatchObject({
      arch: 'amd64', hostname: 'ct100', memory: 1024, swap: 256, cores: 2, unprivileged: 1, features: 'nesting=1', onboot: 1,
      ostype: 'alpine', rootfs: 'local-lvm:vm-100-disk-0,size=8G', nameserver: '10.20.0.1', searchdomain: 'prox.local', tags: 'proximity',
      description: 'an app', net1: 'name=eth1,bridge=vmbr0,hwaddr=BC:24:11:00:00:01,ip=10.0.0.5/24,type=veth',
    });
    expect(cfg.net0).toMatch(/^name=eth0,bridge=vmbr0,hwaddr=BC:24:11:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2},ip=dhcp,type=veth$/);
  });

  it('refuses a vmid collision, a missing template and a storage without rootdir', async () => {
    expect(await lab.fail('POST', '/nodes/pve/lxc', createParams(100))).toMatchObject({ status: 500, message: "CT 100 already exists on node 'pve'" });
    expect(await lab.fail('POST', '/nodes/pve/lxc', createParams(101, { ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst' })))
      .toMatchObject({ status: 500, message: "can't find file 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst'" });
    const { rootfs: _r, ...noRootfs } = createParams(101);
    expect(await lab.fail('POST', '/nodes/pve/lxc', noRootfs))
      .toMatchObject({ status: 400, errors: { storage: "storage 'local' does not support container directories" } });
    expect(await lab.fail('POST', '/nodes/pve/lxc', createParams(101, { 'ssh-public-keys': 'not a key' })))
      .toMatchObject({ status: 500, message: 'SSH public key validation error' });
    expect(lab.state.containers.has(101)).toBe(false);
    // 8.4 creates privileged containers unless `unprivileged=1`
    const { unprivileged: _u, ...priv } = createParams(101);
    expect(await lab.task('POST', '/nodes/pve/lxc', priv)).toBe('OK');
    expect(await lab.api('GET', '/nodes/pve/lxc/101/config')).not.toHaveProperty('unprivileged');
    expect(await lab.task('DELETE', '/nodes/pve/lxc/101')).toBe('OK');
  });

  it('starts, reports addresses, stops, with PVE errors for wrong states', async () => {
    expect(await lab.api('GET', '/nodes/pve/lxc/100/interfaces')).toBeNull();
    expect(await lab.api('GET', '/nodes/pve/lxc/100/status/current')).toMatchObject({ status: 'stopped', disk: 0, maxdisk: 8 * 2 ** 30 });
    expect(await lab.task('POST', '/nodes/pve/lxc/100/status/start')).toBe('OK');
    expect(await lab.fail('POST', '/nodes/pve/lxc/100/status/start')).toMatchObject({ status: 500, message: 'CT 100 already running' });
    const st = await lab.api('GET', '/nodes/pve/lxc/100/status/current');
    expect(st).toMatchObject({ status: 'running', vmid: 100, name: 'ct100', cpus: 2, maxmem: 1024 * 2 ** 20, maxdisk: 8 * 2 ** 30, ha: { managed: 0 } });
    expect(st.mem).toBeGreaterThan(0);
    const ifs = await lab.api('GET', '/nodes/pve/lxc/100/interfaces');
    expect(ifs.map((i: any) => [i.name, i.inet])).toEqual([['lo', '127.0.0.1/8'], ['eth0', '198.18.0.100/24'], ['eth1', '10.0.0.5/24']]);
    expect(ifs[2].hwaddr).toBe('bc:24:11:00:00:01');
    const rrd = await lab.api('GET', '/nodes/pve/lxc/100/rrddata', { timeframe: 'hour' });
    expect(rrd).toHaveLength(70);
    expect(rrd[0]).toEqual({ time: expect.any(Number) });
    expect(rrd[69]).toMatchObject({ maxmem: 1024 * 2 ** 20, maxcpu: 2 });
    expect(rrd[69].mem).toBeGreaterThan(0);
    expect(await lab.task('POST', '/nodes/pve/lxc/100/status/reboot')).toBe('OK');
    expect(await lab.task('POST', '/nodes/pve/lxc/100/status/shutdown', { timeout: 10 })).toBe('OK');
    expect(await lab.api('GET', '/nodes/pve/lxc/100/interfaces')).toBeNull();
    expect(await lab.fail('POST', '/nodes/pve/lxc/100/status/stop')).toMatchObject({ status: 500, message: 'CT 100 not running' });
    expect(await lab.fail('POST', '/nodes/pve/lxc/100/status/shutdown')).toMatchObject({ message: 'CT 100 not running' });
    expect(await lab.fail('POST', '/nodes/pve/lxc/100/status/reboot')).toMatchObject({ message: 'VM 100 not running' });
    expect(await lab.task('POST', '/nodes/pve/lxc/100/status/start')).toBe('OK');
    expect(await lab.task('POST', '/nodes/pve/lxc/100/status/stop')).toBe('OK');
    expect(lab.backend.isRunning('pve', 100)).toBe(false);
  });

  it('fails the config-file lock like PVE when another worker holds it (details in config-lock.test.ts)', async () => {
    lab.emu.faults.holdGuestLock(100);
    try {
      // taken inside the worker: a UPID, and the task fails after the lock timeout
      const upid = await lab.api('POST', '/nodes/pve/lxc/100/status/start');
      expect(await lab.emu.waitTask(upid)).toBe("can't lock file '/run/lock/lxc/pve-config-100.lock' - got timeout");
      // taken before forking: the call itself fails
      expect((await lab.fail('PUT', '/nodes/pve/lxc/100/config', { memory: 2048 })).message).toMatch(/^can't lock file/);
      lab.emu.faults.holdGuestLock(140);
      expect((await lab.fail('POST', '/nodes/pve/lxc', createParams(140))).message)
        .toBe("unable to create CT 140 - can't lock file '/run/lock/lxc/pve-config-140.lock' - got timeout");
      expect(lab.state.containers.has(140)).toBe(false);
    } finally {
      lab.emu.faults.releaseGuestLock(100);
      lab.emu.faults.releaseGuestLock(140);
    }
  });

  it('updates the config with digest and delete, refusing a stale digest', async () => {
    const { digest } = await lab.api('GET', '/nodes/pve/lxc/100/config');
    expect(await lab.api('PUT', '/nodes/pve/lxc/100/config', { memory: 2048, delete: 'description,tags', digest })).toBeNull();
    const cfg = await lab.api('GET', '/nodes/pve/lxc/100/config');
    expect(cfg.memory).toBe(2048);
    expect(cfg).not.toHaveProperty('description');
    expect(cfg).not.toHaveProperty('tags');
    expect(cfg.digest).not.toBe(digest);
    expect(await lab.fail('PUT', '/nodes/pve/lxc/100/config', { memory: 512, digest }))
      .toMatchObject({ status: 500, message: 'detected modified configuration - file changed by other user? Try again.' });
    // update_vm's own checks, with PVE's texts
    expect(await lab.fail('PUT', '/nodes/pve/lxc/100/config', {})).toMatchObject({ status: 500, message: 'no options specified' });
    expect(await lab.fail('PUT', '/nodes/pve/lxc/100/config', { delete: 'memroy' }))
      .toMatchObject({ status: 400, errors: { delete: "unknown option 'memroy'" } });
    expect(await lab.fail('PUT', '/nodes/pve/lxc/100/config', { memory: 512, delete: 'memory' }))
      .toMatchObject({ status: 400, errors: { delete: "you can't use '-memory' and -delete memory' at the same time" } });
    expect(await lab.api('PUT', '/nodes/pve/lxc/100/config', { delete: 'net9,mp3' })).toBeNull();
    // update_pct_config dies (500) for required and read-only options
    expect(await lab.fail('PUT', '/nodes/pve/lxc/100/config', { delete: 'rootfs' })).toMatchObject({ status: 500, message: "unable to delete required option 'rootfs'" });
    expect(await lab.fail('PUT', '/nodes/pve/lxc/100/config', { delete: 'ostype' })).toMatchObject({ status: 500, message: "unable to delete required option 'ostype'" });
    expect(await lab.fail('PUT', '/nodes/pve/lxc/100/config', { delete: 'unprivileged' })).toMatchObject({ status: 500, message: "unable to delete read-only option: 'unprivileged'" });
    expect(await lab.fail('PUT', '/nodes/pve/lxc/100/config', { unprivileged: 0 })).toMatchObject({ status: 500, message: "unable to modify read-only option: 'unprivileged'" });
    // a changed net0 keeps its MAC unless one is given
    const before = String(cfg.net0).match(/hwaddr=([^,]+)/)![1];
    await lab.api('PUT', '/nodes/pve/lxc/100/config', { net0: 'name=eth0,bridge=vmbr0,ip=10.1.1.1/24' });
    expect((await lab.api('GET', '/nodes/pve/lxc/100/config')).net0).toContain(`hwaddr=${before}`);
  });

  it('refuses feature flags other than nesting for an API token, allows them for a root@pam ticket', async () => {
    const keyctl = await lab.fail('POST', '/nodes/pve/lxc', createParams(110, { features: 'keyctl=1,nesting=1' }), TOKEN);
    expect(keyctl).toMatchObject({ status: 403, message: 'Permission check failed (changing feature flags (except nesting) is only allowed for root@pam)' });
    const priv = await lab.fail('POST', '/nodes/pve/lxc', createParams(110, { features: 'nesting=1', unprivileged: 0 }), TOKEN);
    expect(priv.message).toBe('Permission check failed (changing feature flags for privileged container is only allowed for root@pam)');
    const upid = await lab.api('POST', '/nodes/pve/lxc', createParams(110, { features: 'nesting=1' }), TOKEN);
    expect(upid).toContain(':vzcreate:110:root@pam!proximity:');
    expect(await lab.emu.waitTask(upid)).toBe('OK');
    expect((await lab.fail('PUT', '/nodes/pve/lxc/110/config', { features: 'nesting=1,keyctl=1' }, TOKEN)).status).toBe(403);
    expect(await lab.api('PUT', '/nodes/pve/lxc/110/config', { features: 'nesting=1,keyctl=1' })).toBeNull();
    expect((await lab.api('GET', '/nodes/pve/lxc/110/config')).features).toBe('keyctl=1,nesting=1');
    expect(await lab.task('POST', '/nodes/pve/lxc', createParams(111, { features: 'keyctl=1,nesting=1' }))).toBe('OK');
  });

  it('a failed create leaves no config and no disk behind', async () => {
    const lvmBefore = (await lab.api('GET', '/nodes/pve/storage/local-lvm/status')).used;
    lab.emu.faults.fillStorage('pve', 'local-lvm', true);
    try {
      expect(await lab.task('POST', '/nodes/pve/lxc', createParams(120)))
        .toBe("unable to create CT 120 - unable to create image: not enough free space on storage 'local-lvm'");
    } finally {
      lab.emu.faults.fillStorage('pve', 'local-lvm', false);
    }
    lab.emu.faults.failNextTask('vzcreate', 'unable to create CT 121 - command failed');
    expect(await lab.task('POST', '/nodes/pve/lxc', createParams(121))).toBe('unable to create CT 121 - command failed');
    // a disk bigger than the pool fails the same way
    expect(await lab.task('POST', '/nodes/pve/lxc', createParams(122, { rootfs: 'local-lvm:4000' }))).toMatch(/not enough free space/);
    for (const id of [120, 121, 122]) {
      expect((await lab.fail('GET', `/nodes/pve/lxc/${id}/config`)).message).toBe(`Configuration file 'nodes/pve/lxc/${id}.conf' does not exist`);
    }
    expect((await lab.api('GET', '/nodes/pve/storage/local-lvm/status')).used).toBe(lvmBefore);
    expect(await lab.api('GET', '/cluster/nextid')).toBe('101');
  });

  it('starting on a bridge that is not up fails the task; create+start keeps the created CT', async () => {
    // start=1: vzcreate succeeds and forks a separate vzstart task, which is the one that fails
    expect(await lab.task('POST', '/nodes/pve/lxc', createParams(130, { net0: 'name=eth0,bridge=vmbr9,ip=dhcp', start: 1 }))).toBe('OK');
    expect(await lab.started(130)).toBe("startup for container '130' failed");
    expect(await lab.api('GET', '/nodes/pve/lxc/130/status/current')).toMatchObject({ status: 'stopped' });
    const upid = await lab.api('POST', '/nodes/pve/lxc/130/status/start');
    expect(await lab.emu.waitTask(upid)).toBe("startup for container '130' failed");
    expect(lab.taskLog(upid)).toContain("bridge 'vmbr9' does not exist");
  });

  it('a backend that cannot start the CT fails the start task with PVE text and the backend message in the log', async () => {
    const original = lab.backend.startContainer;
    lab.backend.startContainer = async () => {
      throw new Error('veth setup failed: no such device');
    };
    try {
      expect(await lab.task('POST', '/nodes/pve/lxc', createParams(131))).toBe('OK');
      const upid = await lab.api('POST', '/nodes/pve/lxc/131/status/start');
      expect(await lab.emu.waitTask(upid)).toBe("startup for container '131' failed");
      expect(lab.taskLog(upid)).toContain('veth setup failed: no such device');
      expect((await lab.api('GET', '/nodes/pve/lxc/131/status/current')).status).toBe('stopped');
    } finally {
      lab.backend.startContainer = original;
    }
  });

  it('destroys: running needs force, missing guests answer 500', async () => {
    expect(await lab.task('POST', '/nodes/pve/lxc/100/status/start')).toBe('OK');
    expect(await lab.fail('DELETE', '/nodes/pve/lxc/100')).toMatchObject({ status: 500, message: 'unable to destroy CT 100 - container is running' });
    const upid = await lab.api('DELETE', '/nodes/pve/lxc/100', { force: 1, purge: 1, 'destroy-unreferenced-disks': 1 });
    expect(await lab.emu.waitTask(upid)).toBe('OK');
    expect(lab.taskLog(upid)).toContain('forced to stop CT 100 before destroying!');
    expect(lab.taskLog(upid)).toContain('  Logical volume "vm-100-disk-0" successfully removed.');
    expect(await lab.api('GET', '/nodes/pve/storage/local-lvm/content', { vmid: 100 })).toEqual([]);
    const missing = "Configuration file 'nodes/pve/lxc/100.conf' does not exist";
    expect(await lab.fail('GET', '/nodes/pve/lxc/100/config')).toMatchObject({ status: 500, message: missing });
    expect(await lab.fail('GET', '/nodes/pve/lxc/100/status/current')).toMatchObject({ status: 500, message: missing });
    expect(await lab.fail('DELETE', '/nodes/pve/lxc/100')).toMatchObject({ status: 500, message: missing });
    expect(await lab.fail('GET', '/nodes/pve/lxc/100/interfaces')).toMatchObject({ status: 500, message: missing });
    expect(lab.state.containers.has(100)).toBe(false);
    // start/stop check "running" synchronously; only the start worker loads the config (PVE's Status.pm)
    expect(await lab.fail('POST', '/nodes/pve/lxc/100/status/stop')).toMatchObject({ status: 500, message: 'CT 100 not running' });
    expect(await lab.task('POST', '/nodes/pve/lxc/100/status/start')).toBe(missing);
    void ALPINE_VOLID;
  });
});
