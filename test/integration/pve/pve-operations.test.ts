// The PVE client's operations against the lab (virtual backend), PVE 8.4: templates (index, cached check,
// download with progress, a failed download's log), node network (bridge, pending diff, apply, revert),
// snapshots, vzdump backup and restore, and RRD data. Every request must pass the lab's schema validator.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProximityError } from '../../../src-main/core/errors';
import { backupContainer, createSnapshot, deleteSnapshot, listBackups, listSnapshots, restoreContainer, rollbackSnapshot } from '../../../src-main/core/pve/backups';
import { createContainer, getContainerConfig, startContainer } from '../../../src-main/core/pve/lxc';
import { applyNetwork, createBridge, readNetwork, readPendingNetworkChanges, revertNetwork } from '../../../src-main/core/pve/node-network';
import { guestRrd, nodeRrd } from '../../../src-main/core/pve/nodes';
import { PveClient } from '../../../src-main/core/pve/pve-client';
import { downloadTemplate, ensureTemplate, findCachedTemplate, listAppliances, type DownloadProgress } from '../../../src-main/core/pve/templates';
import { createBackend } from '../../lab/backends';
import { createEmulator, type Emulator } from '../../lab/pve/emulator';
import { validateRecordedRequest } from '../../lab/pve/schema';

let emu: Emulator;
let c: PveClient;
let seen = 0;
let template: string;

beforeAll(async () => {
  emu = await createEmulator({ backend: await createBackend('virtual'), taskSeconds: 0 });
  c = new PveClient({ host: emu.host, port: emu.port, fingerprint: emu.fingerprint, auth: { tokenId: emu.tokenId, tokenSecret: emu.tokenSecret } });
});

afterEach(() => {
  const http = emu.requests.slice(seen).filter((r) => r.source === 'http');
  seen = emu.requests.length;
  expect(http.map((r) => ({ r: `${r.method} ${r.path}`, problems: validateRecordedRequest(emu.schema, r) })).filter((x) => x.problems.length)).toEqual([]);
});

afterAll(async () => {
  await c?.close();
  await emu?.close();
});

async function errorOf(p: Promise<unknown>): Promise<ProximityError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ProximityError);
  return e as ProximityError;
}

describe('templates', () => {
  it('lists the appliance index, downloads with progress, then finds it cached', async () => {
    const apps = await listAppliances(c, 'pve');
    const alpine = apps.filter((a) => a.os === 'alpine').sort((a, b) => b.version.localeCompare(a.version))[0];
    template = alpine.template;
    expect(await findCachedTemplate(c, 'pve', template)).toBeUndefined();
    const progress: DownloadProgress[] = [];
    const { volid, outcome } = await downloadTemplate(c, 'pve', 'local', template, { onProgress: (p) => progress.push(p) });
    expect(volid).toBe(`local:vztmpl/${template}`);
    expect(outcome.exitstatus).toBe('OK');
    expect(progress.find((p) => p.totalBytes)?.totalBytes).toBeGreaterThan(1_000_000);
    expect(progress.at(-1)?.fraction).toBe(1);
    expect(await findCachedTemplate(c, 'pve', template)).toBe(volid);
    const tasks = emu.tasks.list().length;
    expect(await ensureTemplate(c, 'pve', 'local', template)).toBe(volid);
    expect(emu.tasks.list().length).toBe(tasks);
  });

  it('a failed download carries the checksum error and its log', async () => {
    const debian = (await listAppliances(c, 'pve')).find((a) => a.os === 'debian-12')!.template;
    emu.faults.failTemplateDownload(debian);
    const e = await errorOf(downloadTemplate(c, 'pve', 'local', debian));
    expect(e.code).toBe('PVE_TASK_FAILED');
    expect((e.details as { exitstatus: string }).exitstatus).toMatch(/^checksum mismatch: got '0+' != expect '[0-9a-f]{128}'$/);
    expect((e.details as { lastLines: string[] }).lastLines).toContain('calculating checksum...');
    await expect(downloadTemplate(c, 'pve', 'local', 'bad name; rm -rf /')).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('node network', () => {
  it('creates a bridge as a pending change, reads the diff, reverts, then applies', async () => {
    expect(await readPendingNetworkChanges(c, 'pve')).toBeUndefined();
    await createBridge(c, 'pve', { iface: 'proxlan', cidr: '10.77.0.1/24', comments: 'Proximity apps' });
    const pending = await readPendingNetworkChanges(c, 'pve');
    expect(pending).toMatch(/^\+auto proxlan$/m);
    expect(pending).toMatch(/^\+iface proxlan inet static$/m);
    await revertNetwork(c, 'pve');
    expect(await readPendingNetworkChanges(c, 'pve')).toBeUndefined();
    expect((await readNetwork(c, 'pve')).interfaces.map((i) => i.iface)).not.toContain('proxlan');

    await createBridge(c, 'pve', { iface: 'proxlan', cidr: '10.77.0.1/24' });
    const dup = await errorOf(createBridge(c, 'pve', { iface: 'proxlan' }));
    expect(dup).toMatchObject({ code: 'PVE_API_ERROR', details: { status: 400, errors: { iface: 'interface already exists' } } });
    expect((await applyNetwork(c, 'pve')).type).toBe('srvreload');
    const { interfaces, pendingChanges } = await readNetwork(c, 'pve', { type: 'bridge' });
    expect(pendingChanges).toBeUndefined();
    expect(interfaces.find((i) => i.iface === 'proxlan')).toMatchObject({ type: 'bridge', cidr: '10.77.0.1/24', active: 1, autostart: 1 });
    await expect(createBridge(c, 'pve', { iface: 'proximity-lan' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('snapshots, backup and restore, rrd', () => {
  let vmid: number;
  beforeAll(async () => {
    ({ vmid } = await createContainer(c, 'pve', { ostemplate: `local:vztmpl/${template}`, rootfs: 'local-lvm:1', hostname: 'snap', nets: ['name=eth0,bridge=vmbr0,ip=dhcp'] }));
  });

  it('takes, lists, rolls back to and deletes a snapshot', async () => {
    expect((await createSnapshot(c, 'pve', vmid, 'before_update', { description: 'pre' })).type).toBe('vzsnapshot');
    expect(await listSnapshots(c, 'pve', vmid)).toEqual([expect.objectContaining({ name: 'before_update', description: 'pre' })]);
    expect((await rollbackSnapshot(c, 'pve', vmid, 'before_update')).type).toBe('vzrollback');
    expect(await deleteSnapshot(c, 'pve', vmid, 'before_update')).toBe(true);
    expect(await deleteSnapshot(c, 'pve', vmid, 'before_update')).toBe(false);
    expect(await listSnapshots(c, 'pve', vmid)).toEqual([]);
    await expect(createSnapshot(c, 'pve', vmid, 'current')).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('backs up to a storage, lists the archive and restores it as a new container', async () => {
    const { outcome, volid } = await backupContainer(c, 'pve', vmid, { storage: 'local', mode: 'snapshot', compress: 'zstd', notesTemplate: '{{guestname}}' });
    expect(outcome.exitstatus).toBe('OK');
    expect(volid).toMatch(new RegExp(`^local:backup/vzdump-lxc-${vmid}-.*\\.tar\\.zst$`));
    const backups = await listBackups(c, 'pve', 'local', { vmid });
    expect(backups.map((b) => b.volid)).toEqual([volid]);
    expect((await restoreContainer(c, 'pve', 300, volid!, { storage: 'local-lvm' })).exitstatus).toBe('OK');
    // (the lab restores from the archive as a create; PVE would also bring back the archived config)
    expect((await getContainerConfig(c, 'pve', 300)).lock).toBeUndefined();
  });

  it('reads node and guest RRD rows', async () => {
    await startContainer(c, 'pve', vmid);
    const node = await nodeRrd(c, 'pve', 'hour');
    expect(node.length).toBeGreaterThan(10);
    expect(node[0]).toEqual(expect.objectContaining({ time: expect.any(Number) }));
    const guest = await guestRrd(c, 'pve', vmid, 'hour', { cf: 'AVERAGE' });
    expect(guest.at(-1)).toEqual(expect.objectContaining({ time: expect.any(Number), maxmem: expect.any(Number) }));
  });
});
