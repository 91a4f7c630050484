// Backups (POST /nodes/{node}/vzdump): one `vzdump` task backs up the listed local guests into
// `<storage>:backup/vzdump-lxc-<vmid>-YYYY_MM_DD-HH_MM_SS.tar[.zst|.gz|.lzo]`; a failing guest makes the job end
// with PVE's `job errors` after the others were done.
import { lockConfigInWorker } from './config-lock';
import { PveHttpError, type RouteTable } from '../types';
import { type Container, type NodeState, getStorage, hashUnit, rootfsBytes } from './cluster-state';
import { type ClusterDeps, checkPerm, logDate, nodeScoped } from './route-kit';
import { startGuest, stopGuest } from './lxc-status-routes';
import { assertSpace } from './storage-routes';

const EXT: Record<string, string> = { '0': 'tar', '1': 'tar.lzo', gzip: 'tar.gz', lzo: 'tar.lzo', zstd: 'tar.zst' };

function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace(/-/g, '_').replace('T', '-').replace(/:/g, '_');
}

function notesFrom(template: string | undefined, ct: Container, deps: ClusterDeps): string | undefined {
  if (template === undefined) return undefined;
  return template
    .replace(/\{\{guestname\}\}/g, String(ct.config.hostname ?? `CT${ct.vmid}`))
    .replace(/\{\{vmid\}\}/g, String(ct.vmid))
    .replace(/\{\{node\}\}/g, ct.node)
    .replace(/\{\{cluster\}\}/g, deps.state.clusterName ?? '')
    .replace(/\\n/g, '\n');
}

function backupOne(deps: ClusterDeps, n: NodeState, ct: Container, p: Record<string, any>, line: (s: string) => void): void {
  const { state } = deps;
  const storage = String(p.storage ?? 'local');
  const ext = EXT[String(p.compress ?? '0')] ?? 'tar';
  const startMs = state.now();
  line(`INFO: Starting Backup of VM ${ct.vmid} (lxc)`);
  line(`INFO: Backup started at ${logDate(startMs)}`);
  if (ct.config.lock !== 'backup') throw new Error(`CT is locked (${ct.config.lock})`);
  line(`INFO: status = ${ct.running ? 'running' : 'stopped'}`);
  line(`INFO: backup mode: ${p.mode ?? 'snapshot'}`);
  line(`INFO: CT Name: ${ct.config.hostname ?? `CT${ct.vmid}`}`);
  line("INFO: including mount point rootfs ('/') in backup");
  const name = `vzdump-lxc-${ct.vmid}-${stamp(startMs)}.${ext}`;
  const size = Math.round(rootfsBytes(ct.config) * (0.03 + 0.02 * hashUnit(`${ct.vmid}`)) * (ext === 'tar' ? 2.5 : 1));
  line(`INFO: creating vzdump archive '/var/lib/vz/dump/${name}'`);
  assertSpace(deps, n, storage, size);
  const volid = `${storage}:backup/${name}`;
  const notes = notesFrom(p['notes-template'], ct, deps);
  n.volumes.set(volid, {
    volid, storage, content: 'backup', format: ext, size, ctime: Math.floor(startMs / 1000), vmid: ct.vmid, subtype: 'lxc',
    ...(notes !== undefined ? { notes } : {}), ...(p.protected === 1 ? { protected: 1 as const } : {}),
  });
  line(`INFO: Total bytes written: ${size * 3} (${Math.round((size * 3) / 2 ** 20)}MiB, 140MiB/s)`);
  line(`INFO: archive file size: ${Math.round(size / 2 ** 20)}MB`);
  if (notes !== undefined) line('INFO: adding notes to backup');
  line(`INFO: Finished Backup of VM ${ct.vmid} (00:00:03)`);
}

export function registerVzdumpRoutes(routes: RouteTable, deps: ClusterDeps): void {
  const { state } = deps;
  const onNode = nodeScoped(routes, deps);

  onNode('POST', '/nodes/{node}/vzdump', (ctx, n) => {
    const p = ctx.params;
    // PVE::VZDump::verify_vzdump_parameters (its own texts, not JSONSchema's)
    if (p.all === 1 && p.vmid !== undefined) {
      throw new PveHttpError(400, 'Parameter verification failed.', { all: "option conflicts with option 'vmid'" });
    }
    if (p.vmid === undefined && p.all !== 1 && p.stop !== 1 && p.pool === undefined) {
      throw new PveHttpError(400, 'Parameter verification failed.', { vmid: 'property is missing' });
    }
    const storage = String(p.storage ?? 'local');
    // "The user needs 'VM.Backup' permissions on any VM, and 'Datastore.AllocateSpace' on the backup storage"
    checkPerm(deps, ctx, `/storage/${storage}`, ['Datastore.AllocateSpace']);
    const s = getStorage(n, storage);
    if (!s.content.includes('backup')) throw new PveHttpError(500, `storage '${storage}' does not support vzdump backups`);
    const requested = p.all === 1
      ? [...state.containers.values()].map((c) => c.vmid)
      : String(p.vmid ?? '').split(/[,;\s]+/).filter(Boolean).map(Number);
    const excluded = new Set(String(p.exclude ?? '').split(/[,;\s]+/).filter(Boolean).map(Number));
    const wanted = requested.filter((id) => !excluded.has(id)).sort((a, b) => a - b);
    for (const id of wanted) checkPerm(deps, ctx, `/vms/${id}`, ['VM.Backup']);
    const local = wanted.filter((id) => state.containers.get(id)?.node !== undefined && state.containers.get(id)!.node === n.name);
    const missing = wanted.filter((id) => !state.containers.has(id));
    // every listed guest lives on another node: PVE answers the literal 'OK' without starting a task
    if (local.length === 0 && missing.length === 0 && wanted.length > 0) return 'OK';

    // vzdump holds `lock: backup` on each guest while it is being backed up
    const locked: Container[] = [];
    return ctx.tasks.start({
      node: n.name,
      type: 'vzdump',
      onStart: () => {
        for (const id of local) {
          const ct = state.containers.get(id)!;
          if (ct.config.lock === undefined && !deps.faults.isGuestLockHeld(id)) {
            ct.config.lock = 'backup';
            locked.push(ct);
          }
        }
      },
      onEnd: () => {
        for (const ct of locked) if (ct.config.lock === 'backup') delete ct.config.lock;
      },
      id: local.length === 1 && missing.length === 0 ? String(local[0]) : '',
      identity: ctx.identity,
      run: async (log) => {
        const args = Object.entries(p).filter(([k]) => k !== 'node').map(([k, v]) => `--${k} ${v}`).join(' ');
        log.line(`INFO: starting new backup job: vzdump ${args} --node ${n.name}`.replace(/ +/g, ' '));
        for (const id of missing) log.line(`ERROR: Backup of VM ${id} failed - unable to find VM '${id}'`);
        let failed = missing.length;
        for (const id of local) {
          const ct = state.containers.get(id);
          try {
            if (!ct) throw new Error(`unable to find VM '${id}'`);
            if (!locked.includes(ct) && ct.config.lock === 'backup') throw new Error('CT is locked (backup)');
            if (!locked.includes(ct) && ct.config.lock === undefined) {
              // the config flock was held when the job started: prepare's lock_config waits for it in the worker
              await lockConfigInWorker(deps, id, log);
              if (ct.config.lock === undefined) {
                ct.config.lock = 'backup';
                locked.push(ct);
              }
            }
            const restart = p.mode === 'stop' && ct.running;
            if (restart) {
              log.line('INFO: stopping virtual guest');
              await stopGuest(deps, ct);
            }
            try {
              backupOne(deps, n, ct, p, (l) => log.line(l));
            } finally {
              if (restart) {
                log.line('INFO: restarting vm');
                await startGuest(deps, ct, log);
              }
            }
          } catch (e) {
            failed++;
            log.line(`ERROR: Backup of VM ${id} failed - ${(e as Error).message}`);
          }
        }
        if (failed > 0) throw new Error('job errors');
        log.line('INFO: Backup job finished successfully');
      },
    });
  });
}
