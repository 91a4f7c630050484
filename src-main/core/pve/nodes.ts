// Nodes and the cluster overview: GET /nodes, /nodes/{node}/status, /cluster/resources, /cluster/nextid,
// /nodes/{node}/rrddata and .../lxc/{vmid}/rrddata. Shapes after the PVE 8.4 / 9.1 schema (pve-manager
// API2/Nodes.pm, API2/Cluster.pm); numbers PVE prints as strings (nextid) are coerced.
import { z } from 'zod';
import { ProximityError } from '../errors';
import type { PveClient } from './pve-client';

/** pve-node format: a DNS label. */
export const NODE_NAME_RE = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;
/** A node name as PVE accepts it. */
export const nodeNameSchema = z.string().regex(NODE_NAME_RE, 'a Proxmox VE node name');
/** pve-vmid: 100 ..= 999999999 */
export const vmidSchema = z.coerce.number().int().min(100).max(999_999_999);

/** `node` checked as a PVE node name. Throws VALIDATION (not a raw ZodError) so the operator sees what was wrong. */
export function parseNode(node: unknown): string {
  const r = nodeNameSchema.safeParse(node);
  if (!r.success) throw new ProximityError('VALIDATION', `"${String(node)}" is not a Proxmox VE node name.`, { details: { field: 'node' } });
  return r.data;
}

/** `vmid` checked as a PVE guest id (100 ..= 999999999). Throws VALIDATION. */
export function parseVmid(vmid: unknown): number {
  const r = vmidSchema.safeParse(vmid);
  if (!r.success) throw new ProximityError('VALIDATION', `"${String(vmid)}" is not a guest id (100 to 999999999).`, { details: { field: 'vmid' } });
  return r.data;
}

const num = z.coerce.number();

/** One row of GET /nodes (bytes, cpu 0..1, uptime s). */
export const nodeListItemSchema = z.object({
  node: z.string(),
  status: z.enum(['online', 'offline', 'unknown']).catch('unknown'),
  cpu: num.optional(),
  maxcpu: num.optional(),
  mem: num.optional(),
  maxmem: num.optional(),
  disk: num.optional(),
  maxdisk: num.optional(),
  uptime: num.optional(),
  ssl_fingerprint: z.string().optional(),
});
export type NodeListItem = z.infer<typeof nodeListItemSchema>;

/** GET /nodes: every node with its status (`offline` when corosync lost it). */
export function listNodes(client: PveClient, signal?: AbortSignal): Promise<NodeListItem[]> {
  return client.get((api) => api.nodes.$get(), z.array(nodeListItemSchema), { signal });
}

/** GET /nodes/{node}/status: the fields Proximity uses (bytes, cpu 0..1). */
export const nodeStatusSchema = z.object({
  cpu: num,
  uptime: num.optional(),
  loadavg: z.array(z.string()).optional(),
  memory: z.object({ total: num, used: num, free: num }),
  rootfs: z.object({ total: num, used: num, avail: num }).partial().passthrough(),
  cpuinfo: z.object({ cpus: num, model: z.string().optional() }).passthrough(),
  pveversion: z.string(),
  'current-kernel': z.object({ release: z.string() }).passthrough().optional(),
  kversion: z.string().optional(),
});
export type NodeStatus = z.infer<typeof nodeStatusSchema>;

/** GET /nodes/{node}/status. Throws PVE_NODE_OFFLINE when pveproxy cannot reach the node (595/596). */
export function nodeStatus(client: PveClient, node: string, signal?: AbortSignal): Promise<NodeStatus> {
  return client.get((api) => api.nodes.$(parseNode(node)).status.$get(), nodeStatusSchema, { signal });
}

/** One row of GET /cluster/resources (`id` is `lxc/100`, `node/pve`, `storage/pve/local`). */
export const resourceSchema = z.object({
  id: z.string(),
  type: z.string(),
  node: z.string().optional(),
  status: z.string().optional(),
  vmid: num.optional(),
  name: z.string().optional(),
  storage: z.string().optional(),
  content: z.string().optional(),
  plugintype: z.string().optional(),
  shared: num.optional(),
  cpu: num.optional(),
  maxcpu: num.optional(),
  mem: num.optional(),
  maxmem: num.optional(),
  disk: num.optional(),
  maxdisk: num.optional(),
  uptime: num.optional(),
  template: num.optional(),
  lock: z.string().optional(),
  tags: z.string().optional(),
  netin: num.optional(),
  netout: num.optional(),
});
export type ClusterResource = z.infer<typeof resourceSchema>;

/**
 * GET /cluster/resources: the whole cluster in one answer (nodes, guests, storage), as the web UI reads it.
 * `type` narrows it (`vm` = qemu + lxc).
 */
export function clusterResources(client: PveClient, opts: { type?: 'vm' | 'storage' | 'node' | 'sdn'; signal?: AbortSignal } = {}): Promise<ClusterResource[]> {
  return client.get((api) => api.cluster.resources.$get(opts.type ? { type: opts.type } : {}), z.array(resourceSchema), { signal: opts.signal });
}

/**
 * GET /cluster/nextid: the lowest free VMID (PVE sends it as a string). With `vmid`, checks that id and returns it
 * when free; a taken one throws CONFLICT (PVE: 400 errors.vmid "VM <id> already exists").
 */
export async function nextVmid(client: PveClient, opts: { vmid?: number; signal?: AbortSignal } = {}): Promise<number> {
  try {
    return await client.get((api) => api.cluster.nextid.$get(opts.vmid === undefined ? {} : { vmid: parseVmid(opts.vmid) }), vmidSchema, { signal: opts.signal });
  } catch (e) {
    const d = e instanceof ProximityError ? (e.details as { errors?: Record<string, string> } | undefined) : undefined;
    if (d?.errors?.vmid && /already exists/.test(d.errors.vmid)) {
      throw new ProximityError('CONFLICT', `VMID ${opts.vmid} is already in use`, { details: d, cause: e });
    }
    throw e;
  }
}

/** One RRD row: `time` plus numbers (some PVE versions print them as strings). */
export const rrdRowSchema = z.record(z.string(), z.union([z.number(), z.string(), z.null()]).optional());
export type RrdRow = z.infer<typeof rrdRowSchema>;
export type RrdTimeframe = 'hour' | 'day' | 'week' | 'month' | 'year';

/** GET /nodes/{node}/rrddata: one row per step (`time` in s since the epoch; cpu fraction, mem bytes, ...). */
export function nodeRrd(client: PveClient, node: string, timeframe: RrdTimeframe, opts: { cf?: 'AVERAGE' | 'MAX'; signal?: AbortSignal } = {}): Promise<RrdRow[]> {
  return client.get(
    (api) => api.nodes.$(parseNode(node)).rrddata.$get({ timeframe, ...(opts.cf ? { cf: opts.cf } : {}) }),
    z.array(rrdRowSchema),
    { signal: opts.signal },
  );
}

/** GET /nodes/{node}/lxc/{vmid}/rrddata: a container's rows (cpu, mem, maxmem, netin, netout, disk...). */
export function guestRrd(client: PveClient, node: string, vmid: number, timeframe: RrdTimeframe, opts: { cf?: 'AVERAGE' | 'MAX'; signal?: AbortSignal } = {}): Promise<RrdRow[]> {
  return client.get(
    (api) => api.nodes.$(parseNode(node)).lxc.$(parseVmid(vmid)).rrddata.$get({ timeframe, ...(opts.cf ? { cf: opts.cf } : {}) }),
    z.array(rrdRowSchema),
    { signal: opts.signal },
  );
}

/**
 * A node's status, or `offline` when pveproxy cannot reach it (595/596, PVE_NODE_OFFLINE) instead of an error.
 * Other failures throw.
 */
export async function readNodeHealth(client: PveClient, node: string, signal?: AbortSignal): Promise<{ status: 'online'; detail: NodeStatus } | { status: 'offline'; reason: string }> {
  try {
    return { status: 'online', detail: await nodeStatus(client, node, signal) };
  } catch (e) {
    if (e instanceof ProximityError && e.code === 'PVE_NODE_OFFLINE') return { status: 'offline', reason: e.message };
    throw e;
  }
}
