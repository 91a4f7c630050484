// Issue 12, the emulator half: each failure real PVE hosts throw at a deployment is provoked through the lab
// (a fault kind / lab setting) and shows PVE's own status codes and texts. The failures that live inside the
// container (DNS/NAT, Docker) are in test/lab/e2e/host-failures.test.ts on the netns backend.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { runPveam } from '../node/pveam-commands';
import { ALPINE, ALPINE_VOLID, createParams, startLab, withTemplate, type Lab } from './cluster/test-kit';
import { STALE_INDEX } from './cluster/aplinfo';

let lab: Lab;
beforeAll(async () => {
  lab = await startLab();
});
afterAll(async () => {
  await lab?.close();
});
afterEach(() => lab.emu.faults.clear());

const pveam = (...args: string[]) =>
  runPveam({
    node: 'pve',
    backend: lab.backend,
    callApi: (m, p, params) => lab.emu.callApi(m, p, params),
    waitTask: (u) => lab.emu.waitTask(u),
    updateTemplateIndex: () => lab.emu.faults.host.updateTemplateIndex('pve'),
  }, args) as Promise<{ stdout: string; stderr: string; exitCode: number }>;

/** Run a task-returning call; the exit status and the task log. */
async function taskWithLog(method: string, path: string, params: Record<string, unknown>): Promise<{ status: string; log: string[] }> {
  const upid = await lab.api(method, path, params);
  const status = await lab.emu.waitTask(upid);
  return { status, log: lab.taskLog(upid) };
}

async function destroy(vmid: number): Promise<void> {
  if (lab.state.containers.has(vmid)) expect(await lab.task('DELETE', `/nodes/pve/lxc/${vmid}`)).toBe('OK');
}

describe('1. the template index has moved on', () => {
  it('a stale index lacks the newest Alpine, refuses it with 400 "no such template", and pveam update fixes it', async () => {
    lab.emu.faults.apply({ kind: 'templateIndex', node: 'pve', index: 'stale' });
    const stale = (await lab.api('GET', '/nodes/pve/aplinfo')) as { template: string }[];
    expect(stale.map((r) => r.template)).toEqual(STALE_INDEX);
    expect(stale.map((r) => r.template)).not.toContain(ALPINE);

    const refused = await lab.fail('POST', '/nodes/pve/aplinfo', { storage: 'local', template: ALPINE });
    expect(refused).toEqual({ status: 400, message: 'Parameter verification failed.', errors: { template: 'no such template' } });
    // an old build the stale index still names is gone from the mirror
    const gone = await taskWithLog('POST', '/nodes/pve/aplinfo', { storage: 'local', template: 'alpine-3.19-default_20240207_amd64.tar.xz' });
    expect(gone.status).toMatch(/^download failed: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d ERROR 404: Not Found\.$/);

    expect(await pveam('update')).toEqual({ stdout: 'update successful\n', stderr: '', exitCode: 0 });
    const current = (await lab.api('GET', '/nodes/pve/aplinfo')) as { template: string }[];
    expect(current.map((r) => r.template)).toContain(ALPINE);
    expect(await lab.task('POST', '/nodes/pve/aplinfo', { storage: 'local', template: ALPINE })).toBe('OK');
    expect(await lab.task('DELETE', `/nodes/pve/storage/local/content/${ALPINE_VOLID}`)).toBe('OK');
  });

  it('a node whose refresh fails keeps its stale list; a custom list is served as given', async () => {
    lab.emu.faults.apply({ kind: 'templateIndex', node: 'pve', index: 'stale', updateFails: true });
    expect(await pveam('update')).toEqual({ stdout: '', stderr: 'update failed - see /var/log/pveam.log for details\n', exitCode: 255 });
    expect(((await lab.api('GET', '/nodes/pve/aplinfo')) as { template: string }[]).map((r) => r.template)).toEqual(STALE_INDEX);

    const custom = ['alpine-3.23-default_20251201_amd64.tar.xz', 'debian-13-standard_13.1-2_amd64.tar.zst'];
    lab.emu.faults.apply({ kind: 'templateIndex', node: 'pve', index: custom });
    const rows = (await lab.api('GET', '/nodes/pve/aplinfo')) as { template: string; os: string; package: string }[];
    expect(rows.map((r) => [r.template, r.os, r.package])).toEqual([
      [custom[0], 'alpine', 'alpine-3.23-default'],
      [custom[1], 'debian-13', 'debian-13-standard'],
    ]);
  });
});

describe('2. a template download fails verification or is cut short; a corrupt template breaks create', () => {
  it('checksum mismatch and interrupted downloads end the task with PVE\'s texts and leave no volume', async () => {
    lab.emu.faults.apply({ kind: 'failTemplateDownload', template: ALPINE });
    const bad = await taskWithLog('POST', '/nodes/pve/aplinfo', { storage: 'local', template: ALPINE });
    expect(bad.status).toMatch(/^checksum mismatch: got '0{128}' != expect '[0-9a-f]{128}'$/);
    lab.emu.faults.apply({ kind: 'failTemplateDownload', template: ALPINE, mode: 'interrupted' });
    const cut = await taskWithLog('POST', '/nodes/pve/aplinfo', { storage: 'local', template: ALPINE });
    expect(cut.status).toBe('download failed: got interrupted by signal');
    expect(cut.log[0]).toMatch(/^downloading http:\/\/download\.proxmox\.com\/images\/system\/alpine-3\.22/);
    expect(await lab.api('GET', '/nodes/pve/storage/local/content', { content: 'vztmpl' })).toEqual([]);
  });

  it('a corrupt template in storage fails create in tar with the exact command; deleting it and downloading again works', async () => {
    await withTemplate(lab);
    lab.emu.faults.apply({ kind: 'corruptTemplate', node: 'pve', volid: ALPINE_VOLID });
    const create = await taskWithLog('POST', '/nodes/pve/lxc', createParams(120));
    expect(create.status).toBe(
      "unable to create CT 120 - command 'lxc-usernsexec -m u:0:100000:65536 -m g:0:100000:65536 -- tar xpf - -J --totals " +
        "--one-file-system -p --sparse --numeric-owner --acls --xattrs '--xattrs-include=user.*' " +
        "'--xattrs-include=security.capability' '--warning=no-file-ignored' '--warning=no-xattr-write' " +
        "-C /var/lib/lxc/120/rootfs --skip-old-files --anchored --exclude './dev/*'' failed: exit code 2",
    );
    expect(create.log).toContain('xz: (stdin): Compressed data is corrupt');
    // nothing of the CT is left; the bad volume is still in storage until someone removes it
    expect(lab.state.containers.has(120)).toBe(false);
    expect(await lab.api('GET', '/nodes/pve/storage/local-lvm/content', { vmid: 120 })).toEqual([]);
    const tmpl = (await lab.api('GET', '/nodes/pve/storage/local/content', { content: 'vztmpl' })) as { volid: string }[];
    expect(tmpl.map((v) => v.volid)).toEqual([ALPINE_VOLID]);

    expect(await lab.task('DELETE', `/nodes/pve/storage/local/content/${ALPINE_VOLID}`)).toBe('OK');
    await withTemplate(lab);
    expect(await lab.task('POST', '/nodes/pve/lxc', createParams(120))).toBe('OK');
    await destroy(120);
  });

  it('a privileged CT runs tar without the id mapping, and a zstd template uses --zstd', async () => {
    const debian = 'debian-12-standard_12.7-1_amd64.tar.zst';
    expect(await lab.task('POST', '/nodes/pve/aplinfo', { storage: 'local', template: debian })).toBe('OK');
    lab.emu.faults.apply({ kind: 'corruptTemplate', node: 'pve', volid: `local:vztmpl/${debian}` });
    const r = await taskWithLog('POST', '/nodes/pve/lxc', createParams(121, { ostemplate: `local:vztmpl/${debian}`, unprivileged: 0 }));
    expect(r.status).toMatch(/^unable to create CT 121 - command 'tar xpf - --zstd --totals --one-file-system .* failed: exit code 2$/);
    expect(await lab.task('DELETE', `/nodes/pve/storage/local/content/local:vztmpl/${debian}`)).toBe('OK');
  });
});

describe('3. the chosen storage cannot hold container disks', () => {
  it('create on local is refused with 400; the rootdir listing shows free space; with no rootdir storage it is empty', async () => {
    await withTemplate(lab);
    const refused = await lab.fail('POST', '/nodes/pve/lxc', createParams(130, { rootfs: 'local:8' }));
    expect(refused).toEqual({ status: 400, message: 'Parameter verification failed.', errors: { storage: "storage 'local' does not support container directories" } });
    expect(lab.state.containers.has(130)).toBe(false);

    const rootdir = (await lab.api('GET', '/nodes/pve/storage', { content: 'rootdir', enabled: 1 })) as { storage: string; avail: number }[];
    expect(rootdir.map((s) => s.storage)).toEqual(['local-lvm']);
    expect(rootdir[0]!.avail).toBeGreaterThan(0);

    // a node without any storage for containers: local-lvm holds only VM images, a second one is disabled
    lab.emu.faults.apply({ kind: 'configureStorage', node: 'pve', storage: 'local-lvm', content: ['images'] });
    lab.emu.faults.apply({ kind: 'configureStorage', node: 'pve', storage: 'tank', type: 'zfspool', content: ['rootdir', 'images'], enabled: false });
    expect(await lab.api('GET', '/nodes/pve/storage', { content: 'rootdir', enabled: 1 })).toEqual([]);
    const all = (await lab.api('GET', '/nodes/pve/storage', { content: 'rootdir' })) as { storage: string; enabled: number; active: number }[];
    expect(all).toEqual([expect.objectContaining({ storage: 'tank', enabled: 0, active: 0 })]);
    expect(await lab.fail('POST', '/nodes/pve/lxc', createParams(130, { rootfs: 'tank:8' }))).toMatchObject({ status: 500, message: "storage 'tank' is disabled" });
    expect((await lab.fail('POST', '/nodes/pve/lxc', createParams(130))).errors).toEqual({ storage: "storage 'local-lvm' does not support container directories" });

    lab.emu.faults.clear();
    expect(((await lab.api('GET', '/nodes/pve/storage', { content: 'rootdir', enabled: 1 })) as { storage: string }[]).map((s) => s.storage)).toEqual(['local-lvm']);
  });

  it('a zfspool storage holds the root disk as subvol-<vmid>-disk-0', async () => {
    await withTemplate(lab);
    lab.emu.faults.apply({ kind: 'configureStorage', node: 'pve', storage: 'local-zfs', type: 'zfspool', content: ['rootdir', 'images'], totalGiB: 100 });
    expect(await lab.task('POST', '/nodes/pve/lxc', createParams(131, { rootfs: 'local-zfs:4' }))).toBe('OK');
    const cfg = await lab.api('GET', '/nodes/pve/lxc/131/config');
    expect(cfg.rootfs).toBe('local-zfs:subvol-131-disk-0,size=4G');
    const rows = (await lab.api('GET', '/nodes/pve/storage', { content: 'rootdir' })) as { storage: string; type: string }[];
    expect(rows).toContainEqual(expect.objectContaining({ storage: 'local-zfs', type: 'zfspool' }));
    await destroy(131);
  });
});

describe('5/6. the node\'s package versions', () => {
  it('GET apt/versions lists the packages (schema-checked) and follows the nodePackages setting', async () => {
    const rows = (await lab.api('GET', '/nodes/pve/apt/versions')) as Record<string, string>[];
    expect(rows.slice(0, 2).map((r) => r.Package)).toEqual(['proxmox-ve', 'pve-manager']);
    const byName = Object.fromEntries(rows.map((r) => [r.Package, r]));
    expect(byName['lxc-pve']).toMatchObject({ OldVersion: '6.0.5-2', Version: '6.0.5-2', CurrentState: 'Installed', Arch: 'amd64', Origin: 'Proxmox' });
    expect(byName['zfsutils-linux']?.OldVersion).toMatch(/^2\.2\./);
    expect(byName['proxmox-ve']?.RunningKernel).toMatch(/-pve$/);

    lab.emu.faults.apply({ kind: 'nodePackages', node: 'pve', versions: { 'lxc-pve': '6.0.5-1', 'zfsutils-linux': '2.1.15-pve1' }, candidates: { 'lxc-pve': '6.0.5-2' } });
    const after = Object.fromEntries(((await lab.api('GET', '/nodes/pve/apt/versions')) as Record<string, string>[]).map((r) => [r.Package, r]));
    expect(after['lxc-pve']).toMatchObject({ OldVersion: '6.0.5-1', Version: '6.0.5-2' });
    expect(after['zfsutils-linux']).toMatchObject({ OldVersion: '2.1.15-pve1', Version: '2.1.15-pve1' });
    expect(() => lab.emu.faults.apply({ kind: 'nodePackages', node: 'pve', versions: { 'lxc-pve': 'x; rm -rf /' } })).toThrow(/bad package\/version/);
  });
});

describe('7. the node stores another config than asked', () => {
  it('createDrift: the CT comes out privileged and without its features, and the task still ends OK', async () => {
    await withTemplate(lab);
    lab.emu.faults.apply({ kind: 'createDrift', unprivileged: 0, dropFeatures: true, count: 1 });
    expect(await lab.task('POST', '/nodes/pve/lxc', createParams(170, { features: 'nesting=1,keyctl=1' }))).toBe('OK');
    const cfg = await lab.api('GET', '/nodes/pve/lxc/170/config');
    expect(cfg.unprivileged).toBeUndefined();
    expect(cfg.features).toBeUndefined();
    // count: 1 — the next create is faithful again
    expect(await lab.task('POST', '/nodes/pve/lxc', createParams(171, { features: 'nesting=1' }))).toBe('OK');
    expect(await lab.api('GET', '/nodes/pve/lxc/171/config')).toMatchObject({ unprivileged: 1, features: 'nesting=1' });
    await destroy(170);
    await destroy(171);
  });
});
