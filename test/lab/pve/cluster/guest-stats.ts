// Live numbers for a container (cpu, mem, disk, traffic) derived from its config, uptime and the clock, so
// status/current, the per-node list and /cluster/resources agree with each other.
import { type ClusterState, type Container, hashUnit, rootfsBytes } from './cluster-state';
import { wave } from './rrd';

const MiB = 2 ** 20;

export function guestStats(state: ClusterState, ct: Container): Record<string, unknown> {
  const c = ct.config;
  const maxmem = Number(c.memory ?? 512) * MiB;
  const maxswap = Number(c.swap ?? 512) * MiB;
  // PVE::LXC::vmstatus: rootfs size, else 4 GiB ("use 4GB by default ??"), e.g. while `lock: create`
  const maxdisk = rootfsBytes(c) || 4 * 2 ** 30;
  const nodeCpus = state.nodes.get(ct.node)?.maxcpu ?? 1;
  const cpus = Number(c.cores || c.cpulimit || nodeCpus);
  const now = state.now();
  const t = Math.floor(now / 1000);
  const uptime = ct.running && ct.startedAtMs !== undefined ? Math.max(0, Math.floor((now - ct.startedAtMs) / 1000)) : 0;
  const seed = `${ct.node}/lxc/${ct.vmid}`;
  const out: Record<string, unknown> = {
    vmid: ct.vmid,
    name: String(c.hostname ?? `CT${ct.vmid}`),
    type: 'lxc',
    status: ct.running ? 'running' : 'stopped',
    cpus,
    maxmem,
    maxswap,
    maxdisk,
    // vmstatus measures usage inside a running CT only (df of /proc/<pid>/root); stopped => 0.
    // An installed rootfs is ~10-20 % of the disk.
    disk: ct.running ? Math.round(maxdisk * (0.1 + 0.1 * hashUnit(seed))) : 0,
    cpu: ct.running ? Math.round((0.001 + 0.05 * wave(`${seed}/cpu`, t, 600)) * 1e6) / 1e6 : 0,
    mem: ct.running ? Math.round(maxmem * (0.05 + 0.15 * wave(`${seed}/mem`, t, 900))) : 0,
    swap: 0,
    uptime,
    netin: ct.running ? Math.round(uptime * 1200 * (1 + hashUnit(`${seed}/in`))) : 0,
    netout: ct.running ? Math.round(uptime * 700 * (1 + hashUnit(`${seed}/out`))) : 0,
    diskread: ct.running ? 40 * MiB + Math.round(uptime * 2048) : 0,
    diskwrite: ct.running ? 8 * MiB + Math.round(uptime * 1024) : 0,
  };
  // vmstatus sets `template` only for templates (the lab has none); /cluster/resources reports 0 from the RRD
  if (c.template === 1) out.template = 1;
  if (c.lock !== undefined) out.lock = String(c.lock);
  if (c.tags !== undefined) out.tags = String(c.tags);
  return out;
}

/** GET .../status/current adds `ha` and (9.x) pressure stall numbers. */
export function guestStatusCurrent(state: ClusterState, ct: Container): Record<string, unknown> {
  const out = guestStats(state, ct);
  out.ha = { managed: 0 };
  if (state.version === '9.1') {
    for (const k of ['pressurecpusome', 'pressurecpufull', 'pressureiosome', 'pressureiofull', 'pressurememorysome', 'pressurememoryfull']) {
      out[k] = 0;
    }
  }
  return out;
}
