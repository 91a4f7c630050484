// Storage endpoints: per-node storage list/status, volume listing and deletion. Space accounting follows the
// volumes the other routes create (template downloads, CT disks, backups).
import { storageFullMessage } from '../faults';
import { PveHttpError, type RouteTable } from '../types';
import { type NodeState, type StorageDef, type Volume, getStorage, storageAvail, storageUsed } from './cluster-state';
import { type ClusterDeps, nodeScoped } from './route-kit';

function contentList(s: StorageDef): string {
  return [...s.content].sort().join(',');
}

function storageRow(n: NodeState, s: StorageDef): Record<string, unknown> {
  // PVE::Storage::storage_info: a disabled storage is not activated, its sizes stay 0
  if (s.disabled) return { storage: s.id, type: s.type, content: contentList(s), active: 0, enabled: 0, shared: 0, total: 0, used: 0, avail: 0 };
  const used = storageUsed(n, s);
  return {
    storage: s.id,
    type: s.type,
    content: contentList(s),
    active: 1,
    enabled: 1,
    shared: 0,
    total: s.total,
    used,
    avail: s.total - used,
    used_fraction: Math.round((used / s.total) * 1e6) / 1e6,
  };
}

export function volumeRow(v: Volume): Record<string, unknown> {
  const row: Record<string, unknown> = { volid: v.volid, content: v.content, format: v.format, size: v.size, ctime: v.ctime };
  if (v.vmid !== undefined) row.vmid = v.vmid;
  if (v.notes !== undefined) row.notes = v.notes.split('\n')[0];
  if (v.subtype) row.subtype = v.subtype;
  if (v.content === 'backup') row.protected = v.protected ?? 0;
  return row;
}

/**
 * Throws the storage layer's out-of-space error when the fault is set or `bytes` do not fit. Used by CT create,
 * template download and vzdump so all three fail the same way.
 */
export function assertSpace(deps: ClusterDeps, n: NodeState, storage: string, bytes: number): void {
  const s = getStorage(n, storage);
  if (deps.faults.isStorageFull(n.name, storage) || storageAvail(n, s) < bytes) {
    throw new Error(storageFullMessage(storage));
  }
}

/** `local:vztmpl/x`, or `vztmpl/x` relative to the storage of the URL. */
function resolveVolid(storage: string, volume: string): string {
  if (!volume.includes(':')) return `${storage}:${volume}`;
  const sid = volume.slice(0, volume.indexOf(':'));
  if (sid !== storage) {
    throw new PveHttpError(400, 'Parameter verification failed.', { volume: `storage ID mismatch (${sid} != ${storage}).` });
  }
  return volume;
}

export function registerStorageRoutes(routes: RouteTable, deps: ClusterDeps): void {
  const { state } = deps;
  const onNode = nodeScoped(routes, deps);

  onNode('GET', '/nodes/{node}/storage', (ctx, n) => {
    const p = ctx.params;
    return [...n.storages.values()]
      .filter((s) => !p.storage || s.id === p.storage)
      .filter((s) => !(p.enabled === 1 || p.enabled === true) || !s.disabled)
      .filter((s) => !p.content || String(p.content).split(',').every((c) => s.content.includes(c as never)))
      .map((s) => storageRow(n, s));
  });

  onNode('GET', '/nodes/{node}/storage/{storage}', (ctx, n) => {
    getStorage(n, String(ctx.params.storage));
    return ['content', 'download-url', 'file-restore', 'import-metadata', 'prunebackups', 'rrd', 'rrddata', 'status', 'upload'].map((subdir) => ({ subdir }));
  });

  onNode('GET', '/nodes/{node}/storage/{storage}/status', (ctx, n) => {
    const row = storageRow(n, getStorage(n, String(ctx.params.storage)));
    delete row.storage;
    delete row.used_fraction;
    return row;
  });

  onNode('GET', '/nodes/{node}/storage/{storage}/content', (ctx, n) => {
    const s = getStorage(n, String(ctx.params.storage));
    const { content, vmid } = ctx.params;
    return [...n.volumes.values()]
      .filter((v) => v.storage === s.id)
      .filter((v) => !content || v.content === content)
      .filter((v) => vmid === undefined || v.vmid === Number(vmid))
      .sort((a, b) => a.volid.localeCompare(b.volid))
      .map(volumeRow);
  });

  onNode('GET', '/nodes/{node}/storage/{storage}/content/{volume}', (ctx, n) => {
    const s = getStorage(n, String(ctx.params.storage));
    const volid = resolveVolid(s.id, String(ctx.params.volume));
    const v = n.volumes.get(volid);
    if (!v) throw new PveHttpError(500, `volume '${volid}' does not exist`);
    const path = v.content === 'vztmpl' ? `${s.path}/template/cache/${volid.split('/').pop()}`
      : v.content === 'backup' ? `${s.path}/dump/${volid.split('/').pop()}`
      : `/dev/pve/${volid.split(':')[1]}`;
    const row: Record<string, unknown> = { path, size: v.size, used: v.size, format: v.format };
    if (v.notes !== undefined) row.notes = v.notes;
    if (v.content === 'backup') row.protected = v.protected ?? 0;
    return row;
  });

  onNode('DELETE', '/nodes/{node}/storage/{storage}/content/{volume}', async (ctx, n) => {
    const s = getStorage(n, String(ctx.params.storage));
    const volid = resolveVolid(s.id, String(ctx.params.volume));
    const v = n.volumes.get(volid);
    if (!v) throw new PveHttpError(500, `volume '${volid}' does not exist`);
    if ((v.content === 'rootdir' || v.content === 'images') && v.vmid !== undefined && state.containers.has(v.vmid)) {
      throw new PveHttpError(500, `Cannot remove image, a guest with VMID '${v.vmid}' exists!`);
    }
    if (v.protected) throw new PveHttpError(500, `cannot delete protected backup '${volid}'`);
    const upid = ctx.tasks.start({
      node: n.name,
      type: 'imgdel',
      id: v.vmid !== undefined ? `${v.vmid}@${s.id}` : s.id,
      identity: ctx.identity,
      run: (log) => {
        n.volumes.delete(volid);
        deps.faults.host.forgetTemplate(n.name, volid);
        log.line(`Removed volume '${volid}'`);
      },
    });
    const delay = Number(ctx.params.delay ?? 0);
    if (delay > 0) {
      const done = await Promise.race([
        ctx.tasks.wait(upid),
        new Promise<undefined>((r) => setTimeout(() => r(undefined), delay * 1000).unref()),
      ]);
      if (done === 'OK') return null;
      if (done !== undefined) throw new PveHttpError(500, done);
    }
    return upid;
  });
}
