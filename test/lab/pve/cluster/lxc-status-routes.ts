// Power management of containers: status/current and start/stop/shutdown/reboot/suspend/resume. As in
// pve-container's Status.pm (since early 2024), "already running"/"not running" fail the API call (500); the
// config-file flock (config-lock.ts), the config `lock` check and the actual work happen inside the worker task.
import type { PveIdentity, TaskLog, TaskManager } from '../types';
import { PveHttpError, type RouteTable } from '../types';
import { type Container, type NodeState, getContainer } from './cluster-state';
import { lockConfigInWorker } from './config-lock';
import { systemdNestingWarning } from './systemd-warning';
import { guestStats, guestStatusCurrent } from './guest-stats';
import { containerSpec } from './lxc-config';
import { hostFacts } from './host-facts';
import { type ClusterDeps, nodeScoped, vmidOf } from './route-kit';
import { guestRrdRows } from './rrd';

/** Bridges a CT may attach to: configured bridges that ifreload brought up. */
function activeBridge(n: NodeState, bridge: string): boolean {
  const iface = n.network.applied.get(bridge);
  return iface?.type === 'bridge' && n.network.active.has(bridge);
}

/** The body of a vzstart worker (also used by create with start=1 and rollback with start=1). */
export async function startGuest(deps: ClusterDeps, ct: Container, log: TaskLog): Promise<void> {
  const n = deps.state.nodes.get(ct.node)!;
  const spec = containerSpec(ct, hostFacts(deps, ct));
  for (const net of spec.nets) {
    if (!activeBridge(n, net.bridge)) {
      // what lxc-start's network hook (PVE::Network::tap_plug) prints before the start fails
      log.line(`bridge '${net.bridge}' does not exist`);
      log.line(`lxc-start: ${ct.vmid}: ../src/lxc/network.c: lxc_create_network_priv: failed to create network device`);
      throw new Error(`startup for container '${ct.vmid}' failed`);
    }
  }
  const warning = systemdNestingWarning(deps.state, ct);
  if (warning) log.warn(warning);
  try {
    await deps.backend.startContainer(spec);
  } catch (e) {
    // lxc-start's own output lands in the task log; the task ends with PVE's generic text
    log.line(String((e as Error)?.message ?? e));
    throw new Error(`startup for container '${ct.vmid}' failed`, { cause: e });
  }
  ct.running = true;
  ct.startedAtMs = deps.state.now();
}

export async function stopGuest(deps: ClusterDeps, ct: Container): Promise<void> {
  await deps.backend.stopContainer(ct.node, ct.vmid);
  ct.running = false;
  ct.startedAtMs = undefined;
}

/** Worker-side config reload: the CT may have been destroyed while the task waited. */
function reload(deps: ClusterDeps, node: string, vmid: number): Container {
  try {
    return getContainer(deps.state, node, vmid);
  } catch (e) {
    throw new Error((e as Error).message, { cause: e });
  }
}

export function registerLxcStatusRoutes(routes: RouteTable, deps: ClusterDeps): void {
  const { state } = deps;
  const onNode = nodeScoped(routes, deps);
  const lockOf = (vmid: number) => {
    const lock = state.containers.get(vmid)?.config.lock;
    return lock === undefined || lock === 'mounted' ? undefined : String(lock);
  };
  const running = (node: string, vmid: number) => {
    const ct = state.containers.get(vmid);
    return !!ct && ct.node === node && ct.running;
  };

  onNode('GET', '/nodes/{node}/lxc/{vmid}/status', (ctx, n) => {
    getContainer(state, n.name, vmidOf(ctx));
    return [{ subdir: 'current' }, { subdir: 'start' }, { subdir: 'stop' }, { subdir: 'shutdown' }, { subdir: 'reboot' }, { subdir: 'suspend' }, { subdir: 'resume' }];
  });

  onNode('GET', '/nodes/{node}/lxc/{vmid}/rrddata', (ctx, n) => {
    const ct = getContainer(state, n.name, vmidOf(ctx));
    const s = guestStats(state, ct);
    return guestRrdRows(
      {
        seed: `${n.name}/lxc/${ct.vmid}`,
        maxcpu: Number(s.cpus),
        maxmem: Number(s.maxmem),
        maxdisk: Number(s.maxdisk),
        disk: Number(s.disk),
        runningSince: ct.running && ct.startedAtMs !== undefined ? Math.floor(ct.startedAtMs / 1000) : undefined,
      },
      String(ctx.params.timeframe),
      ctx.params.cf,
      state.now(),
    );
  });

  onNode('GET', '/nodes/{node}/lxc/{vmid}/status/current', (ctx, n) => {
    return guestStatusCurrent(state, getContainer(state, n.name, vmidOf(ctx)));
  });

  onNode('POST', '/nodes/{node}/lxc/{vmid}/status/start', (ctx, n) => {
    const vmid = vmidOf(ctx);
    const skiplock = ctx.params.skiplock === 1;
    if (skiplock && !(ctx.identity.user === 'root@pam' && !ctx.identity.tokenId)) {
      throw new PveHttpError(400, 'Parameter verification failed.', { skiplock: 'Only root may use this option.' });
    }
    return startTask(deps, ctx.tasks, ctx.identity, n.name, vmid, skiplock);
  });

  const stopLike = (type: 'vzstop' | 'vzshutdown' | 'vzsuspend', path: string) => {
    onNode('POST', path, (ctx, n) => {
      const vmid = vmidOf(ctx);
      if (!running(n.name, vmid)) throw new PveHttpError(500, `CT ${vmid} not running`);
      const skiplock = type === 'vzstop' && ctx.params.skiplock === 1;
      if (skiplock && !(ctx.identity.user === 'root@pam' && !ctx.identity.tokenId)) {
        throw new PveHttpError(400, 'Parameter verification failed.', { skiplock: 'Only root may use this option.' });
      }
      let lockAtStart: string | undefined;
      return ctx.tasks.start({
        node: n.name, type, id: String(vmid), identity: ctx.identity,
        onStart: () => { lockAtStart = lockOf(vmid); },
        run: async (log) => {
          const waited = await lockConfigInWorker(deps, vmid, log);
          const ct = reload(deps, n.name, vmid);
          if (!skiplock) wrap(() => checkLockValue(waited ? lockOf(vmid) : lockAtStart ?? lockOf(vmid)));
          if (type === 'vzsuspend') {
            // lxc-checkpoint -s: dumps the CT's state to /var/lib/vz/dump and stops it
            if (!ct.running) throw new Error(checkpointFailed(vmid, '-s'));
            await stopGuest(deps, ct);
            ct.checkpointed = true;
            return;
          }
          if (ct.running) await stopGuest(deps, ct);
        },
      });
    });
  };
  stopLike('vzstop', '/nodes/{node}/lxc/{vmid}/status/stop');
  stopLike('vzshutdown', '/nodes/{node}/lxc/{vmid}/status/shutdown');
  stopLike('vzsuspend', '/nodes/{node}/lxc/{vmid}/status/suspend');

  // vm_resume: no config lock at all (Status.pm forks at once); lxc-checkpoint -r restores a suspended CT
  onNode('POST', '/nodes/{node}/lxc/{vmid}/status/resume', (ctx, n) => {
    const vmid = vmidOf(ctx);
    if (running(n.name, vmid)) throw new PveHttpError(500, `CT ${vmid} already running`);
    return ctx.tasks.start({
      node: n.name, type: 'vzresume', id: String(vmid), identity: ctx.identity,
      run: async (log) => {
        const ct = reload(deps, n.name, vmid);
        if (!ct.checkpointed) {
          log.line(`lxc-checkpoint: ${vmid}: criu.c: criu_ok: no checkpoint found in /var/lib/vz/dump`);
          throw new Error(checkpointFailed(vmid, '-r --foreground'));
        }
        await startGuest(deps, ct, log);
        ct.checkpointed = false;
      },
    });
  });

  onNode('POST', '/nodes/{node}/lxc/{vmid}/status/reboot', (ctx, n) => {
    const vmid = vmidOf(ctx);
    // sic: pve-container's vm_reboot says "VM" here
    if (!running(n.name, vmid)) throw new PveHttpError(500, `VM ${vmid} not running`);
    return ctx.tasks.start({
      node: n.name, type: 'vzreboot', id: String(vmid), identity: ctx.identity,
      run: async (log) => {
        // vm_reboot stops and starts under the config lock, inside the worker
        await lockConfigInWorker(deps, vmid, log);
        const ct = reload(deps, n.name, vmid);
        if (ct.running) await stopGuest(deps, ct);
        await startGuest(deps, ct, log);
      },
    });
  });
}

/** run_command's text when lxc-checkpoint fails (`-s` suspend, `-r --foreground` resume). */
function checkpointFailed(vmid: number, mode: string): string {
  return `command 'lxc-checkpoint -n ${vmid} ${mode} -D /var/lib/vz/dump' failed: exit code 1`;
}

/**
 * vm_start after the parameter checks. Workers that start a CT (create and rollback with start=1) call
 * PVE::API2::LXC::Status->vm_start, which forks a separate `vzstart` task: their own task ends OK before the
 * container runs, and a failed start fails only the vzstart task.
 */
export function startTask(deps: ClusterDeps, tasks: TaskManager, identity: PveIdentity, node: string, vmid: number, skiplock = false): string {
  const { state } = deps;
  const lockOf = () => {
    const lock = state.containers.get(vmid)?.config.lock;
    return lock === undefined || lock === 'mounted' ? undefined : String(lock);
  };
  const ct0 = state.containers.get(vmid);
  if (ct0 && ct0.node === node && ct0.running) throw new PveHttpError(500, `CT ${vmid} already running`);
  // PVE's worker checks the config lock as soon as it starts: sample it when the task is accepted (re-read
  // after waiting for the config flock, which the worker takes first)
  let lockAtStart: string | undefined;
  return tasks.start({
    node, type: 'vzstart', id: String(vmid), identity,
    onStart: () => { lockAtStart = lockOf(); },
    run: async (log) => {
      const waited = await lockConfigInWorker(deps, vmid, log);
      const ct = reload(deps, node, vmid);
      if (!skiplock) wrap(() => checkLockValue(waited ? lockOf() : lockAtStart ?? lockOf()));
      if (ct.running) throw new Error(`CT ${vmid} already running`);
      await startGuest(deps, ct, log);
    },
  });
}

/** check_lock on a sampled lock value. */
function checkLockValue(lock: string | undefined): void {
  if (lock !== undefined) throw new Error(`CT is locked (${lock})`);
}

/** Re-throw a PveHttpError as a plain task error (same text). */
function wrap(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    throw new Error((e as Error).message, { cause: e });
  }
}
