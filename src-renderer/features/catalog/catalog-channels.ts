import type { ChannelOutput } from '../../../src-shared/contract/channels';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import type { CatalogApp, CatalogParameter, TargetNode } from '../deploy/deploy-types';

type CatalogDetail = ChannelOutput<'catalog.get'>;
type ClusterNode = ChannelOutput<'cluster.get'>['nodes'][number];

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** A catalog parameter as the configure step shows it: secret and choice kinds first, then numbers, else text. */
function toParameter(p: CatalogDetail['parameters'][number]): CatalogParameter {
  const kind: CatalogParameter['kind'] = p.secret ? 'secret' : p.choices ? 'choice' : p.type === 'number' || p.type === 'integer' ? 'number' : 'text';
  return {
    key: p.id,
    label: p.label,
    kind,
    required: p.required,
    ...(p.default !== null && { defaultValue: String(p.default) }),
    ...(p.choices && { choices: p.choices }),
    ...(p.description && { hint: p.description }),
  };
}

/**
 * `catalog.get`'s detail as the deploy wizard's CatalogApp: parameters by id, and the manifest's minimum
 * resources (memory in MiB, disk in GiB, as `apps.deploy`'s `resources` takes them).
 */
export function toCatalogApp(d: CatalogDetail): CatalogApp {
  return {
    id: d.id,
    name: d.name,
    parameters: d.parameters.map(toParameter),
    minCores: d.resources.cores.min,
    minMemoryMiB: d.resources.memory.min,
    minDiskGiB: d.resources.disk.min,
  };
}

/**
 * The online nodes of a `cluster.get` snapshot as deploy targets: whole free cores, free memory (MiB) and the
 * most free space (GiB) on a storage that holds container volumes (`rootdir` content).
 */
export function toTargetNodes(nodes: readonly ClusterNode[]): TargetNode[] {
  return nodes
    .filter((n) => n.status === 'online')
    .map((n) => ({
      node: n.node,
      freeCores: Math.floor(n.freeCpu),
      freeMemoryMiB: Math.floor(n.freeMemBytes / MIB),
      freeDiskGiB: Math.floor(Math.max(0, ...n.storages.filter((s) => s.content.includes('rootdir')).map((s) => s.freeBytes)) / GIB),
    }));
}

export const NO_CONNECTION: IpcError = { code: 'NOT_SUPPORTED', message: 'Add a Proxmox connection first (Infrastructure): apps are deployed onto its nodes.' };

/**
 * What the deploy wizard needs for one catalog app: `catalog.get`, then the first saved connection
 * (`connections.list`) and its nodes (`cluster.get`). NOT_SUPPORTED (NO_CONNECTION) without a connection.
 */
export async function prepareDeploy(
  api: DesktopApi,
  id: string,
): Promise<{ ok: true; app: CatalogApp; connectionId: string; nodes: TargetNode[] } | { ok: false; error: IpcError }> {
  const detail = await api.catalog.get({ id });
  if (!detail.ok) return detail;
  const connections = await api.connections.list();
  if (!connections.ok) return connections;
  const connection = connections.value[0];
  if (!connection) return { ok: false, error: NO_CONNECTION };
  const cluster = await api.cluster.get({ connectionId: connection.id });
  if (!cluster.ok) return cluster;
  return { ok: true, app: toCatalogApp(detail.value), connectionId: connection.id, nodes: toTargetNodes(cluster.value.nodes) };
}
