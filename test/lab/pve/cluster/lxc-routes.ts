// Container lifecycle: list, create (vzcreate), destroy (vzdestroy), config GET/PUT, interfaces. Follows
// pve-container API2/LXC.pm: synchronous checks answer 500/400/403, the work happens in the worker, a failed
// create removes its disk and config, and `lock: create` is visible from the moment the UPID is returned.
import { loadEndpoints } from '../schema';
import { propertySchema } from '../schema/check';
import { PveHttpError, type RouteTable } from '../types';
import {
  type Container,
  type GuestConfig,
  type NodeState,
  checkLock,
  configDigest,
  getContainer,
  getStorage,
} from './cluster-state';
import { lockConfigBeforeFork, lockConfigInWorker } from './config-lock';
import { systemdNestingWarning } from './systemd-warning';
import { guestStats } from './guest-stats';
import {
  CREATE_ONLY_PARAMS,
  UPDATE_CONTROL_PARAMS,
  checkFeaturePerm,
  containerSpec,
  normalizeFeatures,
  normalizeNet,
  ostypeFromTemplate,
  parseRootfsAlloc,
  validateSshKeys,
} from './lxc-config';
import { startTask, stopGuest } from './lxc-status-routes';
import { snapshotConfig } from './snapshot-routes';
import { printDiskSize, printPropertyString as printProps } from '../schema/property-string';
import { type ClusterDeps, checkPerm, hasPerm, nodeScoped, vmidOf } from './route-kit';
import { permissionError } from '../access/access-state';
import { assertSpace } from './storage-routes';
import { hostFacts } from './host-facts';
import { corruptArchiveLog, extractFailedMessage } from './template-failures';

const paramError = (errors: Record<string, string>) => new PveHttpError(400, 'Parameter verification failed.', errors);

/** Copy config-key params, canonicalising net[n] and features. */
function applyOptions(target: GuestConfig, params: Record<string, any>, skip: Set<string>, vmid: number, old: GuestConfig): void {
  for (const [k, v] of Object.entries(params)) {
    if (skip.has(k) || v === undefined) continue;
    if (/^net\d+$/.test(k)) target[k] = normalizeNet(String(v), vmid, Number(k.slice(3)), old[k] as string | undefined);
    else if (k === 'features') target[k] = normalizeFeatures(String(v));
    else target[k] = typeof v === 'number' ? v : String(v);
  }
}

/** Next free `vm-<vmid>-disk-N` on a storage. */
function diskVolid(n: NodeState, storage: string, type: 'dir' | 'lvmthin' | 'zfspool', vmid: number): string {
  for (let i = 0; ; i++) {
    const volid = type === 'lvmthin' ? `${storage}:vm-${vmid}-disk-${i}`
      : type === 'zfspool' ? `${storage}:subvol-${vmid}-disk-${i}`
      : `${storage}:${vmid}/vm-${vmid}-disk-${i}.raw`;
    if (!n.volumes.has(volid)) return volid;
  }
}

/** Remove every disk volume owned by `vmid` on the node (destroy, failed create). */
function freeGuestDisks(n: NodeState, vmid: number, log?: (l: string) => void): void {
  for (const v of [...n.volumes.values()]) {
    if (v.vmid === vmid && (v.content === 'rootdir' || v.content === 'images')) {
      n.volumes.delete(v.volid);
      const s = n.storages.get(v.storage);
      log?.(s?.type === 'lvmthin' ? `  Logical volume "${v.volid.split(':')[1]}" successfully removed.` : `Removed volume '${v.volid}'`);
    }
  }
}

/** pve-container check_ct_modify_config_perm: the privilege an option needs on /vms/<vmid>. */
export function configPrivilege(option: string): string {
  if (option === 'cores' || option === 'cpuunits' || option === 'cpulimit') return 'VM.Config.CPU';
  if (option === 'rootfs' || /^mp\d+$/.test(option)) return 'VM.Config.Disk';
  if (option === 'memory' || option === 'swap') return 'VM.Config.Memory';
  if (/^net\d+$/.test(option) || option === 'nameserver' || option === 'searchdomain' || option === 'hostname') return 'VM.Config.Network';
  return 'VM.Config.Options';
}

export function registerLxcRoutes(routes: RouteTable, deps: ClusterDeps): void {
  const { state, backend, faults } = deps;
  const onNode = nodeScoped(routes, deps);

  // "Only list CTs where you have VM.Audit permission on /vms/<vmid>."
  onNode('GET', '/nodes/{node}/lxc', (ctx, n) =>
    [...state.containers.values()].filter((ct) => ct.node === n.name && hasPerm(deps, ctx, `/vms/${ct.vmid}`, 'VM.Audit')).sort((a, b) => a.vmid - b.vmid).map((ct) => guestStats(state, ct)),
  );

  onNode('GET', '/nodes/{node}/lxc/{vmid}', (ctx, n) => {
    getContainer(state, n.name, vmidOf(ctx));
    return ['config', 'status', 'vncproxy', 'termproxy', 'vncwebsocket', 'spiceproxy', 'migrate', 'clone', 'rrd', 'rrddata', 'firewall', 'snapshot', 'resize', 'interfaces']
      .map((subdir) => ({ subdir }));
  });

  onNode('POST', '/nodes/{node}/lxc', async (ctx, n) => {
    const p = ctx.params;
    const vmid = vmidOf(ctx);
    const existing = state.containers.get(vmid);
    if (existing) throw new PveHttpError(500, `CT ${vmid} already exists on node '${existing.node}'`);
    if (p['ssh-public-keys'] !== undefined) validateSshKeys(String(p['ssh-public-keys']));
    // the lab has no pools; PVE's check_pool_exist raises a permission exception
    if (p.pool !== undefined) throw new PveHttpError(403, `Permission check failed (pool '${p.pool}' does not exist)`);
    // create_vm: VM.Allocate on /vms/<vmid> (or the pool) else a bare "Permission check failed", then
    // check_ct_modify_config_perm for every config option, then the template and the disk storages
    if (!hasPerm(deps, ctx, `/vms/${vmid}`, 'VM.Allocate')) throw permissionError();
    for (const k of Object.keys(p)) {
      if (CREATE_ONLY_PARAMS.has(k) || k === 'unprivileged') continue;
      checkPerm(deps, ctx, `/vms/${vmid}`, [configPrivilege(k)]);
    }
    // PVE 9 creates unprivileged containers unless told otherwise (8.x: privileged by default)
    const unprivileged = p.unprivileged === undefined ? state.version === '9.1' : p.unprivileged === 1;
    if (p.features !== undefined) checkFeaturePerm(ctx.identity, unprivileged, String(p.features), undefined);

    // the template must exist (PVE::Storage::abs_filesystem_path)
    const ostemplate = String(p.ostemplate);
    const tmplStorage = ostemplate.includes(':') ? ostemplate.slice(0, ostemplate.indexOf(':')) : undefined;
    if (tmplStorage !== undefined) getStorage(n, tmplStorage);
    const found = n.volumes.get(ostemplate);
    const tmpl = found && (found.content === 'vztmpl' || found.content === 'backup') ? found : undefined;
    const missingTemplate = `can't find file '${ostemplate}'`;
    // 8.4 resolves the archive path before forking; 9.x only inside the worker (after allocating the disk)
    if (!tmpl && state.version === '8.4') throw new PveHttpError(500, missingTemplate);

    // PVE::Storage::check_volume_access for a template: read access to its storage is enough
    if (tmplStorage !== undefined) checkPerm(deps, ctx, `/storage/${tmplStorage}`, ['Datastore.AllocateSpace', 'Datastore.Audit'], true);
    const alloc = parseRootfsAlloc(p.rootfs === undefined ? undefined : String(p.rootfs), String(p.storage ?? 'local'));
    checkPerm(deps, ctx, `/storage/${alloc.storage}`, ['Datastore.AllocateSpace']);
    const rootStorage = getStorage(n, alloc.storage);
    // PVE::Storage::storage_check_enabled comes before the content check
    if (rootStorage.disabled) throw new PveHttpError(500, `storage '${alloc.storage}' is disabled`);
    if (!rootStorage.content.includes('rootdir')) {
      throw paramError({ storage: `storage '${alloc.storage}' does not support container directories` });
    }
    // create_and_lock_config takes the flock before forking: after PVE's wait it fails with the create prefix
    // (`unable to create CT 100 - can't lock file ... - got timeout`)
    await lockConfigBeforeFork(deps, vmid, `unable to create CT ${vmid} - `);
    const raced = state.containers.get(vmid);
    if (raced) throw new PveHttpError(500, `CT ${vmid} already exists on node '${raced.node}'`);

    const config: GuestConfig = { arch: 'amd64' };
    applyOptions(config, p, new Set([...CREATE_ONLY_PARAMS, 'rootfs']), vmid, {});
    config.ostype = p.ostype !== undefined ? String(p.ostype) : ostypeFromTemplate(ostemplate);
    if (unprivileged) config.unprivileged = 1;
    else delete config.unprivileged;
    // lab setting `createDrift`: the node stores another config than asked, without a word (issue 12, failure 7)
    const drift = faults.host.takeCreateDrift();
    if (drift?.unprivileged === 0) delete config.unprivileged;
    if (drift?.dropFeatures) delete config.features;
    const start = p.start === 1;
    let ct: Container | undefined;
    let created = false;

    return ctx.tasks.start({
      node: n.name,
      type: 'vzcreate',
      id: String(vmid),
      identity: ctx.identity,
      // create_and_lock_config: from now on the config exists, holding only `lock: create`
      onStart: () => {
        ct = { vmid, node: n.name, config: { lock: 'create' }, snapshots: new Map(), running: false, ostemplate };
        state.containers.set(vmid, ct);
      },
      run: async (log) => {
        // the worker runs under lock_config too
        await lockConfigInWorker(deps, vmid, log);
        try {
          assertSpace(deps, n, alloc.storage, alloc.size);
          const volid = diskVolid(n, alloc.storage, rootStorage.type, vmid);
          n.volumes.set(volid, {
            volid, storage: alloc.storage, content: 'rootdir', format: rootStorage.type === 'zfspool' ? 'subvol' : 'raw', size: alloc.size, ctime: Math.floor(state.now() / 1000), vmid,
          });
          if (rootStorage.type === 'lvmthin') log.line(`  Logical volume "${volid.split(':')[1]}" created.`);
          if (!tmpl) throw new Error(missingTemplate);
          log.line(`Creating filesystem with ${alloc.size / 4096} 4k blocks and ${alloc.size / 16384} inodes`);
          const archive = `/var/lib/vz/template/cache/${ostemplate.split('/').pop()}`;
          log.line(`extracting archive '${archive}'`);
          if (faults.host.isCorruptTemplate(n.name, ostemplate)) {
            for (const l of corruptArchiveLog(archive)) log.line(l);
            throw new Error(extractFailedMessage(vmid, archive, config.unprivileged === 1));
          }
          log.line(`Total bytes read: ${tmpl.size * 4} (${Math.round((tmpl.size * 4) / 2 ** 20)}MiB, 180MiB/s)`);
          log.line('Detected container architecture: amd64');
          ct!.config = {
            ...config,
            hostname: config.hostname ?? `CT${vmid}`,
            memory: config.memory ?? 512,
            swap: config.swap ?? 512,
            rootfs: printProps({ volume: volid, ...alloc.options, size: printDiskSize(alloc.size) }, ['volume'], 'volume'),
            lock: 'create',
          };
          const warning = systemdNestingWarning(state, ct!);
          if (warning) log.warn(warning);
          if (p['ssh-public-keys'] !== undefined || p.password !== undefined) log.line("Creating SSH host key 'ssh_host_ed25519_key' - this may take some time ...");
          await backend.createContainer(containerSpec(ct!, hostFacts(deps, ct!)));
        } catch (e) {
          throw new Error(`unable to create CT ${vmid} - ${(e as Error).message}`, { cause: e });
        }
        created = true;
        delete ct!.config.lock;
        // vm_start forks its own vzstart task (see startTask); this task ends OK whatever the start does
        if (start) startTask(deps, ctx.tasks, ctx.identity, n.name, vmid);
      },
      onEnd: () => {
        if (!ct || state.containers.get(vmid) !== ct) return;
        if (created) {
          if (ct.config.lock === 'create') delete ct.config.lock;
          return;
        }
        // PVE::LXC::destroy_disks + destroy_config: a failed create leaves nothing behind
        freeGuestDisks(n, vmid);
        state.containers.delete(vmid);
        void backend.destroyContainer(n.name, vmid).catch(() => undefined);
      },
    });
  });

  onNode('DELETE', '/nodes/{node}/lxc/{vmid}', (ctx, n) => {
    const vmid = vmidOf(ctx);
    const ct = getContainer(state, n.name, vmid);
    if (ct.config.protection === 1) throw new PveHttpError(500, `can't remove CT ${vmid} - protection mode enabled`);
    checkLock(ct);
    const force = ctx.params.force === 1;
    const runningMsg = `unable to destroy CT ${vmid} - container is running`;
    if (ct.running && !force) throw new PveHttpError(500, runningMsg);
    return ctx.tasks.start({
      node: n.name,
      type: 'vzdestroy',
      id: String(vmid),
      identity: ctx.identity,
      run: async (log) => {
        // destroy_vm: `lock_config($vmid, $code)` inside the worker
        await lockConfigInWorker(deps, vmid, log);
        const cur = getContainer(state, n.name, vmid);
        checkLock(cur);
        if (cur.running) {
          if (!force) throw new Error(runningMsg);
          // a plain Perl `warn` in destroy_vm: printed to the log, not counted (only $rpcenv->warn counts)
          log.line(`forced to stop CT ${vmid} before destroying!`);
          await stopGuest(deps, cur);
        }
        await backend.destroyContainer(n.name, vmid);
        freeGuestDisks(n, vmid, (l) => log.line(l));
        state.containers.delete(vmid);
        if (ctx.params.purge === 1) log.line(`purging CT ${vmid} from related configurations..`);
      },
    });
  });

  onNode('GET', '/nodes/{node}/lxc/{vmid}/config', (ctx, n) => {
    const ct = getContainer(state, n.name, vmidOf(ctx));
    const snapname = ctx.params.snapshot;
    if (snapname !== undefined) {
      const snap = ct.snapshots.get(String(snapname));
      if (!snap) throw new PveHttpError(500, `snapshot '${snapname}' does not exist`);
      return { ...snapshotConfig(snap), digest: configDigest(ct) };
    }
    return { ...ct.config, digest: configDigest(ct) };
  });

  onNode('PUT', '/nodes/{node}/lxc/{vmid}/config', async (ctx, n) => {
    const p = ctx.params;
    const vmid = vmidOf(ctx);
    // pve-container API2/LXC/Config.pm update_vm: `die "no options specified"` before taking the lock
    if (Object.keys(p).every((k) => k === 'node' || k === 'vmid' || k === 'digest')) throw new PveHttpError(500, 'no options specified');
    getContainer(state, n.name, vmid);
    // update_vm calls lock_config in the API handler: the request waits PVE's 10 s, then answers 500
    await lockConfigBeforeFork(deps, vmid);
    const ct = getContainer(state, n.name, vmid);
    // load_config, check_lock, then assert_if_modified (a locked CT says so whatever the digest)
    checkLock(ct);
    if (p.digest !== undefined && p.digest !== configDigest(ct)) {
      throw new PveHttpError(500, 'detected modified configuration - file changed by other user? Try again.');
    }
    const deletes = p.delete === undefined ? [] : String(p.delete).split(/[,;\s]+/).filter(Boolean);
    const options = loadEndpoints(state.version)['PUT /nodes/{node}/lxc/{vmid}/config']?.parameters?.properties ?? {};
    for (const k of deletes) {
      if (['node', 'vmid', 'digest', 'delete', 'revert'].includes(k) || !propertySchema(options, k)) throw paramError({ delete: `unknown option '${k}'` });
      // sic: PVE's text has an unbalanced quote
      if (p[k] !== undefined) throw paramError({ delete: `you can't use '-${k}' and -delete ${k}' at the same time` });
    }
    // check_ct_modify_config_perm: each changed or deleted option needs its own VM.Config.* privilege
    for (const k of [...Object.keys(p).filter((k) => !UPDATE_CONTROL_PARAMS.has(k)), ...deletes]) {
      checkPerm(deps, ctx, `/vms/${vmid}`, [configPrivilege(k)]);
    }
    const unpriv = ct.config.unprivileged === 1;
    if (p.features !== undefined || deletes.includes('features')) {
      checkFeaturePerm(ctx.identity, unpriv, p.features === undefined ? undefined : String(p.features), ct.config.features as string | undefined);
    }
    // PVE::LXC::Config update_pct_config: plain dies (500); deleting an option that is not set is skipped
    for (const k of deletes) {
      if (ct.config[k] === undefined) continue;
      if (k === 'memory' || k === 'rootfs' || k === 'ostype') throw new PveHttpError(500, `unable to delete required option '${k}'`);
      if (k === 'unprivileged') throw new PveHttpError(500, `unable to delete read-only option: '${k}'`);
    }
    if (p.unprivileged !== undefined) throw new PveHttpError(500, "unable to modify read-only option: 'unprivileged'");
    const next: GuestConfig = { ...ct.config };
    for (const k of deletes) delete next[k];
    applyOptions(next, p, UPDATE_CONTROL_PARAMS, vmid, ct.config);
    ct.config = next;
    return null;
  });

  onNode('GET', '/nodes/{node}/lxc/{vmid}/interfaces', async (ctx, n) => {
    const ct = getContainer(state, n.name, vmidOf(ctx));
    if (!ct.running) return null;
    return backend.interfaces(n.name, ct.vmid);
  });
}
