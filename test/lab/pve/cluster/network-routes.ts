// Node network configuration with PVE's two-phase semantics: POST/PUT/DELETE of an interface edit
// /etc/network/interfaces.new (pending, reported as `changes`), PUT /nodes/{node}/network applies it in a
// `srvreload` task (ifreload -a; the backend creates the bridges), DELETE /nodes/{node}/network reverts.
import { PveHttpError, type RouteTable } from '../types';
import type { LabBridgeSpec } from '../../backend';
import type { NetIface, NodeState } from './cluster-state';
import { renderInterfaces, unifiedDiff } from './network-file';
import { type ClusterDeps, nodeScoped } from './route-kit';

const paramError = (errors: Record<string, string>) => new PveHttpError(400, 'Parameter verification failed.', errors);

const EDITABLE = ['autostart', 'bridge_ports', 'bridge_vlan_aware', 'bridge_vids', 'mtu', 'comments', 'gateway'] as const;

/** The config being edited: interfaces.new if pending, else a fresh copy of the applied file. */
function editable(n: NodeState): Map<string, NetIface> {
  if (!n.network.pending) n.network.pending = new Map([...n.network.applied].map(([k, v]) => [k, { ...v }]));
  return n.network.pending;
}

function current(n: NodeState): Map<string, NetIface> {
  return n.network.pending ?? n.network.applied;
}

function listRow(n: NodeState, i: NetIface): Record<string, unknown> {
  const row: Record<string, unknown> = { iface: i.iface, type: i.type, method: i.method, method6: 'manual', families: ['inet'], priority: 0 };
  if (n.network.active.has(i.iface) && n.network.applied.has(i.iface)) row.active = 1;
  if (i.physical) row.exists = 1;
  if (i.autostart) row.autostart = 1;
  for (const k of ['address', 'netmask', 'cidr', 'gateway', 'bridge_ports', 'bridge_vids', 'mtu', 'comments'] as const) {
    if (i[k] !== undefined && i[k] !== '') row[k] = i[k];
  }
  if (i.type === 'bridge') {
    row.bridge_stp = 'off';
    row.bridge_fd = '0';
    if (i.bridge_vlan_aware) row.bridge_vlan_aware = 1;
  }
  return row;
}

/** cidr / address+netmask => the three fields PVE reports (netmask as prefix length). */
function setAddress(i: NetIface, p: Record<string, any>): void {
  let cidr: string | undefined = p.cidr;
  if (!cidr && p.address) {
    if (!p.netmask) throw paramError({ netmask: "missing property - 'address' requires this property" });
    const mask = String(p.netmask);
    const prefix = /^\d+$/.test(mask) ? Number(mask) : mask.split('.').reduce((acc, o) => acc + (Number(o) >>> 0).toString(2).replace(/0/g, '').length, 0);
    cidr = `${p.address}/${prefix}`;
  }
  if (!cidr) return;
  const [address, prefix] = cidr.split('/');
  Object.assign(i, { cidr, address, netmask: prefix, method: 'static' });
}

function checkGateway(ifaces: Map<string, NetIface>, iface: string, gateway: unknown): void {
  if (!gateway) return;
  for (const other of ifaces.values()) {
    if (other.iface !== iface && other.gateway) {
      throw paramError({ gateway: `Default gateway already exists on interface '${other.iface}'.` });
    }
  }
}

function applyEditable(i: NetIface, p: Record<string, any>): void {
  for (const k of EDITABLE) if (p[k] !== undefined) (i as any)[k] = p[k];
}

export function registerNetworkRoutes(routes: RouteTable, deps: ClusterDeps): void {
  const onNode = nodeScoped(routes, deps);

  onNode('GET', '/nodes/{node}/network', (ctx, n) => {
    const type = ctx.params.type as string | undefined;
    const rows = [...current(n).values()]
      .filter((i) => i.type !== 'loopback')
      .filter((i) => !type || (type === 'any_bridge' ? i.type === 'bridge' || i.type === 'OVSBridge' : i.type === type))
      .sort((a, b) => a.iface.localeCompare(b.iface))
      .map((i) => listRow(n, i));
    const changes = n.network.pending
      ? unifiedDiff(renderInterfaces(n.network.applied), renderInterfaces(n.network.pending), '/etc/network/interfaces', '/etc/network/interfaces.new')
      : '';
    return changes ? { data: rows, changes } : { data: rows };
  });

  onNode('POST', '/nodes/{node}/network', (ctx, n) => {
    const p = ctx.params;
    const iface = String(p.iface);
    const cfg = editable(n);
    if (cfg.has(iface)) throw paramError({ iface: 'interface already exists' });
    checkGateway(cfg, iface, p.gateway);
    const entry: NetIface = { iface, type: String(p.type), method: 'manual' };
    applyEditable(entry, p);
    setAddress(entry, p);
    cfg.set(iface, entry);
    return null;
  });

  onNode('GET', '/nodes/{node}/network/{iface}', (ctx, n) => {
    const i = current(n).get(String(ctx.params.iface));
    // pve-manager Network.pm network_config: raise_param_exc, like PUT/DELETE of an unknown iface
    if (!i) throw paramError({ iface: 'interface does not exist' });
    return listRow(n, i);
  });

  onNode('PUT', '/nodes/{node}/network/{iface}', (ctx, n) => {
    const p = ctx.params;
    const iface = String(p.iface);
    const cfg = editable(n);
    const old = cfg.get(iface);
    if (!old) throw paramError({ iface: 'interface does not exist' });
    checkGateway(cfg, iface, p.gateway);
    // PVE replaces the stanza with what the request carries (plus kept families), then drops `delete`d keys
    const entry: NetIface = { iface, type: String(p.type ?? old.type), method: 'manual', physical: old.physical };
    applyEditable(entry, p);
    setAddress(entry, p);
    if (!p.cidr && !p.address && old.cidr) Object.assign(entry, { cidr: old.cidr, address: old.address, netmask: old.netmask, method: 'static' });
    for (const k of EDITABLE) if (p[k] === undefined && old[k] !== undefined && k !== 'autostart') (entry as any)[k] = old[k];
    if (p.autostart === undefined && old.autostart) entry.autostart = old.autostart;
    for (const k of String(p.delete ?? '').split(/[,;\s]+/).filter(Boolean)) {
      if (k === 'cidr' || k === 'address') { delete entry.cidr; delete entry.address; delete entry.netmask; entry.method = 'manual'; }
      else delete (entry as any)[k];
    }
    cfg.set(iface, entry);
    return null;
  });

  onNode('DELETE', '/nodes/{node}/network/{iface}', (ctx, n) => {
    const iface = String(ctx.params.iface);
    const cfg = editable(n);
    if (!cfg.has(iface)) throw paramError({ iface: 'interface does not exist' });
    cfg.delete(iface);
    return null;
  });

  onNode('DELETE', '/nodes/{node}/network', (_ctx, n) => {
    n.network.pending = null;
    return null;
  });

  onNode('PUT', '/nodes/{node}/network', (ctx, n) => {
    return ctx.tasks.start({
      node: n.name,
      type: 'srvreload',
      id: 'networking',
      identity: ctx.identity,
      run: async (log) => {
        const next = n.network.pending ?? n.network.applied;
        const bridges: LabBridgeSpec[] = [...next.values()]
          .filter((i) => i.type === 'bridge' && i.autostart)
          .map((i) => ({ node: n.name, iface: i.iface, ...(i.cidr ? { cidr: i.cidr } : {}), ...(i.bridge_ports ? { bridgePorts: i.bridge_ports } : {}) }));
        await deps.backend.applyBridges(n.name, bridges);
        n.network.applied = next;
        n.network.pending = null;
        // ifreload -a brings up the `auto` interfaces and takes down removed ones
        n.network.active = new Set([...next.values()].filter((i) => i.autostart || i.physical).map((i) => i.iface));
        void log;
      },
    });
  });
}
