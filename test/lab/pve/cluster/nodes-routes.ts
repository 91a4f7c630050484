// Node and cluster overview endpoints: /nodes, node status/version/rrddata, /version, /cluster/{resources,
// nextid,status}. Numbers are deterministic functions of the clock and the guests, so they move believably.
import { PveHttpError, type RouteTable } from '../types';
import { type ClusterState, type NodeState, storageAvail, storageUsed } from './cluster-state';
import { guestStats } from './guest-stats';
import { type ClusterDeps, hasPerm, nodeScoped } from './route-kit';
import { nodeRrdRows, wave } from './rrd';
import { pveversionString, release, versionInfo } from './versions';

const GiB = 2 ** 30;
const ROOTFS_TOTAL = 94 * GiB;

function nodeMemUsed(state: ClusterState, n: NodeState): number {
  let used = Math.round(n.maxmem * (0.18 + 0.04 * wave(`${n.name}/mem`, Math.floor(state.now() / 1000))));
  for (const ct of state.containers.values()) {
    if (ct.node === n.name && ct.running) used += Number(guestStats(state, ct).mem);
  }
  return Math.min(used, n.maxmem);
}

function nodeCpu(state: ClusterState, n: NodeState): number {
  let cpu = 0.01 + 0.04 * wave(`${n.name}/cpu`, Math.floor(state.now() / 1000), 600);
  for (const ct of state.containers.values()) {
    if (ct.node === n.name && ct.running) cpu += Number(guestStats(state, ct).cpu) / n.maxcpu;
  }
  return Math.round(Math.min(cpu, 1) * 1e6) / 1e6;
}

function rootUsed(n: NodeState): number {
  const local = n.storages.get('local');
  return local ? storageUsed(n, local) : 9 * GiB;
}

function uptime(state: ClusterState, n: NodeState): number {
  return Math.floor((state.now() - n.bootTimeMs) / 1000);
}

export function nodeRow(deps: ClusterDeps, n: NodeState): Record<string, unknown> {
  const { state, faults } = deps;
  if (faults.isNodeOffline(n.name)) return { node: n.name, id: `node/${n.name}`, type: 'node', status: 'offline' };
  const row: Record<string, unknown> = {
    node: n.name,
    id: `node/${n.name}`,
    type: 'node',
    status: 'online',
    cpu: nodeCpu(state, n),
    maxcpu: n.maxcpu,
    mem: nodeMemUsed(state, n),
    maxmem: n.maxmem,
    uptime: uptime(state, n),
    level: '',
  };
  if (n.sslFingerprint) row.ssl_fingerprint = n.sslFingerprint;
  return row;
}

function nodeStatus(state: ClusterState, n: NodeState): Record<string, unknown> {
  const r = release(state);
  const memUsed = nodeMemUsed(state, n);
  const cpu = nodeCpu(state, n);
  const used = rootUsed(n);
  const load = (k: number) => (cpu * n.maxcpu * k).toFixed(2);
  return {
    uptime: uptime(state, n),
    cpu,
    wait: 0.0012,
    idle: 0,
    loadavg: [load(1), load(0.9), load(0.8)],
    kversion: `Linux ${r.kernel} ${r.kernelBuild}`,
    'current-kernel': { sysname: 'Linux', release: r.kernel, version: r.kernelBuild, machine: 'x86_64' },
    'boot-info': { mode: 'efi', secureboot: 0 },
    cpuinfo: {
      model: 'Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz',
      cpus: n.maxcpu,
      cores: n.maxcpu / 2,
      sockets: 1,
      mhz: '2099.998',
      hvm: '1',
      user_hz: 100,
      flags: 'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx lm constant_tsc vmx',
    },
    memory: { total: n.maxmem, used: memUsed, free: n.maxmem - memUsed, available: n.maxmem - memUsed },
    swap: { total: 8 * GiB, used: 0, free: 8 * GiB },
    rootfs: { total: ROOTFS_TOTAL, used, free: ROOTFS_TOTAL - used, avail: ROOTFS_TOTAL - used },
    ksm: { shared: 0 },
    pveversion: pveversionString(state),
  };
}

function resources(deps: ClusterDeps, type?: string): Record<string, unknown>[] {
  const { state, faults } = deps;
  const out: Record<string, unknown>[] = [];
  if (!type || type === 'vm') {
    for (const ct of [...state.containers.values()].sort((a, b) => a.vmid - b.vmid)) {
      const s = guestStats(state, ct);
      const offline = faults.isNodeOffline(ct.node);
      const row: Record<string, unknown> = {
        id: `lxc/${ct.vmid}`,
        type: 'lxc',
        vmid: ct.vmid,
        node: ct.node,
        name: s.name,
        status: offline ? 'unknown' : s.status,
        maxcpu: s.cpus,
        maxmem: s.maxmem,
        maxdisk: s.maxdisk,
      };
      if (!offline) {
        for (const k of ['cpu', 'mem', 'disk', 'uptime', 'netin', 'netout', 'diskread', 'diskwrite', 'template', 'lock', 'tags']) {
          if (s[k] !== undefined) row[k] = s[k];
        }
        row.template ??= 0;
      }
      out.push(row);
    }
  }
  if (!type || type === 'node') {
    for (const n of state.nodes.values()) {
      const row = nodeRow(deps, n);
      delete row.ssl_fingerprint;
      if (row.status === 'online') {
        row.disk = rootUsed(n);
        row.maxdisk = ROOTFS_TOTAL;
        row['cgroup-mode'] = 2;
      }
      out.push(row);
    }
  }
  if (!type || type === 'storage') {
    for (const n of state.nodes.values()) {
      const offline = faults.isNodeOffline(n.name);
      for (const s of n.storages.values()) {
        const row: Record<string, unknown> = {
          id: `storage/${n.name}/${s.id}`,
          type: 'storage',
          storage: s.id,
          node: n.name,
          status: offline ? 'unknown' : 'available',
          plugintype: s.type,
          content: s.content.join(','),
          shared: 0,
        };
        if (!offline) {
          row.disk = storageUsed(n, s);
          row.maxdisk = s.total;
        }
        out.push(row);
      }
    }
  }
  return out;
}

/** PVE's /cluster/nextid: lowest free id >= 100 (a Perl string on the wire). */
export function nextFreeVmid(state: ClusterState): number {
  let id = 100;
  while (state.containers.has(id)) id++;
  return id;
}

export function registerNodeRoutes(routes: RouteTable, deps: ClusterDeps): void {
  const { state } = deps;
  const onNode = nodeScoped(routes, deps);

  routes.on('GET', '/version', () => versionInfo(state));
  // PVE's /nodes rows come from the same resource data as /cluster/resources (id/type/disk included)
  routes.on('GET', '/nodes', () => [...state.nodes.values()].map((n) => {
    const row = nodeRow(deps, n);
    if (row.status === 'online') {
      row.disk = rootUsed(n);
      row.maxdisk = ROOTFS_TOTAL;
    }
    return row;
  }));
  onNode('GET', '/nodes/{node}', () =>
    ['aplinfo', 'apt', 'lxc', 'network', 'rrddata', 'status', 'storage', 'tasks', 'version', 'vzdump'].map((name) => ({ name })));
  onNode('GET', '/nodes/{node}/status', (_ctx, n) => nodeStatus(state, n));
  onNode('GET', '/nodes/{node}/version', () => {
    const { version, release: rel, repoid } = versionInfo(state);
    return { version, release: rel, repoid };
  });
  onNode('GET', '/nodes/{node}/rrddata', (ctx, n) => {
    const local = n.storages.get('local')!;
    return nodeRrdRows(
      { node: n.name, maxcpu: n.maxcpu, memtotal: n.maxmem, swaptotal: 8 * GiB, roottotal: ROOTFS_TOTAL, rootused: ROOTFS_TOTAL - storageAvail(n, local) },
      String(ctx.params.timeframe),
      ctx.params.cf,
      state.now(),
    );
  });

  // API2/Cluster.pm resources: guests only with VM.Audit, storages only with Datastore.Audit|AllocateSpace
  routes.on('GET', '/cluster/resources', (ctx) =>
    resources(deps, ctx.params.type).filter((r) => {
      if (r.type === 'lxc' || r.type === 'qemu') return hasPerm(deps, ctx, `/vms/${r.vmid}`, 'VM.Audit');
      if (r.type === 'storage') {
        return hasPerm(deps, ctx, `/storage/${r.storage}`, 'Datastore.Audit') || hasPerm(deps, ctx, `/storage/${r.storage}`, 'Datastore.AllocateSpace');
      }
      return true;
    }),
  );
  routes.on('GET', '/cluster/nextid', (ctx) => {
    if (ctx.params.vmid !== undefined) {
      const vmid = Number(ctx.params.vmid);
      if (state.containers.has(vmid)) {
        throw new PveHttpError(400, 'Parameter verification failed.', { vmid: `VM ${vmid} already exists` });
      }
      return String(vmid);
    }
    return String(nextFreeVmid(state));
  });
  routes.on('GET', '/cluster/status', () => {
    const rows: Record<string, unknown>[] = [];
    const nodes = [...state.nodes.values()];
    const online = nodes.filter((n) => !deps.faults.isNodeOffline(n.name)).length;
    if (state.clusterName) {
      rows.push({ type: 'cluster', id: 'cluster', name: state.clusterName, nodes: nodes.length, quorate: online * 2 > nodes.length ? 1 : 0, version: nodes.length });
    }
    nodes.forEach((n, i) => {
      rows.push({
        type: 'node',
        id: `node/${n.name}`,
        name: n.name,
        ip: n.ip,
        nodeid: state.clusterName ? n.nodeid : 0,
        local: i === 0 ? 1 : 0,
        online: deps.faults.isNodeOffline(n.name) ? 0 : 1,
        level: '',
      });
    });
    return rows;
  });
}
