// Container snapshots (pve-container API2/LXC/Snapshot.pm + AbstractConfig snapshot_*): list with the pseudo
// entry `current`, create/delete/rollback as tasks holding a config lock, per-snapshot config GET/PUT.
import { PveHttpError, type RouteTable, type TaskLog } from '../types';
import { type Container, type GuestConfig, type Snapshot, configDigest, getContainer } from './cluster-state';
import { lockConfigBeforeFork, lockConfigInWorker } from './config-lock';
import { startTask, stopGuest } from './lxc-status-routes';
import { type ClusterDeps, nodeScoped, vmidOf } from './route-kit';

/** Config keys that never go into a snapshot copy. */
function snapshotCopy(config: GuestConfig): GuestConfig {
  const { lock: _l, parent: _p, ...rest } = config;
  return { ...rest };
}

/** A snapshot section as PVE stores it: the copied config plus description, snaptime and parent. */
export function snapshotConfig(snap: Snapshot): GuestConfig {
  return { ...snap.config, description: snap.description, snaptime: snap.snaptime, ...(snap.parent ? { parent: snap.parent } : {}) };
}

/** lvmthin rootfs supports snapshots, raw files on a dir storage do not (PVE: "snapshot feature is not available"). */
function assertSnapshotCapable(deps: ClusterDeps, ct: Container): void {
  const sid = String(ct.config.rootfs ?? '').split(':')[0];
  const s = deps.state.nodes.get(ct.node)?.storages.get(sid);
  if (s?.type !== 'lvmthin') throw new Error('snapshot feature is not available');
}

export function registerSnapshotRoutes(routes: RouteTable, deps: ClusterDeps): void {
  const { state, faults } = deps;
  const onNode = nodeScoped(routes, deps);

  /**
   * Run `work` as a task that holds config lock `lock` (PVE sets it in the worker; we take it when the task is
   * accepted so clients polling the config see it at once, and a conflicting lock fails the task as in PVE).
   */
  const lockedTask = (ctx: any, node: string, vmid: number, type: string, lock: string, work: (ct: Container, log: TaskLog) => Promise<void> | void) => {
    let acquired: Container | undefined;
    let conflict: string | undefined;
    const take = () => {
      const ct = state.containers.get(vmid);
      if (!ct || ct.node !== node) return;
      if (ct.config.lock !== undefined) conflict = String(ct.config.lock);
      else { ct.config.lock = lock; acquired = ct; }
    };
    return ctx.tasks.start({
      node, type, id: String(vmid), identity: ctx.identity,
      // without a held config flock, take the lock value when the task is accepted
      onStart: () => { if (!faults.isGuestLockHeld(vmid)) take(); },
      run: async (log: TaskLog) => {
        if (!acquired && conflict === undefined) {
          // the flock was held: the worker waits for it (snapshot_create/delete/rollback lock inside the worker)
          await lockConfigInWorker(deps, vmid, log);
          take();
        }
        const ct = getContainer(state, node, vmid);
        if (conflict !== undefined) throw new Error(`CT is locked (${conflict})`);
        await work(ct, log);
      },
      onEnd: () => {
        if (acquired && acquired.config.lock === lock) delete acquired.config.lock;
      },
    });
  };

  onNode('GET', '/nodes/{node}/lxc/{vmid}/snapshot', (ctx, n) => {
    const ct = getContainer(state, n.name, vmidOf(ctx));
    const rows: Record<string, unknown>[] = [...ct.snapshots.values()].map((s) => ({
      name: s.name, description: s.description, snaptime: s.snaptime, ...(s.parent ? { parent: s.parent } : {}),
    }));
    const cur: Record<string, unknown> = { name: 'current', description: 'You are here!', digest: configDigest(ct), running: ct.running ? 1 : 0 };
    if (ct.config.parent !== undefined) cur.parent = ct.config.parent;
    rows.push(cur);
    return rows;
  });

  onNode('POST', '/nodes/{node}/lxc/{vmid}/snapshot', (ctx, n) => {
    const vmid = vmidOf(ctx);
    const snapname = String(ctx.params.snapname);
    if (snapname === 'current' || snapname === 'vzdump') throw new PveHttpError(500, `unable to use snapshot name '${snapname}' (reserved name)`);
    return lockedTask(ctx, n.name, vmid, 'vzsnapshot', 'snapshot', (ct, log) => {
      if (ct.snapshots.has(snapname)) throw new Error(`snapshot name '${snapname}' already used`);
      assertSnapshotCapable(deps, ct);
      log.line(`snapshotting 'rootfs' (${String(ct.config.rootfs).split(',')[0]})`);
      log.line(`  Logical volume "snap_${String(ct.config.rootfs).split(',')[0].split(':')[1]}_${snapname}" created.`);
      const parent = ct.config.parent === undefined ? undefined : String(ct.config.parent);
      ct.snapshots.set(snapname, {
        name: snapname,
        description: String(ctx.params.description ?? ''),
        snaptime: Math.floor(state.now() / 1000),
        ...(parent ? { parent } : {}),
        config: snapshotCopy(ct.config),
      });
      ct.config.parent = snapname;
    });
  });

  onNode('GET', '/nodes/{node}/lxc/{vmid}/snapshot/{snapname}', (ctx, n) => {
    const ct = getContainer(state, n.name, vmidOf(ctx));
    if (!ct.snapshots.has(String(ctx.params.snapname))) throw new PveHttpError(500, `snapshot '${ctx.params.snapname}' does not exist`);
    return [{ cmd: 'rollback' }, { cmd: 'config' }];
  });

  onNode('DELETE', '/nodes/{node}/lxc/{vmid}/snapshot/{snapname}', (ctx, n) => {
    const vmid = vmidOf(ctx);
    const snapname = String(ctx.params.snapname);
    return lockedTask(ctx, n.name, vmid, 'vzdelsnapshot', 'snapshot-delete', (ct) => {
      const snap = ct.snapshots.get(snapname);
      if (!snap) throw new Error(`snapshot '${snapname}' does not exist`);
      // children (and `current`) inherit the deleted snapshot's parent
      for (const s of ct.snapshots.values()) if (s.parent === snapname) s.parent = snap.parent;
      if (ct.config.parent === snapname) {
        if (snap.parent) ct.config.parent = snap.parent;
        else delete ct.config.parent;
      }
      ct.snapshots.delete(snapname);
    });
  });

  onNode('POST', '/nodes/{node}/lxc/{vmid}/snapshot/{snapname}/rollback', (ctx, n) => {
    const vmid = vmidOf(ctx);
    const snapname = String(ctx.params.snapname);
    return lockedTask(ctx, n.name, vmid, 'vzrollback', 'rollback', async (ct, log) => {
      const snap = ct.snapshots.get(snapname);
      if (!snap) throw new Error(`snapshot '${snapname}' does not exist`);
      if (ct.running) await stopGuest(deps, ct);
      log.line(`  Logical volume "${String(ct.config.rootfs).split(',')[0].split(':')[1]}" successfully removed.`);
      ct.config = { ...snap.config, parent: snapname, lock: 'rollback' };
      if (ctx.params.start === 1) {
        // snapshot_rollback drops the lock, then vm_start forks a separate vzstart task
        delete ct.config.lock;
        startTask(deps, ctx.tasks, ctx.identity, n.name, vmid);
      }
    });
  });

  onNode('GET', '/nodes/{node}/lxc/{vmid}/snapshot/{snapname}/config', (ctx, n) => {
    const ct = getContainer(state, n.name, vmidOf(ctx));
    const snap = ct.snapshots.get(String(ctx.params.snapname));
    if (!snap) throw new PveHttpError(500, `snapshot '${ctx.params.snapname}' does not exist`);
    return snapshotConfig(snap);
  });

  onNode('PUT', '/nodes/{node}/lxc/{vmid}/snapshot/{snapname}/config', async (ctx, n) => {
    const vmid = vmidOf(ctx);
    getContainer(state, n.name, vmid);
    // update_snapshot_config locks in the API handler (waits, then 500)
    await lockConfigBeforeFork(deps, vmid);
    const ct = getContainer(state, n.name, vmid);
    const snap = ct.snapshots.get(String(ctx.params.snapname));
    if (!snap) throw new PveHttpError(500, `snapshot '${ctx.params.snapname}' does not exist`);
    if (ctx.params.description !== undefined) snap.description = String(ctx.params.description);
    return null;
  });
}
